import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import override
from tqdm import tqdm

from portal.translation_tools import state as stored
from portal.translation_tools import status as translation_status
from portal.translation_tools.fields import target_languages
from portal.translation_tools.status import COMPLETE, PARTIAL, STATES, UNTRANSLATED


class Command(BaseCommand):
    help = (
        "List the live pages and translated snippets whose text is missing in a language "
        "(a text counts when its Swedish is filled in and the other language's is empty). "
        "Pages are listed from their stored states, which saving and publishing keep "
        "current (pages changed since are worked out first); --rebuild works out every "
        "page from its text. Pages are read a chunk at a time, so memory stays flat "
        "however many there are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            choices=target_languages(),
            help="Only this language (default: every language besides Swedish).",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--fail-on-missing",
            action="store_true",
            help="Exit with status 1 when any page or snippet lacks a text.",
        )
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Work out every page's state from its text first, as after text was "
            "changed without the portal's own saving (SQL, a restored table).",
        )

    def handle(
        self, *args, language=None, format="text", fail_on_missing=False, rebuild=False, **options
    ):
        if language and language not in target_languages():
            raise CommandError(
                f"Unknown language {language!r}: use {', '.join(target_languages())}."
            )
        languages = [language] if language else target_languages()
        # Labels (page types, field names) in English, whatever the environment says.
        with override("en"):
            if rebuild:
                self.rebuild(languages)
            else:
                self.refresh()
            snippets = translation_status.collect(languages, pages=False)
            summary = translation_status.summarise(snippets, languages)
            for code, counts in stored.page_counts(languages).items():
                summary[code]["page"] = counts
            if format == "json":
                self.write_json(snippets, summary, languages)
            else:
                self.write_text(snippets, summary, languages, options["verbosity"])
        if fail_on_missing:
            pages = (
                self.live_pages()
                .filter(stored.with_state(languages, [PARTIAL, UNTRANSLATED]))
                .count()
            )
            snippets = sum(1 for r in snippets if not r.is_complete())
            if pages or snippets:
                raise CommandError(
                    f"{pages} page(s) and {snippets} snippet(s) lack text in "
                    f"{', '.join(languages)}.",
                    returncode=1,
                )

    def progress_bar(self, total):
        """On a terminal only; on standard error, before any of the report is written."""
        return tqdm(total=total, unit="pages", desc="Pages", disable=not self.stdout.isatty())

    def rebuild(self, languages):
        """Work out every page's state from its text."""
        with self.progress_bar(stored.listed_pages().count()) as bar:
            stored.rebuild(languages, progress=bar.update)

    def refresh(self):
        """Work out the pages changed since their states were stored (usually none)."""
        total = stored.pending_count()
        if total:
            with self.progress_bar(total) as bar:
                stored.refresh_all(progress=bar.update)

    @staticmethod
    def live_pages():
        return stored.listed_pages().filter(live=True)

    def write_json(self, snippets, summary, languages):
        """The same document ``json.dumps(..., indent=2)`` makes, written a page at a time."""
        pages = (
            status.as_dict() for status in stored.iter_page_statuses(self.live_pages(), languages)
        )
        parts = [
            ("languages", languages),
            ("summary", summary),
            ("pages", pages),
            ("snippets", [r.as_dict() for r in snippets]),
        ]
        self.stdout.write("{\n", ending="")
        for number, (key, value) in enumerate(parts):
            self.stdout.write(f"  {json.dumps(key)}: ", ending="")
            if key == "pages":
                self.write_json_list(value)
            else:
                self.stdout.write(self.nested_json(value, 1), ending="")
            self.stdout.write(",\n" if number < len(parts) - 1 else "\n", ending="")
        self.stdout.write("}")

    def write_json_list(self, items):
        first = True
        for item in items:
            self.stdout.write("[\n" if first else ",\n", ending="")
            self.stdout.write("    " + self.nested_json(item, 2), ending="")
            first = False
        self.stdout.write("[]" if first else "\n  ]", ending="")

    @staticmethod
    def nested_json(value, depth):
        text = json.dumps(value, ensure_ascii=False, indent=2)
        return text.replace("\n", "\n" + "  " * depth)

    def write_text(self, snippets, summary, languages, verbosity):
        shown_states = STATES if verbosity > 1 else [PARTIAL, UNTRANSLATED]
        for language in languages:
            pages = self.live_pages().filter(stored.with_state([language], shown_states))
            self.stdout.write(f"Pages missing text in {language}: {pages.count() or 'none'}")
            for result in stored.iter_page_statuses(pages, [language]):
                for line in self.describe(result, language, verbosity):
                    self.stdout.write(line)
            self.stdout.write("")
            shown = [r for r in snippets if r.languages[language].state in shown_states]
            self.stdout.write(f"Snippets missing text in {language}: {len(shown) or 'none'}")
            for result in shown:
                for line in self.describe(result, language, verbosity):
                    self.stdout.write(line)
            self.stdout.write("")
        for language in languages:
            counts = summary[language]
            self.stdout.write(
                f"{language}: pages {self.counts(counts['page'])}; "
                f"snippets {self.counts(counts['snippet'])}"
            )

    @staticmethod
    def counts(states):
        return (
            f"{states[COMPLETE]} fully translated, {states[PARTIAL]} partly, "
            f"{states[UNTRANSLATED]} not at all"
        )

    @staticmethod
    def describe(result, language, verbosity):
        status = result.languages[language]
        where = f"{result.type_label}, {result.key}"
        if result.kind == "page":
            url = translation_status.page_url(result.obj, result.url_cache)
            if url:
                where += f", {url}"
        lines = [f"  {status.state:<13} {result.label} ({where})"]
        if status.missing:
            lines.append(
                "                missing: " + ", ".join(g.describe() for g in status.missing)
            )
        if status.optional_missing and verbosity > 1:
            lines.append("                optional: " + ", ".join(status.optional_missing))
        return lines
