"""`.env.example` documents every variable the settings and the compose file read."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READERS = re.compile(
    r"""(?:env_bool|env_int|env_list|environ\.get|environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def documented():
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))


def test_every_variable_the_settings_read_is_documented():
    read = set()
    for module in (ROOT / "portal" / "settings").glob("*.py"):
        read |= set(READERS.findall(module.read_text()))
    assert {"SECRET_KEY", "WAGTAILADMIN_BASE_URL", "AWS_STORAGE_BUCKET_NAME"} <= read
    assert read - documented() == set()


def test_every_variable_the_compose_file_reads_is_documented():
    read = set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", (ROOT / "docker-compose.yml").read_text()))
    dockerfile = (ROOT / "Dockerfile").read_text()
    build_arguments = set(re.findall(r"^ARG ([A-Z][A-Z0-9_]+)", dockerfile, re.MULTILINE))
    read |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", dockerfile)) - build_arguments
    assert {"POSTGRES_PASSWORD", "SECRET_KEY"} <= read
    assert read - documented() == set()


def test_the_example_as_it_stands_means_the_defaults(tmp_path):
    """Every variable present but empty, as after copying the file: defaults apply."""
    empty = dict.fromkeys(documented(), "")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(empty, DJANGO_SETTINGS_MODULE="portal.settings.dev")
    probe = (
        "from django.conf import settings as s; print(s.DATABASES['default']['CONN_MAX_AGE'], "
        "s.MEDIA_ROOT, s.WAGTAILADMIN_BASE_URL, s.PORTAL_STORIES_PER_PAGE, "
        "s.LOGGING['root']['level'], s.ALLOWED_HOSTS, s.PORTAL_DOCUMENT_MAX_UPLOAD_SIZE, "
        "s.AXES_FAILURE_LIMIT, s.EMAIL_PORT, bool(s.SECRET_KEY), s.DATABASES['default']['ENGINE'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {probe}"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "60",
        str(ROOT / "media"),
        "http://localhost:8000",
        "10",
        "WARNING",
        "['localhost',",
        "'127.0.0.1',",
        "'[::1]']",
        str(50 * 1024 * 1024),
        "5",
        "25",
        "True",
        "django.db.backends.sqlite3",
    ]
