import polib
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.translation_tools.content_po import ContentImportRefused, import_catalogue
from portal.translation_tools.fields import target_languages


class Command(BaseCommand):
    help = (
        "Write the translations of a PO file made by export_content_po back into the pages "
        "and snippets: one new revision per changed page, published only with --publish. "
        "A file whose entries no longer match the Swedish text is refused as a whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--language",
            choices=target_languages(),
            help="Language of the translations (default: the file's Language header).",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the new revisions of live pages that had no unpublished draft.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite translations edited in the admin after the export.",
        )
        parser.add_argument("--user", help="Username the new revisions are attributed to.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def handle(self, *args, file, language=None, publish=False, force=False, **options):
        try:
            catalogue = polib.pofile(file)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
        try:
            result = import_catalogue(
                catalogue,
                language=language,
                publish=publish,
                force=force,
                user=user,
                dry_run=options["dry_run"],
            )
        except ContentImportRefused as refusal:
            raise CommandError("\n".join(refusal.problems)) from refusal

        verb = "Would write" if result.dry_run else "Wrote"
        for where, texts, outcome in result.written:
            self.stdout.write(f"{verb} {texts} text(s) to {where}: {outcome}")
        for where, reason in result.kept:
            self.stdout.write(f"Kept {where}: {reason}")
        for where, field_name, dropped in result.cleaned:
            self.stdout.write(
                f"Cleaned {where}, field {field_name}: dropped {', '.join(dropped)} "
                "(not allowed in this field's editor)"
            )
        self.stdout.write(
            f"{len(result.written)} object(s) changed; {result.unchanged} text(s) already up to "
            f"date, {result.untranslated} untranslated and {result.fuzzy} fuzzy entries skipped."
        )
        problems = []
        if result.refused_entries:
            problems.append("Entries refused, nothing written for them:")
            for where, field_name, reason in result.refused_entries:
                problems.append(f"  {where}, field {field_name}: {reason}")
        if result.refused:
            lines = ["Refused, nothing written for these:"]
            for where, reasons in result.refused:
                lines.append(f"  {where}")
                lines += [f"    {reason}" for reason in reasons]
            if any("after the export" in r for _where, reasons in result.refused for r in reasons):
                lines.append(
                    "Check the edits in the admin; --force overwrites them with the file's text."
                )
            problems += lines
        if problems:
            raise CommandError("\n".join(problems), returncode=2)
