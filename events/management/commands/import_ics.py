"""``manage.py import_ics FILE_OR_URL --into INDEX``: a partner's events as drafts."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext

from events import importer, sources


class Command(BaseCommand):
    help = (
        "Import the events of a partner's iCalendar file (a path, or an http(s) address) "
        "into a calendar as drafts for an editor to review: new events unpublished, "
        "changed ones as a new draft revision. Prints what became of each event; exits "
        "non-zero when the file is refused as a whole (nothing is then changed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="FILE_OR_URL")
        parser.add_argument(
            "--into",
            required=True,
            metavar="INDEX",
            help="The calendar: its page id, or its Swedish address (e.g. kalendarium).",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the report (default: the site's, Swedish).",
        )
        parser.add_argument("--user", help="Username the new drafts are attributed to.")

    def handle(self, *args, source, into, language=None, user=None, **options):
        with translation.override(language or translation.get_language()):
            index = sources.find_calendar(into)
            if index is None:
                raise CommandError(gettext("No calendar %(index)s.") % {"index": into})
            editor = None
            if user:
                editor = get_user_model().objects.filter(username=user).first()
                if editor is None:
                    raise CommandError(gettext("No user named %(name)s.") % {"name": user})
            try:
                data = sources.read_source(source)
            except sources.SourceError as error:
                raise CommandError(str(error)) from error
            report = importer.import_calendar(data, index, user=editor)
            if report.refused:
                raise CommandError("\n".join(report.lines()))
            for line in report.lines():
                self.stdout.write(line)
