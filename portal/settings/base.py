"""Settings shared by every environment; the others import and adjust these."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .safety import TRUE_VALUES

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in TRUE_VALUES


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name, default=""):
    value = os.environ.get(name, "").strip() or default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # wagtail-modeltranslation must come first: its migrate command adds the
    # per-language columns to Wagtail's Page table.
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    "modeltranslation",
    "portal",
    "portal.volume",
    "home",
    "stories",
    "awards",
    "events",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.settings",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.csp.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An ETag from the content on every page, fresh or cached: a feed reader or calendar
    # client that already has this version gets a 304 without the body.
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous readers' pages from the cache, before any session is touched.
    "portal.page_cache.PageCacheMiddleware",
    # The database unreachable: a 503 page in the reader's language, for the views and
    # every middleware below (sessions, authentication, locale and redirect lookups).
    "portal.outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, redirecting to a language prefix only where it leads.
    "portal.locale.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a login or password attempt that reached the limit into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses any login attempt while that account and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Security headers, the same in every environment so tests see what production sends.
# SAMEORIGIN, not DENY: Wagtail's preview panel frames the site. check --deploy warns
# about anything but DENY (W019); frame-ancestors 'self' in the CSP says the same.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Video embeds (the embed block) and, with object storage, the media host.
PORTAL_EMBED_ORIGINS = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
PORTAL_MEDIA_ORIGINS = env_list("PORTAL_CSP_MEDIA_ORIGINS")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *PORTAL_MEDIA_ORIGINS],
        "media-src": ["'self'", *PORTAL_MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *PORTAL_EMBED_ORIGINS],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# What Wagtail's admin needs on top (portal/csp.py): its inline scripts and styles, and
# blob: images for upload previews.
PORTAL_ADMIN_PREFIX = "/admin/"
PORTAL_ADMIN_CSP_ADDITIONS = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}
# Nothing in the admin loads from elsewhere: no avatars from gravatar.com, and no
# release check against wagtail.org (upgrades go through the lock file).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite (a file in the project) unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory per process by default; one Redis for every web process when REDIS_URL
# is set (the page cache, fragments and throttling are then shared across containers).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis rather than Django's own backend: with IGNORE_EXCEPTIONS a
            # Redis that is down or slow makes every read a miss instead of a 500.
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX") or "portal",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
        }
    }
# The page cache (portal/page_cache.py): whole pages for anonymous readers, kept until
# content changes or PORTAL_PAGE_CACHE_SECONDS pass; a CDN or proxy in front may keep
# them PORTAL_CDN_MAX_AGE seconds (s-maxage; browsers always revalidate).
PORTAL_PAGE_CACHE = env_bool("PORTAL_PAGE_CACHE", True)
PORTAL_FRAGMENT_CACHE = env_bool("PORTAL_FRAGMENT_CACHE", True)
PORTAL_PAGE_CACHE_SECONDS = env_int("PORTAL_PAGE_CACHE_SECONDS", 3600)
PORTAL_CDN_MAX_AGE = env_int("PORTAL_CDN_MAX_AGE", 300)
# With local-memory caches, where worker processes on this machine learn of a change.
PORTAL_CACHE_GENERATION_FILE = os.environ.get("PORTAL_CACHE_GENERATION_FILE", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Swedish is the default and required language, English is optional
# and falls back to Swedish field by field.
LANGUAGE_CODE = "sv"
LANGUAGES = [
    ("sv", _("Swedish")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date formats per language (English dates read "12 November 1975").
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "sv"
MODELTRANSLATION_LANGUAGES = ("sv", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("sv",)
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "sv"
WAGTAILMODELTRANSLATION_TRANSLATE_SLUGS = True
# Both languages' fields open from the start (a bilingual editor should not have to find
# the toggle for the English ones); an editor who hides one finds it hidden next time.
WAGTAILMODELTRANSLATION_LOCALE_PICKER_DEFAULT = [code for code, _name in LANGUAGES]
WAGTAILMODELTRANSLATION_LOCALE_PICKER_RESTORE = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise ahead
# of the page cache and the language redirects.
WHITENOISE_ROOT = BASE_DIR / "portal" / "public"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded media in S3-compatible object storage when a bucket is named: images as
# public objects, documents as private ones (portal/storage.py).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "portal.storage.MediaStorage"}
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_QUERYSTRING_AUTH = True
    AWS_S3_FILE_OVERWRITE = False
    AWS_DEFAULT_ACL = "private"
    # "none" when the bucket grants public reads on the image folders by policy.
    PORTAL_S3_IMAGES_ACL = os.environ.get("PORTAL_S3_IMAGES_ACL") or "public-read"
    if PORTAL_S3_IMAGES_ACL.lower() == "none":
        PORTAL_S3_IMAGES_ACL = ""

# Wagtail
WAGTAIL_SITE_NAME = "Flemingsberg Portal"
# The site's public address: every absolute URL (canonical and hreflang links, og:url,
# sitemap, feeds, JSON-LD, mails) is built from it, never from the request's Host.
WAGTAILADMIN_BASE_URL = (
    os.environ.get("WAGTAILADMIN_BASE_URL") or f"http://localhost:{env_int('PORT', 8000)}"
).rstrip("/")
WAGTAIL_I18N_ENABLED = False  # one page tree; languages live in per-language fields
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Every download goes through Wagtail's view, which checks the collection's privacy
# (never a redirect to the storage address) and sends Content-Disposition and nosniff.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Upload forms: documents up to PORTAL_DOCUMENT_MAX_UPLOAD_MB (default 50), images
# checked by decoding them whole (portal/forms.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.forms.PortalDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "portal.forms.PortalImageForm"
PORTAL_DOCUMENT_MAX_UPLOAD_SIZE = env_int("PORTAL_DOCUMENT_MAX_UPLOAD_MB", 50) * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# A cache in front of the site (CDN or caching proxy) is purged on publish and
# unpublish, at every language's address (portal/frontend_cache.py).
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    }
if os.environ.get("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
        "BEARER_TOKEN": os.environ.get("CLOUDFLARE_BEARER_TOKEN", ""),
    }
if os.environ.get("CLOUDFRONT_DISTRIBUTION_ID"):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": os.environ["CLOUDFRONT_DISTRIBUTION_ID"],
    }

# Portal
# Serve uploaded media from Django itself (docker compose without a separate proxy).
PORTAL_SERVE_MEDIA = env_bool("PORTAL_SERVE_MEDIA", False)
PORTAL_STORIES_PER_PAGE = env_int("PORTAL_STORIES_PER_PAGE", 10)

# Logging in (the admin, and readers of pages restricted to logged-in users).
LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"

# Throttling (portal/throttle.py): after AXES_FAILURE_LIMIT wrong passwords for one
# account, page or document from one address, that pair waits AXES_COOLOFF_MINUTES.
# Per pair, so a campus behind one address is not locked out by one guesser.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.throttle.client_ip"
# Successful logins are not stored; failures are kept until their cool-off ends.
AXES_DISABLE_ACCESS_LOG = True
# How many proxies of our own sit in front (each appends to X-Forwarded-For).
PORTAL_TRUSTED_PROXIES = env_int("PORTAL_TRUSTED_PROXIES", 0)

# Mail: the standard Django variables from the environment (SMTP in production).
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "webmaster@localhost"
SERVER_EMAIL = os.environ.get("SERVER_EMAIL") or DEFAULT_FROM_EMAIL

# /.well-known/security.txt: where to report a security problem (mailto: or https: URI).
PORTAL_SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT") or (
    f"mailto:security@{urlsplit(WAGTAILADMIN_BASE_URL).hostname or 'localhost'}"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL") or "WARNING"},
}
