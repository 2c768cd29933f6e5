"""Podium settings: one module, configured by environment variables (see docs/operations.md)."""

import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from whitenoise.compress import Compressor


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def refuse(message: str):
    """Stop start-up on a setting Podium cannot work with: `podium` prints the message as one line
    (podium.cli), the server and the worker do not start."""
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(message)


def env_number(name: str, default: int | float, kind: type = int) -> int | float:
    """A whole number (`kind` int) or a number (float) from the environment; unset or empty: `default`.
    Anything else is refused, naming the variable."""
    value = (os.environ.get(name) or "").strip()
    if not value:
        return default
    try:
        return kind(value)
    except ValueError:
        refuse(f"{name} must be a {'whole number' if kind is int else 'number'}, not {value!r}.")


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PODIUM_DATA_DIR") or "./data").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("PODIUM_DEBUG", False)

BASE_URL = (os.environ.get("PODIUM_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
_base = urlsplit(BASE_URL)
SITE_HOST = _base.hostname or "127.0.0.1"
USE_TLS = _base.scheme == "https"


def _secret_key() -> str:
    """Read PODIUM_SECRET_KEY, or keep a random key in the data directory.

    A generated key survives restarts (sessions stay valid) and is never a known default.
    """
    key = os.environ.get("PODIUM_SECRET_KEY")
    if key:
        if USE_TLS and (len(key) < 50 or len(set(key)) < 5):
            # A site on https is a real one: a guessable key (deploy/podium.env's "change-me" left as
            # it is) lets anyone forge sessions and mailed links, so it stops start-up instead of
            # serving. The measure is Django's own (check --deploy, security.W009).
            refuse(
                "PODIUM_SECRET_KEY is too weak for a site on https (fewer than 50 characters or fewer "
                'than 5 different ones). Make one with: python3 -c "import secrets; '
                'print(secrets.token_urlsafe(50))", or leave it unset to have one generated in '
                "PODIUM_DATA_DIR/.secret_key (one machine only)."
            )
        return key
    path = DATA_DIR / ".secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = [SITE_HOST]
if SITE_HOST in {"127.0.0.1", "localhost"}:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS += [h.strip() for h in os.environ.get("PODIUM_ALLOWED_HOSTS", "").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "podium.base",
    "podium.accounts",
    "podium.events",
    "podium.proposals",
    "podium.registration",
    "podium.reviews",
    "podium.schedule",
    "podium.scheduling",
    "podium.attendance",
    "podium.checkin",
    "podium.letters",
    "podium.contacts",
    "podium.sponsors",
    "podium.campaigns",
    "podium.mail",
    "podium.notices",
    "podium.interop",
    "podium.webhooks",
    "podium.privacy",
    "podium.demo",
    "podium.orga",
    "podium.cfp",
    "podium.site",
    "podium.api",
    "ninja",  # serves the API docs page's Swagger UI from our static files (no CDN; our CSP allows 'self')
]

MIDDLEWARE = [
    # First, so every later step's log lines carry the request id and its time is measured.
    "podium.base.logging.RequestIdMiddleware",
    "podium.base.metrics.MetricsMiddleware",
    # /healthz and /readyz for probes by any address and over plain http (before the host check).
    "podium.base.middleware.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the interface: the language cookie (the switch, set_language) when it names one
    # of LANGUAGES, else the browser's Accept-Language, else LANGUAGE_CODE; the release files' fast path
    # decides the same way (podium.site.fastpath.visitor_language).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "podium.base.middleware.SecurityHeadersMiddleware",
    # Axes must come last: it turns a locked-out log-in into a clear 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "podium.urls"
WSGI_APPLICATION = "podium.wsgi.application"
ASGI_APPLICATION = "podium.asgi.application"

TEMPLATES = [
    {
        # Django's, with the event's own texts in the visitor's language while a page renders
        # (podium.base.translated).
        "BACKEND": "podium.base.translated.Templates",
        "NAME": "django",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "podium.base.context_processors.podium",
            ],
        },
    },
]

# --- Database: embedded SQLite (WAL) unless PODIUM_DATABASE_URL is set -----------------------------
DATABASE_URL = os.environ.get("PODIUM_DATABASE_URL", "")
# PostgreSQL connections come from one psycopg pool per process (Django's "pool" option): every request
# and thread borrows one and gives it back when done, so a process never holds more than
# PODIUM_DB_POOL_SIZE, however many requests it serves at once. A request that finds the pool busy waits
# up to PODIUM_DB_POOL_TIMEOUT seconds, then fails with psycopg_pool.PoolTimeout. Pooling needs
# CONN_MAX_AGE=0 (the pool keeps the connections instead).
try:
    DB_POOL_SIZE = int(os.environ.get("PODIUM_DB_POOL_SIZE") or "10")
    DB_POOL_TIMEOUT = float(os.environ.get("PODIUM_DB_POOL_TIMEOUT") or "10")
except ValueError:
    DB_POOL_SIZE = DB_POOL_TIMEOUT = 0
if DB_POOL_SIZE < 1 or not DB_POOL_TIMEOUT > 0:
    refuse(
        "PODIUM_DB_POOL_SIZE must be a whole number of connections (1 or more) and "
        "PODIUM_DB_POOL_TIMEOUT a number of seconds above 0."
    )
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, DB_POOL_SIZE),
            "max_size": DB_POOL_SIZE,
            "timeout": DB_POOL_TIMEOUT,
        }
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend whose write transactions take turns (podium/base/sqlitedb/base.py).
            "ENGINE": "podium.base.sqlitedb",
            "NAME": DATA_DIR / "podium.sqlite3",
            # Tests use a file too (not the in-memory default), so locking behaves as in production.
            "TEST": {"NAME": str(DATA_DIR / "test-podium.sqlite3")},
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when configured, process-local otherwise ------------------------------------------
REDIS_URL = os.environ.get("PODIUM_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "site:index"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Failed log-ins are limited per client address (django-axes). The address is REMOTE_ADDR; only when
# it is one of PODIUM_TRUSTED_PROXIES (comma-separated addresses or networks of the reverse proxies) is
# X-Forwarded-For read, from the right (podium.base.clientip).
PODIUM_TRUSTED_PROXIES = [
    entry.strip() for entry in os.environ.get("PODIUM_TRUSTED_PROXIES", "").split(",") if entry.strip()
]
for _proxy in PODIUM_TRUSTED_PROXIES:  # a typo stops start-up rather than trusting the wrong hop
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        refuse(f"PODIUM_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network.")
AXES_CLIENT_IP_CALLABLE = "podium.base.clientip.client_address"
AXES_ENABLED = env_bool("PODIUM_LOGIN_RATE_LIMIT", True)
AXES_FAILURE_LIMIT = env_number("PODIUM_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# API Idempotency-Key answers are replayed for this long, then swept (podium.api.idempotency).
PODIUM_IDEMPOTENCY_HOURS = env_number("PODIUM_IDEMPOTENCY_HOURS", 24.0, float)
# Passport data of invitation letter requests is cleared this many days after the event (podium.letters).
PODIUM_LETTER_RETENTION_DAYS = env_number("PODIUM_LETTER_RETENTION_DAYS", 30)

# --- Security -------------------------------------------------------------------------------------
# Secure cookies, HSTS and the HTTPS redirect follow the scheme of PODIUM_BASE_URL: a deployment on
# https gets all of them (and `podium check --deploy` is clean); a plain-http local demo would not be
# able to log in with secure cookies, so there they stay off.
SESSION_COOKIE_SECURE = USE_TLS
CSRF_COOKIE_SECURE = USE_TLS
SECURE_SSL_REDIRECT = USE_TLS and not DEBUG and env_bool("PODIUM_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if USE_TLS and not DEBUG else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0 and env_bool("PODIUM_HSTS_PRELOAD", True)
if env_bool("PODIUM_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = []
if not USE_TLS:
    # A plain-http base URL is a local set-up by definition; the TLS checks cannot apply to it.
    SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W008", "security.W012", "security.W016"]

# --- Internationalisation ------------------------------------------------------------------------
# The interface speaks these languages (the catalogues: src/podium/locale/<code>/LC_MESSAGES/django.po,
# compiled to .mo by `make`); LANGUAGE_CODE is the language of the msgids and of whatever is rendered
# for no one in particular (the release files, the exports).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language chosen with the switch (django.views.i18n.set_language) is kept in this cookie for a year.
LANGUAGE_COOKIE_NAME = "podium_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = USE_TLS
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "podium.base.staticfiles.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Source maps are read by a browser's developer tools only: served as they are, not compressed (brotli at
# its highest level spent most of `collectstatic`'s 10 s on the API docs' 5 MB of maps).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880

# --- Mail -----------------------------------------------------------------------------------------
# Every mail is written to the outbox first (podium.mail); this backend only delivers it.
MAIL_FROM = os.environ.get("PODIUM_MAIL_FROM", "Podium <podium@localhost>")
DEFAULT_FROM_EMAIL = MAIL_FROM
SERVER_EMAIL = MAIL_FROM
EMAIL_HOST = os.environ.get("PODIUM_SMTP_HOST", "")
EMAIL_HOST_USER = os.environ.get("PODIUM_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PODIUM_SMTP_PASSWORD", "")
# TLS from the first byte (PODIUM_SMTP_SSL, port 465 by default) or STARTTLS after connecting (the
# default, port 587); SSL on turns STARTTLS's default off, as the two cannot be used together.
EMAIL_USE_SSL = env_bool("PODIUM_SMTP_SSL", False)
EMAIL_USE_TLS = env_bool("PODIUM_SMTP_STARTTLS", not EMAIL_USE_SSL)
EMAIL_TIMEOUT = 20
_mail_backend = os.environ.get("PODIUM_MAIL_BACKEND") or ("smtp" if EMAIL_HOST else "console")
_MAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}
# Settings every mail would fail on are refused here, at start-up, not found out from a failed outbox
# weeks later.
_mail_problems = [
    problem
    for wrong, problem in (
        (
            not (os.environ.get("PODIUM_SMTP_PORT") or "587").isdigit(),
            "PODIUM_SMTP_PORT must be a port number (587 for STARTTLS, 465 with PODIUM_SMTP_SSL=true).",
        ),
        (
            EMAIL_USE_SSL and EMAIL_USE_TLS,
            "PODIUM_SMTP_SSL and PODIUM_SMTP_STARTTLS are both on: set one (SSL is TLS from the first "
            "byte, usually port 465; STARTTLS upgrades the connection, usually port 587).",
        ),
        (
            not (EMAIL_HOST_USER + EMAIL_HOST_PASSWORD).isascii(),
            "PODIUM_SMTP_USER and PODIUM_SMTP_PASSWORD must be ASCII: Python's SMTP client sends the "
            "log-in as ASCII, so every mail would fail. Choose an ASCII password for Podium's mailbox.",
        ),
        (
            _mail_backend not in _MAIL_BACKENDS,
            f"PODIUM_MAIL_BACKEND must be one of {', '.join(_MAIL_BACKENDS)}, not {_mail_backend!r}.",
        ),
    )
    if wrong
]
if _mail_problems:
    refuse(" ".join(_mail_problems))
EMAIL_PORT = int(os.environ.get("PODIUM_SMTP_PORT") or (465 if EMAIL_USE_SSL else 587))
EMAIL_BACKEND = _MAIL_BACKENDS[_mail_backend]
EMAIL_FILE_PATH = DATA_DIR / "mail"
# Without a broker, queued mail is delivered in-process right after the transaction commits (see below).
PODIUM_DELIVER_MAIL_ON_COMMIT = env_bool("PODIUM_DELIVER_MAIL_ON_COMMIT", True)
# Without a broker, mail and webhook deliveries run in background threads of the process, never inside
# the request that caused them (podium.base.background); off: inline, in the committing thread.
PODIUM_BACKGROUND_THREADS = env_bool("PODIUM_BACKGROUND_THREADS", True)
# Webhooks go through their own outbox (podium.webhooks) the same way; `podium deliver_webhooks --loop`
# retries. Private, loopback and link-local receivers are refused unless allowed here.
PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = env_bool("PODIUM_DELIVER_WEBHOOKS_ON_COMMIT", True)
PODIUM_WEBHOOKS_ALLOW_PRIVATE = env_bool("PODIUM_WEBHOOKS_ALLOW_PRIVATE", False)
# Open program pages follow releases over Server-Sent Events (site/views/live.py); an idle stream
# sends a comment this often (seconds) so proxies keep it open. Across processes it goes through
# PODIUM_REDIS_URL; without Redis each server process polls the database for new releases this often
# (seconds), once for all its open streams.
PODIUM_LIVE_KEEPALIVE = env_number("PODIUM_LIVE_KEEPALIVE", 15.0, float)
PODIUM_LIVE_POLL_INTERVAL = env_number("PODIUM_LIVE_POLL_INTERVAL", 1.0, float)
# The live bus's Redis channels carry this site's namespace (default: a hash of its database's identity), so
# several sites may share one Redis.
PODIUM_LIVE_NAMESPACE = os.environ.get("PODIUM_LIVE_NAMESPACE", "")
# Public program pages are rendered once per release for anonymous visitors (podium.site.pagecache).
PODIUM_PAGE_CACHE = env_bool("PODIUM_PAGE_CACHE", True)
# Each release's public files (exports, anonymous pages; also .gz and .br) are written once after it is
# published, under PODIUM_RELEASE_DIR/<event>/<version>-<hash>/, and served from there; the last
# PODIUM_RELEASES_KEPT releases of an event keep their files (podium.site.release_files).
PODIUM_RELEASE_FILES = env_bool("PODIUM_RELEASE_FILES", True)
PODIUM_RELEASE_DIR = Path(os.environ.get("PODIUM_RELEASE_DIR") or DATA_DIR / "releases")
PODIUM_RELEASES_KEPT = max(1, env_number("PODIUM_RELEASES_KEPT", 3))
# Directories of releases no longer served kept per event for later renders to write into (0: none; set
# 0 where the release directory is shared by machines whose file system's leases are local to each).
PODIUM_RELEASE_SPARES = max(0, env_number("PODIUM_RELEASE_SPARES", 2))
# Imports: the largest file accepted, and where uploads wait for the organiser's confirmation.
PODIUM_IMPORT_MAX_BYTES = env_number("PODIUM_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
PODIUM_IMPORT_DIR = Path(os.environ.get("PODIUM_IMPORT_DIR") or DATA_DIR / "imports")

# --- Workers (Celery, podium/celery.py) -------------------------------------------------------------
# With PODIUM_REDIS_URL, outbox deliveries go to `celery -A podium worker`; without a broker the tasks
# run in-process at once, as before.
# The in-process transport names its host: Celery opens a (memory) connection even for eager tasks,
# and kombu warns on the terminal when a URL has none.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Automatic scheduling runs from the editor (podium.scheduling.runs): "celery" (a worker; the default with a
# broker), "thread" (a background thread of the web process; the default without one) or "inline" (in the
# request itself).
PODIUM_SOLVER_RUNNER = os.environ.get("PODIUM_SOLVER_RUNNER", "")
CELERY_BEAT_SCHEDULE = {
    # Sweeps pick up what an on-commit dispatch missed (broker down) and stale claims of dead workers.
    "deliver-mail": {"task": "podium.mail.deliver", "schedule": 60.0},
    "deliver-webhooks": {"task": "podium.webhooks.deliver", "schedule": 60.0},
}

# Messages are kept in the session, and the cookie `podium_messages` is set while some wait: the fast
# path and nginx send that visitor's pages to Django, which shows them (podium.site.fastpath).
MESSAGE_STORAGE = "podium.site.fastpath.MessageStorage"

# --- Monitoring (docs/operations.md, "Monitoring") ---------------------------------------------------
# /metrics (Prometheus) is off (404) unless a bearer token or an allow-list of client addresses (comma-
# separated IPs or networks, read through podium.base.clientip) is set; with both, a scrape needs both.
PODIUM_METRICS_TOKEN = os.environ.get("PODIUM_METRICS_TOKEN", "")
PODIUM_METRICS_ALLOW = [
    entry.strip() for entry in os.environ.get("PODIUM_METRICS_ALLOW", "").split(",") if entry.strip()
]
# A typo stops start-up rather than opening the metrics to the wrong hosts.
for _entry in PODIUM_METRICS_ALLOW:
    try:
        ipaddress.ip_network(_entry, strict=False)
    except ValueError:
        refuse(f"PODIUM_METRICS_ALLOW: {_entry!r} is not an IP address or network.")
PODIUM_METRICS = bool(PODIUM_METRICS_TOKEN or PODIUM_METRICS_ALLOW)
# Every process (server workers, the Celery worker) writes its figures here and a scrape adds them up
# (prometheus_client's multiprocess mode, which reads its directory from the environment).
PODIUM_METRICS_DIR = Path(os.environ.get("PODIUM_METRICS_DIR") or DATA_DIR / "metrics")
PODIUM_METRICS_DIR.mkdir(parents=True, exist_ok=True)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(PODIUM_METRICS_DIR)
# Error reports and traces, off unless set (podium.base.telemetry); neither library is loaded without them.
PODIUM_SENTRY_DSN = os.environ.get("PODIUM_SENTRY_DSN", "")
PODIUM_SENTRY_ENVIRONMENT = os.environ.get("PODIUM_SENTRY_ENVIRONMENT") or "production"
PODIUM_OTEL_ENDPOINT = os.environ.get("PODIUM_OTEL_ENDPOINT", "")
PODIUM_OTEL_SERVICE_NAME = os.environ.get("PODIUM_OTEL_SERVICE_NAME") or "podium"
# Log lines as plain text (the default) or one JSON object each, with the request id (podium.base.logging).
PODIUM_LOG_FORMAT = (os.environ.get("PODIUM_LOG_FORMAT") or "text").strip().lower()
if PODIUM_LOG_FORMAT not in {"text", "json"}:
    refuse(f"PODIUM_LOG_FORMAT: {PODIUM_LOG_FORMAT!r} is neither text nor json.")
PODIUM_LOG_LEVEL = os.environ.get("PODIUM_LOG_LEVEL", "WARNING")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "podium.base.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if PODIUM_LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": PODIUM_LOG_LEVEL},
    "loggers": {
        "axes": {"level": "ERROR"},
        # One line per request (method, path, status, route, duration) in JSON logs.
        "podium.request": {"level": "INFO" if PODIUM_LOG_FORMAT == "json" else PODIUM_LOG_LEVEL},
    },
}
