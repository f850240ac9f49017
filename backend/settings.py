"""Settings for every deployment, driven by the environment (see docs/configuration.md).

With no environment at all this is the embedded default: a SQLite file and media on disk under
`var/`, tasks run in-process. `DATABASE_URL` switches to PostgreSQL.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from backend.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)
# The embedded default needs no configuration; production sets SECRET_KEY (checked by core.E001).
SECRET_KEY = env_str("SECRET_KEY", "insecure-embedded-default-key-change-me-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "*")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "backend.core",
    "backend.accounts",
    "backend.projects",
    "backend.areas",
    "backend.households",
    "backend.submissions",
    "backend.flags",
    "backend.review",
    "backend.audit",
    "backend.web",
    "forms",
    "sync",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
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
SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Failed sign-ins allowed per user name and address before it must wait LOGIN_LOCKOUT_SECONDS.
LOGIN_MAX_ATTEMPTS = env_int("LOGIN_MAX_ATTEMPTS", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
# Behind a reverse proxy that sets X-Forwarded-For, take the client address from it.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", default=False)
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
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"

STORAGES = {
    "default": {
        "BACKEND": env_str("FILE_STORAGE", "django.core.files.storage.FileSystemStorage"),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tasks run in-process by default (the embedded default); production points this at a queue.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

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

# Hours an offline update waits for its predecessor before it is applied anyway (with a conflict).
HOUSEHOLD_BACKLOG_HOURS = env_int("HOUSEHOLD_BACKLOG_HOURS", 120)

CACHES = {
    "default": {
        "BACKEND": env_str("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env_str("CACHE_LOCATION", "household-visits"),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # pyxform attaches its own INFO handler on import; route it through ours only.
        "pyxform": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}
