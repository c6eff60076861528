from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from awards import seed as awards_seed
from events import seed as events_seed
from home import seed as home_seed
from stories import seed as stories_seed
from stories import seed_culture, seed_timeline

# Each app adds its content under the home page, in this order.
SEEDERS = [home_seed, stories_seed, seed_timeline, awards_seed, seed_culture, events_seed]


class Command(BaseCommand):
    help = "Build the site tree and the demo content in Swedish and English (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-warm",
            action="store_true",
            help="Do not render every page afterwards (image renditions are then made "
            "by the first readers).",
        )

    def handle(self, *args, **options):
        with transaction.atomic(), translation.override("sv"):
            home = home_seed.seed_site()
            for seeder in SEEDERS:
                seeder.seed(home)
            home_seed.feature_pages(home)
            events_seed.add_home_section(home)
        from wagtail.models import Page

        self.stdout.write(f"Demo content ready: {Page.objects.count()} pages.")
        if not options["no_warm"]:
            from portal.warmup import warm_site

            self.stdout.write(f"Rendered {warm_site()} pages in every language (renditions made).")
