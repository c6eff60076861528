from django.core.management.base import BaseCommand

from portal.search.index import rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the language-aware search index of every live page. Publishing keeps it "
        "current; run this after importing pages or changing how text is extracted."
    )

    def handle(self, *args, **options):
        written = rebuild_index()
        self.stdout.write(f"Search index rebuilt: {written} entries.")
