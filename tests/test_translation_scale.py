"""Translation counts kept in a table: right after every kind of change, and as cheap with many
pages as with a few (dashboard panel, report, ``translation_status``, the content PO export)."""

import json
import re

import polib
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail.models import Page
from wagtail.rich_text import RichText

from portal.translation_tools import state as stored
from portal.translation_tools.content_po import (
    export_catalogue,
    exported_snippets,
    new_catalogue,
    object_entries,
)
from portal.translation_tools.fields import page_models
from portal.translation_tools.models import STALE, PageTranslationState, TranslationCount
from portal.translation_tools.po_format import format_entry
from portal.translation_tools.status import collect, object_status, page_url, summarise
from portal.translation_tools.views import TranslationStatusPanel
from stories.models import Topic
from tests.factories.home import StandardPageFactory
from tests.factories.timelines import MilestoneFactory, TimelinePageFactory
from tests.test_translation_admin import REPORT_URL, prefer, report_rows, soup

pytestmark = pytest.mark.django_db

PENDING_SV = "Några sidor som ändrats i större mängd är inte räknade än"
PENDING_EN = "Some pages changed in bulk are not counted yet"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-123456!")
    prefer(user, "en")
    return user


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


def panel(client):
    return soup(client.get("/admin/")).select_one("#translation-status-section")


def page_counts(client):
    """The dashboard panel's pages row: [label, complete, partial, untranslated]."""
    row = panel(client).select_one("table.translation-status tbody tr")
    return [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]


def stored_rows():
    return {
        (row.page_id, row.language): (
            row.state,
            row.live,
            row.content_type_id,
            row.missing,
            row.optional_missing,
        )
        for row in PageTranslationState.objects.all()
    }


def computed_rows():
    """What the rows should hold: every listed page's state worked out from its text."""
    expected = {}
    for page in Page.objects.filter(depth__gt=1, alias_of__isnull=True).specific():
        if type(page) not in stored._page_model_set():
            continue
        for language, status in object_status(page, "page").languages.items():
            expected[(page.pk, language)] = (
                status.state,
                page.live,
                page.content_type_id,
                [gap.as_dict() for gap in status.missing],
                status.optional_missing,
            )
    return expected


@pytest.fixture
def site(home_page):
    swedish = StandardPageFactory(
        parent=home_page, title_sv="Bara svenska", title_en="", lead_en="", slug_sv="bara-svenska"
    )
    partly = StandardPageFactory(
        parent=home_page,
        title_sv="Forskning",
        title_en="Research",
        body_sv=[
            ("heading", {"text": "Bakgrund", "level": "h2"}),
            ("paragraph", RichText("<p>Text</p>")),
        ],
    )
    partly.body_en = [
        {"type": "heading", "value": {"text": "", "level": "h2"}, "id": partly.body_sv[0].id},
        {"type": "paragraph", "value": "<p>Text in English</p>", "id": partly.body_sv[1].id},
    ]
    partly.save()
    timeline = TimelinePageFactory(parent=home_page, title_sv="Historia", title_en="History")
    MilestoneFactory(page=timeline, title_sv="Start", title_en="Start")
    MilestoneFactory(page=timeline, title_sv="Invigning", title_en="", text_en="")
    draft = StandardPageFactory(parent=home_page, title_sv="Utkast", title_en="", live=False)
    StandardPageFactory(
        parent=home_page, title_sv="Kontakt", title_en="Contact", seo_title_sv="Kontakta oss"
    )
    alias = partly.create_alias(parent=swedish, update_slug="alias-forskning")
    Topic.objects.create(name_sv="Vård", slug_sv="vard")
    return {
        "swedish": swedish,
        "partly": partly,
        "timeline": timeline,
        "draft": draft,
        "alias": alias,
    }


# --- publishing moves the counts ------------------------------------------------------


@pytest.mark.parametrize(
    "language, pages_label, no_results",
    [
        ("en", "Pages", "Every live page you may edit is translated."),
        ("sv", "Sidor", "Alla publicerade sidor som du får redigera är översatta."),
    ],
)
def test_publishing_an_english_translation_moves_the_counts(
    admin_client, editor, home_page, language, pages_label, no_results
):
    prefer(editor, language)
    page = StandardPageFactory(
        parent=home_page, title_sv="Bara svenska", title_en="", lead_en="", slug_sv="bara-svenska"
    )
    # Home page complete, the new page not translated.
    assert page_counts(admin_client) == [pages_label, "1", "0", "1"]
    assert set(report_rows(admin_client.get(REPORT_URL))) == {"Bara svenska"}

    # A draft of the English text changes nothing: readers still get the Swedish page.
    page.title_en, page.slug_en, page.lead_en = "Swedish only no more", "no-more", "Now in English"
    revision = page.save_revision()
    assert page_counts(admin_client) == [pages_label, "1", "0", "1"]
    assert set(report_rows(admin_client.get(REPORT_URL))) == {"Bara svenska"}

    revision.publish()
    assert page_counts(admin_client) == [pages_label, "2", "0", "0"]
    report = admin_client.get(REPORT_URL)
    assert report_rows(report) == {}
    assert no_results in report.content.decode()

    # Unpublished, it is no longer counted; deleted, it is gone.
    page.refresh_from_db()
    page.unpublish()
    assert page_counts(admin_client) == [pages_label, "1", "0", "0"]
    page.delete()
    assert not PageTranslationState.objects.filter(page_id=page.pk).exists()


def test_partial_and_inline_child_changes_are_counted(admin_client, home_page):
    timeline = TimelinePageFactory(parent=home_page, title_sv="Historia", title_en="History")
    MilestoneFactory(page=timeline, title_sv="Start", title_en="Start")
    assert page_counts(admin_client) == ["Pages", "2", "0", "0"]
    # A milestone without English makes its timeline partly translated ...
    milestone = MilestoneFactory(page=timeline, title_sv="Invigning", title_en="", text_en="")
    assert page_counts(admin_client) == ["Pages", "1", "1", "0"]
    row = report_rows(admin_client.get(REPORT_URL, {"state": "partial"}))["Historia"]
    assert "Milestones: title" in row.get_text(" ", strip=True)
    # ... and removing it makes it complete again.
    milestone.delete()
    assert page_counts(admin_client) == ["Pages", "2", "0", "0"]


def test_the_dashboard_reads_kept_counts_that_every_change_renews(admin_client, home_page):
    """The panel counts every page once, then reads the kept counts (a few rows, however
    many pages) until a state changes: a new page, a deletion, a whole rebuild."""
    for number in range(3):
        StandardPageFactory(parent=home_page, title_sv=f"Sida {number}", title_en="")
    assert page_counts(admin_client) == ["Pages", "1", "0", "3"]
    with CaptureQueriesContext(connection) as queries:
        assert page_counts(admin_client) == ["Pages", "1", "0", "3"]
    table = PageTranslationState._meta.db_table
    assert not [q for q in queries if "GROUP BY" in q["sql"] and table in q["sql"]]
    assert TranslationCount.objects.filter(language="en", state="untranslated").get().pages == 3

    page = StandardPageFactory(parent=home_page, title_sv="Översatt", title_en="Translated")
    assert page_counts(admin_client) == ["Pages", "2", "0", "3"]
    Page.objects.get(pk=page.pk).delete()
    assert page_counts(admin_client) == ["Pages", "1", "0", "3"]
    Page.objects.get(title_sv="Sida 0").delete()
    assert page_counts(admin_client) == ["Pages", "1", "0", "2"]
    call_command("translation_status", "--rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert page_counts(admin_client) == ["Pages", "1", "0", "2"]


# --- query counts do not grow with the number of pages ------------------------------


def add_pages(home_page, first, count):
    for number in range(first, first + count):
        StandardPageFactory(parent=home_page, title_sv=f"Sida {number}", title_en="")
        timeline = TimelinePageFactory(parent=home_page, title_sv=f"Tidslinje {number}")
        MilestoneFactory(page=timeline, title_sv=f"Milstolpe {number}", title_en="")


def panel_queries(request):
    stored.refresh()  # worked out already, as after a publish
    TranslationStatusPanel().render_html({"request": request})  # Django's caches filled
    with CaptureQueriesContext(connection) as queries, override("en"):
        html = TranslationStatusPanel().render_html({"request": request})
    return len(queries.captured_queries), html


def report_queries(client, params):
    client.get(REPORT_URL, params)  # the states are worked out by the first view
    with CaptureQueriesContext(connection) as queries:
        response = client.get(REPORT_URL, params)
    assert response.status_code == 200
    return len(queries.captured_queries), len(report_rows(response))


@pytest.mark.parametrize(
    "params, listed",
    [({}, (6, 30)), ({"language": "en", "state": "untranslated", "content_type": ""}, (3, 15))],
)
def test_report_and_panel_queries_stay_the_same_with_more_pages(
    admin_client, editor, home_page, rf, params, listed
):
    request = rf.get("/admin/")
    request.user = editor
    add_pages(home_page, 0, 3)
    few_panel, few_html = panel_queries(request)
    few_report, few_rows = report_queries(admin_client, params)
    add_pages(home_page, 3, 12)
    many_panel, many_html = panel_queries(request)
    many_report, many_rows = report_queries(admin_client, params)
    assert (few_rows, many_rows) == listed
    assert "6 pages lack text" in few_html and "30 pages lack text" in many_html
    assert many_panel == few_panel
    assert many_report == few_report


def test_report_is_paginated_by_the_database(admin_client, home_page, settings):
    for number in range(55):
        StandardPageFactory(parent=home_page, title_sv=f"Sida {number:02}", title_en="")
    first = admin_client.get(REPORT_URL)
    assert len(report_rows(first)) == 50
    second = report_rows(admin_client.get(REPORT_URL, {"p": 2}))
    assert len(second) == 5
    assert "Sida 54" in second


def test_report_counts_what_it_lists(admin_client, client, django_user_model, site):
    from tests.test_translation_admin import section_editor

    standard = Page.objects.get(pk=site["swedish"].pk).content_type_id
    timeline = Page.objects.get(pk=site["timeline"].pk).content_type_id
    cases = [
        ({}, {"Bara svenska", "Forskning", "Historia"}),
        ({"state": "partial"}, {"Forskning", "Historia"}),
        ({"language": "en", "state": "untranslated"}, {"Bara svenska"}),
        ({"content_type": standard}, {"Bara svenska", "Forskning"}),
        ({"content_type": timeline, "state": "untranslated"}, set()),
        ({"language": "xx", "content_type": "abc"}, {"Bara svenska", "Forskning", "Historia"}),
    ]
    for params, titles in cases:
        response = admin_client.get(REPORT_URL, params)
        assert set(report_rows(response)) == titles, params
        assert response.context["paginator"].count == len(titles), params
    # An editor of one section: counted through the page table, the same way.
    client.force_login(section_editor(django_user_model, site["partly"]))
    response = client.get(REPORT_URL)
    assert set(report_rows(response)) == {"Forskning"}
    assert response.context["paginator"].count == 1


# --- the table stays right --------------------------------------------------------------


def test_rebuild_makes_every_row_right(site):
    stored.refresh()
    assert stored_rows() == computed_rows()
    # Rows lost or wrong (a bulk import, a database restored from elsewhere) ...
    PageTranslationState.objects.filter(page=site["partly"]).delete()
    PageTranslationState.objects.filter(page=site["swedish"]).update(state="complete", missing=[])
    PageTranslationState.objects.create(page=site["timeline"], language="de", state="complete")
    assert stored_rows() != computed_rows()
    # ... are put right by the rebuild, which is what translation_status runs first.
    assert stored.rebuild() == len({page for page, _language in computed_rows()})
    assert stored_rows() == computed_rows()
    # Working out an unchanged site again writes nothing.
    with CaptureQueriesContext(connection) as queries:
        stored.rebuild()
    assert not [q for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert not PageTranslationState.objects.filter(page=site["alias"]).exists()
    states = {page: value[0] for (page, _lang), value in stored_rows().items()}
    assert states[site["swedish"].pk] == "untranslated"
    assert states[site["partly"].pk] == "partial"
    assert states[site["draft"].pk] == "untranslated"  # kept, but not live: never counted


def test_migrating_works_out_the_pages_of_an_existing_site(site):
    # A site whose pages were there before the table: everything is worked out once.
    PageTranslationState.objects.all().delete()
    out = Output()
    call_command("migrate", verbosity=1, stdout=out)
    assert stored_rows() == computed_rows()
    pages = len({page for page, _language in computed_rows()})
    assert f"Worked out the translation state of {pages} pages." in out.text
    # Once there are states, migrating leaves them alone.
    PageTranslationState.objects.filter(page=site["swedish"]).update(state="complete")
    call_command("migrate", verbosity=0)
    assert PageTranslationState.objects.get(page=site["swedish"]).state == "complete"


def test_pages_written_without_save_are_worked_out_a_few_at_a_time(
    admin_client, editor, home_page, monkeypatch
):
    for number in range(5):
        StandardPageFactory(parent=home_page, title_sv=f"Import {number}", title_en="")
    stored.refresh()
    # As if the five pages had been inserted in bulk, with no signal to mark them.
    newest = Page.objects.filter(title_sv__startswith="Import").values("pk")
    PageTranslationState.objects.filter(page__in=newest).delete()
    monkeypatch.setattr(stored, "REFRESH_LIMIT", 2)
    first = panel(admin_client)
    assert PENDING_EN in first.get_text(" ", strip=True)
    assert page_counts(admin_client) == ["Pages", "1", "0", "4"]
    assert page_counts(admin_client) == ["Pages", "1", "0", "5"]
    assert PENDING_EN not in panel(admin_client).get_text(" ", strip=True)
    prefer(editor, "sv")
    PageTranslationState.objects.filter(page__in=newest).update(state=STALE)
    html = admin_client.get(REPORT_URL).content.decode()
    assert PENDING_SV in html


def test_a_draft_revision_leaves_the_rows_alone(home_page):
    page = StandardPageFactory(parent=home_page, title_sv="Om oss", title_en="About us")
    stored.refresh()
    page.title_en = ""
    page.save_revision()
    assert not PageTranslationState.objects.filter(state=STALE).exists()
    assert PageTranslationState.objects.get(page=page).state == "complete"


# --- translation_status: the same output, streamed ----------------------------------


class Output:
    def __init__(self, tty=False):
        self.text = ""
        self.tty = tty

    def write(self, text):
        self.text += text

    def flush(self):
        pass

    def isatty(self):
        return self.tty


def run(*args, tty=False, **options):
    out = Output(tty)
    call_command("translation_status", *args, stdout=out, **options)
    return out.text


def reference_json(languages):
    """The report worked out from every page's text in memory, as the command once printed it."""
    with override("en"):
        results = collect(languages)
        data = {
            "languages": languages,
            "summary": summarise(results, languages),
            "pages": [r.as_dict() for r in results if r.kind == "page"],
            "snippets": [r.as_dict() for r in results if r.kind == "snippet"],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def reference_text(languages, verbosity):
    with override("en"):
        results = collect(languages)
        summary = summarise(results, languages)
        lines = []
        for language in languages:
            for kind, heading in (("page", "Pages"), ("snippet", "Snippets")):
                shown = [
                    r
                    for r in results
                    if r.kind == kind
                    and (verbosity > 1 or r.languages[language].state != "complete")
                ]
                lines.append(f"{heading} missing text in {language}: {len(shown) or 'none'}")
                for r in shown:
                    status = r.languages[language]
                    where = f"{r.type_label}, {r.key}"
                    url = page_url(r.obj) if r.kind == "page" else None
                    if url:
                        where += f", {url}"
                    lines.append(f"  {status.state:<13} {r.label} ({where})")
                    if status.missing:
                        lines.append(
                            "                missing: "
                            + ", ".join(g.describe() for g in status.missing)
                        )
                    if status.optional_missing and verbosity > 1:
                        lines.append(
                            "                optional: " + ", ".join(status.optional_missing)
                        )
                lines.append("")
        for language in languages:
            counts = [summary[language][kind] for kind in ("page", "snippet")]
            lines.append(
                f"{language}: pages {counts[0]['complete']} fully translated, "
                f"{counts[0]['partial']} partly, {counts[0]['untranslated']} not at all; "
                f"snippets {counts[1]['complete']} fully translated, {counts[1]['partial']} partly, "
                f"{counts[1]['untranslated']} not at all"
            )
        return "\n".join(lines) + "\n"


def test_translation_status_output_is_unchanged(site):
    # Pages saved since their states were stored are worked out first.
    PageTranslationState.objects.update(state=STALE)
    assert run(format="json") == reference_json(["en"])
    assert stored_rows() == computed_rows()
    assert run(format="json", language="en") == reference_json(["en"])
    assert run() == reference_text(["en"], 1)
    assert run(verbosity=2) == reference_text(["en"], 2)
    assert "partial       Forskning" in run()


def test_translation_status_rebuild_finds_text_changed_behind_the_portals_back(site):
    # SQL, not save(): no signal, nothing marked.
    Page.objects.filter(pk=site["swedish"].pk).update(title_en="Swedish only")
    PageTranslationState.objects.filter(page=site["partly"]).delete()
    assert run(rebuild=True) == reference_text(["en"], 1)
    assert run(format="json", rebuild=True) == reference_json(["en"])
    assert "partial       Bara svenska" in run()
    assert stored_rows() == computed_rows()


def test_translation_status_shows_progress_on_a_terminal_only(site, capsys):
    run(rebuild=True)
    assert "Pages" not in capsys.readouterr().err
    run(rebuild=True, tty=True)
    progress = capsys.readouterr().err
    pages = len({page for page, _language in computed_rows()})
    assert re.search(rf"Pages: 100%.*{pages}/{pages}", progress)
    # Without --rebuild, the pages changed since: here two.
    PageTranslationState.objects.filter(page__in=[site["partly"], site["swedish"]]).update(
        state=STALE
    )
    run(tty=True)
    assert re.search(r"Pages: 100%.*2/2", capsys.readouterr().err)


def test_translation_status_reads_pages_a_chunk_at_a_time(home_page, monkeypatch):
    monkeypatch.setattr(stored, "CHUNK_SIZE", 4)
    add_pages(home_page, 0, 5)
    with CaptureQueriesContext(connection) as queries:
        text = run(rebuild=True)
    assert "Pages missing text in en: 10" in text
    # Eleven pages (the home page too) in three chunks, never one query per page.
    walks = [q["sql"] for q in queries.captured_queries if "LIMIT 4" in q["sql"]]
    assert len(walks) == 2 * 4  # rebuild and listing: three chunks and the empty end each


# --- the content PO export, streamed ------------------------------------------------------


def without_dates(text):
    return re.sub(r'"(POT-Creation-Date|PO-Revision-Date): [^"]*"', "", text)


def test_export_file_is_the_catalogue_polib_would_write(site, tmp_path):
    page = site["partly"].specific
    page.title_en = "Research in Flemingsberg"
    page.save_revision().publish()
    page.title_sv = "Forskning i Flemingsberg"  # Swedish changed after the English: fuzzy
    page.save_revision().publish()
    page.lead_sv = "Ett utkast"
    page.save_revision()  # a draft: the export works on it
    timeline = site["timeline"].specific
    timeline.lead_sv = "Femtio år - och fler"
    timeline.save_revision().publish()
    path = tmp_path / "en.po"
    out = Output()
    call_command("export_content_po", language="en", output=str(path), stdout=out)
    catalogue = export_catalogue("en")
    assert without_dates(path.read_text()) == without_dates(str(catalogue))
    # The export of each page from its model instance, one at a time, says the same.
    reference = new_catalogue("en")
    pages = Page.objects.filter(depth__gt=1, alias_of__isnull=True).type(*page_models())
    for obj in [*pages.order_by("path").specific(), *exported_snippets()]:
        for entry in object_entries(obj, "en"):
            reference.append(entry)
    assert without_dates(str(reference)) == without_dates(str(catalogue))
    fuzzy = catalogue.find("Forskning i Flemingsberg")
    assert fuzzy.fuzzy and fuzzy.previous_msgid == "Forskning"
    assert catalogue.find("Ett utkast") is not None
    assert (
        f"{len(catalogue)} texts, {len(catalogue.untranslated_entries())} untranslated, "
        f"{len(catalogue.fuzzy_entries())} fuzzy" in out.text
    )


@pytest.mark.django_db(transaction=True)
def test_export_in_several_processes_writes_the_same_file(home_page, tmp_path, monkeypatch):
    # Committed pages, as a command sees them: on PostgreSQL (or a SQLite file) the chunks
    # are worked on in forked processes; on SQLite in memory, one after the other.
    monkeypatch.setattr(stored, "CHUNK_SIZE", 3)
    add_pages(home_page, 0, 4)
    page = StandardPageFactory(parent=home_page, title_sv="Med utkast", title_en="")
    page.lead_sv = "Ett utkast - med bindestreck"
    page.save_revision()
    outputs = []
    for processes in (1, 2):
        path = tmp_path / f"en-{processes}.po"
        out = Output()
        call_command("export_content_po", output=str(path), processes=processes, stdout=out)
        outputs.append((without_dates(path.read_text()), out.text.replace(str(path), "FILE")))
    assert outputs[0] == outputs[1]
    assert "Ett utkast - med bindestreck" in outputs[0][0]


def test_export_queries_do_not_grow_with_pages(home_page, tmp_path):
    def export_queries():
        with CaptureQueriesContext(connection) as queries:
            call_command("export_content_po", output=str(tmp_path / "en.po"), stdout=Output())
        return len(queries.captured_queries)

    add_pages(home_page, 0, 2)
    export_queries()  # content types and site root paths cached, as in a long export
    few = export_queries()
    add_pages(home_page, 2, 6)
    assert export_queries() == few


# --- PO entries written as polib writes them ---------------------------------------------

PIECES = [
    "a", "ab", "abc", "Ö", "é", "1", "-", "--", " ", "  ", "/", ".", '"', "\\", "\t",
    "\xa0", "x" * 40, "y" * 75, "z" * 77, "ab-cd", "a-b-c", "1-2", "nyhet-12", "\n",
]  # fmt: skip


@given(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=60).map("".join),
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.booleans(),
)
@settings(max_examples=500, deadline=None, derandomize=True)
def test_entries_are_written_as_polib_writes_them(text, other, fuzzy):
    entry = polib.POEntry(
        msgctxt="page:12:body:" + other.replace("\n", ""),
        msgid=text,
        msgstr=other,
        comment=f'standard page "{text}" /sv/{other}/, field body\nrevision none',
    )
    if fuzzy:
        entry.flags.append("fuzzy")
        entry.previous_msgid = other + text
    assert format_entry(entry) == entry.__unicode__(78)


@pytest.mark.django_db(transaction=True)
def test_the_export_never_forks_while_other_threads_run(home_page):
    """A fork with another thread running (a test server, a browser driver) can leave the
    child waiting forever on a lock that thread held."""
    import threading

    from portal.translation_tools import content_po

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert content_po._can_fork() is False
    finally:
        stop.set()
        thread.join()
