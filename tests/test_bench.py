"""The page benchmark's own pieces (``make bench`` runs them at full size): the bare view
behind the site's middleware, and the generated volume answering in both languages."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from bench.page_bench import page_paths
from bench.volume import generate
from stories.models import Milestone, StoryPage

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_bare_view_answers_in_both_languages_and_is_never_page_cached(client):
    for language in ("sv", "en"):
        for _ in range(2):
            response = client.get(f"/{language}/bench/bare/")
            assert response.status_code == 200
            assert response.content == b"bare"
            assert response["Content-Language"] == language
            assert "X-Portal-Cache" not in response


def test_the_site_itself_has_no_bare_view(client):
    assert client.get("/sv/bench/bare/").status_code == 404


def test_the_generated_volume_answers_in_both_languages(client):
    call_command("seed_demo")
    pages = generate(stories=8, english_share=0.5, milestones=9, winners=5)
    paths, summary = page_paths(pages)

    assert summary["stories"] == 9  # the demo's story and eight generated ones
    assert 1 <= summary["english stories"] < 9
    assert Milestone.objects.filter(page=pages["timeline"]).count() == 9
    assert pages["award"].get_children().live().count() == 5
    for type_paths in paths.values():
        for path in type_paths:
            assert client.get(path).status_code == 200, path

    story = pages["story"]
    assert story.title_en in client.get(story.get_url_in("en")).content.decode()
    assert story.title_sv in client.get(story.get_url_in("sv")).content.decode()
    swedish_only = StoryPage.objects.get(pk=pages["story_sv_only"].pk)
    english_address = client.get(swedish_only.get_url_in("en")).content.decode()
    assert swedish_only.title_sv in english_address
    assert "This page is only available in Swedish" in english_address


# make bench-scale (bench/scale_bench.py): the table and its verdicts, from given figures.


def scale_row(markdown, label, language=""):
    """The cells of the table row of ``label`` (and ``language``)."""
    for line in markdown.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] == label and cells[1] == language:
            return cells
    raise AssertionError(f"no row {label!r} {language!r} in:\n{markdown}")


def scale_results(**largest):
    """Figures at 1 000 and 100 000 pages: every row flat unless ``largest`` says otherwise."""
    from bench.scale_bench import MEASUREMENTS, row_id

    base = {}
    for key, _label, kind, languages in MEASUREMENTS:
        for language in languages:
            base[row_id(key, language)] = {
                "command": {"seconds": 2.0, "rss_mb": 130.0},
                "generation": {"pages": 1000, "seconds": 0.5, "rate": 2000.0},
                "search": {"ms": 10.0, "p95": 20.0, "queries": 4},
            }.get(kind, {"ms": 20.0, "queries": 5})
    return {1000: base, 100000: {**base, **largest}}


def test_scale_table_flat_figures_meet_every_target():
    from bench.scale_bench import table

    markdown = table(scale_results(), [1000, 100000])

    header = markdown.splitlines()[0]
    assert "1 000 ms" in header and "100 000 ms" in header and "growth 100 000 / 1 000" in header
    story = scale_row(markdown, "story page, recent", "en")
    assert story[2:] == ["20.0", "5", "20.0", "5", "1.00×", "≤ 1.5×, no more queries", "✓"]
    assert scale_row(markdown, "story page, recent", "sv")[-1] == "✓"
    assert scale_row(markdown, "search, two words", "sv")[2] == "10.0 (p95 20.0)"
    assert scale_row(markdown, "`translation_status`")[2] == "2.0 s, 130 MB"
    assert scale_row(markdown, "generating the volume")[4] == "2 000 pages/s"
    assert all(line.endswith("| ✓ |") for line in markdown.splitlines()[2:])


def test_scale_table_names_each_missed_target():
    from bench.scale_bench import table

    results = scale_results(
        **{
            "story_old:sv": {"ms": 31.0, "queries": 5},  # 1.55×
            "index_deep:en": {"ms": 20.0, "queries": 6},  # one more query
            "index_deep:sv": {"ms": 20.0, "queries": 4},  # one fewer: no regression
            "admin_dashboard": {"ms": 200.0, "queries": 5},
            "search:en": {"ms": 30.0, "p95": 51.0, "queries": 4},
            "translation_status": {"seconds": 61.0, "rss_mb": 150.0},
            "export_content_po": {"seconds": 10.0, "rss_mb": 400.0},
            "generation": {"pages": 99000, "seconds": 110.0, "rate": 900.0},
            "event:sv": {"missing": "not built"},
            "sitemap": {"ms": 20.0, "queries": 5, "problems": ["not an index"]},
        }
    )
    markdown = table(results, [1000, 100000])

    assert scale_row(markdown, "story page, old", "sv")[-3:-2] == ["1.55×"]
    assert scale_row(markdown, "story page, old", "sv")[-1] == "✗ 1.55×"
    assert scale_row(markdown, "story page, old", "en")[-1] == "✓"
    assert scale_row(markdown, "story index, page 1,000 or the deepest", "en")[-1] == (
        "✗ queries 5 → 6"
    )
    assert scale_row(markdown, "story index, page 1,000 or the deepest", "sv")[-1] == "✓"
    assert scale_row(markdown, "admin dashboard")[-1] == "✗ 10.00×"
    assert scale_row(markdown, "search, two words", "en")[-1] == "✗ p95 51.0 ms"
    assert scale_row(markdown, "`translation_status`")[-1] == "✗ 61 s"
    assert scale_row(markdown, "`export_content_po`")[-1] == "✗ memory 3.08×"
    assert scale_row(markdown, "generating the volume")[-1] == "✗ 900 pages/s"
    assert scale_row(markdown, "event page", "sv")[4] == "not built"
    assert scale_row(markdown, "event page", "sv")[-1] == "not built"
    assert scale_row(markdown, "`/sitemap.xml`")[-1] == "✗ not an index"


def test_scale_growth_is_against_1000_pages_or_the_smallest_size_measured():
    from bench.scale_bench import base_size, percentile, table

    assert base_size([1000, 10000, 100000]) == 1000
    assert base_size([5000, 20000]) == 5000
    results = scale_results(**{"home:sv": {"ms": 30.0, "queries": 5}})
    results[10000] = results.pop(1000)
    markdown = table(results, [10000, 100000])
    assert "growth 100 000 / 10 000" in markdown.splitlines()[0]
    assert scale_row(markdown, "home page", "sv")[-3] == "1.50×"
    assert scale_row(markdown, "home page", "sv")[-1] == "✓"  # at the limit, not over it

    one_size = table({1000: scale_results()[1000]}, [1000])
    assert scale_row(one_size, "home page", "sv")[-1] == "— (one size)"
    assert scale_row(one_size, "search, two words", "sv")[-1] == "✓"

    assert percentile(list(range(1, 41)), 95) == 38
    assert percentile([5.0], 95) == 5.0


def test_scale_rounds_combine_into_medians_and_the_most_queries():
    from bench.scale_bench import combine_rounds

    def one_round(ms, queries, load, rss=None, **extra):
        results = {
            "home:sv": {"ms": ms, "queries": queries, "url": "/sv/"},
            "search:sv": {"ms": ms, "p95": ms * 2, "queries": 4},
            "rss:en": rss or {"ms": ms, "queries": 8, "url": "/en/news/rss/"},
            "event:sv": {"missing": "not built"},
            **extra,
        }
        return results, {"pages": 1012, "load average": load}, []

    results, notes, failures = combine_rounds(
        [
            one_round(30.0, 12, "3.0", translation_status={"seconds": 9.0, "rss_mb": 140.0}),
            one_round(10.0, 12, "1.5", rss={"missing": "HTTP 500", "url": "/en/news/rss/"}),
            one_round(20.0, 13, "0.5"),
        ]
    )

    assert results["home:sv"] == {"ms": 20.0, "queries": 13, "url": "/sv/"}
    assert results["search:sv"]["p95"] == 40.0
    assert results["rss:en"] == {"missing": "HTTP 500", "url": "/en/news/rss/"}
    assert results["event:sv"] == {"missing": "not built"}
    assert results["translation_status"] == {"seconds": 9.0, "rss_mb": 140.0}
    assert notes["load average"] == "3.0 / 1.5 / 0.5"
    assert failures == []
