"""Settings for every deployment, driven by the environment (see docs/configuration.md).

With no environment at all this is the embedded default: a SQLite file and media on disk under
`var/`, tasks run in-process. `DATABASE_URL` switches to PostgreSQL. `DJANGO_ENV=production`
turns on what a deployment needs (docs/deployment.md): required secrets and host names, HTTPS
behind a proxy, persistent database connections and the database task queue.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from backend.env import env_bool, env_int, env_list, env_networks, env_secret, env_str
from backend.web.csp import object_storage_sources, url_source

# Django's generic classes (ModelAdmin, Paginator, QuerySet, ...) take type arguments at run time
# too, as django-stubs writes them: `class FormAdmin(admin.ModelAdmin[Form])`.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var")))

DJANGO_ENV = env_str("DJANGO_ENV", "embedded")
if DJANGO_ENV not in {"embedded", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be embedded or production, not {DJANGO_ENV!r}")
PRODUCTION = DJANGO_ENV == "production"
_REQUIRED = "when DJANGO_ENV=production (docs/deployment.md)"

DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION:
    SECRET_KEY = env_secret("SECRET_KEY", why=_REQUIRED)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", env_secret("ALLOWED_HOSTS", why=_REQUIRED))
    SITE_URL = env_secret("SITE_URL", why=_REQUIRED).rstrip("/")
else:
    # The embedded default needs no configuration (core.E001 stops it reaching a deployment).
    SECRET_KEY = env_str("SECRET_KEY", "insecure-embedded-default-key-change-me-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "*")
    SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)
# The key of the hashes that stand for ID numbers (backend/crosscheck/keys.py). Empty: derived from
# SECRET_KEY, so rotating SECRET_KEY means `manage.py rehash_members`; set it to keep them apart.
ID_HASH_KEY = env_str("ID_HASH_KEY", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    # The API docs page then loads Swagger UI from this server's static files (no CDN, no inline
    # script: the Content-Security-Policy allows both) instead of ninja's CDN template.
    "ninja",
    "backend.core",
    "backend.ops",
    "backend.accounts",
    "backend.projects",
    "backend.areas",
    "backend.households",
    "backend.entities",
    "backend.submissions",
    "backend.flags",
    "backend.monitoring",
    "backend.evidence",
    "backend.review",
    "backend.casework",
    "backend.campaigns",
    "backend.crosscheck",
    "backend.pipeline",
    "backend.audit",
    "backend.web",
    "backend.exports",
    "backend.statistics",
    "backend.dossiers",
    "forms",
    "sync",
]

MIDDLEWARE = [
    # First: everything after reads the client's address and scheme it settles.
    "backend.core.proxy.TrustedProxyMiddleware",
    "backend.core.request_body.ReleaseRequestBodyMiddleware",
    "backend.core.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # backend.web.web_only: the pages' middleware, passed over on the phones' paths (PHONE_PATHS).
    "backend.web.web_only.CSPMiddleware",
    "backend.web.web_only.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "backend.core.nul.RefuseNulMiddleware",
    # The phones' paths (PHONE_PATHS) end here: the view is called past the rest (sync/front.py).
    "sync.front.PhonePathsMiddleware",
    "backend.web.web_only.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "backend.web.web_only.AuthenticationMiddleware",
    "backend.web.web_only.MessageMiddleware",
    # A member given a first password by an admin chooses their own before any page.
    "backend.web.web_only.FirstPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that gave up waiting for the database answers 503, not 500 (backend/core/busy.py).
    "backend.core.busy.DatabaseBusyMiddleware",
    # Last, as axes asks: answers a sign-in refused for lockout (backend/web/views.py).
    "axes.middleware.AxesMiddleware",
]
# The OpenRosa paths of sync/urls.py (with or without a device token): ODK Collect's requests,
# which the pages' middleware above passes over (tests/sync/test_phone_paths.py).
PHONE_PATHS = (
    r"^/(?:key/[^/]+/)?projects/[^/]+/(?:formList|submission"
    r"|forms/[^/]+/[^/]+/(?:form\.xml|manifest|media/[^/]+)|lists/[^/]+/integrity)$"
)

# axes' backend first: a locked-out request is refused before any password is hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# ODK Collect posts to fixed paths and does not follow redirects on POST.
APPEND_SLASH = False

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
ASGI_APPLICATION = "backend.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backend.web.context_processors.navigation",
            ],
        },
    },
]

if PRODUCTION:
    env_secret("DATABASE_URL", why=_REQUIRED)
# Each app server thread, task worker and periodic runner holds one connection while it
# lives (persistent connections): size PostgreSQL's max_connections by docs/sizing.md.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        # A connection the database dropped (restart, failover) is replaced, not reused.
        conn_health_checks=True,
    )
}


# Time limits for the app server's connections (docker/serve.py sets them; the task workers and
# commands keep none): a request waiting on a lock gives up after DATABASE_LOCK_TIMEOUT_MS, a slow
# statement after DATABASE_STATEMENT_TIMEOUT_MS, answered 503 with Retry-After, so one stalled
# table never holds every app thread while /health and the form list wait behind it.
def _time_limits(statement_ms: int, lock_ms: int) -> str:
    """libpq's `options` for a connection with these limits (0: none), set as it opens."""
    limits = {"statement_timeout": statement_ms, "lock_timeout": lock_ms}
    return " ".join(f"-c {name}={ms}" for name, ms in limits.items() if ms)


_limits = _time_limits(
    env_int("DATABASE_STATEMENT_TIMEOUT_MS", 0), env_int("DATABASE_LOCK_TIMEOUT_MS", 0)
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _limits:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = _limits
SILENCED_SYSTEM_CHECKS: list[str] = []
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Covering indexes (INCLUDE) serve PostgreSQL's pages; SQLite builds them without the extra
    # columns, which is all the embedded default needs: no warning on every start.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
    # The embedded default keeps its database beside the media; create the folder on first run.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the phones' uploads and a supervisor's page read at the same time; the busy timeout
    # makes a second writer wait instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# Web pages: sign-in, sessions and login throttling (docs/web.md).
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = None
# A signed-in session ends this many seconds after the last sign-in (default: a working day).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 10 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_HTTPONLY = True
# Not sent with requests started by other sites' pages (links from elsewhere still sign in).
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A form refused by the CSRF check gets a page in the layout saying to reload and send again.
CSRF_FAILURE_VIEW = "backend.web.errors.csrf_failure"
SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Failed sign-ins on every door (pages, admin, Digest, Basic, API tokens) are counted by
# django-axes (backend/accounts/lockout.py, docs/security.md#signing-in): LOGIN_MAX_ATTEMPTS per
# user name from one address, LOGIN_ADDRESS_MAX_ATTEMPTS per address whatever the user names; a
# locked pair or address waits LOGIN_LOCKOUT_SECONDS after its last counted failure.
LOGIN_MAX_ATTEMPTS = env_int("LOGIN_MAX_ATTEMPTS", 5)
LOGIN_ADDRESS_MAX_ATTEMPTS = env_int("LOGIN_ADDRESS_MAX_ATTEMPTS", 30)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
AXES_HANDLER = "backend.accounts.lockout.PairAndAddressHandler"
AXES_FAILURE_LIMIT = LOGIN_MAX_ATTEMPTS
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_LOCKOUT_SECONDS)
# The pair is what a success clears (AXES_RESET_ON_SUCCESS): signing in to one's own account never
# clears the failures others caused from the same address. The address limit is the handler's.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts refused while locked are not counted: a lock ends LOGIN_LOCKOUT_SECONDS after the last
# counted failure, however often a phone with a stale password retries meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The same address as the access log: the proxy middleware has settled it (TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "backend.core.requests.client_ip"
AXES_LOCKOUT_CALLABLE = "backend.web.views.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
# Sign-ins are not kept in a table of their own; failures are, while they count.
AXES_DISABLE_ACCESS_LOG = True
# The reverse proxies in front of the app (addresses or CIDR networks). Only a request whose
# immediate peer is one of them may name the client (X-Forwarded-For) and the scheme
# (X-Forwarded-Proto); from anyone else both headers are dropped (backend/core/proxy.py). The
# default is this host: nginx beside the app (ops/smoke.sh). docker/compose.yaml sets the
# containers' private networks, which only its own containers reach.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", "127.0.0.0/8,::1")
# Believed only from TRUSTED_PROXIES: the middleware drops it from anyone else.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Map background tiles, e.g. "https://tile.example.org/{z}/{x}/{y}.png"; empty = no tiles (offline):
# the maps still draw points and village boundaries on a plain background.
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates written out ("7 December 2026"); Chinese keeps Django's (2026年12月7日).
FORMAT_MODULE_PATH = ["backend.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"

# Photos and form media: on disk by default, or in S3-compatible object storage with
# FILE_STORAGE=s3 (docs/deployment.md#photo-storage). Stored names are the same in both, so files
# move between them with a plain copy.
_S3_STORAGE = "storages.backends.s3.S3Storage"
# On disk, every saved file is flushed before the save returns (backend/core/durable_storage.py).
_STORAGE_ALIASES = {
    "filesystem": "backend.core.durable_storage.DurableFileSystemStorage",
    "s3": _S3_STORAGE,
}
_FILE_STORAGE = env_str("FILE_STORAGE", "filesystem")
_FILE_STORAGE = _STORAGE_ALIASES.get(_FILE_STORAGE, _FILE_STORAGE)
_STORAGE_OPTIONS: dict[str, object] = {}
if _FILE_STORAGE == _S3_STORAGE:
    _STORAGE_OPTIONS = {
        "bucket_name": env_secret("S3_BUCKET", why="when FILE_STORAGE=s3"),
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
        "region_name": env_str("S3_REGION") or None,
        "access_key": env_str("S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
        # MinIO and most self-hosted stores want path-style addresses.
        "addressing_style": env_str("S3_ADDRESSING_STYLE") or None,
        "signature_version": "s3v4",
        # Photos are private: downloads get a signed URL that expires.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": env_int("S3_SIGNED_URL_SECONDS", 300),
    }
STORAGES = {
    "default": {"BACKEND": _FILE_STORAGE, "OPTIONS": _STORAGE_OPTIONS},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Set to nginx's internal location for MEDIA_ROOT (e.g. /protected-media/) and the app answers
# permitted downloads with X-Accel-Redirect: nginx sends the bytes (backend/core/downloads.py).
MEDIA_X_ACCEL_PREFIX = env_str("MEDIA_X_ACCEL_PREFIX", "")

# Content-Security-Policy on every response (django-csp; docs/web.md#content-security-policy).
# Pages load scripts, styles, fetches and fonts from this server only: no inline script, style
# attribute or eval, so text that slips into markup cannot run. Images may also be data: URLs
# (the QR codes), map tiles from MAP_TILE_URL's host, and photos from object storage (the app
# redirects a photo there). Nothing may frame the pages, forms post only here.
_IMG_SOURCES = [SELF, "data:"]
if _tile_source := url_source(MAP_TILE_URL):
    _IMG_SOURCES.append(_tile_source)
if _FILE_STORAGE == _S3_STORAGE:
    _IMG_SOURCES += object_storage_sources(endpoint_url=env_str("S3_ENDPOINT_URL") or None)
_IMG_SOURCES += env_list("CSP_IMG_SOURCES")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": _IMG_SOURCES,
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Tasks run in-process in the embedded default; production queues them in the database for
# `manage.py task_worker` processes (no broker needed). Two queues: "default" holds the household
# merge of each submission (phones wait for it), "evidence" the slower photo, GPS and timing
# checks (docs/deployment.md#task-workers).
TASK_QUEUES = ["default", "evidence"]
TASKS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django_tasks_db.DatabaseBackend"
            if PRODUCTION
            else "django_tasks.backends.immediate.ImmediateBackend",
        ),
        "QUEUES": TASK_QUEUES,
    }
}
# Post-processing that never ran or failed is queued again by the periodic runner once the
# submission is this old, at most this many failed attempts (backend/pipeline/retry.py).
PROCESSING_RETRY_MINUTES = env_int("PROCESSING_RETRY_MINUTES", 15)
PROCESSING_MAX_ATTEMPTS = env_int("PROCESSING_MAX_ATTEMPTS", 5)
# /health reports unhealthy when the oldest task waiting to run is older than this.
HEALTH_MAX_TASK_LAG_SECONDS = env_int("HEALTH_MAX_TASK_LAG_SECONDS", 300)
# Finished task results are deleted after this many days by the periodic runner.
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 7)
# A task worker writes that it is alive this often; one not seen for TASK_WORKER_LOST_SECONDS is
# taken for dead, and the tasks it was running go back to the queue (backend/ops/reaper.py), at
# most TASK_MAX_CLAIMS runs in all: a task that kills its worker every time fails instead.
TASK_WORKER_BEAT_SECONDS = env_int("TASK_WORKER_BEAT_SECONDS", 10)
TASK_WORKER_LOST_SECONDS = env_int("TASK_WORKER_LOST_SECONDS", 60)
TASK_MAX_CLAIMS = env_int("TASK_MAX_CLAIMS", 3)

# Uploaded XLSForms and media attachments larger than this are refused.
FORMS_MAX_UPLOAD_BYTES = env_int("FORMS_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# Area (GeoJSON) and household (CSV, XLSX) files imported on the admin pages.
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# ODK Validate (Java) at publish time: "auto" runs it when `java` is on PATH; "on" requires Java;
# "off" skips it. It catches XPath errors pyxform lets through, at about 0.5-2 s a form.
FORMS_ODK_VALIDATE = env_str("FORMS_ODK_VALIDATE", "auto")

# OpenRosa (ODK Collect). The realm is part of every stored Digest HA1: changing it makes
# phones re-enter passwords.
OPENROSA_REALM = env_str("OPENROSA_REALM", "household-visits")
# Largest submission POST; announced to Collect in X-OpenRosa-Accept-Content-Length.
OPENROSA_MAX_SUBMISSION_BYTES = env_int("OPENROSA_MAX_SUBMISSION_BYTES", 100 * 1000 * 1000)
# Largest submission XML part (the form's answers, without attachments).
OPENROSA_MAX_XML_BYTES = env_int("OPENROSA_MAX_XML_BYTES", 10 * 1000 * 1000)
# Seconds a Digest nonce stays fresh; an older one gets `stale=true` and Collect retries at once.
OPENROSA_NONCE_SECONDS = env_int("OPENROSA_NONCE_SECONDS", 300)
# Seconds a verified Basic credential is remembered, so each request does not pay a slow hash.
OPENROSA_BASIC_CACHE_SECONDS = env_int("OPENROSA_BASIC_CACHE_SECONDS", 300)
# Collect puts up to 100 attachments and the XML in one POST; leave room.
DATA_UPLOAD_MAX_NUMBER_FILES = 250
# Uploaded files above this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)
# ... in a folder of the app's own, not the system's /tmp, so that the files a killed process
# leaves behind are found and removed (backend/ops/leftovers.py).
FILE_UPLOAD_TEMP_DIR = env_str("FILE_UPLOAD_TEMP_DIR", str(DATA_DIR / "uploading"))
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)

# Hours an offline update waits for its predecessor before it is applied anyway (with a conflict).
HOUSEHOLD_BACKLOG_HOURS = env_int("HOUSEHOLD_BACKLOG_HOURS", 120)

# One process (the embedded default) can keep its cache in memory; several processes must share
# one (Redis), or a revoked token and a closed form are seen late, up to SYNC_CACHE_SECONDS
# (docs/configuration.md#cache, system check core.W002).
# Production defaults to Redis on this host (docker/compose.yaml runs one).
CACHE_BACKEND = env_str(
    "CACHE_BACKEND",
    "backend.core.redis_cache.RedisCache"
    if PRODUCTION
    else "django.core.cache.backends.locmem.LocMemCache",
)


def _cache_options(backend: str) -> dict[str, int]:
    if backend.endswith("LocMemCache"):
        # A token per phone: the in-memory default must hold thousands of entries.
        return {"MAX_ENTRIES": 20000}
    if "redis" in backend.lower():
        # A request waits at most this long on a cache that stopped answering, then fails (and
        # /health says so), instead of holding an app thread for good: the app server has no
        # time limit per request (docs/deployment.md).
        seconds = env_int("CACHE_TIMEOUT_SECONDS", 2)
        return {"socket_connect_timeout": seconds, "socket_timeout": seconds}
    return {}


CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": CACHE_BACKEND,
        "LOCATION": env_str(
            "CACHE_LOCATION", "redis://127.0.0.1:6379/0" if PRODUCTION else "household-visits"
        ),
        "OPTIONS": _cache_options(CACHE_BACKEND),
    }
}
# Seconds a device token, a form version and a form list are reused between database reads.
SYNC_CACHE_SECONDS = env_int("SYNC_CACHE_SECONDS", 30)
# Seconds a process reuses a form generation it read: a form published or closed through another
# process reaches this one's form list that much later (backend/core/cache.py).
GENERATION_REUSE_SECONDS = env_int("GENERATION_REUSE_SECONDS", 1)
# How long a rendered household list is sent again to phones whose list has the same version
# token (backend/households/list_cache.py); 0 renders every download.
HOUSEHOLD_LIST_KEEP_SECONDS = env_int("HOUSEHOLD_LIST_KEEP_SECONDS", 600)

# "json" writes one JSON object a line (for a log collector); "plain" is for people. Both carry
# the request id (backend/core/requestid.py).
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "backend.core.logs.RequestIdFilter"},
        "redact_secrets": {"()": "backend.core.logs.RedactSecretsFilter"},
        "client_fault": {"()": "backend.core.logs.ClientFaultFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "backend.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id", "redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # pyxform attaches its own INFO handler on import; route it through ours only.
        "pyxform": {"handlers": [], "level": "WARNING", "propagate": True},
        # Failures and lockouts (WARNING), not every success and clean-up (INFO).
        "axes": {"level": "WARNING"},
        # Django's own handlers (its DEBUG console, runserver's request lines) would write paths
        # with device tokens: everything goes through ours, which takes them out.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "django.security.DisallowedHost": {"filters": ["client_fault"], "propagate": True},
    },
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # ODK Collect turns a redirected POST into a GET without a body: never redirect its paths.
    # Nor the health check, which load balancers call on the plain port.
    SECURE_REDIRECT_EXEMPT = [
        r"^(key/[^/]+/)?projects/[^/]+/(formList$|submission$|forms/|lists/)",
        r"^health$",
    ]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a promise to browsers' vendors, for the operator to make, not a default.
        SILENCED_SYSTEM_CHECKS.append("security.W021")
