"""Settings shared by every environment. Values that differ per deployment come from the
environment; see README.md for the list."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from wagtail.embeds import oembed_providers as _oembed

from newsdesk.settings.database import database_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "apps.core",
    "apps.registry",
    "apps.articles",
    "apps.tagging",
    "apps.extraction",
    "apps.partners",
    "apps.api",
    "apps.changes",
    "apps.webhooks",
    "apps.corpus",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
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
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.core.middleware.PathAwareCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsdesk.urls"
WSGI_APPLICATION = "newsdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite file in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": database_from_env(
        os.environ.get("DATABASE_URL"),
        default_sqlite_path=BASE_DIR / "db.sqlite3",
        prepare_threshold=os.environ.get("DATABASE_PREPARE_THRESHOLD"),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis shared by every worker when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The partner API keeps each article body's rendering (HTML and text) in that cache for this long,
# keyed by everything it is built from (apps.api.selectors._bodies); 0 turns it off.
API_BODY_CACHE_SECONDS = int(os.environ.get("API_BODY_CACHE_SECONDS", 24 * 3600))

# Admin login lockout (docs/security.md): django-axes counts failed logins per username *and* IP
# together, so a guesser cannot lock a colleague out from elsewhere, and locks that pair for a
# cool-off; a success clears the count. Its backend must come first to refuse locked pairs.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "French")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background work (docs/adr/0002-background-work.md). Wagtail queues its own search-index and
# reference-index tasks on "default"; they must run inline so search works without a worker.
# Our tasks use @task(backend="background"), run by `manage.py db_worker --backend background`.
# TASKS_BACKEND=rq moves "background" to Redis (django-tasks-rq on REDIS_URL; the worker is
# `rqworker --job-class django_tasks_rq.Job`, `make worker` picks it) for nodes sharing one queue.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "db").strip().lower() or "db"
if TASKS_BACKEND not in {"db", "rq"}:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be 'db' or 'rq', not {TASKS_BACKEND!r}")
if TASKS_BACKEND == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL (the queue lives in Redis)")
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": (
        {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
        if TASKS_BACKEND == "rq"
        else {"BACKEND": "django_tasks_db.DatabaseBackend"}
    ),
}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}

# Webhooks (docs/webhooks.md): plain http and loopback receivers only where allowed (dev, tests);
# the sweep re-queues due deliveries this often (the scheduler's --tick bounds it from below).
WEBHOOKS_ALLOW_LOOPBACK = env_bool("WEBHOOKS_ALLOW_LOOPBACK", False)
WEBHOOKS_SWEEP_SECONDS = int(os.environ.get("WEBHOOKS_SWEEP_SECONDS", "60"))

# Wagtail
WAGTAIL_SITE_NAME = "Newsdesk"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The one public base URL of the site: canonical links, JSON-LD, OpenGraph, feeds, sitemap and
# the API's `url` fields are built from it (apps/core/public_urls.py), never from the Site record.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILIMAGES_IMAGE_MODEL = "core.NewsImage"
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Embeds: only the providers whose players CSP_FRAME_SOURCES admits (apps/articles/embeds.py
# validates article embeds against the same list). EMBEDS_OFFLINE=1 builds the player iframe
# locally instead of asking the provider (offline demos; the test suite does the same).
WAGTAILEMBEDS_FINDERS = (
    [{"class": "apps.articles.embeds.LocalEmbedFinder"}]
    if env_bool("EMBEDS_OFFLINE")
    else [{"class": "wagtail.embeds.finders.oembed", "providers": [_oembed.youtube, _oembed.vimeo]}]
)
# No third-party calls from the admin.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]

# Content Security Policy (docs/adr/0003-csp-per-path.md). The public site runs no inline
# script; the Wagtail admin gets ADMIN_CONTENT_SECURITY_POLICY from PathAwareCSPMiddleware.
_SELF = "'self'"
CSP_FRAME_SOURCES = [
    "https://www.youtube-nocookie.com",
    "https://www.youtube.com",
    "https://player.vimeo.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "frame-src": [_SELF, *CSP_FRAME_SOURCES],
        "object-src": ["'none'"],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_SELF],
    }
}
ADMIN_URL_PREFIXES = ("/admin/", "/django-admin/")
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        # Wagtail's editor ships inline scripts and styles; no nonce here on purpose,
        # because a nonce makes browsers ignore 'unsafe-inline'.
        "script-src": [_SELF, "'unsafe-inline'"],
        "style-src": [_SELF, "'unsafe-inline'"],
        "img-src": [_SELF, "data:", "blob:"],
        "font-src": [_SELF, "data:"],
        "connect-src": [_SELF],
        "frame-src": [_SELF, *CSP_FRAME_SOURCES],
        "worker-src": [_SELF, "blob:"],
        "object-src": ["'none'"],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_SELF],
    }
}

# DRF defaults stay neutral: Wagtail's admin API (/admin/api/main/) runs on DRF with its own
# session auth. The partner API's policy (Bearer keys, deny by default, per-key throttle,
# problem+json; docs/api.md, docs/adr/0006) is set on its base views in apps/api/views.py.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# Requests per window for each partner rate-limit tier ("N/s", "N/min", "N/hour", "N/day").
PARTNER_API_RATE_LIMITS = {"basic": "60/min", "standard": "300/min", "premium": "1200/min"}
# Server-side pepper for API key hashes; falls back to SECRET_KEY (rotating that revokes all keys).
API_KEY_PEPPER = os.environ.get("API_KEY_PEPPER", "")
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsdesk partner API",
    "DESCRIPTION": "Read-only syndication API for partners: tagged articles and sections. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Only /api/v1/: Wagtail's admin API would otherwise leak in (and warn in `check --deploy`).
    "PREPROCESSING_HOOKS": ["apps.api.schema.only_partner_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.api.schema.fields_are_optional",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # apps/api/urls.py IdConverter: the ids a database column can hold.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}},
}

# Periodic jobs run by `manage.py run_scheduler` (apps/core/scheduler.py lists them).
SCHEDULER_TICK_SECONDS = 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per inline search-index task is noise; failures still log as errors.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": os.environ.get("WAGTAIL_LOG_LEVEL", "WARNING")},
    },
}

# Mail: workflow notifications (submitted, approved, rejected). The console in development;
# production reads the SMTP server from the environment (newsdesk/settings/production.py).
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsdesk@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
