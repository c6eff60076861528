"""Find, and with --repair fix, stored rich text the editor cannot open or would not keep.

Rich text that reached the database around the editor (an import, a script, an
old bug) can hold markup the editor's features do not allow, or markup its
converter cannot read at all (the edit view then fails). Every page's live
version and every revision, every snippet and every inline child is checked, in
every language.
"""

from django.core.management.base import BaseCommand
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname
from wagtail.fields import StreamField
from wagtail.models import Page, RevisionMixin

from portal.rich_text_safety import (
    RichTextRefused,
    clean_rich_text,
    editor_can_open,
    repair_rich_text,
)
from portal.translation_tools.content_po import describe
from portal.translation_tools.fields import (
    locate,
    page_models,
    rich_text_features,
    set_stream_text,
    snippet_models,
    stream_raw,
    text_units,
)


def problem_of(html, features):
    """Why ``html`` needs repair, or None."""
    if not editor_can_open(html, features):
        return "the editor cannot open it"
    try:
        cleaned = clean_rich_text(html, features)
    except RichTextRefused as refusal:
        return str(refusal)
    if cleaned.dropped:
        return f"not allowed in its editor: {', '.join(cleaned.dropped)}"
    return None


def findings(obj):
    """``[(language, unit, problem)]`` for every rich text of ``obj`` that needs repair."""
    found = []
    seen = set()
    for language in mt_settings.AVAILABLE_LANGUAGES:
        for unit in text_units(obj, language):
            if not unit.rich_text:
                continue
            features = rich_text_features(obj, unit)
            for code, path, text in (
                (mt_settings.DEFAULT_LANGUAGE, unit.path, unit.source),
                (language, unit.target_path, unit.target),
            ):
                if path is None or (code, path) in seen or not text:
                    continue
                seen.add((code, path))
                problem = problem_of(text, features)
                if problem:
                    found.append((code, path, text, features, problem, unit.field))
    return found


def repair_texts(obj, found):
    """Write the repaired texts into ``obj`` (and its inline children), in memory."""
    children = {}
    streams = {}
    for language, path, text, features, _problem, _field in found:
        owner, field_name, rest = locate(obj, path, children)
        attname = build_localized_fieldname(field_name, language)
        model_field = type(owner)._meta.get_field(field_name)
        repaired = repair_rich_text(text, features)
        if isinstance(model_field, StreamField):
            key = (id(owner), attname)
            if key not in streams:
                streams[key] = (owner, attname, model_field, stream_raw(owner, attname))
            set_stream_text(model_field.stream_block, streams[key][3], rest, repaired)
        else:
            setattr(owner, attname, repaired)
    for owner, attname, _field, raw in streams.values():
        setattr(owner, attname, raw)
    return [child for _parent, _accessor, items in children.values() for child in items]


class Command(BaseCommand):
    help = (
        "Check every stored rich text (live pages, revisions, snippets, inline lists, both "
        "languages) against its editor's rules; --repair rewrites what fails. Exit code 1 "
        "when problems were found and not repaired."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair",
            action="store_true",
            help="Rewrite failing texts as the editor would store them (scripts removed).",
        )

    def handle(self, *args, repair=False, **options):
        problems = 0
        for obj, label, save in self.stored_versions():
            found = findings(obj)
            if not found:
                continue
            problems += len(found)
            for language, path, _text, _features, problem, field_name in found:
                self.stdout.write(
                    f"{label}: {field_name} [{language}] ({':'.join(path)}): {problem}"
                )
            if repair:
                children = repair_texts(obj, found)
                save(obj, children)
        if not problems:
            self.stdout.write("Every stored rich text can be opened in the editor.")
            return
        if repair:
            self.stdout.write(f"{problems} rich text(s) repaired.")
            return
        self.stdout.write(f"{problems} rich text(s) need repair; run again with --repair.")
        raise SystemExit(1)

    def stored_versions(self):
        """Every stored version of every checked object: ``(object, label, save)``."""
        pages = Page.objects.filter(depth__gt=1).type(*page_models()).order_by("path").specific()
        for page in pages:
            yield page, f"{describe(page)} (live version)", save_live_page
            yield from revision_versions(page)
        for model in snippet_models():
            for snippet in model.objects.order_by("pk"):
                yield snippet, describe(snippet), save_object
                if isinstance(snippet, RevisionMixin):
                    yield from revision_versions(snippet)


def revision_versions(obj):
    for revision in obj.revisions.order_by("created_at", "id"):
        version = revision.as_object()

        def save(repaired, _children, revision=revision):
            revision.content = repaired.serializable_data()
            revision.save(update_fields=["content"])

        yield version, f"{describe(obj)} (revision {revision.pk})", save


def save_live_page(page, children):
    # No validation and no new revision: the repair must go through even for a page
    # whose other fields would not validate today; the revisions are repaired apart.
    page.save(clean=False, log_action=None)
    for child in children:
        child.save()


def save_object(obj, children):
    obj.save()
    for child in children:
        child.save()
