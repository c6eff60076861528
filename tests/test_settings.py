"""Production settings refuse to start insecurely; deploy checks are clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env_extra=None):
    unwanted = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.production"
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_requires_secret_key():
    result = manage("check", env_extra={"ALLOWED_HOSTS": "portal.example"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_check_deploy_has_no_warnings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "SECRET_KEY": "x" * 64 + "-production-key-for-checks",
            "ALLOWED_HOSTS": "portal.example",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_dev_superuser_is_refused_with_production_flag(settings):
    from django.core.management import CommandError, call_command

    settings.PORTAL_ALLOW_DEV_SUPERUSER = False
    with pytest.raises(CommandError):
        call_command("ensure_dev_superuser")
