"""Find, and with --repair fix, stored rich text the editor cannot open or would not keep.

Rich text that reached the database around the editor (an import, a script, an
old bug) can hold markup the editor's features do not allow, or markup its
converter cannot read at all (the edit view then fails). Every page's live
version and every revision, every snippet and every inline child is checked, in
every language.
"""

from django.core.management.base import BaseCommand
from modeltranslation import settings as mt_settings
from wagtail.models import Page, RevisionMixin

from portal.rich_text_safety import (
    RichTextRefused,
    clean_rich_text,
    editor_can_open,
    repair_rich_text,
)
from portal.translation_tools.content_po import describe
from portal.translation_tools.fields import page_models, snippet_models, text_units, write_texts


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
    """``[(language, path, text, features, problem, field)]`` for each rich text needing repair."""
    found = []
    seen = set()
    for language in mt_settings.AVAILABLE_LANGUAGES:
        for unit in text_units(obj, language):
            if not unit.rich_text:
                continue
            for code, path, text in (
                (mt_settings.DEFAULT_LANGUAGE, unit.path, unit.source),
                (language, unit.target_path, unit.target),
            ):
                if path is None or (code, path) in seen or not text:
                    continue
                seen.add((code, path))
                problem = problem_of(text, unit.features)
                if problem:
                    found.append((code, path, text, unit.features, problem, unit.field))
    return found


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
                write_texts(
                    obj,
                    [
                        (path, language, repair_rich_text(text, features))
                        for language, path, text, features, _problem, _field in found
                    ],
                )
                save(obj)
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

        def save(repaired, revision=revision):
            revision.content = repaired.serializable_data()
            revision.save(update_fields=["content"])

        yield version, f"{describe(obj)} (revision {revision.pk})", save


def save_live_page(page):
    # No validation and no new revision: the repair must go through even for a page
    # whose other fields would not validate today; the revisions are repaired apart.
    # Saving the page saves its inline children too (modelcluster).
    page.save(clean=False, log_action=None)


def save_object(obj):
    obj.save()
