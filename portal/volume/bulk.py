"""Writing generated pages in bulk, a batch at a time, with what Wagtail would have
written for each page published through the admin except its revision:

* page ids drawn for the whole batch at once (from the table's sequence on PostgreSQL);
* tree paths numbered here, after each parent's last child (``add_child`` instead
  validates every new page against all its siblings, and walks the tree per page);
* the per-language addresses (``url_path_sv``, ``url_path_en``) as
  wagtail-modeltranslation sets them: the parent's address in that language plus the
  page's slug in it, the Swedish slug where the page has none in that language; the
  untranslated columns (``title``, ``slug``, ``url_path``, ``lead``, …) hold the
  Swedish value, as modeltranslation writes them;
* the rows of every table of the page type (``wagtailcore_page``, then the type's own
  table: Django's ``bulk_create`` refuses multi-table children, and builds a model
  instance per row, which costs more than the rest of the work together), then the
  rows that point at the pages (topics, milestones, partners), each table in one
  statement of plain tuples (``COPY`` on PostgreSQL, ``executemany`` elsewhere), each
  value prepared by its model field as Django prepares it for the database;
* each parent's ``numchild`` once per batch;
* the pages' translation states (``PageTranslationState``), worked out from the text
  the generator holds by ``status.object_status``, as ``translation_status`` would;
* the portal's search index rows (``portal.search``) made from the text the generator
  already holds, assembled as ``portal.search.extract.page_text`` assembles it; on
  PostgreSQL copied into a staging table and from there into the index with the
  ``search_vector`` that ``portal.search.index.build_entries`` would give them (built
  in Python from each distinct word's lexemes, exact vectors cost Python about the time
  they saved PostgreSQL: measured, and left to the database).

Nothing here sends ``post_save`` or ``page_published``: Wagtail's own admin search
index and its reference index are not updated for these pages, and no revision is made
(the edit view starts from the page itself, as for any page without a revision).
"""

import functools
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models
from django.db.models import F
from django.utils import timezone
from modeltranslation import settings as mt_settings
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname
from wagtail.fields import StreamField
from wagtail.models import Page

from portal.search.extract import (
    HEADING_FIELDS,
    HIDDEN_TEXT_SUFFIX,
    MAX_TEXT_LENGTH,
    NON_TEXT_FIELDS,
    SUMMARY_FIELDS,
    PageText,
    clean_text,
    fold,
)
from portal.search.index import text_search_config
from portal.search.models import PageSearchEntry
from portal.translation_tools.fields import (
    TextRow,
    TextRows,
    child_relations,
    page_models,
    target_languages,
    translated_field_names,
)
from portal.translation_tools.models import PageTranslationState
from portal.translation_tools.status import object_status

# Values of these fields pass to the database as they are (str, int, bool, None): what
# their get_db_prep_save would return anyway. Every other field (dates, UUIDs, JSON,
# StreamFields) prepares its values with get_db_prep_save, as Django does.
PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def _is_plain(model_field):
    if isinstance(model_field, models.ForeignKey):
        return isinstance(model_field.target_field, models.IntegerField)
    return isinstance(model_field, PLAIN_FIELDS)


@dataclass
class SearchText:
    """The searchable text of a page in one language, as the generator made it.

    ``fields``: translated field name → the strings a reader sees in it, in order (a
    StreamField's strings block by block); ``keywords``: names of the related objects
    (topics, a category) and the page's language-neutral search fields, in the order
    ``portal.search.extract`` finds them; ``children``: the text of inline children
    (milestones, then eras)."""

    fields: dict
    keywords: list = field(default_factory=list)
    children: list = field(default_factory=list)


@dataclass
class Row:
    """A row that points at a generated page: ``values`` by column (attname), and the
    column that gets the page's id."""

    model: type
    values: dict
    page_column: str = "page_id"


@dataclass
class NewPage:
    """A generated page before it is written: its specific ``model``, its ``values`` by
    column (attname) for every table of the model, the ``parent`` page, the ``rows`` that
    point at it, and a ``SearchText`` per language it has text in."""

    model: type
    values: dict
    parent: Page
    rows: list = field(default_factory=list)
    search: dict = field(default_factory=dict)

    @property
    def pk(self):
        return self.values.get("id")


# --- columns ------------------------------------------------------------------------


class Table:
    """The columns of one model's own table and how a value is prepared for each."""

    def __init__(self, model, connection, with_auto_pk=False, without=()):
        self.model = model
        self.fields = [
            f for f in model._meta.local_concrete_fields
            if not f.generated and f.attname not in without
            and (with_auto_pk or not (f.primary_key and f.auto_created and not f.remote_field))
        ]  # fmt: skip
        self.attnames = [f.attname for f in self.fields]
        self.originals = _untranslated_columns(model, self.attnames)
        self.preparers = []
        for f in self.fields:
            if _is_plain(f):
                prepare = None
            elif isinstance(f, StreamField):
                # Raw stream data (lists of blocks) as JSONField stores it: the field's own
                # preparation builds a JSONField per value.
                prepare = functools.partial(connection.ops.adapt_json_value,
                                            encoder=DjangoJSONEncoder)  # fmt: skip
            else:
                prepare = functools.partial(_prepare, f, connection)
            if f.has_default() and callable(f.default):
                default, default_is_callable = f.default, True
            else:
                default, default_is_callable = f.get_default(), False
                if default is not None and not _is_plain(f):
                    default = _prepare(f, connection, default)
            self.preparers.append((f.attname, prepare, default, default_is_callable))
        quote = connection.ops.quote_name
        self.columns_sql = ", ".join(quote(f.column) for f in self.fields)
        self.name = quote(model._meta.db_table)

    def row(self, values):
        for original, localized in self.originals:
            if original not in values:
                value = values.get(localized)
                if value is not None:
                    values[original] = value
        row = []
        for attname, prepare, default, default_is_callable in self.preparers:
            if attname in values:
                value = values[attname]
                if prepare is not None and value is not None:
                    value = prepare(value)
            elif default_is_callable:
                value = default()
                if prepare is not None:
                    value = prepare(value)
            else:
                value = default
            row.append(value)
        return row

    def insert(self, cursor, rows):
        """Insert ``rows``: with ``COPY`` on PostgreSQL, else one ``executemany``."""
        if not rows:
            return
        if cursor.db.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {self.name} ({self.columns_sql}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(self.fields))
        cursor.executemany(
            f"INSERT INTO {self.name} ({self.columns_sql}) VALUES ({placeholders})", rows
        )


def _prepare(field, connection, value):
    return field.get_db_prep_save(value, connection=connection)


def _untranslated_columns(model, attnames):
    """(untranslated column, its Swedish column) for the translated fields of a table:
    the untranslated column holds the Swedish value, as modeltranslation saves it."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    default = mt_settings.DEFAULT_LANGUAGE
    return [
        (name, build_localized_fieldname(name, default))
        for name in options.all_fields
        if name in attnames and build_localized_fieldname(name, default) in attnames
    ]


def page_tables(model, connection):
    """The tables of a page type from ``wagtailcore_page`` down, with the column that
    holds the page's id in each."""
    tables = []
    for concrete in [*reversed(model._meta.get_parent_list()), model]:
        table = Table(concrete, connection, with_auto_pk=True)
        key = concrete._meta.pk.attname
        tables.append((table, key))
    return tables


# --- search index rows -------------------------------------------------------------


@functools.cache
def _text_fields(model):
    """(field name, part of the index it goes to) for the translated text fields of
    ``model``, in the order ``extract.page_text`` reads them."""
    parts = []
    for name in translated_field_names(model):
        if name in NON_TEXT_FIELDS or name.endswith(HIDDEN_TEXT_SUFFIX):
            continue
        part = (
            "heading" if name in HEADING_FIELDS else "summary" if name in SUMMARY_FIELDS else "body"
        )
        parts.append((name, part))
    return parts


def _join(parts):
    """``extract._join`` for the generator's strings, which are clean already (single
    spaces, no control characters, nothing around them): each once, in order."""
    return " ".join(dict.fromkeys(part for part in parts if part))[:MAX_TEXT_LENGTH]


def page_text(model, text):
    """The ``PageText`` of a generated page: ``extract.page_text``'s assembly of the
    strings ``text`` (a ``SearchText``) holds."""
    heading, summary, body = {}, {}, []
    for name, part in _text_fields(model):
        texts = text.fields.get(name, [])
        if part == "heading":
            heading[name] = texts
        elif part == "summary":
            summary[name] = texts
        else:
            body.extend(texts)
    title = clean_text(" ".join(heading.get("title", [])))
    body.extend(text.children)
    return PageText(
        title=title,
        heading=_join([title, *heading.get("seo_title", []), *heading.get("listing_title", [])]),
        summary=_join(text for name in SUMMARY_FIELDS for text in summary.get(name, [])),
        keywords=_join(text.keywords),
        body=_join(body),
    )


def search_rows(new, now):
    """Values of the page's search index rows, one per language with a title."""
    rows = []
    for language, text in new.search.items():
        found = page_text(new.model, text)
        if not found.title:
            continue
        everything = " ".join([found.heading, found.summary, found.keywords, found.body])
        rows.append(
            {
                "page_id": new.pk,
                "language": language,
                "title": found.title,
                "heading_text": found.heading,
                "summary": found.summary,
                "keywords": found.keywords,
                "body_text": found.body,
                "folded_heading": fold(found.heading),
                "folded_text": fold(everything),
                "indexed_at": now,
            }
        )
    return rows


# --- translation states ------------------------------------------------------------


@functools.cache
def _text_defaults(model):
    """The stored value of each translated column of ``model`` a generator leaves out."""
    return {
        column: model._meta.get_field(column).get_default()
        for name in translated_field_names(model)
        for column in (build_localized_fieldname(name, code)
                       for code in mt_settings.AVAILABLE_LANGUAGES)
    }  # fmt: skip


def _text_row(model, values, pk=None):
    """A ``TextRow`` of the text a generated object is written with."""
    return TextRow(model, {**_text_defaults(model), **values, "pk": pk})


def translation_state_rows(new, now, languages):
    """Values of the page's ``PageTranslationState`` rows, worked out from its text by
    ``status.object_status`` as ``translation_status`` would from the written rows."""
    page = _text_row(new.model, new.values, new.pk)
    for accessor, child_model in child_relations(new.model):
        children = [_text_row(row.model, row.values) for row in new.rows
                    if row.model is child_model]  # fmt: skip
        setattr(page, accessor, TextRows(children))
    status = object_status(page, "page", languages)
    return [
        {
            "page_id": new.pk,
            "language": language,
            "state": language_status.state,
            "live": new.values["live"],
            "content_type_id": new.values["content_type_id"],
            "missing": [gap.as_dict() for gap in language_status.missing],
            "optional_missing": list(language_status.optional_missing),
            "updated_at": now,
        }
        for language, language_status in status.languages.items()
    ]


# The vector ``index.build_entries`` makes with Django's SearchVector (title A, summary
# and keywords B, body C), written out so that PostgreSQL computes it as the rows are
# copied from the batch's staging table into the index.
SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector(%s::regconfig, COALESCE(heading_text, '')), 'A') || "
    "setweight(to_tsvector(%s::regconfig, COALESCE(summary, '') || ' ' || "
    "COALESCE(keywords, '')), 'B') || "
    "setweight(to_tsvector(%s::regconfig, COALESCE(body_text, '')), 'C')"
)
SEARCH_STAGING = "portal_volume_search_staging"


# --- writing ---------------------------------------------------------------------------


class TreeWriter:
    """Places generated pages in the tree and writes them a batch at a time."""

    def __init__(self, using="default"):
        self.using = using
        self.connection = connections[using]
        self.next_step = {}
        self._tables = {}

    def table(self, model):
        if model not in self._tables:
            self._tables[model] = Table(model, self.connection)
        return self._tables[model]

    def search_table(self):
        if PageSearchEntry not in self._tables:
            # The vector is computed by the INSERT on PostgreSQL, and stays empty elsewhere.
            self._tables[PageSearchEntry] = Table(
                PageSearchEntry, self.connection, without={"search_vector"}
            )
        return self._tables[PageSearchEntry]

    def tables(self, model):
        key = ("page", model)
        if key not in self._tables:
            self._tables[key] = page_tables(model, self.connection)
        return self._tables[key]

    def _allocate_ids(self, count):
        """Ids for the next ``count`` pages, taken from the database's own sequence."""
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence('wagtailcore_page', 'id')) "
                    "FROM generate_series(1, %s)",
                    [count],
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite: nothing else writes to a throwaway database meanwhile (the batch is
            # one transaction); explicit ids move its AUTOINCREMENT counter on.
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM wagtailcore_page")
            last = cursor.fetchone()[0]
            return list(range(last + 1, last + count + 1))

    def _first_free_step(self, parent):
        last = (
            Page.objects.using(self.using)
            .filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        return Page._str2int(last[-Page.steplen :]) + 1 if last else 1

    def place(self, new):
        """Tree path, depth and per-language addresses of ``new`` under its parent."""
        values, parent = new.values, new.parent
        known = {attname for table, _key in self.tables(new.model) for attname in table.attnames}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"{new.model.__name__} has no column {', '.join(sorted(unknown))}")
        if parent.pk not in self.next_step:
            self.next_step[parent.pk] = self._first_free_step(parent)
        step = self.next_step[parent.pk]
        if step >= len(Page.alphabet) ** Page.steplen:
            raise ValueError(f"{parent} cannot have more children in Wagtail's tree.")
        self.next_step[parent.pk] = step + 1
        values["depth"] = parent.depth + 1
        values["path"] = Page._get_path(parent.path, values["depth"], step)
        values["numchild"] = 0
        values["content_type_id"] = ContentType.objects.get_for_model(new.model).pk
        default = mt_settings.DEFAULT_LANGUAGE
        default_slug = values.get(build_localized_fieldname("slug", default))
        parent_default_path = getattr(parent, build_localized_fieldname("url_path", default))
        for language in mt_settings.AVAILABLE_LANGUAGES:
            url_path_field = build_localized_fieldname("url_path", language)
            slug = values.get(build_localized_fieldname("slug", language)) or default_slug
            parent_path = getattr(parent, url_path_field) or parent_default_path or "/"
            values[url_path_field] = f"{parent_path}{slug}/"

    def prepare(self, batch):
        """Ids and every row of a batch of placed ``NewPage``s, ready to insert: what can
        be done while the database still writes the batch before."""
        now = timezone.now()
        for new, page_id in zip(batch, self._allocate_ids(len(batch)), strict=True):
            new.values["id"] = page_id
        tables = {}
        for new in batch:
            for table, key in self.tables(new.model):
                values = new.values if key == "id" else {**new.values, key: new.pk}
                tables.setdefault(table.model, (table, []))[1].append(table.row(values))
        rows = {}
        for new in batch:
            for row in new.rows:
                row.values[row.page_column] = new.pk
                table = self.table(row.model)
                rows.setdefault(row.model, (table, []))[1].append(table.row(row.values))
        states = self.table(PageTranslationState)
        translated, languages = set(page_models()), target_languages()
        rows[PageTranslationState] = (
            states,
            [states.row(values) for new in batch if new.model in translated
             for values in translation_state_rows(new, now, languages)],
        )  # fmt: skip
        search = self.search_table()
        entries = [search.row(values) for new in batch for values in search_rows(new, now)]
        return Prepared(
            # Parents before children: wagtailcore_page first, then the page types' own
            # tables, then the rows that point at pages.
            tables=sorted(tables.values(), key=lambda item: item[0].model is not Page),
            rows=list(rows.values()),
            search_entries=entries,
            children=Counter(new.parent.pk for new in batch),
        )

    def insert(self, prepared):
        """Write a prepared batch (in the caller's transaction)."""
        connection = connections[self.using]  # this thread's connection
        with connection.cursor() as cursor:
            for table, table_rows in prepared.tables + prepared.rows:
                table.insert(cursor, table_rows)
            if connection.vendor == "postgresql":
                self._insert_search_rows_with_vectors(cursor, prepared.search_entries)
            else:
                self.search_table().insert(cursor, prepared.search_entries)
        for parent_pk, count in sorted(prepared.children.items()):  # one lock order
            Page.objects.using(self.using).filter(pk=parent_pk).update(
                numchild=F("numchild") + count
            )

    def _insert_search_rows_with_vectors(self, cursor, rows):
        """PostgreSQL: the rows copied into a staging table (this connection's own, emptied
        at each commit), then into the index with their vectors, a language at a time."""
        search = self.search_table()
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {SEARCH_STAGING} ON COMMIT DELETE ROWS "
            f"AS SELECT {search.columns_sql} FROM {search.name} WITH NO DATA"
        )
        cursor.execute(f"TRUNCATE {SEARCH_STAGING}")
        with cursor.cursor.copy(f"COPY {SEARCH_STAGING} ({search.columns_sql}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        for language, _name in settings.LANGUAGES:
            config = text_search_config(language)
            cursor.execute(
                f"INSERT INTO {search.name} ({search.columns_sql}, search_vector) "
                f"SELECT {search.columns_sql}, {SEARCH_VECTOR_SQL} FROM {SEARCH_STAGING} "
                "WHERE language = %s",
                [config, config, config, language],
            )

    def write(self, batch):
        """Insert a batch of placed ``NewPage``s and everything that belongs to them."""
        self.insert(self.prepare(batch))


@dataclass
class Prepared:
    tables: list
    rows: list
    search_entries: list
    children: Counter
