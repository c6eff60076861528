"""Test runs: fast hashing, plain static storage, both databases via DATABASE_URL."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PORTAL_ALLOW_DEV_SUPERUSER = True
# Absolute URLs in tests read like the test client's own address.
WAGTAILADMIN_BASE_URL = "http://testserver"
# One page cache generation per test process: concurrent test runs in one checkout share
# the database name (SQLite in memory), and must not renew each other's cache.
PORTAL_CACHE_GENERATION_FILE = str(
    Path(tempfile.gettempdir()) / f"portal-test-cache-generation-{os.getpid()}"
)
