import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

PASSWORD_FILE = Path(settings.BASE_DIR) / ".dev-admin-password"


class Command(BaseCommand):
    help = (
        "Create a local administrator 'admin' with a generated password kept in "
        ".dev-admin-password (git-ignored). Refused with production settings."
    )

    def handle(self, *args, **options):
        if not getattr(settings, "PORTAL_ALLOW_DEV_SUPERUSER", False):
            raise CommandError("A development administrator is never created with these settings.")
        User = get_user_model()
        user = User.objects.filter(username="admin").first()
        password = PASSWORD_FILE.read_text().strip() if PASSWORD_FILE.exists() else ""
        if user is None or not password or not user.check_password(password):
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User.objects.create_superuser("admin", "admin@localhost", password)
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        self.stdout.write(
            f"Admin: http://127.0.0.1:{os.environ.get('PORT', '8000')}/admin/ "
            f"user 'admin', password '{password}' (kept in {PASSWORD_FILE.name})"
        )
