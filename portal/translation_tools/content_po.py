"""Page and snippet text as a gettext PO file, and back.

Export: one entry per text (plain field, StreamField text, inline child text),
``msgid`` the Swedish text, ``msgstr`` the current translation (empty when
missing), ``msgctxt`` naming object, field and block so that entries never
collide (``page:42:body:<block id>:text``). An entry is *fuzzy* when the Swedish
text changed after the translation was last written (the previous Swedish is
kept as ``#| msgid``). Each entry's comment records the page revision and a
fingerprint of the translation at export time.

Import: every entry must still match (its context resolves and its ``msgid``
equals the current Swedish text), otherwise the whole file is refused and
nothing is written. A page whose translation was edited after the export is
refused (unless forced) rather than overwritten. Each changed page gets one new
revision, published only when asked and only if it was live with no pending
draft. Fuzzy and empty entries change nothing.
"""

import functools
import hashlib
import multiprocessing
import re
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field

import polib
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_noop
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname
from wagtail.models import DraftStateMixin, Page, Revision, RevisionMixin

from portal.rich_text_safety import RichTextRefused, clean_rich_text, plain_text_problem
from portal.translatable import Message

from . import state as stored
from .fields import (
    PageText,
    is_page,
    object_key,
    page_models,
    snippet_models,
    source_language,
    target_languages,
    text_units,
    write_texts,
)
from .po_format import WRAP_WIDTH, format_parts
from .status import URLCache, page_url

PROJECT = "Flemingsberg Portal content"
# What became of an object (the command prints them; the admin counts and translates them).
PUBLISHED = Message(gettext_noop("published"))
DRAFT = Message(gettext_noop("saved as a draft revision"))
DRAFT_NOT_LIVE = Message(gettext_noop("saved as a draft revision (the page is not live)"))
DRAFT_OTHER_CHANGES = Message(
    gettext_noop("saved as a draft revision (the page has other unpublished changes)")
)
DRAFT_NOT_PERMITTED = Message(
    gettext_noop("saved as a draft revision (you may not publish this page)")
)
SAVED = Message(gettext_noop("saved"))
NOT_PERMITTED = Message(gettext_noop("you may not edit this"))
REVISION_NOTE = re.compile(r"^revision (\d+|none)$")
FINGERPRINT_NOTE = re.compile(r"^translation ([0-9a-f]+)$")


def fingerprint(text):
    return hashlib.sha1((text or "").encode("utf-8")).hexdigest()[:12]


# --- objects -----------------------------------------------------------------


# Besides the text: what the export reads of a page without revisions (its address,
# its latest revision: none).
EXPORT_COLUMNS = (
    "latest_revision_id",
    *(build_localized_fieldname("url_path", code) for code in mt_settings.AVAILABLE_LANGUAGES),
)


def exported_page_queryset():
    """Every page but the tree root and aliases (they mirror their original)."""
    return Page.objects.filter(depth__gt=1, alias_of__isnull=True).type(*page_models())


def exported_pages(chunk_size=None):
    """``(page, its revisions oldest first)`` for every exported page, in tree order.

    A chunk of pages at a time: one query per page type, per inline child relation and
    for the chunk's revisions, so memory stays flat and queries do not grow per page.
    """
    for rows in stored.page_id_chunks(exported_page_queryset(), chunk_size):
        yield from _load_chunk(rows)


def _load_chunk(rows):
    """``[(page, its revisions)]`` of one chunk of ``[(pk, content type id)]``."""
    revisions = defaultdict(list)
    for revision in Revision.page_revisions.filter(
        object_id__in=[str(pk) for pk, _ct in rows]
    ).order_by("created_at", "id"):
        revisions[(revision.content_type_id, int(revision.object_id))].append(revision)
    # Pages with revisions as model instances (their versions are made from them); the
    # others, most pages after a bulk import, read as text.
    revised = {pk for (_ct, pk) in revisions}
    pages = stored.text_rows(
        [row for row in rows if row[0] not in revised],
        extra=EXPORT_COLUMNS,
        row_class=PageText,
        only_translated=False,
    )
    pages += stored.specific_pages(
        [row for row in rows if row[0] in revised], only_translated=False
    )
    by_id = {page.pk: page for page in pages}
    return [
        (by_id[pk], revisions[(by_id[pk].content_type_id, pk)]) for pk, _ct in rows if pk in by_id
    ]


def exported_snippets():
    for model in snippet_models():
        yield from model.objects.order_by("pk").iterator(chunk_size=500)


def current_version(obj, revisions=None):
    """The text a translator works on: a page's latest revision (draft or live).

    ``revisions``: the object's revisions when already loaded.
    """
    if revisions is not None and getattr(obj, "has_unpublished_changes", False):
        latest = next((r for r in revisions if r.pk == obj.latest_revision_id), None)
        if latest is not None:
            return obj.with_content_json(latest.content)
    if isinstance(obj, Page):
        return obj.get_latest_revision_as_object()
    if isinstance(obj, RevisionMixin) and obj.latest_revision_id:
        return obj.get_latest_revision_as_object()
    return obj


def latest_revision_id(obj):
    return getattr(obj, "latest_revision_id", None)


def history(obj, revisions=None):
    """Older versions of ``obj`` from its revisions, oldest first (none for plain snippets).

    ``revisions``: the object's revisions, oldest first, when already loaded.
    """
    if not isinstance(obj, RevisionMixin):
        return []
    if revisions is None:
        revisions = obj.revisions.order_by("created_at", "id")
    return [obj.with_content_json(revision.content) for revision in revisions]


def source_when_translated(obj, language, revisions=None):
    """``{unit path: Swedish text as it was when the translation last changed}``."""
    last_target = {}
    source_then = {}
    for version in history(obj, revisions):
        for unit in text_units(version, language):
            if unit.has_target and unit.target != last_target.get(unit.path):
                source_then[unit.path] = unit.source
            last_target[unit.path] = unit.target
    return source_then


def describe(obj, url_cache=None):
    """How a translator recognises an object: type, Swedish title, Swedish address."""
    with translation.override(source_language()):
        if is_page(obj):
            url = page_url(obj, url_cache)
            where = f" {url}" if url else ""
            return f'{_type_label(obj)} "{obj.title}"{where}'
        return f'{_type_label(obj)} "{obj}"'


def _type_label(obj):
    return _model_label(getattr(obj, "text_model", None) or type(obj))


@functools.lru_cache(maxsize=64)
def _model_label(model):
    with translation.override("en"):
        return str(model._meta.verbose_name)


def resolve(key):
    """The page or snippet named by an object key, or None."""
    kind, _sep, pk = key.partition(":")
    if not pk.isdigit():
        return None
    if kind == "page":
        page = Page.objects.filter(pk=pk, depth__gt=1, alias_of__isnull=True).first()
        return page.specific if page else None
    try:
        model = apps.get_model(kind)
    except (LookupError, ValueError):
        return None
    if model not in snippet_models():
        return None
    return model.objects.filter(pk=pk).first()


def split_context(msgctxt):
    """``"page:42:body:abc:text"`` → ``("page:42", ("body", "abc", "text"))``."""
    parts = (msgctxt or "").split(":")
    if len(parts) < 3:
        return None, ()
    return ":".join(parts[:2]), tuple(parts[2:])


# --- export ------------------------------------------------------------------


def _language_name(code):
    with translation.override("en"):
        return str(dict(settings.LANGUAGES).get(code, code))


def new_catalogue(language):
    """An empty catalogue with the header and metadata of an export to ``language``."""
    catalogue = polib.POFile(wrapwidth=WRAP_WIDTH)
    catalogue.header = (
        f"Page and snippet text of the Flemingsberg Portal, {source_language()} -> {language}.\n"
        "Translate the msgstr lines and leave msgctxt and msgid as they are; clear the fuzzy\n"
        "flag once an entry is checked. Import with `python manage.py import_content_po FILE`."
    )
    now = timezone.now().strftime("%Y-%m-%d %H:%M%z")
    catalogue.metadata = OrderedDict(
        [
            ("Project-Id-Version", PROJECT),
            ("POT-Creation-Date", now),
            ("PO-Revision-Date", now),
            ("Last-Translator", ""),
            ("Language-Team", _language_name(language)),
            ("Language", language),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=UTF-8"),
            ("Content-Transfer-Encoding", "8bit"),
            ("X-Source-Language", source_language()),
        ]
    )
    return catalogue


def export_texts(language, progress=None):
    """Every entry of the export as ``EntryText``, page by page (``progress(1)`` after each)."""
    url_cache = URLCache()
    for page, revisions in exported_pages():
        yield from object_texts(page, language, revisions, url_cache)
        if progress is not None:
            progress(1)
    for obj in exported_snippets():
        yield from object_texts(obj, language)


def export_catalogue(language):
    """The whole export in memory; ``write_catalogue`` streams it to a file instead."""
    catalogue = new_catalogue(language)
    for text in export_texts(language):
        catalogue.append(text.as_entry())
    return catalogue


def pages_as_text(language, queryset):
    """The export of ``queryset``'s pages only (no snippets), as text a chunk of pages
    at a time: the header first, then each chunk's entries."""
    yield str(new_catalogue(language))
    for chunk in page_text_chunks(language, queryset):
        yield "".join("\n" + text.as_text() for _key, texts in chunk for text in texts)


def page_text_chunks(language, queryset):
    """The entries of ``queryset``'s pages (no snippets), a chunk of pages at a time: per
    chunk a list of ``(object key, [EntryText])``, in tree order."""
    url_cache = URLCache()
    pages = queryset.filter(pk__in=exported_page_queryset().values("pk"))
    for rows in stored.page_id_chunks(pages):
        yield [
            (object_key(page), object_texts(page, language, revisions, url_cache))
            for page, revisions in _load_chunk(rows)
        ]


@dataclass
class ExportCounts:
    texts: int = 0
    untranslated: int = 0
    fuzzy: int = 0

    def add(self, text):
        self.texts += 1
        if text.previous_msgid is not None:
            self.fuzzy += 1
        elif not text.msgstr:
            self.untranslated += 1

    def __iadd__(self, other):
        self.texts += other.texts
        self.untranslated += other.untranslated
        self.fuzzy += other.fuzzy
        return self


def write_catalogue(out, language, progress=None, processes=1):
    """Write the export to the text stream ``out`` a chunk of pages at a time, as ``polib``
    would save it (``po_format`` writes each entry as polib does, faster).

    ``processes``: chunks worked on at once by that many processes (see
    ``_chunks_as_text``); ``progress(n)`` after each chunk of ``n`` pages. Returns the
    numbers of texts, untranslated and fuzzy entries.
    """
    catalogue = new_catalogue(language)
    counts = ExportCounts()
    out.write(str(catalogue))
    for text, chunk_counts, pages in _chunks_as_text(language, processes):
        out.write(text)
        counts += chunk_counts
        if progress is not None:
            progress(pages)
    for obj in exported_snippets():
        for text in object_texts(obj, language):
            out.write("\n" + text.as_text())
            counts.add(text)
    return counts


def _chunk_as_text(language, rows, url_cache):
    """``(entries as text, their counts, pages)`` of one chunk of ``[(pk, content type id)]``."""
    parts = []
    counts = ExportCounts()
    for page, revisions in _load_chunk(rows):
        for text in object_texts(page, language, revisions, url_cache):
            parts.append("\n" + text.as_text())
            counts.add(text)
    return "".join(parts), counts, len(rows)


def _chunks_as_text(language, processes):
    """``_chunk_as_text`` of every chunk of pages, in tree order.

    With more than one process, each chunk (given as its range of tree paths) is worked
    on in a forked worker process with its own database connection, and the results come
    back in order. Not inside a transaction (the workers would not see what it has not
    committed), nor on an in-memory SQLite database, nor where processes cannot fork
    safely (no fork, or other threads running):
    there, and with one process, the chunks are worked on here, one after the other.
    """
    chunks = stored.page_id_chunks(exported_page_queryset())
    if processes <= 1 or not _can_fork():
        url_cache = URLCache()
        for rows in chunks:
            yield _chunk_as_text(language, rows, url_cache)
        return
    bounds = list(stored.path_ranges(exported_page_queryset()))
    connections.close_all()  # each worker opens its own
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        yield from pool.imap(_range_as_text, [(language, *bound) for bound in bounds])


def _can_fork():
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    # A process with other threads running (a test server, a browser driver) may fork a
    # child that waits forever on a lock one of them held: work here instead.
    if threading.active_count() > 1:
        return False
    for alias in connections:
        connection = connections[alias]
        if connection.in_atomic_block:
            return False
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            return False
    return True


_worker_url_cache = None


def _range_as_text(arguments):
    """In a worker process: ``_chunk_as_text`` of the pages with tree paths in (after, last]."""
    global _worker_url_cache
    language, after, last = arguments
    if _worker_url_cache is None:
        _worker_url_cache = URLCache()
    rows = list(
        exported_page_queryset()
        .filter(path__gt=after, path__lte=last)
        .order_by("path")
        .values_list("pk", "content_type_id")
    )
    return _chunk_as_text(language, rows, _worker_url_cache)


@dataclass(slots=True)
class EntryText:
    """One entry of the export, before it is a ``polib.POEntry`` or text."""

    msgctxt: str
    msgid: str
    msgstr: str
    notes: list  # the lines of the comment
    previous_msgid: str | None = None  # set when the entry is fuzzy

    @property
    def comment(self):
        return "\n".join(self.notes)

    @property
    def flags(self):
        return ["fuzzy"] if self.previous_msgid is not None else []

    def as_entry(self):
        entry = polib.POEntry(
            msgctxt=self.msgctxt, msgid=self.msgid, msgstr=self.msgstr, comment=self.comment
        )
        if self.previous_msgid is not None:
            entry.flags.append("fuzzy")
            entry.previous_msgid = self.previous_msgid
        return entry

    def as_text(self):
        return format_parts(
            self.msgctxt, self.msgid, self.msgstr, self.comment, self.flags, self.previous_msgid
        )


def object_entries(obj, language, revisions=None, url_cache=None):
    """The entries of one page or snippet (``revisions``: its revisions, when loaded)."""
    return [text.as_entry() for text in object_texts(obj, language, revisions, url_cache)]


def object_texts(obj, language, revisions=None, url_cache=None):
    """``object_entries`` as ``EntryText``."""
    version = current_version(obj, revisions)
    revision = f"revision {latest_revision_id(obj) or 'none'}"
    written_against = source_when_translated(obj, language, revisions)
    key = object_key(obj)
    where = describe(version, url_cache)
    texts = []
    for unit in text_units(version, language):
        if not unit.has_source:
            continue
        notes = [f"{where}, field {unit.field}"]
        if unit.optional:
            notes.append("optional")
        if unit.rich_text:
            notes.append("rich text: keep the HTML tags and their attributes")
        if unit.path[-1] == "slug":
            notes.append("part of the web address: lower-case letters, digits and hyphens")
        if unit.target_path is None:
            notes.append(
                "the translated field has no block for this text: add it in the admin first"
            )
        notes.append(revision)
        notes.append(f"translation {fingerprint(unit.target)}")
        text = EntryText(
            msgctxt=f"{key}:{unit.key}",
            msgid=unit.source,
            msgstr=unit.target if unit.has_target else "",
            notes=notes,
        )
        before = written_against.get(unit.path)
        if unit.has_target and before is not None and before != unit.source:
            text.previous_msgid = before
        texts.append(text)
    return texts


# --- import ------------------------------------------------------------------


class ContentImportRefused(Exception):
    """The file no longer matches the content; nothing was written."""

    def __init__(self, problems, invalid=()):
        self.problems = problems
        # Objects the translations would make invalid: [(description, messages)].
        self.invalid = list(invalid)
        super().__init__("\n".join(problems))


@dataclass
class ImportResult:
    language: str
    written: list = field(default_factory=list)  # (object description, texts, outcome)
    refused: list = field(default_factory=list)  # (object description, [reasons])
    kept: list = field(default_factory=list)  # (object description, reason)
    # Rich text stored without markup the editor does not allow: (object, field, [dropped]).
    cleaned: list = field(default_factory=list)
    # Entries that could not be stored cleanly, nothing written for them: (object, field, reason).
    refused_entries: list = field(default_factory=list)
    # With ``skip_stale``: entries that no longer match the content, left out: ``StaleEntry``.
    stale: list = field(default_factory=list)
    # Every text written (or, in a dry run, that would be): ``TextChange``, object by object.
    changes: list = field(default_factory=list)
    # The object each description above stands for (its latest version).
    objects: dict = field(default_factory=dict)
    fuzzy: int = 0
    untranslated: int = 0
    unchanged: int = 0
    dry_run: bool = False


@dataclass
class StaleEntry:
    msgctxt: str
    where: str | None  # the object's description, when it still exists
    field: str | None
    reason: Message

    def __str__(self):
        if self.where and self.field:
            return f"{self.msgctxt}: {self.reason} ({self.where}, field {self.field})"
        if self.where:
            return f"{self.msgctxt}: {self.reason} ({self.where})"
        return f"{self.msgctxt}: {self.reason}"


@dataclass
class TextChange:
    where: str
    field: str
    old: str  # the translation before
    new: str  # the translation written (rich text as the editor stores it)
    rich_text: bool
    dropped: list  # what cleaning the rich text removed


@dataclass
class _Planned:
    obj: object
    version: object
    changes: list  # [(unit, new text)]
    had_draft: bool
    dropped: dict = field(default_factory=dict)  # unit path -> what its cleaning removed


def import_catalogue(
    catalogue,
    language=None,
    publish=False,
    force=False,
    user=None,
    dry_run=False,
    skip_stale=False,
    check_permissions=False,
):
    """Write the translations of ``catalogue`` back; see the module docstring.

    ``skip_stale``: leave out entries that no longer match (listed in ``result.stale``)
    instead of refusing the whole file. ``check_permissions``: ``user`` must be allowed
    to change an object for its texts to be written, and to publish it for ``publish``
    to publish it (otherwise a draft revision).
    """
    language = language or catalogue.metadata.get("Language") or ""
    if language not in target_languages():
        raise ContentImportRefused(
            [
                f"The file's language is {language or 'not set'}; expected one of "
                f"{', '.join(target_languages())} (use --language)."
            ]
        )
    result = ImportResult(language=language, dry_run=dry_run)
    # One transaction for reading, checking and writing: all or nothing.
    try:
        with transaction.atomic():
            _import(
                catalogue, language, publish, force, user, result, skip_stale, check_permissions
            )
            if dry_run:
                raise _RollBack
    except _RollBack:
        pass
    return result


NOT_CONTENT = Message(gettext_noop("not a text of this site's pages or snippets"))
GONE = Message(gettext_noop("the page or snippet no longer exists"))
NO_SUCH_TEXT = Message(gettext_noop("no such text any more"))
SOURCE_CHANGED = Message(gettext_noop("the Swedish text changed since the export"))


def _import(catalogue, language, publish, force, user, result, skip_stale, check_permissions):
    by_object = OrderedDict()
    stale = []
    for entry in catalogue:
        if entry.obsolete or not entry.msgid:
            continue
        key, path = split_context(entry.msgctxt)
        if key is None:
            stale.append(StaleEntry(entry.msgctxt or "(no context)", None, None, NOT_CONTENT))
            continue
        by_object.setdefault(key, []).append((path, entry))

    # 1. Every entry must still match the current Swedish text.
    plans = []
    for key, entries in by_object.items():
        obj = resolve(key)
        if obj is None:
            stale += [StaleEntry(e.msgctxt, None, None, GONE) for _p, e in entries]
            continue
        version = current_version(obj)
        where = describe(version)
        result.objects[where] = version
        all_units = text_units(version, language)
        units = {unit.path: unit for unit in all_units}
        matched = []
        for path, entry in entries:
            unit = units.get(path)
            if unit is None:
                stale.append(StaleEntry(entry.msgctxt, where, None, NO_SUCH_TEXT))
            elif unit.source != entry.msgid:
                stale.append(StaleEntry(entry.msgctxt, where, unit.field, SOURCE_CHANGED))
            else:
                matched.append((unit, entry))
        if check_permissions and not user_may(user, "change", obj):
            if matched:
                result.refused.append((where, [NOT_PERMITTED]))
            continue
        plans.append((obj, version, all_units, matched))
    if stale and skip_stale:
        result.stale = stale
    elif stale:
        raise ContentImportRefused(
            ["The file no longer matches the content; nothing was imported. Stale entries:"]
            + [f"  {line}" for line in stale]
            + [
                "Export again and merge your translations into the new file, e.g. "
                "`msgmerge -o merged.po your-file.po new-export.po`."
            ]
        )

    # 2. Decide per object what to write, and what to refuse.
    planned = []
    for obj, version, all_units, matched in plans:
        plan = _plan_object(obj, version, all_units, matched, force, result)
        if plan is not None:
            planned.append(plan)

    # 3. Write; any invalid page undoes the whole import.
    errors = []
    for plan in planned:
        where = describe(plan.version)
        may_publish = publish and (not check_permissions or user_may(user, "publish", plan.obj))
        try:
            outcome = _apply(plan, language, may_publish, user)
        except ValidationError as error:
            errors.append((where, _messages(error)))
            continue
        if publish and not may_publish:
            outcome = DRAFT_NOT_PERMITTED
        result.written.append((where, len(plan.changes), outcome))
        result.changes += [
            TextChange(
                where,
                unit.field,
                unit.target if unit.has_target else "",
                text,
                unit.rich_text,
                plan.dropped.get(unit.path, []),
            )
            for unit, text in plan.changes
        ]
    if errors:
        raise ContentImportRefused(
            ["The translations would make these pages invalid; nothing was imported:"]
            + [f"  {where}: {messages}" for where, messages in errors],
            invalid=errors,
        )


def user_may(user, action, obj):
    """Whether ``user`` may ``action`` ("change", "publish") the page or snippet ``obj``."""
    if user is None:
        return False
    if isinstance(obj, Page):
        permissions = obj.permissions_for_user(user)
        return permissions.can_edit() if action == "change" else permissions.can_publish()
    if action == "publish" and not isinstance(obj, DraftStateMixin):
        action = "change"  # saved is live: changing it is publishing it
    codename = get_permission_codename(action, obj._meta)
    return user.has_perm(f"{obj._meta.app_label}.{codename}")


class _RollBack(Exception):
    pass


def _messages(error):
    if hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items())
    return " ".join(error.messages)


def _exported_state(entry):
    """The page revision and the translation's fingerprint noted at export time."""
    revision = translation = None
    for line in (entry.comment or "").splitlines():
        if match := REVISION_NOTE.match(line.strip()):
            revision = match.group(1)
        elif match := FINGERPRINT_NOTE.match(line.strip()):
            translation = match.group(1)
    return revision, translation


def _edited_since_export(obj, unit, entry):
    revision, exported = _exported_state(entry)
    if exported is None:
        # Nothing recorded (the notes were removed): only an empty translation may be filled in.
        return unit.has_target
    if isinstance(obj, RevisionMixin) and revision == str(latest_revision_id(obj) or "none"):
        return False  # no revision since the export
    return fingerprint(unit.target) != exported


def _plan_object(obj, version, all_units, matched, force, result):
    where = describe(version)
    changes = []
    conflicts = []
    no_place = []
    cleaned = []  # (unit, what its cleaning dropped)
    for unit, entry in matched:
        if entry.fuzzy:
            result.fuzzy += 1
            continue
        if not entry.msgstr.strip():
            result.untranslated += 1
            continue
        if entry.msgstr == unit.target:
            result.unchanged += 1
            continue
        if unit.target_path is None:
            no_place.append(
                Message(
                    gettext_noop("%(field)s: no block for this text in the translated field"),
                    field=unit.field,
                )
            )
            continue
        if not force and _edited_since_export(obj, unit, entry):
            conflicts.append(
                Message(
                    gettext_noop("%(field)s: the translation was edited after the export"),
                    field=unit.field,
                )
            )
            continue
        if unit.path[-1] == "slug" and slugify(entry.msgstr, allow_unicode=True) != entry.msgstr:
            no_place.append(
                Message(
                    gettext_noop("%(field)s: %(text)r is not a valid slug"),
                    field=unit.field,
                    text=entry.msgstr,
                )
            )
            continue
        text, problem, dropped = _safe_text(unit, entry)
        if problem:
            result.refused_entries.append((where, unit.field, problem))
            continue
        changes.append((unit, text))
        if dropped:
            cleaned.append((unit, dropped))

    # A StreamField whose translation is still empty is written once all its texts are translated,
    # so that readers never get a mix of the two languages in one body.
    incomplete_streams = set()
    translated = {unit.path for unit, _text in changes}
    for unit in all_units:
        if unit.target_stream_empty and unit.has_source and unit.path not in translated:
            incomplete_streams.add(_stream_field_path(unit))
    if incomplete_streams:
        kept = [c for c in changes if _stream_field_path(c[0]) in incomplete_streams]
        for field_path in sorted(incomplete_streams):
            if any(_stream_field_path(c[0]) == field_path for c in kept):
                result.kept.append(
                    (
                        where,
                        Message(
                            gettext_noop(
                                "%(field)s: not written until all its texts are translated"
                            ),
                            field=":".join(field_path),
                        ),
                    )
                )
        changes = [c for c in changes if c not in kept]

    if conflicts or no_place:
        result.refused.append((where, conflicts + no_place))
        return None
    if not changes:
        return None
    written = {unit.path for unit, _text in changes}
    result.cleaned += [(where, u.field, dropped) for u, dropped in cleaned if u.path in written]
    return _Planned(
        obj,
        version,
        changes,
        had_draft=getattr(obj, "has_unpublished_changes", False),
        dropped={u.path: dropped for u, dropped in cleaned},
    )


def _safe_text(unit, entry):
    """``(text to store, None, dropped)`` or ``(None, why it cannot be stored cleanly, [])``.

    Rich text goes through the editor's own conversion for the features of its
    field or block; what that drops is reported. An entry whose readable text
    would change (a script's code, say) is refused. Plain text stays plain.
    """
    if not unit.rich_text:
        problem = plain_text_problem(entry.msgstr, entry.msgid)
        return (None, problem, []) if problem else (entry.msgstr, None, [])
    try:
        cleaned = clean_rich_text(entry.msgstr, unit.features)
    except RichTextRefused as refusal:
        return None, refusal.args[0], []
    if cleaned.text_changed:
        dropped = cleaned.dropped or [Message(gettext_noop("text inside removed markup"))]
        return (
            None,
            Message(
                gettext_noop("the editor would not keep all of its text (dropped: %(dropped)s)"),
                dropped=dropped,
            ),
            [],
        )
    return cleaned.html, None, cleaned.dropped


def _stream_field_path(unit):
    """The path of the StreamField a unit lives in (the field, under its inline child if any)."""
    if not unit.stream:
        return None
    depth = 1 + 2 * unit.field.count(".")
    return unit.path[:depth]


def _apply(plan, language, publish, user):
    version = plan.version
    write_texts(version, [(unit.target_path, language, text) for unit, text in plan.changes])

    if isinstance(version, Page):
        revision = version.save_revision(user=user, log_action=True)
        if not publish:
            return DRAFT
        if not plan.obj.live:
            return DRAFT_NOT_LIVE
        if plan.had_draft:
            return DRAFT_OTHER_CHANGES
        revision.publish(user=user)
        return PUBLISHED
    if isinstance(version, DraftStateMixin):
        revision = version.save_revision(user=user, log_action=True)
        if not publish:
            return DRAFT
        revision.publish(user=user)
        return PUBLISHED
    version.full_clean()
    version.save()
    if isinstance(version, RevisionMixin):
        # As the snippet editor does: the object is saved, the revision records it.
        version.save_revision(user=user, log_action=True)
    return SAVED
