"""Text from outside the editor (the content PO import) passes the editor's own rules.

A translator's file can carry script; readers must never get it, and the editor
must still open every page afterwards.
"""

import polib
import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Site
from wagtail.rich_text import RichText
from wagtail.users.models import UserProfile

from portal.rich_text_safety import RichTextRefused, clean_rich_text, editor_can_open
from tests.factories.home import StandardPageFactory
from tests.factories.timelines import MilestoneFactory, TimelinePageFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<p>Om oss</p><script>alert('xss-script')</script>"
IMAGE_HANDLER = "<p>Vi finns <img src=x onerror=alert('xss-img')> här.</p>"
SCRIPT_LINK = "<p><a href=\"javascript:alert('xss-link')\">Kontakt</a> oss.</p>"
PLAIN_SCRIPT = "<script>alert('xss-plain')</script>Om oss"
# What must never reach a reader or the editor's page, in any form.
MARKERS = ("xss-script", "xss-img", "xss-link", "xss-plain", "onerror", "javascript:")


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def run(command, *args, **options):
    out = _Out()
    try:
        call_command(command, *args, stdout=out, **options)
    except CommandError as error:
        return out.text + str(error), error.returncode
    except SystemExit as exit_:
        return out.text, exit_.code
    return out.text, 0


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_superuser("granskare", "g@example.org", "pw-12345!")
    # An admin in Swedish rendered first in this process leaves the later browser
    # tests' editor without its copy buttons (seen, cause not yet found): use English.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


# --- the cleaning itself ----------------------------------------------------------


def test_cleaning_keeps_what_the_editor_allows():
    cleaned = clean_rich_text(
        '<p>Flemingsberg har <b>två</b> <a href="https://ki.se/">universitet</a>.</p>',
        ["bold", "link"],
    )
    assert cleaned.dropped == [] and not cleaned.text_changed
    html = BeautifulSoup(cleaned.html, "html.parser")
    assert html.b.get_text() == "två"
    assert html.a["href"] == "https://ki.se/"


@pytest.mark.parametrize(
    "html, dropped",
    [
        (IMAGE_HANDLER, ["<img> element", "onerror attribute of <img>", "src attribute of <img>"]),
        (SCRIPT_LINK, ["link address \"javascript:alert('xss-link')\""]),
        (
            '<p>a<span style="color:red">b</span></p>',
            ["<span> element", "style attribute of <span>"],
        ),
        ("<p>En <b>fet</b> rad</p>", ["<b> element"]),  # bold is not among the features
    ],
)
def test_cleaning_drops_what_the_editor_would_not_keep_and_says_so(html, dropped):
    cleaned = clean_rich_text(html, ["italic", "link"])
    assert cleaned.dropped == dropped
    assert not cleaned.text_changed
    assert not any(marker in cleaned.html for marker in MARKERS)
    assert editor_can_open(cleaned.html, ["italic", "link"])


def test_script_code_counts_as_changed_text():
    cleaned = clean_rich_text(SCRIPT, ["bold"])
    assert cleaned.text_changed
    assert "<script> element" in cleaned.dropped
    assert "xss-script" not in cleaned.html


def test_control_characters_are_refused():
    with pytest.raises(RichTextRefused):
        clean_rich_text("<p>a\x00b</p>")


def test_the_editor_cannot_open_an_unmatched_void_element():
    # What a raw <img> in stored rich text does to Wagtail's editor today.
    assert not editor_can_open(IMAGE_HANDLER)
    assert editor_can_open(clean_rich_text(IMAGE_HANDLER).html)


# --- the PO import ----------------------------------------------------------------


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=_Out())
    return Site.objects.get(is_default_site=True)


def poisoned_catalogue(tmp_path):
    """The English export with every text replaced by an attack."""
    path = tmp_path / "en.po"
    call_command("export_content_po", language="en", output=str(path), stdout=_Out())
    catalogue = polib.pofile(str(path))
    payloads = [SCRIPT, IMAGE_HANDLER, SCRIPT_LINK]
    rich = plain = 0
    for entry in catalogue:
        if entry.msgctxt.endswith(":slug"):
            continue
        if "rich text" in (entry.comment or ""):
            entry.msgstr = payloads[rich % len(payloads)]
            rich += 1
        else:
            entry.msgstr = PLAIN_SCRIPT if plain % 4 == 0 else entry.msgstr or f"{entry.msgid} (en)"
            plain += 1
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
    catalogue.save(str(path))
    assert rich >= 6, "the seed should have rich text on several pages"
    return path


def assert_clean(response, where):
    assert response.status_code == 200, where
    body = response.content.decode()
    for marker in MARKERS:
        assert marker not in body, f"{marker} in {where}"


def test_attacks_through_the_import_reach_no_reader_and_no_editor(seeded, tmp_path, client, editor):
    path = poisoned_catalogue(tmp_path)
    output, code = run("import_content_po", str(path), publish=True)

    # Reported entry by entry: what was cleaned, what was refused.
    assert code == 2
    assert "dropped <img> element, onerror attribute of <img>" in output
    assert "link address \"javascript:alert('xss-link')\"" in output
    assert "Entries refused, nothing written for them:" in output
    assert "the editor would not keep all of its text" in output
    assert "HTML markup in a plain-text field" in output

    pages = Page.objects.filter(depth__gt=1).specific()
    about = next(p for p in pages if p.slug_sv == "om-flemingsberg")
    # The cleaned entries were written (and published) without their payload ...
    assert about.live and not about.has_unpublished_changes
    stored = " ".join(str(p.specific.body_en) for p in pages if hasattr(p.specific, "body_en"))
    assert "Vi finns" in stored or "Kontakt" in stored
    # ... and nothing of the attacks is anywhere a reader or an editor looks.
    for page in pages:
        for language in ("sv", "en"):
            assert_clean(client.get(page.get_url_in(language)), f"{page.title} [{language}]")
    client.force_login(editor)
    for page in pages:
        assert_clean(client.get(f"/admin/pages/{page.pk}/edit/"), f"edit {page.title}")
    assert_clean(client.get("/sv/nyheter/rss/"), "rss sv")


def test_a_refused_entry_changes_nothing_but_the_rest_is_written(home_page, tmp_path):
    page = StandardPageFactory(
        parent=home_page,
        title_sv="Kontakt",
        title_en="",
        lead_sv="Skriv till oss.",
        lead_en="",
        body_sv=[("paragraph", RichText("<p>Ring oss.</p>"))],
    )
    page.save_revision().publish()
    path = tmp_path / "en.po"
    call_command("export_content_po", language="en", output=str(path), stdout=_Out())
    catalogue = polib.pofile(str(path))
    for entry in catalogue:
        if not entry.msgctxt.startswith(f"page:{page.pk}:"):
            continue
        entry.msgstr = {
            "Kontakt": "Contact",
            "kontakt": "contact",
            "Skriv till oss.": PLAIN_SCRIPT,
            "<p>Ring oss.</p>": "<p>Call us.</p>",
        }.get(entry.msgid, "")
    catalogue.save(str(path))

    output, code = run("import_content_po", str(path), publish=True)
    assert code == 2
    assert "field lead: HTML markup in a plain-text field" in output
    page = page.specific_class.objects.get(pk=page.pk)
    assert page.title_en == "Contact"
    assert page.lead_en in ("", None)
    assert "Call us." in str(page.body_en)


def test_a_milestone_keeps_only_bold_and_italic(home_page, tmp_path):
    timeline = TimelinePageFactory(parent=home_page, title_sv="Historia", title_en="History")
    milestone = MilestoneFactory(page=timeline, title_sv="Start", text_sv="<p>Första året.</p>")
    timeline.save_revision().publish()
    path = tmp_path / "en.po"
    call_command("export_content_po", language="en", output=str(path), stdout=_Out())
    catalogue = polib.pofile(str(path))
    catalogue.find(
        "<p>Första året.</p>", msgctxt=f"page:{timeline.pk}:milestones:{milestone.pk}:text"
    ).msgstr = '<p>The <i>first</i> <a href="https://ki.se/">year</a>.</p>'
    catalogue.save(str(path))
    output, code = run("import_content_po", str(path), publish=True)
    assert code == 0, output
    assert "dropped <a> element, link address 'https://ki.se/'" in output
    milestone.refresh_from_db()
    html = BeautifulSoup(milestone.text_en, "html.parser")
    assert html.i.get_text() == "first" and html.a is None
    assert html.get_text() == "The first year."


# --- finding and repairing what is already stored -----------------------------------


def test_check_command_finds_and_repairs_rich_text_the_editor_cannot_open(
    home_page, client, editor
):
    page = StandardPageFactory(
        parent=home_page,
        title_sv="Om oss",
        title_en="About",
        body_sv=[("paragraph", RichText("<p>Hej.</p>"))],
        body_en=[("paragraph", RichText(IMAGE_HANDLER))],
    )
    page.save_revision().publish()
    timeline = TimelinePageFactory(parent=home_page, title_sv="Historia", title_en="History")
    MilestoneFactory(page=timeline, title_sv="Start", text_sv=SCRIPT_LINK)
    timeline.save_revision().publish()
    client.force_login(editor)
    client.raise_request_exception = False
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 500

    output, code = run("check_rich_text")
    assert code == 1
    assert '"Om oss"' in output and "[en]" in output and "the editor cannot open it" in output
    assert '"Historia"' in output and "javascript:" in output

    output, code = run("check_rich_text", repair=True)
    assert code == 0, output
    assert run("check_rich_text") == ("Every stored rich text can be opened in the editor.\n", 0)
    for edited in (page, timeline):
        assert_clean(client.get(f"/admin/pages/{edited.pk}/edit/"), f"edit {edited.title}")
        for language in ("sv", "en"):
            assert_clean(client.get(edited.get_url_in(language)), f"{edited.title} {language}")
    page.refresh_from_db()
    assert "Vi finns" in str(page.specific.body_en)  # the text itself survives


def test_seed_content_passes_the_check(seeded):
    assert run("check_rich_text") == ("Every stored rich text can be opened in the editor.\n", 0)
