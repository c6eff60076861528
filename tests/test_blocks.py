"""Every block of the body block library renders, in Swedish and in English."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation
from wagtail.rich_text import RichText

from portal import blocks
from tests.factories.base import ImageFactory

pytestmark = pytest.mark.django_db


def render(block, raw_value, language):
    value = block.to_python(raw_value) if not hasattr(raw_value, "source") else raw_value
    with translation.override(language):
        return BeautifulSoup(block.render(value), "html.parser")


@pytest.fixture
def image():
    return ImageFactory()


def test_heading_levels():
    html = render(blocks.HeadingBlock(), {"text": "Om symposiet", "level": "h3"}, "sv")
    assert html.h3.get_text() == "Om symposiet"


def test_paragraph():
    html = render(blocks.ParagraphBlock(), RichText("<p>Hej <b>världen</b></p>"), "sv")
    assert html.select_one(".rich-text b").get_text() == "världen"


@pytest.mark.parametrize(
    "language, credit", [("sv", "Foto: Anna Andersson"), ("en", "Photo: Anna Andersson")]
)
def test_image_with_caption_and_credit(image, language, credit):
    raw = {
        "image": image.pk,
        "alt_text": "Publik",
        "caption": "Bildtext",
        "credit": "Anna Andersson",
    }
    html = render(blocks.ImageBlock(), raw, language)
    img = html.find("img")
    assert img["alt"] == "Publik"
    assert img["loading"] == "lazy"
    assert "srcset" in img.attrs and img["width"] and img["height"]
    assert html.select_one(".credit").get_text(strip=True) == credit
    assert html.select_one(".caption").get_text() == "Bildtext"


def test_decorative_image_has_empty_alt(image):
    html = render(blocks.ImageBlock(), {"image": image.pk, "decorative": True}, "en")
    assert html.find("img")["alt"] == ""


def test_image_needs_alt_text_or_decorative(image):
    from django.core.exceptions import ValidationError

    block = blocks.ImageBlock()
    value = block.to_python({"image": image.pk, "alt_text": "", "decorative": False})
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        block.clean(value)
    assert "Beskriv bilden" in str(error.value.as_json_data())


def test_gallery(image):
    raw = {
        "heading": "Bilder",
        "images": [{"image": image.pk, "alt_text": "Ett", "credit": "Foto AB"}],
    }
    html = render(blocks.GalleryBlock(), raw, "sv")
    assert html.h2.get_text() == "Bilder"
    assert html.select_one(".gallery img")["alt"] == "Ett"
    assert html.select_one(".credit").get_text(strip=True) == "Foto: Foto AB"


def test_quote():
    html = render(
        blocks.QuoteBlock(), {"text": "Tillsammans", "attribution": "Carin Dahlberg"}, "sv"
    )
    assert html.blockquote.get_text(strip=True) == "Tillsammans"
    assert "Carin Dahlberg" in html.figcaption.get_text()


def test_call_to_action_with_page(home_page):
    raw = {
        "heading": "Läs mer",
        "text": "Om oss",
        "link": {"label": "Till startsidan", "page": home_page.pk, "url": ""},
    }
    html = render(blocks.CallToActionBlock(), raw, "en")
    assert html.select_one("a.button")["href"] == "/en/"
    html = render(blocks.CallToActionBlock(), raw, "sv")
    assert html.select_one("a.button")["href"] == "/sv/"


def test_call_to_action_needs_a_target():
    from django.core.exceptions import ValidationError

    block = blocks.CallToActionBlock()
    value = block.to_python(
        {"heading": "", "text": "", "link": {"label": "X", "page": None, "url": ""}}
    )
    with pytest.raises(ValidationError):
        block.clean(value)


@pytest.mark.parametrize(
    "language, labels",
    [("sv", ["presentationer", "deltagare"]), ("en", ["presentations", "participants"])],
)
def test_key_figures(language, labels):
    raw = {
        "heading": "",
        "figures": [{"value": "14", "label": labels[0]}, {"value": "150+", "label": labels[1]}],
    }
    html = render(blocks.KeyFiguresBlock(), raw, language)
    assert [li.select_one(".key-figure-value").get_text() for li in html.select("li")] == [
        "14",
        "150+",
    ]
    assert [li.select_one(".key-figure-label").get_text() for li in html.select("li")] == labels


@pytest.mark.parametrize(
    "language, text",
    [("sv", "Titta på videon hos video.example"), ("en", "Watch the video on video.example")],
)
def test_embed_without_provider_links_to_the_video(language, text, monkeypatch):
    from portal.embeds import VideoAddress

    block = blocks.VideoEmbedBlock()
    value = block.to_python({"embed": "https://video.example/v/1", "caption": "Film"})
    monkeypatch.setattr(VideoAddress, "html", property(lambda self: ""))
    with translation.override(language):
        html = BeautifulSoup(block.render(value), "html.parser")
    assert html.find("a", string=text)["href"] == "https://video.example/v/1"


def test_document_download():
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="Program", file=ContentFile(b"%PDF-1.4", name="program.pdf")
    )
    html = render(blocks.DocumentBlock(), {"document": document.pk, "title": ""}, "sv")
    link = html.find("a")
    assert link.get_text() == "Program"
    assert link.has_attr("download")
    assert "PDF" in html.select_one(".document-meta").get_text()


def test_accordion():
    raw = {
        "heading": "Frågor",
        "items": [{"title": "Vad är ATMP?", "body": "<p>Avancerade terapier</p>"}],
    }
    html = render(blocks.AccordionBlock(), raw, "sv")
    assert html.summary.get_text() == "Vad är ATMP?"
    assert "Avancerade terapier" in html.details.get_text()


def test_table():
    raw = {
        "caption": "Deltagare",
        "table": {
            "columns": [
                {"type": "text", "heading": "Grupp"},
                {"type": "number", "heading": "Antal"},
            ],
            "rows": [{"values": ["Universitet och företag", "60"]}],
        },
    }
    html = render(blocks.TableBlock(), raw, "sv")
    assert [th.get_text() for th in html.select("th")] == ["Grupp", "Antal"]
    assert [td.get_text(strip=True) for td in html.select("td")] == [
        "Universitet och företag",
        "60",
    ]
    assert html.caption.get_text() == "Deltagare"


def test_two_columns():
    raw = {
        "left": [{"type": "heading", "value": {"text": "Vänster", "level": "h2"}}],
        "right": [{"type": "quote", "value": {"text": "Höger", "attribution": ""}}],
    }
    html = render(blocks.TwoColumnBlock(), raw, "en")
    columns = html.select(".column")
    assert columns[0].h2.get_text() == "Vänster"
    assert columns[1].blockquote.get_text(strip=True) == "Höger"


def test_body_block_offers_the_whole_library():
    names = set(blocks.BodyBlock().child_blocks)
    assert {
        "heading",
        "paragraph",
        "image",
        "gallery",
        "quote",
        "call_to_action",
        "embed",
        "key_figures",
        "document",
        "accordion",
        "table",
        "two_columns",
    } <= names


def test_every_body_block_has_its_own_icon_and_a_description_in_each_language():
    children = blocks.BodyBlock().child_blocks
    icons = {name: block.meta.icon for name, block in children.items()}
    assert len(set(icons.values())) == len(icons), icons  # no two share an icon
    for language in ("sv", "en"):
        with translation.override(language):
            descriptions = {name: str(block.meta.description) for name, block in children.items()}
        assert all(descriptions.values()), descriptions
    with translation.override("sv"):
        assert str(children["key_figures"].meta.description).startswith("Upp till åtta tal")
    with translation.override("en"):
        assert str(children["key_figures"].meta.description).startswith("Up to eight numbers")


@pytest.mark.django_db
def test_the_block_chooser_offers_the_descriptions_in_the_editors_language(
    admin_client, admin_user, home_page
):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "sv"
    profile.save()
    html = admin_client.get(f"/admin/pages/add/home/standardpage/{home_page.pk}/").content.decode()
    # The block definitions travel as JSON in the page (non-ASCII letters escaped).
    assert json.dumps("Avsnitt som läsaren fäller ut ett i taget")[1:-1] in html
    assert "Sections a reader opens one at a time" not in html


# --- previews in the block chooser ------------------------------------------

# What each block's preview says, in each admin language: one text of its preview value
# (or, for the blocks that show the site's content, what they show when it has none).
PREVIEW_TEXTS = {
    "heading": ("rubrik som inleder ett avsnitt", "A heading that starts a section"),
    "paragraph": ("Löpande text i stycken", "Running text in paragraphs"),
    "image": ("bildtext under bilden", "A caption under the image"),
    "gallery": ("bildtext under varje bild", "A caption under each image"),
    "quote": ("ordagrant som det sades", "A quotation in the words"),
    "call_to_action": ("rubrik som lockar läsaren", "A heading that invites the reader"),
    "embed": ("bildtext under videon", "A caption under the video"),
    "key_figures": ("kort etikett under talet", "a short label under the figure"),
    "document": ("Dokumentets titel", "Title of the document"),
    "accordion": ("En fråga eller rubriken för ett avsnitt", "A question or the title"),
    "table": ("Vad tabellen visar", "What the table shows"),
    "two_columns": ("Vänster kolumn", "Left column"),
    "timeline_excerpt": ("Milstolpar ur en tidslinje", "Milestones from a timeline"),
    "award_winners": ("De senaste pristagarna i ett pris", "The latest winners of an award"),
    "upcoming_events": ("Kommande evenemang", "Upcoming events"),
}


def body_blocks():
    from home.models import StandardPage

    return StandardPage._meta.get_field("body").stream_block.child_blocks


@pytest.fixture
def editor_in(client, django_user_model):
    """A client logged in as a member of Editors whose admin speaks the given language."""
    from django.contrib.auth.models import Group
    from wagtail.users.models import UserProfile

    def login(language):
        user = django_user_model.objects.create_user(f"editor-{language}", password="pw-1234!")
        user.groups.add(Group.objects.get(name="Editors"))
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
        client.force_login(user)
        return client

    return login


def test_every_body_block_has_a_preview_text():
    assert set(PREVIEW_TEXTS) == set(body_blocks())


@pytest.mark.parametrize("language, column", [("sv", 0), ("en", 1)])
@pytest.mark.parametrize("name", sorted(PREVIEW_TEXTS))
def test_each_block_previews_in_the_admins_language(editor_in, home_page, language, column, name):
    client = editor_in(language)
    block = body_blocks()[name]
    response = client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
    assert response.status_code == 200
    html = BeautifulSoup(response.content.decode(), "html.parser")
    assert html.html["lang"] == language
    # The site's own stylesheet, so the block looks as it will on a page.
    assert any("css/portal.css" in link["href"] for link in html.select("link[rel=stylesheet]"))
    text = " ".join(html.body.get_text(" ").split())
    assert PREVIEW_TEXTS[name][column] in text
    assert PREVIEW_TEXTS[name][1 - column] not in text


def block_definitions(response):
    """{blockDefId: meta} of every block in the edit screen's StreamField definitions."""
    found, shared = {}, {}

    def unpack(node):
        # Telepath sends a value used twice once, with an "_id", then as {"_ref": id}.
        if isinstance(node, list):
            return [unpack(child) for child in node]
        if not isinstance(node, dict):
            return node
        if "_ref" in node:
            return shared[node["_ref"]]
        value = (
            unpack(node["_val"])
            if "_val" in node
            else {key: unpack(child) for key, child in node.items() if key != "_id"}
        )
        if "_id" in node:
            shared[node["_id"]] = value
        if isinstance(value, dict) and "blockDefId" in value:
            found[value["blockDefId"]] = value
        return value

    soup = BeautifulSoup(response.content.decode(), "html.parser")
    for element in soup.select("[data-w-block-data-value]"):
        unpack(json.loads(element["data-w-block-data-value"]))
    return found


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_block_chooser_gets_a_description_and_a_preview_for_every_block(
    editor_in, home_page, language
):
    """The body's definition in the edit screen: every block previewable and described in
    the editor's language (the chooser shows both), its preview address answering."""
    client = editor_in(language)
    response = client.get(f"/admin/pages/add/home/standardpage/{home_page.pk}/")
    assert response.status_code == 200
    definitions = block_definitions(response)
    for name, block in body_blocks().items():
        meta = definitions[block.definition_prefix]
        assert meta["isPreviewable"] is True, name
        with translation.override(language):
            assert meta["description"] == str(block.meta.description), name
    with translation.override("en"):
        english = str(body_blocks()["table"].meta.description)
    assert (definitions[body_blocks()["table"].definition_prefix]["description"] == english) == (
        language == "en"
    )


@pytest.mark.parametrize(
    "language, milestone", [("sv", "Första spadtaget"), ("en", "Ground broken")]
)
def test_a_timeline_excerpt_previews_the_sites_latest_timeline(
    editor_in, home_page, language, milestone
):
    from tests.factories.timelines import MilestoneFactory, TimelinePageFactory

    timeline = TimelinePageFactory(parent=home_page, title_sv="Historia", title_en="History")
    MilestoneFactory(page=timeline, title_sv="Första spadtaget", title_en="Ground broken")
    timeline.save_revision().publish()
    client = editor_in(language)
    block = body_blocks()["timeline_excerpt"]
    response = client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
    assert response.status_code == 200
    html = BeautifulSoup(response.content.decode(), "html.parser")
    assert html.select_one(".milestone-title").get_text(strip=True) == milestone
    assert not html.select(".block-preview-note")
