"""Local development: DEBUG on, an insecure key that never leaves this machine."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-used-in-production"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Lets `make run` create a local administrator; production never sets it.
PORTAL_ALLOW_DEV_SUPERUSER = True
