import os
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from portal.translation_tools.content_po import exported_page_queryset, write_catalogue
from portal.translation_tools.fields import target_languages


def available_cpus():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Command(BaseCommand):
    help = (
        "Write the text of every page and translated snippet as a PO file: msgid the Swedish "
        "text, msgstr the translation (empty when missing, fuzzy when the Swedish changed since). "
        "Pages are read and written a chunk at a time, so memory stays flat."
    )

    def add_arguments(self, parser):
        languages = target_languages()
        parser.add_argument("--language", choices=languages, default=languages[0])
        parser.add_argument(
            "--output",
            "-o",
            help="File to write (default: content-<language>.po; '-' for standard output).",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=available_cpus(),
            help="Work on this many chunks of pages at once, in as many processes "
            "(default: the number of CPUs, here %(default)s).",
        )

    def handle(self, *args, language, output=None, processes=1, **options):
        if language not in target_languages():
            raise CommandError(
                f"Unknown language {language!r}: use {', '.join(target_languages())}."
            )
        output = output or f"content-{language}.po"
        with tqdm(
            total=exported_page_queryset().count(),
            unit="pages",
            desc="Pages",
            # On a terminal only, and never mixed into the file on standard output.
            disable=output == "-" or not self.stdout.isatty(),
        ) as bar:
            if output == "-":
                write_catalogue(sys.stdout, language, bar.update, processes)
                return
            with open(output, "w", encoding="utf-8") as file:
                counts = write_catalogue(file, language, bar.update, processes)
        self.stdout.write(
            f"Wrote {output}: {counts.texts} texts, {counts.untranslated} untranslated, "
            f"{counts.fuzzy} fuzzy (Swedish changed since the translation)."
        )
