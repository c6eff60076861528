"""Walk the translatable text of any page, inline child or snippet.

The registry of django-modeltranslation says which fields are stored per
language (``<field>_sv`` / ``<field>_en``). Each piece of text becomes a
``TextUnit``: a plain field is one unit, a StreamField gives one unit per text
inside its blocks (headings, paragraphs, captions, table cells, …), and inline
children (milestones, award categories, …) give units under their page.

A unit's ``path`` names the text within its object and never changes while the
Swedish text stays where it is: ``("lead",)``, ``("body", "<block id>", "text")``,
``("milestones", "12", "text")``.
"""

import copy
import functools
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.utils.html import strip_tags
from django.utils.translation import get_language
from modelcluster.fields import ParentalKey
from modeltranslation import settings as mt_settings
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, get_page_models

# Derived from the slugs by Wagtail; never edited by hand.
DERIVED_FIELDS = {"url_path"}
# A page reads fine without these in another language (search engines use the
# title and the lead instead): they are listed, but never count as missing.
OPTIONAL_FIELDS = {"seo_title", "search_description"}
# Page fields come first, in the order an editor meets them.
PAGE_FIELD_ORDER = ["title", "slug", "seo_title", "search_description"]
# Blocks whose value is text a reader reads (URLs, numbers, choices are not).
TEXT_BLOCKS = (blocks.CharBlock, blocks.TextBlock, blocks.RichTextBlock)

# Marks "this text has no counterpart in the other language's stream".
_NO_PLACE = object()


def source_language():
    return mt_settings.DEFAULT_LANGUAGE


def target_languages():
    return [code for code in mt_settings.AVAILABLE_LANGUAGES if code != source_language()]


# Plain start and end tags: what Django's ``strip_tags`` removes from well-formed HTML.
_SIMPLE_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def has_text(value, rich_text=False):
    if not isinstance(value, str):
        return False
    if rich_text:
        text = "".join(_SIMPLE_TAG.split(value))
        # Anything left that looks like markup (comments, stray brackets): strip_tags decides.
        value = text if "<" not in text and ">" not in text else strip_tags(value)
    return bool(value.strip())


# --- which models and fields -------------------------------------------------


def translation_options(model):
    try:
        return translator.get_options_for_model(model)
    except NotRegistered:
        return None


@functools.cache
def translated_field_names(model):
    """The model's translated fields (inherited ones included), in form order (a tuple)."""
    options = translation_options(model)
    if options is None:
        return ()
    names = set(options.all_fields) - DERIVED_FIELDS
    ordered = [name for name in PAGE_FIELD_ORDER if name in names]
    ordered += [
        field.name
        for field in model._meta.concrete_fields
        if field.name in names and field.name not in ordered
    ]
    return tuple(ordered + sorted(names - set(ordered)))


@functools.cache
def child_relations(model):
    """Inline children (ParentalKey) with translated text: ``((accessor, child model), ...)``."""
    return tuple(
        (relation.get_accessor_name(), relation.related_model)
        for relation in model._meta.related_objects
        if isinstance(relation.field, ParentalKey)
        and translated_field_names(relation.related_model)
    )


def page_models():
    """Every concrete page type (wagtailcore.Page itself only through its subclasses)."""
    return [
        model
        for model in get_page_models()
        if model is not Page and not model._meta.abstract and translated_field_names(model)
    ]


def snippet_models():
    """Registered models that are neither pages nor inline children of another object."""
    return [
        model
        for model in translator.get_registered_models(abstract=False)
        if not issubclass(model, Page)
        and not model._meta.proxy
        and not any(isinstance(field, ParentalKey) for field in model._meta.concrete_fields)
        and translated_field_names(model)
    ]


def object_key(obj):
    """Stable name of an object in messages and PO contexts: ``page:42``, ``stories.topic:7``."""
    if is_page(obj):
        return f"page:{obj.pk}"
    return f"{obj._meta.label_lower}:{obj.pk}"


def is_page(obj):
    """A page, or a page read as text (``PageText``)."""
    return isinstance(obj, Page) or getattr(obj, "is_page", False)


# --- text units --------------------------------------------------------------


@dataclass
class TextUnit:
    path: tuple  # where the source text lives in its object
    field: str  # "lead", "body", "milestones.text"
    source: str
    target: str
    # Where the target text lives (for a StreamField, the matching block in the
    # target stream); None when the target stream has no block for this text.
    target_path: tuple | None
    rich_text: bool = False
    # The editor features allowed where the text lives (None: the site's defaults).
    features: list | None = None
    optional: bool = False
    stream: bool = False
    # The target StreamField is empty: it will be built from a copy of the source.
    target_stream_empty: bool = False
    # Whether source and target hold text (tags and whitespace aside), worked out once.
    has_source: bool = dataclass_field(init=False)
    has_target: bool = dataclass_field(init=False)

    def __post_init__(self):
        self.has_source = has_text(self.source, self.rich_text)
        self.has_target = has_text(self.target, self.rich_text)

    @property
    def key(self):
        return ":".join(self.path)

    @property
    def missing(self):
        return self.has_source and not self.has_target


class TextRow:
    """Stands in for a model instance when only its text is read: its translated columns
    (every language) as attributes, its inline children as ``TextRows`` by accessor."""

    def __init__(self, model, values):
        self.text_model = model
        self.__dict__.update(values)


class PageText(TextRow):
    """A page as a ``TextRow`` (see ``state.text_rows``), with what is said about a page:
    its type, and its title and address in the active language. The address is worked
    out by the page type's own ``get_url``, from the ``url_path`` columns read with it."""

    is_page = True

    @property
    def _meta(self):
        return self.text_model._meta

    def _translated(self, name):
        # As wagtail-modeltranslation reads it: the active language's, else Swedish.
        value = getattr(self, _localized(name, get_language()), None)
        return value or getattr(self, _localized(name, source_language()), None)

    @property
    def title(self):
        return self._translated("title")

    @property
    def url_path(self):
        return self._translated("url_path")

    def get_url(self, request=None):
        return self.text_model.get_url(self, request=request)

    def get_url_parts(self, request=None):
        return self.text_model.get_url_parts(self, request=request)

    def _get_relevant_site_root_paths(self, cache_object=None):
        return self.text_model._get_relevant_site_root_paths(self, cache_object)

    def _get_site_root_paths(self, cache_object=None):
        return self.text_model._get_site_root_paths(self, cache_object)


class TextRows(list):
    """Inline children of a ``TextRow``, as the related manager would give them."""

    def all(self):
        return self


def text_units(obj, language):
    """All text of ``obj`` (and its inline children) paired with ``language``."""
    return list(_object_units(obj, language, (), ""))


_localized = functools.cache(build_localized_fieldname)


def _object_units(obj, language, path, field_prefix):
    model = getattr(obj, "text_model", None) or type(obj)
    for name in translated_field_names(model):
        field = model._meta.get_field(name)
        source_name = _localized(name, source_language())
        target_name = _localized(name, language)
        label = field_prefix + name
        optional = name in OPTIONAL_FIELDS and not field_prefix
        if isinstance(field, StreamField):
            source_raw = stream_raw(obj, source_name)
            target_raw = stream_raw(obj, target_name)
            for source_path, text, target_path, target_text, rich_block in pair_stream_texts(
                field.stream_block, source_raw, target_raw
            ):
                yield TextUnit(
                    path=path + (name,) + source_path,
                    field=label,
                    source=text,
                    target=target_text,
                    target_path=None if target_path is None else path + (name,) + target_path,
                    rich_text=rich_block is not None,
                    features=getattr(rich_block, "features", None),
                    optional=optional,
                    stream=True,
                    target_stream_empty=not target_raw,
                )
        else:
            yield TextUnit(
                path=path + (name,),
                field=label,
                source=_as_text(getattr(obj, source_name, "")),
                target=_as_text(getattr(obj, target_name, "")),
                target_path=path + (name,),
                rich_text=isinstance(field, RichTextField),
                features=getattr(field, "features", None),
                optional=optional,
            )
    for accessor, _child_model in child_relations(model):
        for index, child in enumerate(getattr(obj, accessor).all()):
            child_key = str(child.pk) if child.pk else f"#{index}"
            yield from _object_units(child, language, path + (accessor, child_key), f"{accessor}.")


def _as_text(value):
    return value if isinstance(value, str) else ""


def stream_raw(obj, attname):
    """The JSON-like data of a StreamField value (a list of blocks with ids)."""
    value = getattr(obj, attname, None)
    if value is None:
        return []
    if hasattr(value, "get_prep_value"):
        return value.get_prep_value()
    return list(value)


def pair_stream_texts(stream_block, source_raw, target_raw):
    """Yield ``(source path, source text, target path, target text, rich block)`` per text.

    The rich block is the RichTextBlock holding a rich text, None for plain text.

    Blocks pair up by id when the target stream was copied from the source
    (the editor's copy button and the PO import keep the ids), otherwise by
    position and block type. When the target stream is empty, every text's
    target path is its source path: the target is built from a copy.
    """
    if not target_raw:
        for path, text, rich_block in _walk(stream_block, source_raw, ()):
            yield path, text, path, "", rich_block
        return
    yield from _pair(stream_block, source_raw, target_raw, (), ())


def _is_list_item(item):
    return (
        isinstance(item, dict) and "id" in item and "value" in item and item.get("type") == "item"
    )


def _sequence(block, raw):
    """Children of a stream or list level: ``[(key, type, value, child block)]``."""
    children = []
    if not isinstance(raw, list):
        return children
    if isinstance(block, blocks.StreamBlock):
        for index, item in enumerate(raw):
            if not isinstance(item, dict):
                continue
            child_block = block.child_blocks.get(item.get("type"))
            if child_block is not None:
                key = item.get("id") or f"#{index}"
                children.append((key, item["type"], item.get("value"), child_block))
    else:
        for index, item in enumerate(raw):
            if _is_list_item(item):
                children.append(
                    (item["id"] or f"#{index}", "item", item["value"], block.child_block)
                )
            else:
                children.append((f"#{index}", "item", item, block.child_block))
    return children


def _text_columns(block, raw):
    columns = raw.get("columns", []) if isinstance(raw, dict) else []
    return [
        index
        for index, column in enumerate(columns)
        if isinstance(block.child_blocks.get(column.get("type")), TEXT_BLOCKS)
    ]


def _walk(block, raw, path):
    """Yield ``(path, text, rich block)`` for every text in a block value."""
    for source_path, text, _target_path, _target, rich_block in _pair(
        block, raw, _NO_PLACE, path, None
    ):
        yield source_path, text, rich_block


def _pair(block, source, target, source_path, target_path):
    no_place = target is _NO_PLACE or target_path is None
    if isinstance(block, (blocks.StreamBlock, blocks.ListBlock)):
        source_children = _sequence(block, source)
        target_children = [] if no_place else _sequence(block, target)
        position = {child[0]: index for index, child in enumerate(target_children)}
        by_id = any(not key.startswith("#") and key in position for key, *_rest in source_children)
        used = set()
        for index, (key, type_, value, child_block) in enumerate(source_children):
            match = position.get(key) if by_id else index
            if (
                match is not None
                and match < len(target_children)
                and match not in used
                and target_children[match][1] == type_
            ):
                used.add(match)
                target_key, _type, target_value, _block = target_children[match]
                yield from _pair(
                    child_block,
                    value,
                    target_value,
                    source_path + (key,),
                    target_path + (target_key,),
                )
            else:
                yield from _pair(child_block, value, _NO_PLACE, source_path + (key,), None)
    elif isinstance(block, TypedTableBlock):
        yield from _pair_table(block, source, target, source_path, target_path, no_place)
    elif isinstance(block, blocks.StructBlock):
        source = source if isinstance(source, dict) else {}
        for name, child_block in block.child_blocks.items():
            if no_place or not isinstance(target, dict):
                yield from _pair(
                    child_block, source.get(name), _NO_PLACE, source_path + (name,), None
                )
            else:
                yield from _pair(
                    child_block,
                    source.get(name),
                    target.get(name),
                    source_path + (name,),
                    target_path + (name,),
                )
    elif isinstance(block, TEXT_BLOCKS):
        rich_block = block if isinstance(block, blocks.RichTextBlock) else None
        text = source if isinstance(source, str) else ""
        if no_place:
            yield source_path, text, None, "", rich_block
        else:
            target_text = target if isinstance(target, str) else ""
            yield source_path, text, target_path, target_text, rich_block


def _pair_table(block, source, target, source_path, target_path, no_place):
    if not isinstance(source, dict):
        return
    columns = source.get("columns", [])
    same_shape = (
        not no_place
        and isinstance(target, dict)
        and [c.get("type") for c in target.get("columns", [])] == [c.get("type") for c in columns]
    )
    target_rows = target.get("rows", []) if same_shape else []

    def place(*keys):
        return target_path + keys if same_shape else None

    text_columns = _text_columns(block, source)
    for index, column in enumerate(columns):
        target_heading = target["columns"][index].get("heading", "") if same_shape else ""
        yield (
            source_path + ("columns", str(index), "heading"),
            column.get("heading") or "",
            place("columns", str(index), "heading"),
            target_heading or "",
            None,
        )
    for row_index, row in enumerate(source.get("rows", [])):
        for column_index in text_columns:
            values = row.get("values", [])
            text = values[column_index] if column_index < len(values) else ""
            has_row = same_shape and row_index < len(target_rows)
            target_text = target_rows[row_index]["values"][column_index] if has_row else ""
            yield (
                source_path + ("rows", str(row_index), str(column_index)),
                text if isinstance(text, str) else "",
                place("rows", str(row_index), str(column_index)) if has_row else None,
                target_text if isinstance(target_text, str) else "",
                None,
            )
    if "caption" in source:
        yield (
            source_path + ("caption",),
            source.get("caption") or "",
            place("caption"),
            (target.get("caption") or "") if same_shape else "",
            None,
        )


def set_stream_text(stream_block, raw, path, text):
    """Put ``text`` at ``path`` in a stream's JSON-like data (changed in place)."""
    _set(stream_block, raw, tuple(path), text)
    return raw


def _set(block, raw, path, text):
    if not path:
        return text
    key, rest = path[0], path[1:]
    if isinstance(block, (blocks.StreamBlock, blocks.ListBlock)):
        for index, item in enumerate(raw):
            if isinstance(block, blocks.StreamBlock):
                if (item.get("id") or f"#{index}") == key:
                    child_block = block.child_blocks[item["type"]]
                    item["value"] = _set(child_block, item.get("value"), rest, text)
                    return raw
            elif _is_list_item(item) and (item["id"] or f"#{index}") == key:
                item["value"] = _set(block.child_block, item["value"], rest, text)
                return raw
            elif not _is_list_item(item) and f"#{index}" == key:
                raw[index] = _set(block.child_block, item, rest, text)
                return raw
        raise KeyError(":".join(path))
    if isinstance(block, TypedTableBlock):
        if key == "caption":
            raw["caption"] = text
        elif key == "columns":
            raw["columns"][int(rest[0])]["heading"] = text
        elif key == "rows":
            raw["rows"][int(rest[0])]["values"][int(rest[1])] = text
        else:
            raise KeyError(key)
        return raw
    if isinstance(block, blocks.StructBlock):
        if key not in block.child_blocks:
            raise KeyError(key)
        raw = raw if isinstance(raw, dict) else {}
        raw[key] = _set(block.child_blocks[key], raw.get(key), rest, text)
        return raw
    raise KeyError(key)


def copy_stream(raw):
    return copy.deepcopy(raw)


def locate(obj, path, children=None):
    """Follow inline children in ``path``: ``(owner object, field name, path in the field)``.

    ``children`` caches the inline children read so far, so that several texts of
    one child are written to the same in-memory object.
    """
    children = {} if children is None else children
    owner = obj
    path = tuple(path)
    while True:
        relations = dict(child_relations(type(owner)))
        if path[0] in relations and len(path) > 2:
            accessor, child_key, path = path[0], path[1], path[2:]
            cache_key = (id(owner), accessor)
            if cache_key not in children:
                children[cache_key] = (owner, accessor, list(getattr(owner, accessor).all()))
            owner = _find_child(children[cache_key][2], child_key)
            continue
        return owner, path[0], path[1:]


def _find_child(items, child_key):
    for index, item in enumerate(items):
        if (str(item.pk) if item.pk else f"#{index}") == child_key:
            return item
    raise KeyError(child_key)


def write_texts(obj, writes):
    """Put texts into ``obj`` and its inline children, in memory: ``[(path, language, text)]``.

    A StreamField still empty in ``language`` starts as a copy of the source language's
    stream (same blocks, images and order); otherwise only its texts change. Inline
    children are set back on their relation, so saving ``obj`` or a revision keeps them.
    """
    children = {}
    streams = {}  # (id(owner), attname) -> (owner, attname, stream block, JSON-like data)
    for path, language, text in writes:
        owner, field_name, rest = locate(obj, path, children)
        attname = build_localized_fieldname(field_name, language)
        model_field = type(owner)._meta.get_field(field_name)
        if isinstance(model_field, StreamField):
            key = (id(owner), attname)
            if key not in streams:
                current = stream_raw(owner, attname) or stream_raw(
                    owner, build_localized_fieldname(field_name, source_language())
                )
                streams[key] = (owner, attname, model_field.stream_block, copy_stream(current))
            set_stream_text(streams[key][2], streams[key][3], rest, text)
        else:
            setattr(owner, attname, text)
    for owner, attname, _block, raw in streams.values():
        setattr(owner, attname, raw)
    for parent, accessor, items in children.values():
        getattr(parent, accessor).set(items)
