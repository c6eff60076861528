"""Every block of the body block library renders, in Swedish and in English."""

import json

import pytest
from bs4 import BeautifulSoup
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
