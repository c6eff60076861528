"""`translation_status`: which live pages and snippets lack text in which language."""

import json

import polib
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.rich_text import RichText

from portal.models import PortalSettings
from portal.translation_tools.fields import page_models, snippet_models, text_units
from portal.translation_tools.status import collect
from stories.models import Topic
from tests.factories.home import StandardPageFactory
from tests.factories.timelines import MilestoneFactory, TimelinePageFactory

pytestmark = pytest.mark.django_db


class Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def run(*args, **options):
    out = Output()
    call_command("translation_status", *args, stdout=out, **options)
    return out.text


def status_json(**options):
    return json.loads(run(format="json", **options))


def page_entry(data, page):
    return next(p for p in data["pages"] if p["id"] == page.pk)


@pytest.fixture
def translated(home_page):
    return StandardPageFactory(
        parent=home_page,
        title_sv="Om oss",
        title_en="About us",
        body_sv=[("paragraph", RichText("<p>Hej</p>"))],
        body_en=[("paragraph", RichText("<p>Hello</p>"))],
    )


@pytest.fixture
def partly(home_page):
    # English title and lead, but the body and one heading are Swedish only.
    page = StandardPageFactory(
        parent=home_page,
        title_sv="Forskning",
        title_en="Research",
        body_sv=[
            ("heading", {"text": "Bakgrund", "level": "h2"}),
            ("paragraph", RichText("<p>Text</p>")),
        ],
    )
    page.body_en = [
        {"type": "heading", "value": {"text": "", "level": "h2"}, "id": page.body_sv[0].id},
        {"type": "paragraph", "value": "<p>Text in English</p>", "id": page.body_sv[1].id},
    ]
    page.save()
    return page


@pytest.fixture
def swedish_only(home_page):
    return StandardPageFactory(
        parent=home_page, title_sv="Bara svenska", title_en="", lead_en="", slug_sv="bara-svenska"
    )


def test_every_page_type_and_snippet_is_covered_from_the_registry():
    labels = {model._meta.label_lower for model in page_models()}
    assert {"home.homepage", "home.standardpage", "stories.storypage"} <= labels
    assert "wagtailcore.page" not in labels
    snippets = snippet_models()
    assert Topic in snippets and PortalSettings in snippets
    # Inline children belong to their page, not to the snippet list.
    assert not any(model.__name__ == "Milestone" for model in snippets)


def test_status_per_page_and_field(home_page, translated, partly, swedish_only):
    data = status_json()
    assert page_entry(data, translated)["languages"]["en"] == {
        "status": "complete",
        "missing": [],
        "optional_missing": [],
    }
    partial = page_entry(data, partly)["languages"]["en"]
    assert partial["status"] == "partial"
    assert partial["missing"] == [{"field": "body", "missing": 1, "texts": 2}]
    untranslated = page_entry(data, swedish_only)["languages"]["en"]
    assert untranslated["status"] == "untranslated"
    assert [gap["field"] for gap in untranslated["missing"]] == ["title", "slug", "lead"]
    assert data["summary"]["en"]["page"] == {"complete": 2, "partial": 1, "untranslated": 1}
    assert page_entry(data, swedish_only)["edit_url"] == f"/admin/pages/{swedish_only.pk}/edit/"


def test_text_output_lists_missing_fields_and_a_summary(home_page, partly, swedish_only):
    text = run()
    assert "untranslated  Bara svenska" in text
    assert "missing: title, slug, lead" in text
    assert "partial       Forskning" in text
    assert "missing: body (1 of 2 texts)" in text
    assert "en: pages 1 fully translated, 1 partly, 1 not at all" in text
    assert "Välkommen" not in text  # complete pages are listed only with -v 2
    assert "Välkommen" in run(verbosity=2)


def test_optional_fields_are_listed_but_never_missing(home_page):
    page = StandardPageFactory(
        parent=home_page, title_sv="Kontakt", title_en="Contact", seo_title_sv="Kontakta oss"
    )
    entry = page_entry(status_json(), page)["languages"]["en"]
    assert entry["status"] == "complete"
    assert entry["optional_missing"] == ["seo_title"]


def test_empty_swedish_text_is_not_missing_in_english(home_page):
    page = StandardPageFactory(
        parent=home_page, title_sv="Kort", title_en="Short", lead_sv="", lead_en=""
    )
    assert page_entry(status_json(), page)["languages"]["en"]["status"] == "complete"


def test_drafts_are_not_reported(home_page):
    draft = StandardPageFactory(parent=home_page, title_sv="Utkast", title_en="", live=False)
    assert all(p["id"] != draft.pk for p in status_json()["pages"])


def test_inline_children_count_for_their_page(home_page):
    timeline = TimelinePageFactory(parent=home_page, title_sv="Historia", title_en="History")
    MilestoneFactory(page=timeline, title_sv="Start", title_en="Start")
    MilestoneFactory(page=timeline, title_sv="Invigning", title_en="", text_en="")
    entry = page_entry(status_json(), timeline)["languages"]["en"]
    assert entry["status"] == "partial"
    assert {"field": "milestones.title", "missing": 1, "texts": 2} in entry["missing"]
    assert {"field": "milestones.text", "missing": 1, "texts": 2} in entry["missing"]


def test_snippets(home_page):
    Topic.objects.create(name_sv="Forskning", slug_sv="forskning", name_en="Research", slug_en="")
    Topic.objects.create(name_sv="Vård", slug_sv="vard")
    data = status_json()
    topics = {
        s["label"]: s["languages"]["en"] for s in data["snippets"] if s["type"] == "stories.topic"
    }
    assert topics["Forskning"]["status"] == "partial"
    assert topics["Forskning"]["missing"] == [{"field": "slug", "missing": 1, "texts": 1}]
    assert topics["Vård"]["status"] == "untranslated"


def test_fail_on_missing_sets_the_exit_code(home_page, translated, swedish_only):
    with pytest.raises(CommandError) as failure:
        run(fail_on_missing=True)
    assert failure.value.returncode == 1
    assert "1 page(s)" in str(failure.value)
    swedish_only.delete()
    run(fail_on_missing=True)  # everything is translated: no error


def test_language_option_and_unknown_language(home_page):
    assert status_json(language="en")["languages"] == ["en"]
    with pytest.raises(CommandError):
        run(language="xx")


def test_stream_texts_pair_by_block_id_then_by_position(home_page):
    page = StandardPageFactory(
        parent=home_page,
        title_sv="Ordning",
        title_en="Order",
        body_sv=[
            ("heading", {"text": "Ett", "level": "h2"}),
            ("heading", {"text": "Två", "level": "h2"}),
        ],
    )
    first, second = page.body_sv[0].id, page.body_sv[1].id
    # English copied from Swedish and reordered: block ids decide, not positions.
    page.body_en = [
        {"type": "heading", "value": {"text": "Two", "level": "h2"}, "id": second},
        {"type": "heading", "value": {"text": "One", "level": "h2"}, "id": first},
    ]
    pairs = {u.source: u.target for u in text_units(page, "en") if u.field == "body"}
    assert pairs == {"Ett": "One", "Två": "Two"}
    # English written separately (other ids): position and block type decide.
    page.body_en = [
        {"type": "heading", "value": {"text": "First", "level": "h2"}, "id": "a"},
        {"type": "paragraph", "value": "<p>Extra</p>", "id": "b"},
    ]
    pairs = {
        u.source: (u.target, u.target_path) for u in text_units(page, "en") if u.field == "body"
    }
    assert pairs["Ett"] == ("First", ("body", "a", "text"))
    assert pairs["Två"] == ("", None)  # no English block for it


def test_status_query_count_does_not_grow_with_pages(
    home_page, django_assert_max_num_queries, uncached
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for index in range(3):
        StandardPageFactory(parent=home_page, title_sv=f"Sida {index}", title_en="")
    with CaptureQueriesContext(connection) as few:
        collect()
    for index in range(3, 12):
        StandardPageFactory(parent=home_page, title_sv=f"Sida {index}", title_en="")
    with CaptureQueriesContext(connection) as many:
        results = collect()
    assert len([r for r in results if r.kind == "page"]) == 13
    assert len(many.captured_queries) == len(few.captured_queries)


# --- interface text: the CI check on locale/sv/LC_MESSAGES/django.po ----------


def _catalogue_with(tmp_path, extra):
    """The committed Swedish catalogue's finished entries plus ``extra``, as a file."""
    from tests import test_locale as locale_check

    catalogue = polib.pofile(str(locale_check.PO_FILE))
    for unfinished in catalogue.untranslated_entries() + catalogue.fuzzy_entries():
        catalogue.remove(unfinished)
    for entry in extra:
        catalogue.append(entry)
    path = tmp_path / "django.po"
    catalogue.save(str(path))
    return path


@pytest.mark.parametrize(
    "entry, complaint",
    [
        (polib.POEntry(msgid="A new button", msgstr=""), "untranslated"),
        (polib.POEntry(msgid="A new title", msgstr="En ny titel", flags=["fuzzy"]), "fuzzy"),
    ],
    ids=["untranslated", "fuzzy"],
)
def test_ci_check_catches_untranslated_and_fuzzy_interface_text(
    tmp_path, monkeypatch, entry, complaint
):
    from tests import test_locale as locale_check

    monkeypatch.setattr(locale_check, "PO_FILE", _catalogue_with(tmp_path, []))
    locale_check.test_every_swedish_entry_is_translated_and_not_fuzzy()  # complete: passes
    monkeypatch.setattr(locale_check, "PO_FILE", _catalogue_with(tmp_path, [entry]))
    with pytest.raises(AssertionError, match=complaint) as failure:
        locale_check.test_every_swedish_entry_is_translated_and_not_fuzzy()
    assert entry.msgid in str(failure.value)


def test_ci_check_catches_a_template_string_missing_from_the_catalogue(tmp_path, monkeypatch):
    from tests import test_locale as locale_check

    catalogue = polib.pofile(str(locale_check.PO_FILE))
    # A string of the base template, removed from the catalogue.
    removed = catalogue.find("Skip to main content")
    assert removed is not None
    catalogue.remove(removed)
    path = tmp_path / "django.po"
    catalogue.save(str(path))
    monkeypatch.setattr(locale_check, "PO_FILE", path)
    (tmp_path / "work").mkdir()
    with pytest.raises(AssertionError) as failure:
        locale_check.test_no_interface_string_is_missing_from_the_catalogue(tmp_path / "work")
    assert "Skip to main content" in str(failure.value)
