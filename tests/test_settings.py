"""Production settings refuse to start insecurely; deploy checks are clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


GOOD_KEY = "k3Y" * 20 + "-production-key-for-checks"
PRODUCTION = {
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "portal.example",
    "WAGTAILADMIN_BASE_URL": "https://portal.example",
}


def manage(*args, env_extra=None):
    unwanted = {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DEBUG",
        "WAGTAILADMIN_BASE_URL",
    }
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.production"
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_requires_secret_key():
    result = manage("check", env_extra={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_check_deploy_has_no_warnings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra=PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "change, explanation",
    [
        ({"SECRET_KEY": "short-but-random-Xq9"}, "SECRET_KEY is weak: use at least 50"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY is weak"),
        ({"SECRET_KEY": "django-insecure-" + "x1y2z3" * 10}, "SECRET_KEY is weak"),
        ({"ALLOWED_HOSTS": "*"}, "'*' would accept any Host header"),
        ({"ALLOWED_HOSTS": "portal.example,*"}, "'*' would accept any Host header"),
        ({"DEBUG": "true"}, "DEBUG must be off in production"),
        ({"WAGTAILADMIN_BASE_URL": ""}, "WAGTAILADMIN_BASE_URL must be set"),
        ({"WAGTAILADMIN_BASE_URL": "http://portal.example"}, "must be the site's https address"),
    ],
)
def test_production_refuses_weak_values_with_one_line_each(change, explanation):
    result = manage("check", env_extra={**PRODUCTION, **change})
    assert result.returncode != 0
    assert "Production settings refuse to start" in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("- ")]
    assert len(lines) == 1, result.stderr
    assert explanation in lines[0]


def test_production_lists_every_problem_at_once():
    result = manage("check", env_extra={"SECRET_KEY": "x", "ALLOWED_HOSTS": "*", "DEBUG": "1"})
    lines = [line for line in result.stderr.splitlines() if line.startswith("- ")]
    assert len(lines) == 4, result.stderr


def test_production_reads_mail_from_the_environment():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, "
        "s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, s.WAGTAILADMIN_BASE_URL)",
        env_extra={
            **PRODUCTION,
            "EMAIL_HOST": "smtp.portal.example",
            "EMAIL_PORT": "587",
            "EMAIL_USE_TLS": "true",
            "DEFAULT_FROM_EMAIL": "Flemingsberg <noreply@portal.example>",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.portal.example",
        "587",
        "True",
        "Flemingsberg",
        "<noreply@portal.example>",
        "https://portal.example",
    ]


@pytest.mark.django_db
def test_dev_superuser_is_refused_with_production_flag(settings):
    from django.core.management import CommandError, call_command

    settings.PORTAL_ALLOW_DEV_SUPERUSER = False
    with pytest.raises(CommandError):
        call_command("ensure_dev_superuser")
