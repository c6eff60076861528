"""What production settings refuse to start with, one line of explanation each.

Kept apart from ``production.py`` so that tests can call it with any environment.
"""

from urllib.parse import urlsplit

MIN_SECRET_KEY_LENGTH = 50
# Values that appear in this repository, its examples or common tutorials.
KNOWN_KEYS = {
    "dev-only-insecure-key-never-used-in-production",
    "test-only-key",
    "build",
    "change-me",
    "changeme",
    "secret",
}
TRUE_VALUES = {"1", "true", "yes", "on"}


def production_problems(environ):
    """Every reason the environment ``environ`` is not fit for production."""
    problems = []
    key = environ.get("SECRET_KEY", "")
    if not key:
        problems.append(
            "SECRET_KEY must be set in the environment for production settings (a long random "
            "string, e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    elif (
        len(key) < MIN_SECRET_KEY_LENGTH
        or len(set(key)) < 5
        or key.lower() in KNOWN_KEYS
        or key.startswith("django-insecure")
        or key.lower().startswith(("dev-", "test-", "example"))
    ):
        problems.append(
            f"SECRET_KEY is weak: use at least {MIN_SECRET_KEY_LENGTH} random characters that "
            "appear nowhere else (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    hosts = [h.strip() for h in environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    if not hosts:
        problems.append("ALLOWED_HOSTS must be set in the environment for production.")
    elif any("*" in host for host in hosts):
        problems.append(
            "ALLOWED_HOSTS must name the site's host names; '*' would accept any Host header."
        )
    if environ.get("DEBUG", "").strip().lower() in TRUE_VALUES:
        problems.append(
            "DEBUG must be off in production: it shows code, settings and data to every visitor."
        )
    base_url = environ.get("WAGTAILADMIN_BASE_URL", "").strip()
    parts = urlsplit(base_url)
    if not base_url:
        problems.append(
            "WAGTAILADMIN_BASE_URL must be set to the site's public https address (e.g. "
            "https://www.example.se): links in mails, feeds and canonical links are built from it."
        )
    elif parts.scheme != "https" or not parts.netloc or parts.path not in ("", "/"):
        problems.append(
            f"WAGTAILADMIN_BASE_URL must be the site's https address without a path, not "
            f"{base_url!r}: password-reset links would otherwise travel over plain http."
        )
    return problems
