"""Rich text that enters from outside the editor passes the editor's own rules.

The Draftail editor stores only what its features allow: it converts HTML to its
content state and back. ``clean_rich_text`` does the same round trip (after
removing scripts and balancing the tags, which the converter needs), so imported
text can hold nothing the editor could not have saved, and the editor can always
open it again. What the round trip dropped is reported in words a translator
understands.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from bs4 import BeautifulSoup
from django.utils.html import escape
from django.utils.translation import gettext_noop
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.rich_text import features as feature_registry

from portal.translatable import Message

# Elements removed with their content: their text is code or markup, never prose.
CODE_ELEMENTS = [
    "script",
    "style",
    "template",
    "noscript",
    "iframe",
    "object",
    "svg",
    "math",
    "textarea",
    "select",
]
# The editor writes these on its own: their absence or presence is no loss.
EDITOR_ATTRIBUTES = {"data-block-key"}
# Tags the editor writes under another name for the same formatting.
SAME_AS = {"strong": "b", "em": "i"}
WHITESPACE = re.compile(r"\s+")
# Control characters no text needs (tab, newline and carriage return are fine);
# PostgreSQL refuses NUL in text outright.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>|<!--")
CONTROL_CHARACTERS_FOUND = Message(gettext_noop("the text contains control characters"))


class RichTextRefused(ValueError):
    """The text cannot be stored as rich text without changing what readers read."""


@dataclass
class CleanedRichText:
    html: str
    dropped: list = field(default_factory=list)  # what was removed, in words
    text_changed: bool = False  # readable text was lost, not only markup


class _Inventory(HTMLParser):
    """The elements, attributes and readable text of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.markup = Counter()
        self.text = []

    def handle_starttag(self, tag, attrs):
        tag = SAME_AS.get(tag, tag)
        self.markup[Message(gettext_noop("<%(tag)s> element"), tag=tag)] += 1
        for name, value in attrs:
            if name in EDITOR_ATTRIBUTES:
                continue
            if name == "href" and value:
                self.markup[
                    Message(gettext_noop("link address %(address)r"), address=_shorten(value))
                ] += 1
            else:
                self.markup[
                    Message(gettext_noop("%(name)s attribute of <%(tag)s>"), name=name, tag=tag)
                ] += 1

    def handle_data(self, data):
        self.text.append(data)


def _inventory(html):
    parser = _Inventory()
    parser.feed(html or "")
    parser.close()
    return parser.markup, WHITESPACE.sub("", "".join(parser.text))


def _shorten(value, length=40):
    value = WHITESPACE.sub(" ", value.strip())
    return value if len(value) <= length else value[: length - 1] + "…"


def converter_for(features=None):
    # As the Draftail widget: no feature list means the site's default features.
    return ContentstateConverter(features or feature_registry.get_default_features())


def editor_can_open(html, features=None):
    """True when the editor's converter reads ``html`` without failing."""
    try:
        converter_for(features).from_database_format(html or "")
    except Exception:  # the converter asserts on markup it cannot follow
        return False
    return True


def clean_rich_text(html, features=None):
    """``html`` as the editor with ``features`` would store it, and what that dropped.

    Raises ``RichTextRefused`` when the converter cannot read it even after
    balancing the tags.
    """
    html = html or ""
    if CONTROL_CHARACTERS.search(html):
        raise RichTextRefused(CONTROL_CHARACTERS_FOUND)
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(CODE_ELEMENTS):
        element.decompose()
    converter = converter_for(features)
    try:
        cleaned = converter.to_database_format(converter.from_database_format(str(soup)))
    except Exception as error:  # the converter asserts on markup it cannot follow
        raise RichTextRefused(
            Message(gettext_noop("the editor cannot read this markup (%(error)s)"), error=error)
        ) from error
    markup_before, text_before = _inventory(html)
    markup_after, text_after = _inventory(cleaned)
    dropped = sorted((markup_before - markup_after).keys())
    return CleanedRichText(html=cleaned, dropped=dropped, text_changed=text_before != text_after)


def repair_rich_text(html, features=None):
    """Something the editor can open, keeping as much as possible of ``html``.

    The cleaned text when it can be had; otherwise the readable text alone,
    escaped, in paragraphs.
    """
    try:
        return clean_rich_text(CONTROL_CHARACTERS.sub("", html or ""), features).html
    except RichTextRefused:
        soup = BeautifulSoup(html or "", "html.parser")
        for element in soup.find_all(CODE_ELEMENTS):
            element.decompose()
        paragraphs = [p.strip() for p in soup.get_text("\n").split("\n") if p.strip()]
        return "".join(f"<p>{escape(CONTROL_CHARACTERS.sub('', p))}</p>" for p in paragraphs)


def plain_text_problem(text, source=""):
    """Why ``text`` cannot go into a plain-text field, or None.

    Plain fields are shown as text, so markup in them would reach readers as
    visible tags; markup is refused unless the Swedish text has it too.
    """
    if CONTROL_CHARACTERS.search(text or ""):
        return CONTROL_CHARACTERS_FOUND
    if HTML_TAG.search(text or "") and not HTML_TAG.search(source or ""):
        return Message(gettext_noop("HTML markup in a plain-text field"))
    return None
