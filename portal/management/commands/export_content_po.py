import sys

from django.core.management.base import BaseCommand, CommandError

from portal.translation_tools.content_po import export_catalogue
from portal.translation_tools.fields import target_languages


class Command(BaseCommand):
    help = (
        "Write the text of every page and translated snippet as a PO file: msgid the Swedish "
        "text, msgstr the translation (empty when missing, fuzzy when the Swedish changed since)."
    )

    def add_arguments(self, parser):
        languages = target_languages()
        parser.add_argument("--language", choices=languages, default=languages[0])
        parser.add_argument(
            "--output",
            "-o",
            help="File to write (default: content-<language>.po; '-' for standard output).",
        )

    def handle(self, *args, language, output=None, **options):
        if language not in target_languages():
            raise CommandError(
                f"Unknown language {language!r}: use {', '.join(target_languages())}."
            )
        catalogue = export_catalogue(language)
        output = output or f"content-{language}.po"
        if output == "-":
            sys.stdout.write(str(catalogue))
            return
        catalogue.save(output)
        fuzzy = len(catalogue.fuzzy_entries())
        untranslated = len(catalogue.untranslated_entries())
        self.stdout.write(
            f"Wrote {output}: {len(catalogue)} texts, {untranslated} untranslated, "
            f"{fuzzy} fuzzy (Swedish changed since the translation)."
        )
