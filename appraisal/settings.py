"""Settings, all from the environment (see README). With nothing set: SQLite, eager Celery, console email."""

import datetime
import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    # Login lockout after repeated failures (its AccessAttempt admin is where the office unlocks accounts);
    # django-axes under a Chinese name.
    "appraisal.third_party.AxesConfig",
    "csp",
    # The audit trail: PostgreSQL triggers record every insert, update and delete of the tracked models.
    "pgtrigger",
    "pghistory",
    "appraisal",
    "units",
    "selfcheck",
    "supervisors",
    "inspections",
    "hearings",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The content security policy (CONTENT_SECURITY_POLICY below) on every page.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who changed what: the audit trail's events of a request carry its user and path (PostgreSQL only).
    "appraisal.history.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that cannot reach the database answers a friendly 503 page (README: Fault tolerance).
    "appraisal.middleware.DatabaseUnavailableMiddleware",
    # A request over a rate limit (django_ratelimit's Ratelimited) gets RATELIMIT_VIEW's page, HTTP 429.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: turns a locked-out login into AXES_LOCKOUT_CALLABLE's page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production serves static files from the collected, compressed manifest; development uses runserver's.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "appraisal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "appraisal.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "appraisal.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=600,
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL") or env("CELERY_BROKER_URL")
if REDIS_URL.startswith("redis"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The leaders' dashboard recomputes its figures at most this often (seconds; 0: on every request).
DASHBOARD_CACHE_SECONDS = int(env("DASHBOARD_CACHE_SECONDS", "60"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The lockout backend first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login lockout (django-axes): after LOGIN_FAILURE_LIMIT failures of one username from one client address, that
# pair is locked for LOGIN_LOCKOUT_MINUTES (counted from the last failure); another address or the office's unlock
# (office page "Locked accounts", or the admin's access attempts) lets the person in.
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The same client address as the rate limits (RATELIMIT_IP_META_KEY, DJANGO_CLIENT_IP_HEADER).
AXES_CLIENT_IP_CALLABLE = "appraisal.security.client_ip"
AXES_LOCKOUT_CALLABLE = "appraisal.views.locked_out"

# Sessions: the database with the cache in front (Redis in production). Office accounts' sessions end
# OFFICE_SESSION_SECONDS after login and when the browser closes (appraisal.signals); others last
# SESSION_COOKIE_AGE (Django's two weeks).
SESSION_ENGINE = "appraisal.sessions"
OFFICE_SESSION_SECONDS = int(env("OFFICE_SESSION_SECONDS", str(8 * 60 * 60)))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
# Behind nginx: the internal location that serves MEDIA_ROOT (e.g. /protected/); views answer with
# X-Accel-Redirect after their access check. Unset: the application streams the files itself.
PROTECTED_FILES_URL = env("PROTECTED_FILES_URL")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads: Django keeps bodies above this in a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Workbooks people upload: refused before parsing when larger than this.
EXCEL_MAX_UPLOAD_BYTES = int(env("EXCEL_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
# Documents (plans, summaries, evidence): refused when larger than this.
DOCUMENT_MAX_UPLOAD_BYTES = int(env("DOCUMENT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# Inspection evidence, by the kind its content proves: photos; audio and video (a few minutes of phone video);
# documents. nginx's client_max_body_size must allow the largest.
EVIDENCE_MAX_IMAGE_BYTES = int(env("EVIDENCE_MAX_IMAGE_BYTES", str(20 * 1024 * 1024)))
EVIDENCE_MAX_MEDIA_BYTES = int(env("EVIDENCE_MAX_MEDIA_BYTES", str(300 * 1024 * 1024)))
EVIDENCE_MAX_DOCUMENT_BYTES = DOCUMENT_MAX_UPLOAD_BYTES

# Rate limits count requests per client address. Behind nginx set DJANGO_CLIENT_IP_HEADER=HTTP_X_REAL_IP
# (nginx: proxy_set_header X-Real-IP $remote_addr), or every client shares the proxy's address.
RATELIMIT_IP_META_KEY = env("DJANGO_CLIENT_IP_HEADER", "REMOTE_ADDR")
# The page of a request over a limit (ballot page, uploads): HTTP 429.
RATELIMIT_VIEW = "appraisal.views.ratelimited"
# Requests per client address on the phone ballot. A hall of a few hundred voters may share one Wi-Fi address
# (two requests each within minutes), so the limit only stops a runaway client; codes are not guessable anyway.
# Empty: no limit.
BALLOT_CLIENT_RATE = env("BALLOT_CLIENT_RATE", "3000/m")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console output unless an SMTP host is configured (or another backend named, e.g. the file backend
# with EMAIL_FILE_PATH, which the worker tests use).
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_BACKEND = env("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
if env("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "appraisal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
CITY_OFFICE_EMAIL = env("CITY_OFFICE_EMAIL")

# How long personal data is kept, in days, per kind (README: Personal data); each can be changed with
# RETENTION_DAYS_<KIND>. `manage.py purge_personal_data` anonymises or removes what is past it.
PERSONAL_DATA_RETENTION = {
    kind: int(env(f"RETENTION_DAYS_{kind.upper()}", str(days)))
    for kind, days in {
        "complaints": 2 * 365,  # after the office handled the complaint
        "service_objects": 2 * 365,  # after the end of the year they were listed for
        "supervisors": 2 * 365,  # after their last appointment ended
        "exports": 5 * 365,  # records of personal-data exports
        "audit_events": 5 * 365,  # the audit trail
    }.items()
}

# The district this installation serves; shown in titles and on the exported registers.
DISTRICT_NAME = env("DISTRICT_NAME", "秦淮区")
# The address users reach the site at, for the links in emails (https://pingyi.example.gov.cn); without it
# emails name the page without a link.
SITE_URL = env("SITE_URL").rstrip("/")

# Celery: with no broker configured, tasks run in-process (eager) so the demo needs no Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or env("REDIS_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis hands a message taken by a worker that died (never acknowledged) to another worker after
# visibility_timeout seconds (kombu's default: 3600, longer than any job). JSON, e.g. {"visibility_timeout": 3600};
# the fault tolerance tests shorten it.
CELERY_BROKER_TRANSPORT_OPTIONS = json.loads(env("CELERY_BROKER_TRANSPORT_OPTIONS", "{}"))

# Production: behind nginx terminating TLS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Pages load scripts, styles, images and fonts from this site only and run no inline script or style; forms post
# here only; no page may be framed. Admin pages pass it too (Django 5.2's admin has no inline script).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # django-axes announces its version on every start (each manage.py command); its lockout log stays on.
    "loggers": {"axes.apps": {"level": "WARNING"}},
}
