import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

# Exit status when the database or the settings are not for generated content.
REFUSED = 2


class Command(BaseCommand):
    help = (
        "Fill a throwaway database with N generated pages in Swedish and English, on top of "
        "seed_demo (run migrate --noinput and seed_demo --no-warm first): stories with "
        "topics and bodies over ten years (about 70 % with English text), events, timelines "
        "with milestones, award winners and cultural projects, sharing ten generated images. "
        "Written in bulk (tree paths numbered, rows inserted a batch at a time), with the "
        "portal's search index. Wagtail's own admin search index and its reference index "
        "are not updated for the generated pages (manage.py update_index and "
        "rebuild_references_index add them, slowly) and they have no revisions; their "
        "translation states are written with them. Every run is recorded "
        "(GeneratedContent, with the range of page ids) and the pages are owned by the "
        "inactive account 'generated-content'. Refuses, with exit status 2 and nothing "
        "written, a database that holds editors' work (a page owned by, a revision saved by "
        "or a page action logged for a user account) and production settings, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, required=True, help="How many pages to add.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Generate even into a database with editors' work, or with production settings.",
        )
        parser.add_argument("--seed", type=int, default=1975, help="Random seed (1975).")
        parser.add_argument(
            "--english-share",
            type=float,
            default=0.7,
            help="Share of the pages with English text of their own (0.7); the others are "
            "Swedish only, and read in Swedish at their English address.",
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Pages per transaction (2000)."
        )

    def handle(self, *args, **options):
        from portal.volume import generate
        from portal.volume.safety import refusals

        pages = options["pages"]
        if pages < 1:
            raise CommandError("--pages must be at least 1.")
        if not 0 <= options["english_share"] <= 1:
            raise CommandError("--english-share must be between 0 and 1.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        missing = self.missing_demo()
        if missing:
            raise CommandError(
                f"No {', no '.join(missing)}: run manage.py seed_demo --no-warm first."
            )
        reasons = refusals()
        if reasons and not options["force"]:
            raise CommandError(
                "Refusing to generate content: "
                + "; ".join(reasons)
                + ". Generated pages are for throwaway databases; use --force if this is one.",
                returncode=REFUSED,
            )

        from tqdm import tqdm

        bar = tqdm(
            total=pages,
            unit=" pages",
            file=sys.stderr,
            disable=not self.stdout.isatty(),
            smoothing=0.1,
        )
        with bar:
            result = generate(
                pages,
                seed=options["seed"],
                english_share=options["english_share"],
                batch_size=options["batch_size"],
                progress=bar.update,
            )
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            # As autovacuum would after a bulk load: planner statistics for the new rows.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        analysed = time.perf_counter() - started
        rate = result.pages / result.seconds if result.seconds else 0
        counts = ", ".join(f"{count} {name}" for name, count in result.counts.items())
        self.stdout.write(
            f"Generated {result.pages} pages in {result.seconds:.1f} s ({rate:,.0f} pages/s): "
            f"{counts}. Run {result.run.pk}, page ids {result.run.first_page_id}–"
            f"{result.run.last_page_id}."
            + (f" Statistics updated in {analysed:.1f} s." if analysed > 0.05 else "")
        )

    def missing_demo(self):
        from awards.models import AwardPage
        from events.models import EventIndexPage
        from stories.models import CultureProjectIndexPage, StoryIndexPage

        wanted = [
            (StoryIndexPage, "story index"),
            (AwardPage, "award programme"),
            (CultureProjectIndexPage, "cultural project index"),
            (EventIndexPage, "event calendar"),
        ]
        return [label for model, label in wanted if not model.objects.live().exists()]
