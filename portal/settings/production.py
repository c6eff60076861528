"""Production: everything insecure is refused or switched off."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_int, env_list
from .safety import production_problems

_problems = production_problems(os.environ)  # noqa: F405
if _problems:
    raise ImproperlyConfigured(
        "Production settings refuse to start:\n" + "\n".join(f"- {p}" for p in _problems)
    )

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]  # noqa: F405
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

# Mail (password resets, moderation notices) through an SMTP server from the environment.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# /healthz must answer plain HTTP probes from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
PORTAL_ALLOW_DEV_SUPERUSER = False

LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL") or "INFO"  # noqa: F405
