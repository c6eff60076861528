"""Search: per language, stemming on PostgreSQL, index kept current, bad input, paging.

Stemming needs PostgreSQL's text search configurations. These tests run on both
databases: on PostgreSQL they assert stemming, on SQLite the documented word-prefix
matching without stemming; which branch ran is printed and recorded in the JUnit
report (property ``search_backend``).
"""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modeltranslation.translator import translator
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction, Site

from home.models import StandardPage
from portal.search.backends import get_backend
from portal.search.extract import block_text, page_text
from portal.search.index import text_search_config
from portal.search.models import PageSearchEntry
from portal.search.views import QUERY_MAX_LENGTH, RESULTS_PER_PAGE, count_text
from stories.models import StoryIndexPage, StoryPage, Topic
from tests.factories.base import ImageFactory

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"
# The search page's address in each language.
SEARCH_URL = {"sv": "/sv/sok/", "en": "/en/search/"}


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def publish(parent, page):
    """Add ``page`` under ``parent`` and publish it as an editor would."""
    page.title = page.title_sv
    page.slug = page.slug_sv
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def paragraph(text):
    return ("paragraph", f"<p>{text}</p>")


def story(index, slug, title_sv, title_en="", body_sv=(), body_en=(), **fields):
    return publish(
        index,
        StoryPage(
            title_sv=title_sv,
            slug_sv=slug,
            title_en=title_en or None,
            slug_en=f"{slug}-en" if title_en else None,
            date=fields.pop("date", datetime.date(2025, 1, 22)),
            body_sv=list(body_sv),
            body_en=list(body_en),
            **fields,
        ),
    )


def standard(parent, slug, title_sv, title_en="", body_sv=(), body_en=(), **fields):
    return publish(
        parent,
        StandardPage(
            title_sv=title_sv,
            slug_sv=slug,
            title_en=title_en or None,
            slug_en=f"{slug}-en" if title_en else None,
            body_sv=list(body_sv),
            body_en=list(body_en),
            **fields,
        ),
    )


def result_titles(client, language, query, **params):
    response = client.get(SEARCH_URL[language], {"q": query, **params})
    assert response.status_code == 200
    return [a.get_text() for a in soup(response).select(".search-result-title a")]


@pytest.fixture
def news(home_page):
    return publish(
        home_page,
        StoryIndexPage(title_sv="Nyheter", slug_sv="nyheter", title_en="News", slug_en="news"),
    )


@pytest.fixture
def backend_branch(request):
    """Which database the assertions below are about; printed and put in the report."""
    branch = "postgresql-stemming" if ON_POSTGRES else "sqlite-word-prefix"
    # A test property in the JUnit report (what `record_property` does, without its
    # warning under the xunit2 format).
    request.node.user_properties.append(("search_backend", branch))
    print(f"search backend under test: {branch}")
    return branch


# --- finding pages in the reader's language -------------------------------------


def test_search_form_on_every_page_reaches_results_in_each_language(client, news):
    story(
        news,
        "transplantation",
        "Njurtransplantation i Flemingsberg",
        "Kidney transplantation in Flemingsberg",
        body_sv=[paragraph("Kirurgerna beskriver arbetet.")],
        body_en=[paragraph("The surgeons describe their work.")],
    )
    for language, query, expected in [
        ("sv", "kirurgerna", "Njurtransplantation i Flemingsberg"),
        ("en", "surgeons", "Kidney transplantation in Flemingsberg"),
    ]:
        form = soup(client.get(f"/{language}/")).select_one("form[role=search]")
        assert form["action"] == SEARCH_URL[language]
        assert form.select_one("input[name=q]") is not None
        response = client.get(form["action"], {"q": query})
        page = soup(response)
        assert page.html["lang"] == language
        assert [a.get_text() for a in page.select(".search-result-title a")] == [expected]
        link = page.select_one(".search-result-title a")["href"]
        assert link.startswith(f"/{language}/")
        assert client.get(link).status_code == 200


@pytest.mark.postgres
@pytest.mark.parametrize(
    "query, stored",
    [
        ("transplantationen", "transplantation"),
        ("deltagarna", "deltagare"),
        ("vinnaren", "vinnare"),
    ],
)
def test_swedish_inflections(client, news, backend_branch, query, stored):
    story(
        news,
        "ord",
        "En sida om ord",
        body_sv=[paragraph(f"Här står ordet {stored} i löptexten.")],
    )
    found = result_titles(client, "sv", query)
    if ON_POSTGRES:
        # The Swedish Snowball stemmer joins the inflected form with the stored one.
        assert found == ["En sida om ord"]
    else:
        # SQLite: no stemming; a word matches words it begins, not other inflections.
        assert found == []
        assert result_titles(client, "sv", stored) == ["En sida om ord"]
        assert result_titles(client, "sv", stored[:6]) == ["En sida om ord"]


@pytest.mark.postgres
def test_swedish_stemmer_limits_are_as_documented(client, news, backend_branch):
    story(news, "symposium", "Ett möte", body_sv=[paragraph("Ett symposium om ett pris.")])
    # Snowball does not join "symposiet" with "symposium", nor "priset" with "pris"
    # (and word-prefix matching does not either).
    assert result_titles(client, "sv", "symposiet") == []
    assert result_titles(client, "sv", "priset") == []
    assert result_titles(client, "sv", "symposium") == ["Ett möte"]
    assert result_titles(client, "sv", "pris") == ["Ett möte"]


@pytest.mark.postgres
def test_english_inflections(client, news, backend_branch):
    story(
        news,
        "pris",
        "Priset delas ut",
        "The award is presented",
        body_en=[paragraph("The winner was announced by the jury.")],
    )
    if ON_POSTGRES:
        assert result_titles(client, "en", "winners announcing") == ["The award is presented"]
    else:
        assert result_titles(client, "en", "winners") == []
        assert result_titles(client, "en", "winner announce") == ["The award is presented"]


def test_english_query_does_not_return_a_page_whose_english_text_lacks_the_word(client, news):
    story(
        news,
        "infrastruktur",
        "Forskningsinfrastruktur",
        "Research infrastructure",
        body_sv=[paragraph("Kryoelektronmikroskopet står i källaren.")],
        body_en=[paragraph("The microscope is in the basement.")],
    )
    assert result_titles(client, "sv", "kryoelektronmikroskopet") == ["Forskningsinfrastruktur"]
    assert result_titles(client, "en", "kryoelektronmikroskopet") == []
    assert result_titles(client, "en", "microscope") == ["Research infrastructure"]
    assert result_titles(client, "sv", "microscope") == []


def test_the_swedish_search_page_is_sok_and_the_old_address_redirects_for_good(client, news):
    story(news, "benmarg", "Benmärgstransplantation", "Bone marrow transplantation")
    assert result_titles(client, "sv", "benmärgstransplantation") == ["Benmärgstransplantation"]
    # /sv/search/ moved permanently to /sv/sok/, its query string intact.
    response = client.get("/sv/search/?q=benm%C3%A4rgstransplantation&type=story&page=1")
    assert response.status_code == 301
    assert response["Location"] == "/sv/sok/?q=benm%C3%A4rgstransplantation&type=story&page=1"
    followed = client.get(response["Location"])
    assert [a.get_text() for a in soup(followed).select(".search-result-title a")] == [
        "Benmärgstransplantation"
    ]
    bare = client.get("/sv/search/")
    assert (bare.status_code, bare["Location"]) == (301, "/sv/sok/")
    # English keeps /en/search/; the Swedish word is no English address.
    assert client.get("/en/search/", {"q": "bone"}).status_code == 200
    assert client.get("/en/sok/").status_code == 404
    # Every search form, and the language switch on the results, use the new addresses.
    for language, url, other in [
        ("sv", "/sv/sok/?q=benm%C3%A4rg", "/en/search/?q=benm%C3%A4rg"),
        ("en", "/en/search/?q=bone", "/sv/sok/?q=bone"),
    ]:
        page = soup(client.get(url))
        assert {form["action"] for form in page.select("form[role=search]")} == {
            SEARCH_URL[language]
        }
        other_language = "en" if language == "sv" else "sv"
        switch = page.select_one(f".language-switcher a[hreflang={other_language}]")
        assert switch["href"] == other


def test_a_swedish_only_page_is_not_an_english_hit(client, news):
    page = story(
        news,
        "bara-svenska",
        "Stamcellsforskning på svenska",
        body_sv=[paragraph("Stamcellsforskning och Flemingsberg.")],
    )
    assert result_titles(client, "sv", "stamcellsforskning") == ["Stamcellsforskning på svenska"]
    assert result_titles(client, "en", "stamcellsforskning") == []
    assert result_titles(client, "en", "Flemingsberg") == []
    assert list(PageSearchEntry.objects.filter(page=page).values_list("language", flat=True)) == [
        "sv"
    ]
    # The English results page offers the same search in Swedish.
    note = soup(client.get("/en/search/", {"q": "stamcellsforskning"})).select_one(
        ".search-language-note a"
    )
    assert note["href"] == "/sv/sok/?q=stamcellsforskning"
    assert "Stamcellsforskning på svenska" in [
        a.get_text() for a in soup(client.get(note["href"])).select(".search-result-title a")
    ]


def test_results_name_the_page_type_except_for_a_standard_page(client, home_page, news):
    """ "Standard page" is the admin's word: such a result and its card have no type label."""
    from home.models import HomeFeaturedItem

    story(news, "benmarg-nyhet", "Benmärg i nyheterna", "Bone marrow in the news")
    about = standard(home_page, "om", "Om benmärg", "About bone marrow")
    for language, query, story_label in [("sv", "benmärg", "Nyhet"), ("en", "bone", "Story")]:
        page = soup(client.get(SEARCH_URL[language], {"q": query}))
        labels = {
            result.select_one(".search-result-title a").get_text(): [
                p.get_text() for p in result.select(".search-result-type")
            ]
            for result in page.select(".search-result")
        }
        assert labels == {
            ("Benmärg i nyheterna" if language == "sv" else "Bone marrow in the news"): [
                story_label
            ],
            ("Om benmärg" if language == "sv" else "About bone marrow"): [],
        }
        assert "standard" not in page.select_one(".search-results").get_text().lower()
    HomeFeaturedItem.objects.create(home=home_page, page=about, sort_order=0)
    for language in ("sv", "en"):
        card = soup(client.get(f"/{language}/")).select_one(".featured .card")
        assert card.select_one(".card-title a")["href"] == about.get_url_in(language)
        assert card.select_one(".card-label") is None


# --- what is searched -------------------------------------------------------------


def every_block_body(word):
    """A body using every block of the library, each with its own ``word`` suffix."""
    image = ImageFactory()
    return [
        ("heading", {"text": f"Rubrik{word}heading", "level": "h2"}),
        paragraph(f"Brödtext <b>fet{word}rich</b>"),
        (
            "image",
            {
                "image": image,
                "alt_text": f"Alttext{word}alt",
                "decorative": False,
                "caption": f"Bildtext{word}caption",
                "credit": "Fotograf",
            },
        ),
        ("quote", {"text": f"Citat{word}quote", "attribution": "Talare"}),
        (
            "key_figures",
            {
                "heading": "Siffror",
                "figures": [{"value": "150+", "label": f"Deltagare{word}figure"}],
            },
        ),
        (
            "accordion",
            {
                "heading": "Frågor",
                "items": [{"title": f"Fråga{word}accordion", "body": f"<p>Svar{word}answer</p>"}],
            },
        ),
        (
            "two_columns",
            {
                "left": [("quote", {"text": f"Vänster{word}column", "attribution": ""})],
                "right": [("heading", {"text": "Höger", "level": "h3"})],
            },
        ),
        (
            "call_to_action",
            {
                "heading": f"Uppmaning{word}cta",
                "text": "",
                "link": {"label": "Läs mer", "page": None, "url": "https://example.org"},
            },
        ),
    ]


@pytest.mark.parametrize(
    "query",
    [
        "rubrikzheading",
        "fetzrich",
        "bildtextzcaption",
        "citatzquote",
        "deltagarezfigure",
        "frågazaccordion",
        "svarzanswer",
        "vänsterzcolumn",
        "uppmaningzcta",
        "ingresszlead",
        "ämneszetikett",
    ],
)
def test_text_of_every_block_lead_and_topics_is_searched(client, news, query):
    topic = Topic.objects.create(
        name_sv="Ämneszetikett", name_en="Topiczlabel", slug_sv="amne", slug_en="topic"
    )
    page = story(
        news,
        "allt",
        "Alla block",
        "Every block",
        lead_sv="Ingresszlead",
        body_sv=every_block_body("z"),
    )
    page.topics.set([topic])
    page.save_revision().publish()
    assert result_titles(client, "sv", query) == ["Alla block"]


def test_hidden_values_are_not_searched(client, news):
    story(news, "allt", "Alla block", body_sv=every_block_body("z"))
    for hidden in ["alttextzalt", "example", "h2"]:
        assert result_titles(client, "sv", hidden) == [], hidden


def test_topic_names_are_searched_in_their_own_language(client, news):
    topic = Topic.objects.create(
        name_sv="Cellterapi", name_en="Cell therapy", slug_sv="cellterapi", slug_en="cell-therapy"
    )
    page = story(news, "celler", "Om celler", "About cells")
    page.topics.set([topic])
    page.save_revision().publish()
    assert result_titles(client, "sv", "cellterapi") == ["Om celler"]
    assert result_titles(client, "en", "therapy") == ["About cells"]
    assert result_titles(client, "en", "cellterapi") == []


def test_block_text_is_gathered_from_nested_blocks(news):
    page = story(news, "allt", "Alla block", body_sv=every_block_body("z"))
    texts = block_text(StoryPage._meta.get_field("body").stream_block, page.body_sv)
    assert "Deltagarezfigure" in texts
    assert "150+" in texts
    assert "Vänsterzcolumn" in texts
    assert "Brödtext fetzrich" in " ".join(texts)
    assert not any("Alttext" in text or "<b>" in text for text in texts)
    text = page_text(page, "sv")
    assert text.title == "Alla block"
    assert "Bildtextzcaption" in text.body


def test_every_seeded_page_is_found_by_the_words_it_shows(client):
    """Generic over page types: words of each translated text field, in each language.

    Every word of at least five letters that Wagtail counts as searchable content of
    a translated field, and that the page shows in that language, finds the page.
    """
    call_command("seed_demo")
    site = Site.objects.get(is_default_site=True)
    pages = site.root_page.get_descendants(inclusive=True).live().specific()
    backend = get_backend()
    expected, checked = set(), set()
    for page in pages:
        for language in ("sv", "en"):
            if not page.has_translation(language):
                continue
            expected.add((type(page).__name__, language))
            shown = soup(client.get(page.get_url_in(language))).find("main").get_text(" ")
            shown_words = {word.casefold() for word in re.findall(r"\w+", shown)}
            for word in _translated_words(page, language):
                if word.casefold() not in shown_words or _is_stop_word(word, language):
                    continue
                entries = PageSearchEntry.objects.filter(language=language)
                found = backend.filter(entries, word, language).values_list("page", flat=True)
                assert page.pk in set(found), (type(page).__name__, language, word)
                checked.add((type(page).__name__, language))
    assert expected == checked


def _is_stop_word(word, language):
    """PostgreSQL ignores stop words ("under", "about"); a search for one finds nothing."""
    if not ON_POSTGRES:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector(%s::regconfig, %s)::text", [text_search_config(language), word]
        )
        return cursor.fetchone()[0] == ""


def _translated_words(page, language):
    """Up to three long words from each translated field, found by Wagtail's own means."""
    words = []
    for name in translator.get_options_for_model(type(page)).all_fields:
        if name in ("slug", "url_path") or name.endswith("alt_text"):
            continue
        field = page._meta.get_field(name)
        value = getattr(page, f"{name}_{language}", None)
        if not value:
            continue
        if isinstance(field, StreamField):
            text = " ".join(field.stream_block.get_searchable_content(value))
        else:
            text = re.sub(r"<[^>]+>", " ", str(value))
        long_words = [w for w in re.findall(r"\w+", text) if len(w) >= 5 and w.isalpha()]
        words.extend(sorted(set(long_words), key=len, reverse=True)[:3])
    return words


# --- ranking, snippets, filters, paging ------------------------------------------


def test_title_matches_rank_above_body_matches(client, news):
    story(
        news,
        "brodtext",
        "Om mötet",
        body_sv=[paragraph("Cellterapi, cellterapi och åter cellterapi. " * 5)],
        date=datetime.date(2025, 6, 1),
    )
    story(news, "rubrik", "Cellterapi i Flemingsberg", date=datetime.date(2024, 1, 1))
    assert result_titles(client, "sv", "cellterapi") == ["Cellterapi i Flemingsberg", "Om mötet"]


def test_matches_are_highlighted_and_page_text_is_escaped(client, news):
    story(
        news,
        "html",
        "Cellterapi <script>alert(1)</script>",
        body_sv=[paragraph("Med cellterapi gäller x &lt; y och &lt;b&gt;inte&lt;/b&gt; annat.")],
    )
    response = client.get("/sv/sok/", {"q": "cellterapi"})
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    page = soup(response)
    title = page.select_one(".search-result-title a")
    assert title.get_text() == "Cellterapi <script>alert(1)</script>"
    assert [mark.get_text() for mark in title.select("mark")] == ["Cellterapi"]
    snippet = page.select_one(".search-result-snippet")
    assert "x < y" in snippet.get_text()
    assert [mark.get_text().casefold() for mark in snippet.select("mark")] == ["cellterapi"]
    assert snippet.find("b") is None


def test_results_filter_by_content_type(client, news, home_page):
    story(news, "nyhet", "Nyhet om forskning", "Research news")
    standard(home_page, "om", "Om forskning", "About research")
    assert sorted(result_titles(client, "sv", "forskning")) == [
        "Nyhet om forskning",
        "Om forskning",
    ]
    response = client.get("/sv/sok/", {"q": "forskning", "type": "story"})
    page = soup(response)
    assert [a.get_text() for a in page.select(".search-result-title a")] == ["Nyhet om forskning"]
    filters = {a["href"]: a for a in page.select(".search-filters a")}
    assert filters["?q=forskning&type=story"]["aria-current"] == "page"
    assert filters["?q=forskning&type=story"].select_one(".search-filter-count").get_text() == "(1)"
    assert filters["?q=forskning"].select_one(".search-filter-count").get_text() == "(2)"
    assert filters["?q=forskning"].get("aria-current") is None
    # An unknown type is ignored: every result, a normal page.
    assert sorted(result_titles(client, "sv", "forskning", type="unknown")) == [
        "Nyhet om forskning",
        "Om forskning",
    ]
    assert result_titles(client, "en", "research", type="story") == ["Research news"]


@pytest.fixture
def many_results(news):
    for number in range(RESULTS_PER_PAGE * 2 + 5):
        story(
            news,
            f"nyhet-{number}",
            f"Nyhet {number} om samverkan",
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
        )


def test_results_are_paginated(client, many_results):
    first = soup(client.get("/sv/sok/", {"q": "samverkan"}))
    assert len(first.select(".search-result")) == RESULTS_PER_PAGE
    assert "25 träffar" in first.select_one(".search-summary").get_text()
    next_link = first.select_one(".pagination a[rel=next]")["href"]
    assert "q=samverkan" in next_link
    last = soup(client.get("/sv/sok/", {"q": "samverkan", "page": 3}))
    assert len(last.select(".search-result")) == 5
    seen = set()
    for number in (1, 2, 3):
        page = soup(client.get("/sv/sok/", {"q": "samverkan", "page": number}))
        seen.update(a.get_text() for a in page.select(".search-result-title a"))
    assert len(seen) == 25


@pytest.mark.parametrize(
    "page_number, expected_count", [("abc", 10), ("999", 5), ("-1", 5), ("0", 5), ("", 10)]
)
def test_invalid_result_page_numbers_give_first_or_last_page(
    client, many_results, page_number, expected_count
):
    response = client.get("/sv/sok/", {"q": "samverkan", "page": page_number})
    assert response.status_code == 200
    assert len(soup(response).select(".search-result")) == expected_count


@pytest.fixture
def past_the_limit(settings, news):
    """Twelve stories on "kapsel" / "capsule" with the limit at ten: the two oldest
    (the lowest page ids) are past it."""
    settings.PORTAL_SEARCH_RESULT_LIMIT = RESULTS_PER_PAGE
    return [
        story(news, f"kapsel-{number}", f"Kapsel {number}", f"Capsule {number}")
        for number in range(RESULTS_PER_PAGE + 2)
    ]


@pytest.mark.parametrize(
    "language, query, summary, title",
    [
        ("sv", "kapsel", "Fler än 10 träffar för ”kapsel”", "Kapsel {}"),
        ("en", "capsule", "More than 10 results for “capsule”", "Capsule {}"),
    ],
)
def test_more_matches_than_the_limit_show_the_newest_and_say_more_than(
    client, past_the_limit, language, query, summary, title
):
    page = soup(client.get(SEARCH_URL[language], {"q": query}))
    assert page.select_one(".search-summary").get_text() == summary
    assert page.select_one(".search-limit-note") is not None
    shown = {a.get_text() for a in page.select(".search-result-title a")}
    assert shown == {title.format(number) for number in range(2, RESULTS_PER_PAGE + 2)}
    # "All" says "10+"; a type is offered without a number, since its matches were not
    # all counted.
    filters = {a.get_text(" ", strip=True) for a in page.select(".search-filters a")}
    assert {"All (10+)", "Alla (10+)"} & filters
    assert {"Stories", "Nyheter"} & filters
    # Narrowed to stories: the same newest ten.
    narrowed = soup(client.get(SEARCH_URL[language], {"q": query, "type": "story"}))
    assert narrowed.select_one(".search-summary").get_text() == summary
    assert {a.get_text() for a in narrowed.select(".search-result-title a")} == shown


def test_within_the_limit_the_count_is_exact_and_the_note_absent(client, past_the_limit):
    page = soup(client.get("/sv/sok/", {"q": "kapsel 11"}))
    assert page.select_one(".search-summary").get_text() == "1 träff för ”kapsel 11”"
    assert page.select_one(".search-limit-note") is None
    filters = {a.get_text(" ", strip=True) for a in page.select(".search-filters a")}
    assert filters == {"Alla (1)", "Nyheter (1)"}


def test_results_past_the_limit_are_paged_within_it(client, settings, many_results):
    settings.PORTAL_SEARCH_RESULT_LIMIT = 20
    first = soup(client.get("/sv/sok/", {"q": "samverkan"}))
    assert first.select_one(".search-summary").get_text() == "Fler än 20 träffar för ”samverkan”"
    assert "Sida 1 av 2" in first.select_one(".pagination").get_text()
    seen = set()
    for number in (1, 2, 3):  # page 3 is past the end: the last page again
        page = soup(client.get("/sv/sok/", {"q": "samverkan", "page": number}))
        assert len(page.select(".search-result")) == RESULTS_PER_PAGE
        seen.update(a.get_text() for a in page.select(".search-result-title a"))
    # The twenty newest, none of the five oldest.
    assert seen == {f"Nyhet {number} om samverkan" for number in range(5, 25)}


def test_ranking_within_the_limit_puts_title_matches_first(client, settings, news):
    settings.PORTAL_SEARCH_RESULT_LIMIT = RESULTS_PER_PAGE
    story(news, "rubrik", "Cellterapi i Flemingsberg", date=datetime.date(2024, 1, 1))
    for number in range(RESULTS_PER_PAGE - 1):
        story(news, f"text-{number}", f"Möte {number}", body_sv=[paragraph("Om cellterapi.")])
    assert result_titles(client, "sv", "cellterapi")[0] == "Cellterapi i Flemingsberg"


@pytest.mark.parametrize(
    "language, count, expected",
    [("sv", 1001, "1\xa0000+"), ("en", 1001, "1,000+"), ("sv", 999, "999"), ("en", None, "")],
)
def test_counts_past_the_limit_read_as_the_limit_and_more(language, count, expected):
    from django.utils import translation

    with translation.override(language):
        assert count_text(count, 1000) == expected


def test_query_count_is_the_same_past_the_limit(client, settings, past_the_limit, uncached):
    def queries_for(query):
        client.get("/sv/sok/", {"q": query})
        with CaptureQueriesContext(connection) as context:
            client.get("/sv/sok/", {"q": query})
        return len(context)

    assert queries_for("kapsel") == queries_for("kapsel 3")


def test_query_count_does_not_grow_with_results(client, news, uncached):
    def queries_for(count, word):
        for number in range(count):
            story(news, f"{word}-{number}", f"{word.capitalize()} {number}", "English title")
        client.get("/sv/sok/", {"q": word})  # warm-up: site root paths, content types
        with CaptureQueriesContext(connection) as context:
            response = client.get("/sv/sok/", {"q": word})
        assert len(soup(response).select(".search-result")) == count
        return len(context)

    assert queries_for(2, "fåtal") == queries_for(RESULTS_PER_PAGE, "mängd")


# --- bad input ------------------------------------------------------------------


BAD_QUERIES = [
    "",
    "   ",
    "a" * 10_000,
    "forskning " * 2_000,
    '"exakt fras"',
    '"oparat citattecken',
    "&|!:*",
    "!!! ::: *** &&& |||",
    "'; DROP TABLE wagtailcore_page; --",
    "1' OR '1'='1",
    "null\x00byte",
    "\x00",
    "研究 データ",
    "данные исследования",
    "بحث",
    "<script>alert('x')</script>",
    "%_\\",
    "-forskning",
    "forskning OR",
    "or",
    "och",
]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("query", BAD_QUERIES)
def test_odd_queries_give_a_normal_page(client, news, language, query):
    story(news, "forskning", "Forskning", "Research")
    response = client.get(SEARCH_URL[language], {"q": query, "type": "<b>", "page": "x"})
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("h1") is not None
    html = response.content.decode()
    assert "<script>alert" not in html
    echoed = page.select_one("#search-page-query")["value"]
    assert len(echoed) <= QUERY_MAX_LENGTH
    assert "\x00" not in echoed
    if query.strip(" \x00"):
        summary = page.select_one(".search-summary").get_text()
        assert echoed in summary


def test_the_query_is_echoed_escaped(client, news):
    response = client.get("/en/search/", {"q": '<img src=x onerror="alert(1)">'})
    html = response.content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert soup(response).select_one(".search-summary").get_text() == (
        'No results for “<img src=x onerror="alert(1)">”'
    )


def test_no_hits_say_so_in_words_and_one_hit_in_the_singular(client, news):
    story(news, "ensam", "Ensam träff", "A single hit", body_sv=[paragraph("Xyzzyord")])
    for language, expected in [
        ("sv", "Inga träffar för ”qwzzx”"),
        ("en", "No results for “qwzzx”"),
    ]:
        page = soup(client.get(SEARCH_URL[language], {"q": "qwzzx"}))
        assert page.select_one(".search-summary").get_text() == expected
        assert page.select(".search-result") == []
    summary = soup(client.get("/sv/sok/", {"q": "xyzzyord"})).select_one(".search-summary")
    assert summary.get_text() == "1 träff för ”xyzzyord”"


def test_unparseable_bytes_in_the_address_give_a_normal_page(client, news):
    response = client.get("/sv/sok/?q=%ED%A0%80%FF%00&page=%00&type=%FF")
    assert response.status_code == 200


# --- the index stays current ------------------------------------------------------


def test_results_follow_publish_unpublish_edit_move_and_delete(client, news, home_page):
    page = story(news, "ny", "Mikrofluidik", "Microfluidics")
    assert result_titles(client, "sv", "mikrofluidik") == ["Mikrofluidik"]
    assert result_titles(client, "en", "microfluidics") == ["Microfluidics"]

    page.unpublish()
    assert result_titles(client, "sv", "mikrofluidik") == []
    assert result_titles(client, "en", "microfluidics") == []

    page.title_sv = "Nanoporer"
    page.title_en = "Nanopores"
    page.save_revision().publish()
    assert result_titles(client, "sv", "mikrofluidik") == []
    assert result_titles(client, "sv", "nanoporer") == ["Nanoporer"]
    assert result_titles(client, "en", "nanopores") == ["Nanopores"]

    # A draft does not change what readers find.
    page.title_sv = "Utkastord"
    page.save_revision()
    assert result_titles(client, "sv", "utkastord") == []
    assert result_titles(client, "sv", "nanoporer") == ["Nanoporer"]

    # Removing the English title makes it a Swedish-only page.
    page = StoryPage.objects.get(pk=page.pk)
    page.title_en = ""
    page.save_revision().publish()
    assert result_titles(client, "en", "nanopores") == []
    assert result_titles(client, "sv", "nanoporer") == ["Nanoporer"]

    archive = standard(home_page, "arkiv", "Arkiv", "Archive")
    Page.objects.get(pk=page.pk).move(archive, pos="last-child")
    response = client.get("/sv/sok/", {"q": "nanoporer"})
    link = soup(response).select_one(".search-result-title a")["href"]
    assert link == "/sv/arkiv/ny/"
    assert client.get(link).status_code == 200

    Page.objects.get(pk=page.pk).delete()
    assert result_titles(client, "sv", "nanoporer") == []
    assert not PageSearchEntry.objects.filter(page_id=page.pk).exists()


def test_unpublishing_a_section_with_its_pages_hides_them(client, news, admin_user):
    story(news, "a", "Isotopanalys")
    UnpublishPageAction(news, user=admin_user, include_descendants=True).execute()
    assert result_titles(client, "sv", "isotopanalys") == []
    assert result_titles(client, "sv", "nyheter") == []


def test_private_pages_are_not_found(client, news):
    page = story(news, "intern", "Internt protokoll")
    assert result_titles(client, "sv", "protokoll") == ["Internt protokoll"]
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    assert result_titles(client, "sv", "protokoll") == []


def test_rebuild_command_indexes_every_live_page_once(news, home_page):
    first = story(news, "a", "Första", "First")
    second = story(news, "b", "Andra")
    draft = story(news, "c", "Utkast")
    draft.unpublish()
    PageSearchEntry.objects.all().delete()
    call_command("rebuild_portal_search")
    rows = set(PageSearchEntry.objects.values_list("page_id", "language", "title"))
    assert rows == {
        (home_page.pk, "sv", "Välkommen till Flemingsberg"),
        (home_page.pk, "en", "Welcome to Flemingsberg"),
        (news.pk, "sv", "Nyheter"),
        (news.pk, "en", "News"),
        (first.pk, "sv", "Första"),
        (first.pk, "en", "First"),
        (second.pk, "sv", "Andra"),
    }
    call_command("rebuild_portal_search")
    assert PageSearchEntry.objects.count() == len(rows)


def test_stored_vector_uses_the_language_configuration(news):
    page = story(
        news,
        "vektor",
        "Vinnarna",
        "The winners",
        body_sv=[paragraph("deltagarna")],
        body_en=[paragraph("participants")],
    )
    entries = {e.language: e for e in PageSearchEntry.objects.filter(page=page)}
    if ON_POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT language, search_vector::text FROM portal_pagesearchentry "
                "WHERE page_id = %s ORDER BY language",
                [page.pk],
            )
            vectors = dict(cursor.fetchall())
        assert vectors == {"en": "'particip':3C 'winner':2A", "sv": "'deltag':2C 'vinn':1A"}
    else:
        assert entries["sv"].search_vector is None
        assert entries["sv"].folded_text == " vinnarna deltagarna"
        assert entries["en"].folded_text == " the winners participants"


@pytest.mark.postgres
def test_search_vectors_stay_in_their_rows(client, news, backend_branch):
    """Vectors are kept (compressed) in their rows, not in the TOAST table, so matching
    and ranking read no second table: with the default storage a search matching 1,000
    pages spent most of its time there. Indexing and searching still work."""
    story(news, "lang", "En lång sida", body_sv=[paragraph("forskning om njurar " * 300)])
    assert result_titles(client, "sv", "njurar") == ["En lång sida"]
    if not ON_POSTGRES:
        assert not PageSearchEntry.objects.exclude(search_vector=None).exists()
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'portal_pagesearchentry'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)
