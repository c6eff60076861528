import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import override

from portal.translation_tools import status as translation_status
from portal.translation_tools.fields import target_languages


class Command(BaseCommand):
    help = (
        "List the live pages and translated snippets whose text is missing in a language "
        "(a text counts when its Swedish is filled in and the other language's is empty)."
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

    def handle(self, *args, language=None, format="text", fail_on_missing=False, **options):
        if language and language not in target_languages():
            raise CommandError(
                f"Unknown language {language!r}: use {', '.join(target_languages())}."
            )
        languages = [language] if language else target_languages()
        # Labels (page types, field names) in English, whatever the environment says.
        with override("en"):
            results = translation_status.collect(languages)
            summary = translation_status.summarise(results, languages)
            if format == "json":
                self.stdout.write(self.as_json(results, summary, languages))
            else:
                self.stdout.write(self.as_text(results, summary, languages, options["verbosity"]))
        if fail_on_missing:
            incomplete = [r for r in results if not r.is_complete()]
            if incomplete:
                pages = sum(1 for r in incomplete if r.kind == "page")
                raise CommandError(
                    f"{pages} page(s) and {len(incomplete) - pages} snippet(s) lack text in "
                    f"{', '.join(languages)}.",
                    returncode=1,
                )

    def as_json(self, results, summary, languages):
        data = {
            "languages": languages,
            "summary": summary,
            "pages": [r.as_dict() for r in results if r.kind == "page"],
            "snippets": [r.as_dict() for r in results if r.kind == "snippet"],
        }
        return json.dumps(data, ensure_ascii=False, indent=2)

    def as_text(self, results, summary, languages, verbosity):
        lines = []
        for language in languages:
            for kind, heading in (("page", "Pages"), ("snippet", "Snippets")):
                shown = [
                    r
                    for r in results
                    if r.kind == kind
                    and (verbosity > 1 or r.languages[language].state != "complete")
                ]
                lines.append(f"{heading} missing text in {language}: {len(shown) or 'none'}")
                for result in shown:
                    lines.extend(self.describe(result, language, verbosity))
                lines.append("")
        for language in languages:
            counts = summary[language]
            lines.append(
                f"{language}: pages {self.counts(counts['page'])}; "
                f"snippets {self.counts(counts['snippet'])}"
            )
        return "\n".join(lines)

    @staticmethod
    def counts(states):
        return (
            f"{states['complete']} fully translated, {states['partial']} partly, "
            f"{states['untranslated']} not at all"
        )

    @staticmethod
    def describe(result, language, verbosity):
        status = result.languages[language]
        where = f"{result.type_label}, {result.key}"
        if result.kind == "page":
            url = translation_status.page_url(result.obj)
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
