"""The searchable text of a page in one language, found generically for any page type.

Text comes from the fields registered with modeltranslation, read as
``<field>_<language>`` so that a language never borrows another's text:

* title, SEO title and teaser title → ``heading`` (weight A);
* lead, teaser text and search description → ``summary`` (weight B);
* names of related translated objects (topics, categories) and the page's own
  language-neutral search fields (winner, organisation) → ``keywords`` (weight B);
* everything else: StreamField bodies walked block by block (headings, rich text,
  captions, quotes, key figures, table cells, …), translated text of inline
  children such as milestones or categories → ``body`` (weight C).

Image alternative texts, slugs, addresses and choice keys are left out: readers
never see them as text on the page.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db import models
from modelcluster.fields import ParentalKey
from modeltranslation.fields import TranslationField
from modeltranslation.utils import build_localized_fieldname
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index

from portal.translation_tools.fields import translated_field_names, translation_options

HEADING_FIELDS = ("title", "seo_title", "listing_title")
SUMMARY_FIELDS = ("lead", "listing_summary", "search_description")
# Translated fields that are addresses or identifiers rather than readable text.
NON_TEXT_FIELDS = ("slug", "url_path", "draft_title")
# Text readers do not see on the page.
HIDDEN_TEXT_SUFFIX = "alt_text"
# PostgreSQL limits a tsvector to 1 MB; a page body never comes near this.
MAX_TEXT_LENGTH = 200_000

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


@dataclass
class PageText:
    title: str
    heading: str
    summary: str
    keywords: str
    body: str


def clean_text(text):
    """One line of plain text: no control characters, single spaces."""
    text = _CONTROL_CHARACTERS.sub(" ", str(text or ""))
    return _WHITESPACE.sub(" ", text).strip()


def fold(text):
    """Lower-cased words separated by single spaces, with a leading space.

    Matching `` <term>`` in this text finds words beginning with the term.
    """
    words = _WORD.findall(unicodedata.normalize("NFC", text).casefold())
    return " " + " ".join(words) if words else ""


def _join(parts):
    """Cleaned parts in order, each once (a repeated heading adds nothing)."""
    unique = dict.fromkeys(clean_text(part) for part in parts)
    return " ".join(part for part in unique if part)[:MAX_TEXT_LENGTH]


def is_readable_text_field(field):
    if isinstance(field, (StreamField, RichTextField)):
        return True
    if isinstance(field, (models.SlugField, models.URLField, models.EmailField)):
        return False
    if getattr(field, "choices", None):
        return False
    return isinstance(field, (models.CharField, models.TextField))


def field_text(field, value):
    """Readable strings of one field value."""
    if value in (None, ""):
        return []
    if isinstance(field, StreamField):
        return block_text(field.stream_block, value)
    if isinstance(field, RichTextField):
        return [get_text_for_indexing(str(value))]
    return [str(value)]


def block_text(block, value):
    """Every string a reader sees in a block value, walking structures recursively."""
    if value is None:
        return []
    if isinstance(block, (blocks.ChoiceBlock, blocks.MultipleChoiceBlock)):
        # The stored value is a key such as "h2"; its label is interface text.
        return []
    if isinstance(block, blocks.StreamBlock):
        texts = []
        for child in value:
            texts.extend(block_text(child.block, child.value))
        return texts
    if isinstance(block, blocks.ListBlock):
        texts = []
        for item in value:
            texts.extend(block_text(block.child_block, item))
        return texts
    if isinstance(block, blocks.StructBlock):
        texts = []
        for name, child_block in block.child_blocks.items():
            if name.endswith(HIDDEN_TEXT_SUFFIX):
                continue
            texts.extend(block_text(child_block, value.get(name)))
        return texts
    # Rich text, characters, table cells: Wagtail knows what each block shows.
    return [str(text) for text in block.get_searchable_content(value) if text]


def object_text(obj, language, names_only=False):
    """Text of a translated object (a topic, a category, a milestone) in ``language``."""
    texts = []
    for name in translated_field_names(type(obj)):
        if name in NON_TEXT_FIELDS or name.endswith(HIDDEN_TEXT_SUFFIX):
            continue
        field = obj._meta.get_field(name)
        if not is_readable_text_field(field):
            continue
        if names_only and not isinstance(field, models.CharField):
            continue
        texts.extend(field_text(field, getattr(obj, build_localized_fieldname(name, language))))
    return texts


def _is_translated_model(model):
    return (
        model is not None and translation_options(model) is not None and not issubclass(model, Page)
    )


def related_names_text(page, language):
    """Names of translated objects the page points at: topics, a winner's category."""
    texts = []
    for field in page._meta.get_fields():
        if not (field.many_to_many or field.many_to_one) or field.auto_created:
            continue
        if isinstance(field, TranslationField) or not _is_translated_model(field.related_model):
            continue
        if field.many_to_many:
            related = list(getattr(page, field.name).all())
        else:
            obj = getattr(page, field.name, None)
            related = [obj] if obj is not None else []
        for obj in related:
            texts.extend(object_text(obj, language, names_only=True))
    return texts


def inline_children_text(page, language):
    """Translated text of inline children (milestones, categories, eras)."""
    texts = []
    for relation in page._meta.related_objects:
        if not isinstance(relation.field, ParentalKey):
            continue
        if not _is_translated_model(relation.related_model):
            continue
        for child in getattr(page, relation.get_accessor_name()).all():
            texts.extend(object_text(child, language))
    return texts


def neutral_search_fields_text(page):
    """Untranslated fields the page type declares searchable (names stored once)."""
    translated = set(translated_field_names(type(page)))
    texts = []
    for search_field in type(page).get_search_fields():
        if not isinstance(search_field, index.SearchField):
            continue
        name = search_field.field_name
        if name in translated:
            continue
        try:
            field = page._meta.get_field(name)
        except models.FieldDoesNotExist:
            continue
        if isinstance(field, TranslationField) or not is_readable_text_field(field):
            continue
        texts.extend(field_text(field, getattr(page, name, "")))
    return texts


def page_text(page, language):
    """The searchable text of a specific page in ``language``."""
    heading, summary, body = {}, {}, []
    for name in translated_field_names(type(page)):
        if name in NON_TEXT_FIELDS or name.endswith(HIDDEN_TEXT_SUFFIX):
            continue
        field = page._meta.get_field(name)
        if not is_readable_text_field(field):
            continue
        texts = field_text(field, getattr(page, build_localized_fieldname(name, language), None))
        if name in HEADING_FIELDS:
            heading[name] = texts
        elif name in SUMMARY_FIELDS:
            summary[name] = texts
        else:
            body.extend(texts)
    title = clean_text(" ".join(heading.get("title", [])))
    keywords = related_names_text(page, language) + neutral_search_fields_text(page)
    body.extend(inline_children_text(page, language))
    return PageText(
        title=title,
        heading=_join([title, *heading.get("seo_title", []), *heading.get("listing_title", [])]),
        # The lead first: snippets start with it.
        summary=_join(text for name in SUMMARY_FIELDS for text in summary.get(name, [])),
        keywords=_join(keywords),
        body=_join(body),
    )
