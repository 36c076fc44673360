"""Stance Desk settings.

One settings module for every environment. Deployment settings come from the
environment through the small typed helpers below, which fail loudly on values they
cannot read. Defaults suit local development on SQLite; production sets DEBUG=0,
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see .env.example).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# Local development is the default; production must opt out explicitly.
DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "newsroom",
    "stance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CsrfViewMiddleware, which is the first to read a POST body.
    "newsroom.middleware.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "newsroom.middleware.NoStoreWhenSignedInMiddleware",
    # Every page needs a signed-in user unless its view says otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent readers and one writer without "database is locked" under a dev server.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out sign-in is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Then the per-address ceiling (newsroom.security.AddressCeilingBackend).
    "newsroom.security.AddressCeilingBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sign-in throttling (django-axes, attempts kept in the database so every app server
# sees them): five failed sign-ins for one username from one address lock that pair
# out for AXES_COOLOFF_MINUTES. Keyed on the pair, so one editor's typos behind a
# shared newsroom address never lock out colleagues. `manage.py axes_reset` unlocks.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Past this many failures from one address (any usernames) within the cool-off, that
# address signs in only to accounts that have signed in from it before.
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 30)
AXES_LOCKOUT_CALLABLE = "newsroom.security.lockout_response"
# Behind a reverse proxy, REMOTE_ADDR is the proxy's: count that many trusted hops
# back along X-Forwarded-For instead (newsroom.security.client_ip).
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
AXES_CLIENT_IP_CALLABLE = "newsroom.security.client_ip"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "story-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-nz"
TIME_ZONE = env_str("TIME_ZONE", "Pacific/Auckland")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
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
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# Uploads: each file is checked against newsroom.ingest.MAX_UPLOAD_BYTES; these caps
# bound a whole request so an oversized batch is refused before it is read into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The form refuses more than UPLOAD_MAX_FILES with a message naming the limit; Django's
# own cap sits well above it, so only a hostile request meets its bare 400 page.
UPLOAD_MAX_FILES = 20
DATA_UPLOAD_MAX_NUMBER_FILES = 100
UPLOAD_MAX_FILE_BYTES = 2 * 1024 * 1024  # newsroom.ingest.MAX_UPLOAD_BYTES

# Every request's body is capped by its Content-Length before anything reads it
# (newsroom.middleware.RequestBodyLimitMiddleware; a reverse proxy should cap it too):
# small without a signed-in user, DATA_UPLOAD_MAX_MEMORY_SIZE for forms, more for the
# views that take files. Multipart framing gets a megabyte.
_FRAMING = 1024 * 1024
REQUEST_MAX_BYTES_ANONYMOUS = env_int("REQUEST_MAX_BYTES_ANONYMOUS", 64 * 1024)
REQUEST_MAX_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE + _FRAMING


# Django's cache framework (rendered pages, what task workers hand to the pages: alignments,
# explanations): per-process memory by default; `make run` shares a folder between the dev
# server and its task worker (file:///path); in production one Redis shared by every app
# server and worker, CACHE_URL=redis://127.0.0.1:6379/1.
def cache_from_url(url: str) -> dict:
    if url == "" or url.startswith("locmem://"):
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": url.removeprefix("locmem://") or "stance",
        }
    if url.startswith("file:///"):
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": url.removeprefix("file://"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "stance"),
        }
    raise ImproperlyConfigured(
        f"CACHE_URL={url!r}: use locmem://, file:///FOLDER or redis://HOST:PORT/DB."
    )


CACHES = {"default": cache_from_url(env_str("CACHE_URL"))}

# Background tasks: run inline unless a deployment picks the database-backed worker
# (TASKS_BACKEND=database, then `manage.py task_worker`, see stance/management/commands).
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
if TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND={TASKS_BACKEND!r}: use 'immediate' or 'database'.")

# A running job (retrain, refresh) holds a lease: its worker touches the job's heartbeat
# every fifth of it. A job whose heartbeat is older than the lease lost its worker (killed,
# or cut off from the database) and is failed, retryable, by the next reaper
# (stance.jobs.jobs_reap, run by `manage.py task_worker` and the models page).
STANCE_JOB_LEASE_SECONDS = env_int("STANCE_JOB_LEASE_SECONDS", 90)
# Task workers lower their CPU priority by this much (os.nice) so that analysis and training
# on the same machine never starve the app servers' requests; 0 keeps it.
TASK_WORKER_NICE = env_int("TASK_WORKER_NICE", 10)
if STANCE_JOB_LEASE_SECONDS < 1:
    raise ImproperlyConfigured("STANCE_JOB_LEASE_SECONDS must be at least 1.")

# An imported training set (the models page, `import_training_tsv`) is refused past this.
STANCE_TRAINING_SET_MAX_BYTES = env_int("STANCE_TRAINING_SET_MAX_BYTES", 20 * 1024 * 1024)

REQUEST_MAX_BYTES_BY_VIEW = {
    # UPLOAD_MAX_FILES files of UPLOAD_MAX_FILE_BYTES, and pasted text.
    "upload": UPLOAD_MAX_FILES * UPLOAD_MAX_FILE_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE + _FRAMING,
    "training-set-import": STANCE_TRAINING_SET_MAX_BYTES + _FRAMING,
}

# The labelled TSV every classifier version starts from (see stance/corpus/README.md).
STANCE_STARTER_CORPUS = Path(
    env_str("STANCE_STARTER_CORPUS", str(BASE_DIR / "stance" / "corpus" / "starter.tsv"))
)

# Security. Cookies and HSTS are strict whenever DEBUG is off; HSTS and the redirect
# only make sense behind TLS, which SECURE_SSL_REDIRECT=0 turns off for a plain-HTTP
# deployment on a private network.
# django-csp: only the app's own scripts, styles and images; no framing, no foreign forms.
# Everything the pages load is served from STATIC_URL (htmx comes with django-htmx), and
# templates carry no inline scripts, styles or style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe health over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Only a submission to the browsers' preload list acts on this; set 0 before then
    # if the domain's subdomains are not all on HTTPS.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, 404, and the 400s django.security.* logs: a bad Host header, a
    # body over the limit) is one line, not a traceback: on the handler, which the records of
    # every logger reach (a logger's filter skips its children's), and on django.request.
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_client_tracebacks"]}
    },
    "filters": {"no_client_tracebacks": {"()": "newsroom.log_filters.NoTracebackForClientErrors"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"filters": ["no_client_tracebacks"]},
        "django.db.backends": {"level": "WARNING"},
        # Failed and locked-out sign-ins are warnings; its start-up banner is not news.
        "axes": {"level": "WARNING"},
    },
}
