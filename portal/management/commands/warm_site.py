from django.core.management.base import BaseCommand

from portal.warmup import warm_site


class Command(BaseCommand):
    help = (
        "Render every live page in every language once, so that image renditions exist "
        "before readers ask (after a deploy, an import or a restore)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Rendered {warm_site()} pages in every language.")
