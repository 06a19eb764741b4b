"""Callsheet settings, read from the environment (see README, "Configuration").

With nothing set the app runs embedded: SQLite, in-process Celery, a local
memory cache. DATABASE_URL and REDIS_URL switch to the real services.
"""

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Containers hand secrets in as files: SECRET_KEY_FILE=/run/secrets/key etc.
env.smart_cast = True
for _name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"):
    _path = env.str(f"{_name}_FILE", default="")
    if _path and _name not in env.ENVIRON:
        env.ENVIRON[_name] = Path(_path).read_text().strip()

# Production is the default: a server or worker that forgets its configuration refuses to
# start (studio.startup, called by the WSGI/ASGI application and Celery's worker and beat)
# rather than serving with debug pages and a known key. Development asks for DEBUG=true
# explicitly (the Makefile's targets, the test settings in tests/settings.py). Commands that
# serve nothing (makemigrations, migrate, collectstatic) run without it.
DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
# The site's public address, for absolute links where no request is at hand: e-mails
# (notifications, surveys, password reset from tasks) and the iCal feed. A development
# server names its own (`make run PORT=…` sets it); production must say where it is served.
SITE_URL = env.str("SITE_URL", default="").rstrip("/")

# What production lacks, each with what to do: empty in development or once configured.
UNCONFIGURED = [] if DEBUG else [
    message
    for value, message in [
        (SECRET_KEY, "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE) to a long random string."),
        (ALLOWED_HOSTS, "ALLOWED_HOSTS is not set. Set ALLOWED_HOSTS to the host names Callsheet is "
                        "served at, separated by commas, e.g. callsheet.example.com."),
        (SITE_URL, "SITE_URL is not set. Set SITE_URL to the address people open Callsheet at, "
                   "e.g. https://callsheet.example.com, so links in e-mails and calendars lead there."),
    ]
    if not value
]
SECRET_KEY = SECRET_KEY or _DEV_SECRET_KEY
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
SITE_URL = SITE_URL or "http://127.0.0.1:8000"
if urlsplit(SITE_URL).scheme not in ("http", "https") or not urlsplit(SITE_URL).hostname:
    raise ImproperlyConfigured(f"SITE_URL must be an http(s) address with a host name, not {SITE_URL!r}.")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "csp",
    "studio",
    "approvals",
    "projects",
    "briefs",
    "schedules",
    "budgets",
    "metrics",
    "demo",
]

MIDDLEWARE = [
    # First, so all of a request runs in it: from where each write came (page, API, admin).
    "studio.audit_source.AuditSourceMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The API's query parameters take one value each (a repeated one is a 400).
    "studio.api_query.OneValuePerParameterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a session ended for idleness says so on the login page.
    "studio.sessions.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a login refused for too many failures into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "studio.urls"
WSGI_APPLICATION = "studio.wsgi.application"
ASGI_APPLICATION = "studio.asgi.application"

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
                "studio.context_processors.studio",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Immediate transactions take the write lock up front, so two confirmations
    # cannot both read "free" and then both write (DESIGN: bookings).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USING_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

# --- Redis: Celery broker and cache ---------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
KEY_PREFIX = env.str("KEY_PREFIX", default="callsheet")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": KEY_PREFIX,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery (read by studio/celery.py through the CELERY_ namespace).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="callsheet")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than the longest task (CELERY_TASK_TIME_LIMIT), or Redis would
    # hand an unacknowledged long job to a second worker.
    "visibility_timeout": 2 * 60 * 60,
    "global_keyprefix": f"{KEY_PREFIX}:",
}
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Auth -----------------------------------------------------------------
AUTH_USER_MODEL = "studio.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Logins and sessions (README, "Configuration") ---------------------------
# Failed logins lock out one username at one address (django-axes), so guessing a
# person's password from one place stops while they still log in from theirs; an address
# failing for many usernames (password spraying) is locked as a whole at a higher count.
# Each lockout ends by itself after the cool-off, so nobody is locked out for good.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
if min(LOGIN_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT, LOGIN_COOLOFF_MINUTES) < 1:
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT and LOGIN_COOLOFF_MINUTES must be 1 or more."
    )
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "studio.logins.LoginAttemptHandler"
AXES_CLIENT_IP_CALLABLE = "studio.logins.client_address"
AXES_LOCKOUT_CALLABLE = "studio.logins.lockout_response"
# Attempts during a lockout do not restart it: it ends at a time the message can name.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A login does not wipe the address's failures: an attacker's own account must not
# reset the count of their spraying.
AXES_RESET_ON_SUCCESS = False
# Unlocking is `manage.py axes_reset_username <name>` (or the cool-off); the admin stays
# the studio's data, not the login log.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Every login already has its one log line (studio.logins); no second record in a table.
AXES_DISABLE_ACCESS_LOG = True
# A session ends after this long without a request, and this long after its login
# whatever happens (studio.sessions.SessionLimitsMiddleware), in seconds.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=8 * 60 * 60)
SESSION_MAX_AGE = env.int("SESSION_MAX_AGE", default=14 * 24 * 60 * 60)
if not 0 < SESSION_IDLE_TIMEOUT <= SESSION_MAX_AGE:
    raise ImproperlyConfigured("SESSION_IDLE_TIMEOUT must be positive and at most SESSION_MAX_AGE (seconds).")
# The cookie and the stored session last as long as the session may.
SESSION_COOKIE_AGE = SESSION_MAX_AGE

# --- Email ----------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Callsheet <callsheet@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A hung SMTP server must not hold a notification's row lock until the task time limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# --- I18n, time -----------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The default of StudioSettings.time_zone, which decides "today" and the hours of
# beat's schedule (studio.celery.StudioCrontab) and is edited in the studio settings.
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static and private files ---------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Security (production values unless DEBUG) ----------------------------
# X-Forwarded-Proto is believed only behind a proxy that sets it (and strips what clients
# send); served directly, anyone could claim https.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- Content-Security-Policy (django-csp) -----------------------------------
# Scripts and style sheets come from our own static files only: no inline script, no
# <style> element. Style *attributes* are allowed (style-src-attr): the team schedule and
# the timelines place each bar with a computed left/width or grid column, which cannot be
# a class; a style attribute runs no code and cannot read the page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# --- REST API -------------------------------------------------------------
REST_FRAMEWORK = {
    # Tokens first: their `WWW-Authenticate: Token` makes missing or bad credentials a 401
    # (DRF asks the first class); the pages' HTMX calls still come in on the session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "studio.tokens.AccessTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "studio.permissions.ReadOnlyTokenPermission",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "studio.api_parsers.JSONTextParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "studio.api_errors.api_exception_handler",
}
# Personal access tokens (django-rest-knox): stored as SHA-512 digests, shown once.
KNOX_TOKEN_MODEL = "studio.AccessToken"
# Knox's migrations only build its own token table, which studio.AccessToken replaces; left
# in, that table would sit empty with a key to every user and stop `flush` truncating them.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    # A token from /api/auth/token/ (username and password) serves a script's run;
    # integrations that need longer create a named token on their settings page.
    "TOKEN_TTL": dt.timedelta(hours=10),
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Callsheet API",
    "DESCRIPTION": "Projects, schedules, briefs, budgets and approvals of one creative studio.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Every operation documents the refusals the API's common machinery may answer (401, 403, …).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "studio.api_schema.document_refusals",
    ],
    # Several models have a `status`; each choice set gets its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "projects.models.Project.Status",
        "DeliverableStatusEnum": "projects.models.DeliverableStatus",
        "RequestStatusEnum": "briefs.models.Request.Status",
        "BriefStatusEnum": "briefs.models.Brief.Status",
        "BookingStatusEnum": "schedules.models.Booking.Status",
        "TimeOffStatusEnum": "schedules.models.TimeOff.Status",
        # Budget lines and costs each have a `kind`.
        "BudgetLineKindEnum": "budgets.models.BudgetLine.Kind",
        "CostKindEnum": "budgets.models.Cost.Kind",
    },
}

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refused_access": {"()": "studio.access_log.RefusedAccessFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        # Django's own console handler would print each of its records a second time
        # beside the root's; they reach the root's alone (there are no ADMINS to mail).
        "django": {"handlers": [], "propagate": True},
        # A refused access (401, 403, 404) is one line with the user and the path.
        "django.request": {"filters": ["refused_access"], "propagate": True},
        # Axes writes several lines per attempt; studio.logins writes the one that matters.
        "axes": {"level": "ERROR"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Pages list this many rows at a time.
PAGE_SIZE = 25
