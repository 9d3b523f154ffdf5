"""Stance Tracker settings, read from the environment (12-factor).

With nothing set the app runs on an embedded default: DEBUG on, SQLite under
``var/`` and a filesystem Celery broker under ``var/celery/``, so it needs no
server. ``DATABASE_URL`` and ``REDIS_URL`` switch it to PostgreSQL and Redis.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
VAR_DIR = Path(env.str("STANCETRACKER_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials.apps.SimpleAppConfig",
    "simple_history",
    "axes",
    "csp",
    "stancetracker.apps.StanceTrackerConfig",
    "articles",
    "actors",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "stancetracker.middleware.RejectNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "stancetracker.middleware.RenewSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stancetracker.urls"

TEMPLATE_LOADERS = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
if not DEBUG:
    TEMPLATE_LOADERS = [("django.template.loaders.cached.Loader", TEMPLATE_LOADERS)]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # compiled templates are kept between requests, except while developing (DEBUG),
            # as Django does when no loaders are named (3 to 5 ms a page at the bench)
            "loaders": [("template_partials.loader.Loader", TEMPLATE_LOADERS)],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

WSGI_APPLICATION = "stancetracker.wsgi.application"

# Database: SQLite under var/ unless DATABASE_URL is set.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the worker write to the same file: wait for locks
    # instead of failing, and take the write lock at the start of a transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not memory, so that a real worker process can share the test
    # database; one per test run, so that two runs never clash.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
FORMAT_MODULE_PATH = ["stancetracker.formats"]
LANGUAGES = [("en", _("English"))]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security: strict whenever DEBUG is off (`manage.py check --deploy` is clean).
# Trust X-Forwarded-Proto only when a TLS proxy that sets it stands in front of the app.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A session ends after a working day without a request (activity renews it; see
# stancetracker.middleware.RenewSessionMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=8 * 60 * 60)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"

# Login throttling (django-axes), on the app's sign-in and the admin's alike: after
# LOGIN_FAILURE_LIMIT failed attempts for one username from one address, that pair is refused
# for LOGIN_COOLOFF_MINUTES, even with the right password; a successful sign-in starts over.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "stancetracker.security.lockout_response"
# The client's address: X-Forwarded-For is believed only behind the TLS proxy that sets it.
AXES_CLIENT_IP_CALLABLE = "stancetracker.security.client_ip"

# Content-Security-Policy (django-csp): scripts and styles only from the app's own files (no
# inline code), no framing, forms post only to the app. ECharts styles its tooltips through
# the CSSOM, which the policy allows.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"

# E-mail: password reset by mail is offered only when a mail server is configured.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
PASSWORD_RESET_BY_EMAIL = bool(EMAIL_URL)

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport.
REDIS_URL = env.str("REDIS_URL", default="")
# The counts and chart aggregates the pages cache: per process unless CACHE_URL names a
# shared cache (redis://host:6379/1: a database of its own, as clearing it clears it all).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# How long the analysis pages keep an aggregate; a new or changed stance shows at once anyway
# (the key holds the data's version), a deletion within this time. 0: no caching.
STANCETRACKER_ANALYSIS_CACHE_SECONDS = env.int("ANALYSIS_CACHE_SECONDS", default=300)
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # A task whose worker died is handed out again after this many seconds.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        # With Redis down an upload is stored at once, not after a long wait.
        "socket_connect_timeout": 3,
    }
CELERY_BEAT_SCHEDULE = {
    "resume-stalled-ingest-jobs": {
        "task": "articles.tasks.ingest_jobs_resume_task",
        "schedule": env.int("INGEST_RESUME_INTERVAL", default=60),
    },
    # Sends each enabled source whose polling interval has passed to the worker.
    "poll-due-sources": {
        "task": "articles.sources.tasks.sources_poll_due_task",
        "schedule": env.float("SOURCES_CHECK_INTERVAL", default=60),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Stance Tracker's own settings.
STANCETRACKER_SEEDS_DIR = BASE_DIR / "seeds"
STANCETRACKER_DEMO_ADMIN = {
    "username": env.str("DEMO_ADMIN_USERNAME", default="admin"),
    "password": env.str("DEMO_ADMIN_PASSWORD", default="stancetracker-demo"),
}
STANCETRACKER_REVIEW_PAGE_SIZE = 25
# Bulk upload limits (bytes and counts); see articles.uploads.UploadLimits.
STANCETRACKER_UPLOAD_LIMITS = {
    "max_file_bytes": env.int("UPLOAD_MAX_FILE_BYTES", default=5 * 1024 * 1024),
    "max_files": env.int("UPLOAD_MAX_FILES", default=500),
    "max_archive_members": env.int("UPLOAD_MAX_ARCHIVE_MEMBERS", default=500),
    "max_expanded_bytes": env.int("UPLOAD_MAX_EXPANDED_BYTES", default=50 * 1024 * 1024),
    "max_rows": env.int("UPLOAD_MAX_ROWS", default=5000),
    # one article's text, for uploads, seeds and every other way in
    "max_article_chars": env.int("UPLOAD_MAX_ARTICLE_CHARS", default=200_000),
}
DATA_UPLOAD_MAX_NUMBER_FILES = STANCETRACKER_UPLOAD_LIMITS["max_files"]
# One file's processing (parsing and extraction) in the worker: past this it fails with the
# reason, and a file that stopped a worker twice (killed, out of memory) is not tried again.
STANCETRACKER_INGEST_FILE_SECONDS = env.int("INGEST_FILE_SECONDS", default=120)
STANCETRACKER_INGEST_FILE_ATTEMPTS = env.int("INGEST_FILE_ATTEMPTS", default=2)
# The unit of work of the worker: this many files parsed together in one task.
STANCETRACKER_INGEST_BATCH_FILES = env.int("INGEST_BATCH_FILES", default=8)
# One upload request as a whole: a larger body is refused from its Content-Length, unread.
UPLOAD_MAX_TOTAL_BYTES = env.int("UPLOAD_MAX_TOTAL_BYTES", default=200 * 1024 * 1024)
# Uploaded files larger than this go to temporary files on disk as they arrive, so a batch
# of files is never held in memory (Django's default is 2.5 MB a file, up to 500 files).
FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024

# The extractor's decision model: a folder written by `train_extractor` or
# `make train`; empty means the model shipped in articles/nlp/data/model/.
EXTRACTOR_MODEL_PATH = env.str("EXTRACTOR_MODEL_PATH", default="")

# Live sources (articles.sources): how politely and how far pages are fetched.
STANCETRACKER_SOURCES = {
    "user_agent": env.str(
        "SOURCES_USER_AGENT", default="StanceTracker/0.1 (news stance research; feed reader)"
    ),
    "timeout": env.float("SOURCES_TIMEOUT_SECONDS", default=15.0),
    "max_bytes": env.int("SOURCES_MAX_BYTES", default=5 * 1024 * 1024),
    "max_redirects": env.int("SOURCES_MAX_REDIRECTS", default=5),
    # between two requests to the same host, from any worker process
    "host_delay": env.float("SOURCES_HOST_DELAY_SECONDS", default=2.0),
    # a source is paused after this many failed polls in a row
    "max_failures": env.int("SOURCES_MAX_FAILURES", default=5),
    "max_entries_per_poll": env.int("SOURCES_MAX_ENTRIES_PER_POLL", default=50),
    # a page that failed is tried again at the next polls, this many times in all
    "entry_attempts": env.int("SOURCES_ENTRY_ATTEMPTS", default=3),
    # a poll that has not finished after this long is taken to have died with its worker
    "lease_minutes": env.int("SOURCES_LEASE_MINUTES", default=30),
}
