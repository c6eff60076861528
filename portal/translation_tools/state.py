"""Keeping ``PageTranslationState`` current, and reading counts from it.

The translation state of a page depends on its stored (live) content, inline children
included. A save of a page or of an inline child marks the page's rows *stale* (one
query); publishing works them out again at once. Whatever is still stale, and any page
that has no rows yet (pages written in bulk, without ``save()``), is worked out by the
next reader (``refresh``), at most ``REFRESH_LIMIT`` pages per call so that a large
import never makes an admin view slow; ``rebuild`` (``manage.py translation_status``)
works out every page.

Readers filter by the page's live flag, which the rows copy; aliases get no rows (they
repeat their original's text), and neither does the root of the tree.
"""

import json
import logging
import sys
from collections import defaultdict

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_migrate, post_save
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.signals import page_published

from .fields import (
    TextRow,
    TextRows,
    child_relations,
    page_models,
    target_languages,
    translated_field_names,
)
from .models import STALE, PageTranslationState, TranslationCount

logger = logging.getLogger(__name__)

# Pages worked out by one admin view at most; the rest waits for the next view.
REFRESH_LIMIT = 500
# Pages loaded at a time when walking the whole tree.
CHUNK_SIZE = 500

_cache = {}


def _page_model_set():
    if "page_models" not in _cache:
        _cache["page_models"] = frozenset(page_models())
    return _cache["page_models"]


def page_content_type_ids():
    """Content type ids of the page types that have translated text (from Django's cache)."""
    types = ContentType.objects.get_for_models(*_page_model_set(), for_concrete_models=False)
    return sorted(content_type.pk for content_type in types.values())


def _child_parent_fields():
    """``{inline child model: attname of its page key}`` for children with translated text."""
    if "children" not in _cache:
        children = {}
        for model in _page_model_set():
            for accessor, child_model in child_relations(model):
                relation = next(
                    r for r in model._meta.related_objects if r.get_accessor_name() == accessor
                )
                children[child_model] = relation.field.attname
        _cache["children"] = children
    return _cache["children"]


def _content_fields(model):
    """Field names whose change can change the page's translation state."""
    key = ("fields", model)
    if key not in _cache:
        names = {"live"}
        for name in translated_field_names(model):
            names.add(name)
            names.update(
                build_localized_fieldname(name, code) for code in mt_settings.AVAILABLE_LANGUAGES
            )
        names.update(accessor for accessor, _child in child_relations(model))
        _cache[key] = frozenset(names)
    return _cache[key]


def listed_pages():
    """Pages that get rows: every page of a translated type but the root and aliases."""
    return Page.objects.filter(
        depth__gt=1, alias_of__isnull=True, content_type_id__in=page_content_type_ids()
    )


# --- loading pages ------------------------------------------------------------


def page_id_chunks(queryset, chunk_size=None):
    """``[(pk, content type id)]`` lists of ``queryset``'s pages in tree order.

    Each chunk is one indexed query continuing after the last path seen, so walking
    100,000 pages holds one chunk at a time and never repeats a scan.
    """
    chunk_size = chunk_size or CHUNK_SIZE
    queryset = queryset.order_by("path")
    last_path = ""
    while True:
        rows = list(
            queryset.filter(path__gt=last_path).values_list("pk", "content_type_id", "path")[
                :chunk_size
            ]
        )
        if not rows:
            return
        last_path = rows[-1][2]
        yield [(pk, content_type_id) for pk, content_type_id, _path in rows]


def _text_columns(model):
    """The page fields a state is worked out from: every language's text; live flag, type."""
    key = ("columns", model)
    if key not in _cache:
        _cache[key] = ("live", "content_type") + tuple(
            build_localized_fieldname(name, code)
            for name in translated_field_names(model)
            for code in mt_settings.AVAILABLE_LANGUAGES
        )
    return _cache[key]


def path_ranges(queryset, chunk_size=None):
    """``(after, last)``: the tree paths bounding each chunk ``page_id_chunks`` gives (the
    chunk's pages are those with paths in (after, last])."""
    chunk_size = chunk_size or CHUNK_SIZE
    paths = queryset.order_by("path").values_list("path", flat=True)
    after = ""
    while chunk := list(paths.filter(path__gt=after)[:chunk_size]):
        yield after, chunk[-1]
        after = chunk[-1]


def specific_pages(rows, children=True, only_translated=True, text_only=False, extra=()):
    """The specific pages of ``[(pk, content type id)]``, in that order.

    One query per page type, plus one per inline child relation with translated text.
    ``only_translated``: leave out pages of types without translated text; ``text_only``:
    load only the columns a state is worked out from, and the ``extra`` ones.
    """
    by_type = defaultdict(list)
    for pk, content_type_id in rows:
        by_type[content_type_id].append(pk)
    loaded = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or (only_translated and model not in _page_model_set()):
            continue
        queryset = model.objects.filter(pk__in=ids)
        if text_only:
            queryset = queryset.only(*_text_columns(model), *extra)
        if children:
            for accessor, _child_model in child_relations(model):
                queryset = queryset.prefetch_related(accessor)
        loaded.update((page.pk, page) for page in queryset)
    return [loaded[pk] for pk, _ct in rows if pk in loaded]


def _raw_values(queryset):
    """The rows of a ``values_list`` queryset as dicts, as the database gives them (no
    model instances, no field conversions: JSON as text, booleans maybe as numbers)."""
    query = queryset.query
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    sql, params = query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _text_values(model, row):
    """A raw row's text as ``text_units`` reads it: StreamFields as lists of blocks."""
    for name in translated_field_names(model):
        field = model._meta.get_field(name)
        if not isinstance(field, StreamField):
            continue
        for code in mt_settings.AVAILABLE_LANGUAGES:
            column = build_localized_fieldname(name, code)
            value = row.get(column)
            if isinstance(value, str):
                try:
                    row[column] = json.loads(value) if value else []
                except ValueError:  # not JSON: what the field itself makes of it
                    row[column] = field.to_python(value).get_prep_value()
    return row


def _translated_columns(model):
    return [
        build_localized_fieldname(name, code)
        for name in translated_field_names(model)
        for code in mt_settings.AVAILABLE_LANGUAGES
    ]


def text_rows(rows, extra=(), row_class=TextRow, only_translated=True):
    """The pages of ``[(pk, content type id)]`` as ``TextRow``s, in that order: the text of
    each page and its inline children read from the database as it is stored, one query
    per page type and per inline relation (a tenth of what model instances cost).

    ``extra``: more page columns to read; ``row_class``: a ``TextRow`` class for the
    pages; ``only_translated``: leave out pages of types without translated text.
    """
    by_type = defaultdict(list)
    for pk, content_type_id in rows:
        by_type[content_type_id].append(pk)
    loaded = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or (only_translated and model not in _page_model_set()):
            continue
        pages = {}
        values = model._default_manager.filter(pk__in=ids).values_list(
            "pk", "live", "content_type_id", *extra, *_translated_columns(model)
        )
        for row in _raw_values(values):
            row["live"] = bool(row["live"])
            page = row_class(model, _text_values(model, row))
            pages[page.pk] = page
            for accessor, _child_model in child_relations(model):
                setattr(page, accessor, TextRows())
        for accessor, child_model in child_relations(model):
            parent = _child_parent_fields()[child_model]
            children = child_model._default_manager.filter(
                **{f"{parent}__in": list(pages)}
            ).values_list("pk", parent, *_translated_columns(child_model))
            for row in _raw_values(children):
                getattr(pages[row[parent]], accessor).append(
                    TextRow(child_model, _text_values(child_model, row))
                )
        loaded.update(pages)
    return [loaded[pk] for pk, _ct in rows if pk in loaded]


def iter_specific_pages(queryset, chunk_size=None, children=True):
    """Every page of ``queryset`` as its specific type, in tree order, a chunk at a time."""
    for rows in page_id_chunks(queryset, chunk_size):
        yield from specific_pages(rows, children=children)


# --- working states out ---------------------------------------------------------


def state_rows(status):
    """Unsaved rows of a page's ``ObjectStatus``, one per language."""
    page = status.obj
    return [
        PageTranslationState(
            page_id=page.pk,
            language=language,
            state=language_status.state,
            live=page.live,
            content_type_id=page.content_type_id,
            missing=[gap.as_dict() for gap in language_status.missing],
            optional_missing=list(language_status.optional_missing),
        )
        for language, language_status in status.languages.items()
    ]


def store(rows):
    """Insert or overwrite rows (one query)."""
    if rows:
        forget_counts()
        PageTranslationState.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["page", "language"],
            update_fields=[
                "state",
                "live",
                "content_type",
                "missing",
                "optional_missing",
                "updated_at",
            ],
        )


def compute(pages, languages=None):
    """``[ObjectStatus]`` of pages (model instances or ``TextRow``s), stored as rows as
    well: only the rows that change, so that working out an unchanged site writes nothing
    (and leaves the table's index-only counts fast)."""
    from .status import object_status

    languages = languages or target_languages()
    statuses = [object_status(page, "page", languages) for page in pages]
    stored_rows = rows_by_page([status.obj.pk for status in statuses], languages)
    store(
        [
            row
            for status in statuses
            for row in state_rows(status)
            if not _same(stored_rows[row.page_id].get(row.language), row)
        ]
    )
    return statuses


def _same(stored_row, row):
    return stored_row is not None and all(
        getattr(stored_row, name) == getattr(row, name)
        for name in ("state", "live", "content_type_id", "missing", "optional_missing")
    )


def refresh_pages(page_ids):
    """Work out the rows of these pages again from their stored content."""
    page_ids = list(page_ids)
    rows = list(listed_pages().filter(pk__in=page_ids).values_list("pk", "content_type_id"))
    statuses = compute(text_rows(rows))
    gone = set(page_ids) - {status.obj.pk for status in statuses}
    if gone:  # turned into an alias, say: no rows, and nothing left pending
        PageTranslationState.objects.filter(page_id__in=gone).delete()
        forget_counts()


def pending_page_ids(limit):
    """Pages whose rows are stale or missing (pages added after the newest row), at most ``limit``.

    The stale rows first, from a small partial index; then the new pages, from the
    primary key's index above the newest page that has rows, lowest first, so that the
    newest row rises past each page worked out and none is passed over.
    """
    pending = list(_stale()[:limit])
    if len(pending) < limit:
        pending += _new().order_by("pk")[: limit - len(pending)]
    return pending


def _stale():
    return (
        PageTranslationState.objects.filter(state=STALE)
        .order_by()
        .values_list("page_id", flat=True)
        .distinct()
    )


def _new():
    newest = Subquery(PageTranslationState.objects.order_by("-page_id").values("page_id")[:1])
    return (
        listed_pages()
        .filter(pk__gt=Coalesce(newest, 0, output_field=models.IntegerField()))
        .values_list("pk", flat=True)
    )


def pending_count():
    """How many pages ``pending_page_ids`` would give without a limit."""
    return _stale().count() + _new().count()


def refresh_all(progress=None):
    """Work out every stale or missing row, a chunk at a time (``progress(n)`` after each)."""
    done = 0
    while pending := pending_page_ids(CHUNK_SIZE):
        refresh_pages(pending)
        done += len(pending)
        if progress is not None:
            progress(len(pending))
    if done >= CHUNK_SIZE:
        analyze()
    return done


def refresh(limit=None):
    """Work out stale and missing rows, ``limit`` pages at most; True when none is left."""
    limit = limit or REFRESH_LIMIT
    pending = pending_page_ids(limit + 1)
    if not pending:
        return True
    refresh_pages(pending[:limit])
    return len(pending) <= limit


def rebuild(languages=None, chunk_size=None, progress=None):
    """Work out the rows of every page again; ``progress(n)`` after each chunk.

    Rows of other languages are removed. Returns the number of pages.
    """
    languages = languages or target_languages()
    PageTranslationState.objects.exclude(language__in=target_languages()).delete()
    forget_counts()
    done = 0
    for rows in page_id_chunks(listed_pages(), chunk_size):
        compute(text_rows(rows), languages)
        done += len(rows)
        if progress is not None:
            progress(len(rows))
    analyze()
    return done


def analyze():
    """After many rows changed (PostgreSQL): fresh planner statistics, without which the
    report's queries are planned for an empty table, and, outside a transaction, the
    old row versions cleared, so that the counts read the index alone again."""
    if connection.vendor == "postgresql":
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            cursor.execute(f"{command} {PageTranslationState._meta.db_table}")


def mark_stale(page):
    """The page changed: its rows are worked out again before they are read next."""
    store(
        [
            PageTranslationState(
                page_id=page.pk,
                language=language,
                state=STALE,
                live=page.live,
                content_type_id=page.content_type_id,
            )
            for language in target_languages()
        ]
    )


# --- reading -------------------------------------------------------------------


def editable_pages(user):
    """Pages ``user`` may change, or None when that is every page."""
    if user is None or user.is_superuser:
        return None
    return PagePermissionPolicy().instances_user_has_permission_for(user, "change")


def page_counts(languages=None, user=None):
    """``{language: {state: live pages}}`` in one grouped query (``user``: what they may
    edit; for an editor who may edit every page, the kept counts of every page)."""
    from .status import STATES

    languages = languages or target_languages()
    editable = editable_pages(user)
    if editable is None:
        return _kept_counts(languages)
    rows = PageTranslationState.objects.filter(language__in=languages, live=True, state__in=STATES)
    return _grouped_counts(rows.filter(page__in=editable.values("pk")), languages)


def _grouped_counts(rows, languages):
    from .status import STATES

    counts = {language: dict.fromkeys(STATES, 0) for language in languages}
    grouped = rows.values_list("language", "state").annotate(n=Count("*")).order_by()
    for language, state, number in grouped:
        counts[language][state] = number
    return counts


def _kept_counts(languages):
    """``page_counts`` of every page from the kept ``TranslationCount`` rows, counted
    again (one grouped query) and kept when a change removed them."""
    from .status import STATES

    every = target_languages()
    counts = {language: dict.fromkeys(STATES, None) for language in every}
    for language, state, pages in TranslationCount.objects.values_list(
        "language", "state", "pages"
    ):
        if language in counts and state in counts[language]:
            counts[language][state] = pages
    if any(pages is None for states in counts.values() for pages in states.values()):
        rows = PageTranslationState.objects.filter(language__in=every, live=True, state__in=STATES)
        counts = _grouped_counts(rows, every)
        TranslationCount.objects.bulk_create(
            [
                TranslationCount(language=language, state=state, pages=pages)
                for language, states in counts.items()
                for state, pages in states.items()
            ],
            ignore_conflicts=True,
        )
    return {language: counts.get(language, dict.fromkeys(STATES, 0)) for language in languages}


def forget_counts():
    """The states changed: the kept counts go (now and when the transaction commits)."""
    from portal.page_cache import now_and_when_committed

    now_and_when_committed(lambda: TranslationCount.objects.all().delete())


def _on_state_deleted(sender, **kwargs):
    forget_counts()


def count_with_state(languages, states, content_type_id=None):
    """How many live pages have a row in one of ``languages`` in one of ``states``.

    What ``listed_pages().filter(live=True).filter(with_state(...))`` counts, from the
    rows alone: an index-only count, where the join with the page table reads every
    page.
    """
    rows = PageTranslationState.objects.filter(language__in=languages, live=True, state__in=states)
    if content_type_id is not None:
        rows = rows.filter(content_type_id=content_type_id)
    if len(languages) > 1:
        return rows.values("page_id").distinct().count()
    return rows.count()


def with_state(languages, states):
    """A filter for Page querysets: a row in one of ``languages`` in one of ``states``."""
    return Exists(
        PageTranslationState.objects.filter(
            page_id=OuterRef("pk"), language__in=languages, state__in=states
        )
    )


def rows_by_page(page_ids, languages=None):
    """``{page id: {language: row}}``."""
    languages = languages or target_languages()
    result = defaultdict(dict)
    page_ids = list(page_ids)
    for start in range(0, len(page_ids), CHUNK_SIZE):
        for row in PageTranslationState.objects.filter(
            page_id__in=page_ids[start : start + CHUNK_SIZE], language__in=languages
        ):
            result[row.page_id][row.language] = row
    return result


def iter_page_statuses(queryset, languages=None, chunk_size=None):
    """``ObjectStatus`` of each page of a ``Page`` queryset from its rows, in tree order.

    Two queries per chunk (the pages' titles and addresses, their rows), read as values:
    each page a ``PageText`` of its type, which gives its title and address as the page
    would. Pages without rows are left out.
    """
    from .fields import PageText
    from .status import ObjectStatus, URLCache

    languages = languages or target_languages()
    chunk_size = chunk_size or CHUNK_SIZE
    columns = ("pk", "path", "content_type_id", "live") + tuple(
        build_localized_fieldname(name, code)
        for name in ("title", "url_path")
        for code in mt_settings.AVAILABLE_LANGUAGES
    )
    pages = queryset.order_by("path").values_list(*columns)
    url_cache = URLCache()
    last_path = ""
    while chunk := list(pages.filter(path__gt=last_path)[:chunk_size]):
        last_path = chunk[-1][1]
        statuses = _stored_statuses([row[0] for row in chunk], languages)
        for row in chunk:
            found = statuses.get(row[0], {})
            if all(language in found for language in languages):
                model = ContentType.objects.get_for_id(row[2]).model_class() or Page
                page = PageText(model, dict(zip(columns, row, strict=True)))
                yield ObjectStatus(
                    page,
                    "page",
                    {code: found[code] for code in languages},
                    model=model,
                    url_cache=url_cache,
                )


def _stored_statuses(page_ids, languages):
    """``{page id: {language: LanguageStatus}}`` read from the rows as values."""
    from .status import stored_language_status

    result = defaultdict(dict)
    rows = PageTranslationState.objects.filter(
        page_id__in=page_ids, language__in=languages
    ).values_list("page_id", "language", "state", "missing", "optional_missing")
    for page_id, language, *columns in rows:
        result[page_id][language] = stored_language_status(*columns)
    return result


# --- signals -------------------------------------------------------------------


def on_page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """A page saved: its rows are stale until worked out again (at once when published)."""
    if raw:
        return
    if instance.alias_of_id is not None or not instance.depth or instance.depth <= 1:
        return
    if update_fields is not None and not set(update_fields) & _content_fields(sender):
        return  # e.g. a draft revision: the stored content is unchanged
    mark_stale(instance)


def on_child_changed(sender, instance, raw=False, **kwargs):
    """An inline child saved or deleted: its page's rows are stale."""
    page_id = getattr(instance, _child_parent_fields()[sender])
    if raw or page_id is None:
        return
    # Only rows that exist: the page itself made them when it was saved.
    PageTranslationState.objects.filter(page_id=page_id).update(state=STALE)
    forget_counts()


def on_page_published(sender, instance, **kwargs):
    # Publishing must not fail because of the counts: the rows stay stale and the next
    # reader works them out.
    try:
        with transaction.atomic():
            refresh_pages([instance.pk])
    except Exception:
        logger.exception("Translation state: could not work out page %s", instance.pk)


def on_post_migrate(sender, using=DEFAULT_DB_ALIAS, verbosity=1, **kwargs):
    """After ``migrate``: a site with pages but no stored states yet (pages made before the
    table existed, or written in bulk) gets every page worked out, with every table as
    the code expects it. Afterwards saving keeps the states."""
    if using != DEFAULT_DB_ALIAS or PageTranslationState.objects.exists():
        return
    if not listed_pages().exists():
        return
    pages = rebuild()
    if verbosity:
        (kwargs.get("stdout") or sys.stdout).write(
            f"Worked out the translation state of {pages} pages.\n"
        )


def connect():
    post_migrate.connect(
        on_post_migrate,
        sender=apps.get_app_config("portal"),
        dispatch_uid="portal_translation_state_migrated",
    )
    # Each model by name: a receiver for every model would keep Django from deleting any
    # model's rows without loading them first.
    for model in _page_model_set():
        post_save.connect(
            on_page_saved,
            sender=model,
            dispatch_uid=f"portal_translation_state_saved_{model._meta.label_lower}",
        )
    for model in _child_parent_fields():
        for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(
                on_child_changed,
                sender=model,
                dispatch_uid=f"portal_translation_state_child_{name}_{model._meta.label_lower}",
            )
    page_published.connect(on_page_published, dispatch_uid="portal_translation_state_published")
    # Rows deleted with their page (a cascade) change the counts too.
    post_delete.connect(
        _on_state_deleted,
        sender=PageTranslationState,
        dispatch_uid="portal_translation_state_row_deleted",
    )
