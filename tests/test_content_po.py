"""Page content as PO files: export, translate with a gettext tool (polib), import back."""

import re

import polib
import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.rich_text import RichText

from portal.translation_tools.content_po import export_catalogue
from stories.models import Topic
from tests.factories.base import ImageFactory
from tests.factories.home import StandardPageFactory
from tests.factories.timelines import MilestoneFactory, TimelinePageFactory

pytestmark = pytest.mark.django_db

ENGLISH = {
    "Forskning i Flemingsberg": "Research in Flemingsberg",
    "forskning-i-flemingsberg": "research-in-flemingsberg",
    "Här möts forskning och vård.": "Research and healthcare meet here.",
    "Bakgrund": "Background",
    "<p>Flemingsberg har <b>två</b> universitet.</p>": (
        "<p>Flemingsberg has <b>two</b> universities.</p>"
    ),
    "Campus i vinterljus": "Campus in winter light",
    "Vanliga frågor": "Frequently asked questions",
    "Var ligger campus?": "Where is the campus?",
    "<p>Söder om Stockholm.</p>": "<p>South of Stockholm.</p>",
    "Ämne": "Subject",
    "Fysik": "Physics",
}


def without_block_keys(html):
    """Rich text as written, without the block keys the editor's converter adds."""
    return re.sub(r' data-block-key="[^"]*"', "", str(html))


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def image(db):
    return ImageFactory(title="Campus")


@pytest.fixture
def swedish_page(home_page, image):
    """A published page with a rich Swedish body and no English at all."""
    page = StandardPageFactory(
        parent=home_page,
        title_sv="Forskning i Flemingsberg",
        title_en="",
        slug_sv="forskning-i-flemingsberg",
        lead_sv="Här möts forskning och vård.",
        lead_en="",
        body_sv=[
            ("heading", {"text": "Bakgrund", "level": "h2"}),
            ("paragraph", RichText("<p>Flemingsberg har <b>två</b> universitet.</p>")),
            (
                "image",
                {"image": image, "alt_text": "Campus i vinterljus", "decorative": False},
            ),
            (
                "accordion",
                {
                    "heading": "Vanliga frågor",
                    "items": [
                        {
                            "title": "Var ligger campus?",
                            "body": RichText("<p>Söder om Stockholm.</p>"),
                        }
                    ],
                },
            ),
            (
                "table",
                {
                    "caption": "",
                    "table": {
                        "columns": [{"type": "text", "heading": "Ämne"}],
                        "rows": [{"values": ["Fysik"]}],
                    },
                },
            ),
        ],
    )
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def export_to(tmp_path, language="en"):
    path = tmp_path / f"content-{language}.po"
    call_command("export_content_po", language=language, output=str(path), stdout=_Sink())
    return path


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def entries_of(catalogue, page):
    return [e for e in catalogue if e.msgctxt.startswith(f"page:{page.pk}:")]


def translate_all(path, table=ENGLISH):
    """What a translator does in Poedit: fill every msgstr, clear fuzzy flags."""
    catalogue = polib.pofile(str(path))
    for entry in catalogue:
        if entry.msgid in table:
            entry.msgstr = table[entry.msgid]
            if entry.fuzzy:
                entry.flags.remove("fuzzy")
    catalogue.save(str(path))
    return catalogue


def test_export_has_one_entry_per_text_with_unique_contexts(tmp_path, swedish_page):
    catalogue = polib.pofile(str(export_to(tmp_path)))
    assert catalogue.metadata["Language"] == "en"
    entries = entries_of(catalogue, swedish_page)
    assert {e.msgid for e in entries} == set(ENGLISH)
    contexts = [e.msgctxt for e in catalogue]
    assert len(contexts) == len(set(contexts))
    # Missing English: empty msgstr, not fuzzy.
    assert all(e.msgstr == "" and not e.fuzzy for e in entries)
    # A StreamField text names its block by id, stable across exports.
    heading_block = swedish_page.body_sv[0]
    heading = next(e for e in entries if e.msgid == "Bakgrund")
    assert heading.msgctxt == f"page:{swedish_page.pk}:body:{heading_block.id}:text"
    assert polib.pofile(str(export_to(tmp_path))).find("Bakgrund", msgctxt=heading.msgctxt)
    # The translator sees which page and field a text belongs to.
    assert 'standard page "Forskning i Flemingsberg"' in heading.comment
    assert f"revision {swedish_page.latest_revision_id}" in heading.comment


def test_round_trip_shows_english_and_keeps_the_stream_structure(
    client, tmp_path, swedish_page, image
):
    path = export_to(tmp_path)
    translate_all(path)
    out = _Sink()
    call_command("import_content_po", str(path), publish=True, stdout=out)
    assert "1 object(s) changed" in out.text

    page = swedish_page.specific_class.objects.get(pk=swedish_page.pk)
    assert page.title_en == "Research in Flemingsberg"
    assert page.slug_en == "research-in-flemingsberg"
    # Same blocks, same ids, same order, same image; only the text changed.
    sv, en = page.body_sv, page.body_en
    assert [(b.block_type, b.id) for b in en] == [(b.block_type, b.id) for b in sv]
    assert en[2].value["image"].pk == image.pk
    assert en[2].value["alt_text"] == "Campus in winter light"
    assert en[4].value["table"].columns[0]["heading"] == "Subject"
    assert page.body_sv[0].value["text"] == "Bakgrund"  # Swedish untouched

    response = client.get("/en/research-in-flemingsberg/")
    assert response.status_code == 200
    html = soup(response)
    assert html.h1.get_text(strip=True) == "Research in Flemingsberg"
    text = html.find("main").get_text(" ", strip=True)
    for english in ("Research and healthcare meet here.", "Background", "two", "universities"):
        assert english in text
    assert "Frequently asked questions" in text and "South of Stockholm." in text
    assert html.select_one(".fallback-notice") is None
    assert soup(client.get("/sv/forskning-i-flemingsberg/")).h1.get_text(strip=True) == (
        "Forskning i Flemingsberg"
    )


def test_import_without_publish_creates_one_draft_revision(tmp_path, swedish_page, client):
    revisions_before = swedish_page.revisions.count()
    path = export_to(tmp_path)
    translate_all(path)
    call_command("import_content_po", str(path), stdout=_Sink())

    page = swedish_page.specific_class.objects.get(pk=swedish_page.pk)
    assert page.revisions.count() == revisions_before + 1
    assert page.has_unpublished_changes
    assert page.title_en is None or page.title_en == ""  # the live page is unchanged
    draft = page.get_latest_revision_as_object()
    assert draft.title_en == "Research in Flemingsberg"
    assert draft.body_en[0].value["text"] == "Background"
    assert client.get("/en/research-in-flemingsberg/").status_code == 404


def test_import_with_a_stale_entry_changes_nothing(tmp_path, swedish_page):
    path = export_to(tmp_path)
    translate_all(path)
    # Meanwhile an editor rewrites the Swedish lead.
    page = swedish_page.specific
    page.lead_sv = "Här möts forskning, vård och kultur."
    page.save_revision().publish()
    revisions = page.revisions.count()

    with pytest.raises(CommandError) as refusal:
        call_command("import_content_po", str(path), publish=True, stdout=_Sink())
    message = str(refusal.value)
    assert f"page:{page.pk}:lead" in message
    assert "Swedish text changed" in message
    assert "nothing was imported" in message

    page.refresh_from_db()
    assert page.revisions.count() == revisions
    assert not page.title_en
    assert not page.lead_en
    assert len(page.body_en) == 0


def test_import_refuses_an_entry_whose_block_was_removed(tmp_path, swedish_page):
    path = export_to(tmp_path)
    translate_all(path)
    page = swedish_page.specific
    del page.body_sv[0]  # the heading goes
    page.save_revision().publish()
    with pytest.raises(CommandError, match="no such text any more"):
        call_command("import_content_po", str(path), stdout=_Sink())
    page.refresh_from_db()
    assert not page.title_en


def test_import_never_overwrites_a_newer_english_edit_silently(tmp_path, swedish_page):
    path = export_to(tmp_path)
    translate_all(path)
    # An editor writes their own English lead in the admin after the export.
    page = swedish_page.specific
    page.lead_en = "Where research and care meet."
    page.save_revision().publish()

    with pytest.raises(CommandError) as refusal:
        call_command("import_content_po", str(path), publish=True, stdout=_Sink())
    assert refusal.value.returncode == 2
    assert "edited after the export" in str(refusal.value)
    page.refresh_from_db()
    assert page.lead_en == "Where research and care meet."
    assert not page.title_en  # the whole page was refused, not just the lead

    call_command("import_content_po", str(path), publish=True, force=True, stdout=_Sink())
    page.refresh_from_db()
    assert page.lead_en == "Research and healthcare meet here."
    assert page.title_en == "Research in Flemingsberg"


def test_swedish_change_after_translation_makes_the_entry_fuzzy(tmp_path, home_page):
    page = StandardPageFactory(
        parent=home_page,
        title_sv="Kontakt",
        title_en="Contact",
        lead_sv="Ring oss.",
        lead_en="Call us.",
    )
    page.save_revision().publish()
    page.lead_sv = "Ring eller skriv till oss."
    page.save_revision().publish()

    catalogue = polib.pofile(str(export_to(tmp_path)))
    lead = catalogue.find("Ring eller skriv till oss.", msgctxt=f"page:{page.pk}:lead")
    assert lead.fuzzy
    assert lead.msgstr == "Call us."
    assert lead.previous_msgid == "Ring oss."
    title = catalogue.find("Kontakt", msgctxt=f"page:{page.pk}:title")
    assert not title.fuzzy and title.msgstr == "Contact"

    # A fuzzy entry is not imported until the translator clears the flag.
    lead.msgstr = "Call or write to us."
    catalogue.save(str(tmp_path / "fuzzy.po"))
    call_command("import_content_po", str(tmp_path / "fuzzy.po"), publish=True, stdout=_Sink())
    page.refresh_from_db()
    assert page.lead_en == "Call us."
    lead.flags.remove("fuzzy")
    catalogue.save(str(tmp_path / "checked.po"))
    call_command("import_content_po", str(tmp_path / "checked.po"), publish=True, stdout=_Sink())
    page.refresh_from_db()
    assert page.lead_en == "Call or write to us."

    # Translated against the new Swedish: no longer fuzzy.
    again = polib.pofile(str(export_to(tmp_path)))
    assert not again.find("Ring eller skriv till oss.", msgctxt=f"page:{page.pk}:lead").fuzzy


def test_partly_translated_empty_body_is_not_written_half(tmp_path, swedish_page):
    path = export_to(tmp_path)
    partial = {k: v for k, v in ENGLISH.items() if k != "Fysik"}
    translate_all(path, partial)
    out = _Sink()
    call_command("import_content_po", str(path), publish=True, stdout=out)
    assert "not written until all its texts are translated" in out.text
    page = swedish_page.specific_class.objects.get(pk=swedish_page.pk)
    assert page.title_en == "Research in Flemingsberg"  # the other fields are written
    assert len(page.body_en) == 0


def test_existing_english_stream_keeps_its_own_structure(tmp_path, home_page):
    page = StandardPageFactory(
        parent=home_page,
        title_sv="Om",
        title_en="About",
        body_sv=[
            ("heading", {"text": "Rubrik", "level": "h2"}),
            ("paragraph", RichText("<p>Ett</p>")),
        ],
        body_en=[
            ("heading", {"text": "Heading", "level": "h3"}),
            ("paragraph", RichText("<p></p>")),
        ],
    )
    page.save_revision().publish()
    catalogue = polib.pofile(str(export_to(tmp_path)))
    entries = {e.msgid: e for e in entries_of(catalogue, page)}
    assert entries["Rubrik"].msgstr == "Heading"
    assert entries["<p>Ett</p>"].msgstr == ""
    entries["<p>Ett</p>"].msgstr = "<p>One</p>"
    catalogue.save(str(tmp_path / "en.po"))
    call_command("import_content_po", str(tmp_path / "en.po"), publish=True, stdout=_Sink())
    page.refresh_from_db()
    assert page.body_en[0].value["level"] == "h3"  # English choices are kept
    assert without_block_keys(page.body_en[1].value.source) == "<p>One</p>"


def test_inline_children_belong_to_their_page(tmp_path, home_page):
    timeline = TimelinePageFactory(parent=home_page, title_sv="Historia", title_en="History")
    milestone = MilestoneFactory(
        page=timeline,
        title_sv="Universitetet öppnar",
        title_en="",
        text_sv="<p>Första året.</p>",
        text_en="",
    )
    timeline.save_revision().publish()
    catalogue = polib.pofile(str(export_to(tmp_path)))
    title = catalogue.find(
        "Universitetet öppnar", msgctxt=f"page:{timeline.pk}:milestones:{milestone.pk}:title"
    )
    assert title is not None and title.msgstr == ""
    title.msgstr = "The university opens"
    catalogue.find(
        "<p>Första året.</p>", msgctxt=f"page:{timeline.pk}:milestones:{milestone.pk}:text"
    ).msgstr = "<p>The first year.</p>"
    catalogue.save(str(tmp_path / "en.po"))
    call_command("import_content_po", str(tmp_path / "en.po"), publish=True, stdout=_Sink())
    milestone.refresh_from_db()
    assert milestone.title_en == "The university opens"
    assert without_block_keys(milestone.text_en) == "<p>The first year.</p>"
    assert milestone.title_sv == "Universitetet öppnar"


def test_snippets_are_exported_and_imported(tmp_path, db):
    topic = Topic.objects.create(
        name_sv="Forskning", slug_sv="forskning", name="Forskning", slug="forskning"
    )
    catalogue = polib.pofile(str(export_to(tmp_path)))
    name = catalogue.find("Forskning", msgctxt=f"stories.topic:{topic.pk}:name")
    slug = catalogue.find("forskning", msgctxt=f"stories.topic:{topic.pk}:slug")
    name.msgstr, slug.msgstr = "Research", "research"
    catalogue.save(str(tmp_path / "en.po"))
    call_command("import_content_po", str(tmp_path / "en.po"), stdout=_Sink())
    topic.refresh_from_db()
    assert (topic.name_en, topic.slug_en) == ("Research", "research")


def test_invalid_slug_is_refused(tmp_path, swedish_page):
    path = export_to(tmp_path)
    translate_all(path, {**ENGLISH, "forskning-i-flemingsberg": "Research in Flemingsberg!"})
    with pytest.raises(CommandError, match="not a valid slug"):
        call_command("import_content_po", str(path), stdout=_Sink())
    swedish_page.refresh_from_db()
    assert not swedish_page.title_en


def test_dry_run_writes_nothing(tmp_path, swedish_page):
    path = export_to(tmp_path)
    translate_all(path)
    out = _Sink()
    call_command("import_content_po", str(path), dry_run=True, stdout=out)
    assert "Would write" in out.text
    swedish_page.refresh_from_db()
    assert not swedish_page.title_en
    assert not swedish_page.has_unpublished_changes


def test_export_in_memory_matches_the_command(swedish_page):
    catalogue = export_catalogue("en")
    assert catalogue.find("Bakgrund", by="msgid").msgctxt.startswith(
        f"page:{swedish_page.pk}:body:"
    )


def test_a_refused_page_does_not_hold_back_the_others(tmp_path, home_page, swedish_page):
    other = StandardPageFactory(
        parent=home_page, title_sv="Kontakt", title_en="", lead_sv="Ring oss.", lead_en=""
    )
    other.save_revision().publish()
    path = export_to(tmp_path)
    translate_all(path, {**ENGLISH, "Kontakt": "Contact", "Ring oss.": "Call us."})
    page = swedish_page.specific
    page.lead_en = "Where research and care meet."
    page.save_revision().publish()

    with pytest.raises(CommandError) as refusal:
        call_command("import_content_po", str(path), publish=True, stdout=_Sink())
    assert 'standard page "Forskning i Flemingsberg"' in str(refusal.value)
    assert "Kontakt" not in str(refusal.value)
    other.refresh_from_db()
    assert (other.title_en, other.lead_en) == ("Contact", "Call us.")


def test_a_translation_failing_validation_refuses_the_whole_import(
    tmp_path, home_page, swedish_page
):
    StandardPageFactory(parent=home_page, title_sv="Nyheter", title_en="News", slug_en="news")
    other = StandardPageFactory(parent=home_page, title_sv="Kontakt", title_en="", lead_en="")
    other.save_revision().publish()
    path = export_to(tmp_path)
    # "Kontakt" would take the English slug "news", which a sibling already has.
    translate_all(path, {**ENGLISH, "Kontakt": "Contact", "kontakt": "news"})
    with pytest.raises(CommandError, match="would make these pages invalid") as refusal:
        call_command("import_content_po", str(path), publish=True, stdout=_Sink())
    assert "slug_en" in str(refusal.value)
    swedish_page.refresh_from_db()
    other.refresh_from_db()
    assert not swedish_page.title_en and not other.title_en


def test_export_to_standard_output(capsys, swedish_page):
    call_command("export_content_po", output="-")
    catalogue = polib.pofile(capsys.readouterr().out)
    assert catalogue.metadata["Language"] == "en"
    assert catalogue.find("Bakgrund") is not None
