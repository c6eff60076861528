"""The block library: small blocks, then section blocks, then the body block.

Every page type's body uses ``BodyBlock`` so that an editor meets the same
blocks everywhere and a change here reaches every page type. Each block has
one template in ``portal/templates/blocks/``.
"""

from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

# Blocks that show content of other apps; those modules import no models.
from awards.blocks import AwardWinnersBlock
from events.blocks import UpcomingEventsBlock
from portal.block_previews import PreviewDocument, PreviewVideo
from portal.embeds import VideoAddressBlock
from portal.images import ALT_TEXT_HELP, MISSING_ALT_TEXT, alt_text, lacks_alt_text
from stories.blocks import TimelineExcerptBlock

# --- small blocks ---------------------------------------------------------


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Level 2")), ("h3", _("Level 3")), ("h4", _("Level 4"))],
        default="h2",
        help_text=_("Use level 2 for sections and 3–4 for sub-sections."),
    )

    def get_preview_value(self):
        # Built on request, in the admin's language (as every preview value below).
        return self.to_python({"text": gettext("A heading that starts a section"), "level": "h2"})

    class Meta:
        icon = "title"
        label = _("Heading")
        description = _("A heading that starts a section; level 2 for sections, 3–4 below them.")
        template = "blocks/heading_block.html"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "features", ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]
        )
        super().__init__(**kwargs)

    def get_preview_value(self):
        return self.to_python(
            "<p>{}</p><ul><li>{}</li><li>{}</li></ul>".format(
                gettext(
                    "Running text in paragraphs, with <b>bold</b> and <i>italic</i> words "
                    "where they help the reader."
                ),
                gettext("A list for things that belong together"),
                gettext("one point on each line"),
            )
        )

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        description = _("Paragraphs with bold, italics, links and lists.")
        template = "blocks/paragraph_block.html"


class ImageValue(blocks.StructValue):
    @property
    def alt(self):
        """The alternative text readers get (the one rule of portal/images.py)."""
        return alt_text(self.get("image"), self.get("alt_text"), self.get("decorative"))


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=250,
        help_text=_(
            "Describe what the image shows for readers who cannot see it. "
            "Leave empty only if the image is decorative."
        ),
    )
    decorative = blocks.BooleanBlock(
        label=_("Decorative image"),
        required=False,
        help_text=_("Tick if the image adds nothing to the text; screen readers then skip it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)
    credit = blocks.CharBlock(
        label=_("Photo credit"), required=False, max_length=150, help_text=_("e.g. photographer")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rule's wording is set here rather than as the child's argument: help text is
        # no stored data, and as an argument it would be copied into the migrations of
        # every app whose pages have a body.
        self.child_blocks["alt_text"].field.help_text = ALT_TEXT_HELP

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks import StructBlockValidationError

        value = super().clean(value)
        # A draft may wait for it, as for a hero image.
        if not self.is_deferred_validation and lacks_alt_text(
            value.get("image"), [value.get("alt_text")], value.get("decorative")
        ):
            raise StructBlockValidationError(
                block_errors={"alt_text": ValidationError(MISSING_ALT_TEXT)}
            )
        return value

    def get_preview_value(self):
        # No image: the preview draws an empty frame where the chosen image will be.
        return self.to_python(
            {
                "image": None,
                "alt_text": "",
                "decorative": False,
                "caption": gettext("A caption under the image"),
                "credit": gettext("photographer"),
            }
        )

    class Meta:
        value_class = ImageValue
        icon = "image"
        label = _("Image")
        description = _(
            "One image with alternative text, and an optional caption and photo credit."
        )
        template = "blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(
        label=_("Attribution"), required=False, max_length=200, help_text=_("Who said it")
    )

    def get_preview_value(self):
        return self.to_python(
            {
                "text": gettext("A quotation in the words of the person who said or wrote it."),
                "attribution": gettext("Who said it"),
            }
        )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        description = _("A quotation with who said it.")
        template = "blocks/quote_block.html"


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Link text"), max_length=100)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(
        label=_("External address"), required=False, help_text=_("Used when no page is chosen.")
    )

    def clean(self, value):
        value = super().clean(value)
        require_page_or_address(value)
        return value

    class Meta:
        icon = "link"
        label = _("Link")


def require_page_or_address(value):
    """A link (``LinkBlock``, ``FooterLinkBlock``) leads to a chosen page or an address."""
    from django.core.exceptions import ValidationError
    from wagtail.blocks import StructBlockValidationError

    if not value.get("page") and not value.get("url"):
        raise StructBlockValidationError(
            block_errors={"page": ValidationError(_("Choose a page or enter an address."))}
        )


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=150)
    text = blocks.TextBlock(label=_("Text"), required=False)
    link = LinkBlock(label=_("Button"))

    def get_preview_value(self):
        return self.to_python(
            {
                "heading": gettext("A heading that invites the reader"),
                "text": gettext("A short text on what the button leads to."),
                "link": {"label": gettext("Button text"), "page": None, "url": "#"},
            }
        )

    class Meta:
        icon = "pick"
        label = _("Call to action")
        description = _(
            "A highlighted box with a heading, a short text and a button to a page or an address."
        )
        template = "blocks/call_to_action_block.html"


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("Figure"), max_length=20, help_text=_("e.g. 150+"))
    label = blocks.CharBlock(label=_("Label"), max_length=80, help_text=_("e.g. participants"))

    class Meta:
        icon = "order"
        label = _("Key figure")


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=150)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Figures"), min_num=1, max_num=8)

    def get_preview_value(self):
        return self.to_python(
            {
                "heading": gettext("Key figures"),
                "figures": [
                    {"value": "150+", "label": gettext("a short label under the figure")},
                    {"value": "14", "label": gettext("what the figure counts")},
                ],
            }
        )

    class Meta:
        icon = "decimal"
        label = _("Key figures")
        description = _("Up to eight numbers with a label each, e.g. “150+ participants”.")
        template = "blocks/key_figures_block.html"


class GalleryBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=150)
    images = blocks.ListBlock(ImageBlock(), label=_("Images"), min_num=1)

    def get_preview_value(self):
        # No images: the preview draws an empty frame for each.
        item = {"image": None, "alt_text": "", "decorative": False, "credit": ""}
        return self.to_python(
            {
                "heading": gettext("Gallery"),
                "images": [
                    {**item, "caption": gettext("A caption under each image")},
                    {**item, "caption": gettext("A caption under each image")},
                ],
            }
        )

    class Meta:
        icon = "grid"
        label = _("Gallery")
        description = _("Several images side by side, each with alternative text.")
        template = "blocks/gallery_block.html"


class VideoEmbedBlock(blocks.StructBlock):
    # Any http(s) address is kept: one that gives no embed shows as a link to the video.
    embed = VideoAddressBlock(
        label=_("Video address"), help_text=_("Address of a video, e.g. on YouTube or Vimeo.")
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)

    def get_preview_value(self):
        # An empty frame where the video plays: no address, so nothing is fetched.
        value = self.to_python({"embed": "", "caption": gettext("A caption under the video")})
        value["embed"] = PreviewVideo()
        return value

    class Meta:
        icon = "media"
        label = _("Video")
        description = _(
            "A video from YouTube or Vimeo, played on the page; a link if it cannot be embedded."
        )
        template = "blocks/embed_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"), required=False, max_length=200, help_text=_("Defaults to the title")
    )

    def get_preview_value(self):
        value = self.to_python({"document": None, "title": ""})
        value["document"] = PreviewDocument()
        return value

    class Meta:
        icon = "doc-full"
        label = _("Download")
        description = _("A link to a document in the library, with its format and size.")
        template = "blocks/document_block.html"


class AccordionItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    body = ParagraphBlock(label=_("Text"))

    class Meta:
        icon = "collapse-down"
        label = _("Section")


class AccordionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=150)
    items = blocks.ListBlock(AccordionItemBlock(), label=_("Sections"), min_num=1)

    def get_preview_value(self):
        return self.to_python(
            {
                "heading": gettext("Questions and answers"),
                "items": [
                    {
                        "title": gettext("A question or the title of a section"),
                        "body": format_html(
                            "<p>{}</p>", gettext("The text the reader sees on opening the section.")
                        ),
                    },
                    {
                        "title": gettext("Another question"),
                        "body": format_html("<p>{}</p>", gettext("Its answer.")),
                    },
                ],
            }
        )

    class Meta:
        icon = "list-ul"
        label = _("Accordion")
        description = _("Sections a reader opens one at a time, e.g. questions and answers.")
        template = "blocks/accordion_block.html"


class TableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)
    table = TypedTableBlock(
        [
            ("text", blocks.CharBlock(label=_("Text"))),
            ("number", blocks.DecimalBlock(label=_("Number"))),
        ],
        label=_("Table"),
    )

    def get_preview_value(self):
        return self.to_python(
            {
                "caption": gettext("What the table shows"),
                "table": {
                    "columns": [
                        {"type": "text", "heading": gettext("Column of text")},
                        {"type": "number", "heading": gettext("Column of numbers")},
                    ],
                    "rows": [
                        {"values": [gettext("A row"), "10"]},
                        {"values": [gettext("Another row"), "20"]},
                    ],
                },
            }
        )

    class Meta:
        icon = "table"
        label = _("Table")
        description = _("A table of text and numbers with an optional caption.")
        template = "blocks/table_block.html"


# --- section blocks -------------------------------------------------------


class ColumnContentBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    key_figures = KeyFiguresBlock()
    document = DocumentBlock()

    class Meta:
        label = _("Column")


class TwoColumnBlock(blocks.StructBlock):
    left = ColumnContentBlock(label=_("Left column"))
    right = ColumnContentBlock(label=_("Right column"))

    def get_preview_value(self):
        return self.to_python(
            {
                "left": [
                    {"type": "heading", "value": {"text": gettext("Left column"), "level": "h2"}},
                    {
                        "type": "paragraph",
                        "value": format_html(
                            "<p>{}</p>", gettext("Text, images or figures on the left.")
                        ),
                    },
                ],
                "right": [
                    {"type": "heading", "value": {"text": gettext("Right column"), "level": "h2"}},
                    {
                        "type": "paragraph",
                        "value": format_html(
                            "<p>{}</p>", gettext("Beside it on a screen, below it on a phone.")
                        ),
                    },
                ],
            }
        )

    class Meta:
        icon = "grip"
        label = _("Two columns")
        description = _("Two columns side by side that stack on a phone.")
        template = "blocks/two_column_block.html"


# --- the body block -------------------------------------------------------


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    gallery = GalleryBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    embed = VideoEmbedBlock()
    key_figures = KeyFiguresBlock()
    document = DocumentBlock()
    accordion = AccordionBlock()
    table = TableBlock()
    two_columns = TwoColumnBlock()
    timeline_excerpt = TimelineExcerptBlock()
    award_winners = AwardWinnersBlock()
    upcoming_events = UpcomingEventsBlock()

    class Meta:
        label = _("Body")


# --- the footer (portal settings) -------------------------------------------


def in_readers_language(swedish, english):
    """(text, lang) for a Swedish text and its optional English one: the English text for
    a reader in English when there is one, else the Swedish one, then marked lang="sv"
    (an empty lang: the text is in the page's own language)."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return swedish, ""
    if english:
        return english, ""
    return swedish, settings.LANGUAGE_CODE


class FooterLinkValue(blocks.StructValue):
    # Worked out on each use, never kept: one value serves readers of both languages.
    @property
    def _text(self):
        page = self.get("page")
        if page:
            return in_readers_language(
                self.get("label_sv") or page.title_sv, self.get("label_en") or page.title_en
            )
        return in_readers_language(self.get("label_sv"), self.get("label_en"))

    @property
    def text(self):
        return self._text[0]

    @property
    def text_lang(self):
        return self._text[1]


class FooterLinkBlock(blocks.StructBlock):
    """A link in the footer: a page (its title in the reader's language) or an address."""

    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(
        label=_("External address"), required=False, help_text=_("Used when no page is chosen.")
    )
    label_sv = blocks.CharBlock(
        label=_("Link text (Swedish)"),
        required=False,
        max_length=100,
        help_text=_("The page's title is used when empty."),
    )
    label_en = blocks.CharBlock(
        label=_("Link text (English)"),
        required=False,
        max_length=100,
        help_text=_("The Swedish text is used when empty."),
    )

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks import StructBlockValidationError

        value = super().clean(value)
        require_page_or_address(value)
        if not value.get("page") and not value.get("label_sv"):
            raise StructBlockValidationError(
                block_errors={"label_sv": ValidationError(_("An address needs a link text."))}
            )
        return value

    class Meta:
        icon = "link"
        label = _("Link")
        value_class = FooterLinkValue


class FooterSectionValue(blocks.StructValue):
    @property
    def _heading(self):
        return in_readers_language(self.get("heading_sv"), self.get("heading_en"))

    @property
    def heading(self):
        return self._heading[0]

    @property
    def heading_lang(self):
        return self._heading[1]


class FooterSectionBlock(blocks.StructBlock):
    heading_sv = blocks.CharBlock(label=_("Heading (Swedish)"), max_length=80)
    heading_en = blocks.CharBlock(
        label=_("Heading (English)"),
        required=False,
        max_length=80,
        help_text=_("The Swedish heading is used when empty."),
    )
    links = blocks.ListBlock(FooterLinkBlock(), label=_("Links"))

    class Meta:
        icon = "list-ul"
        label = _("Section of links")
        value_class = FooterSectionValue
