"""Settings, all from the environment. The embedded default is SQLite and files under ``var/``."""

from pathlib import Path

from bouquet.config.env import database_from_url, env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(env_str("BOUQUET_HOME", str(Path.cwd()))).resolve()
VAR_DIR = Path(env_str("BOUQUET_VAR_DIR", str(BASE_DIR / "var"))).resolve()

VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("BOUQUET_DEBUG", False)
# The embedded default generates and keeps its own key in var/; production sets SECRET_KEY(_FILE).
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        import secrets

        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

# The address members reach the platform at, for links in e-mails and published documents.
PUBLIC_URL = env_str("PUBLIC_URL", "http://localhost:8000").rstrip("/")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "https://localhost:8443,http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "bouquet.core",
    "bouquet.pki",
    "bouquet.web",
    "bouquet.s2low_api",
    "bouquet.actes",
    "bouquet.helios",
    "bouquet.backoffice",
    "bouquet.support",
    "bouquet.marches",
    "bouquet.marches.bids",
    "bouquet.marches.contracts",
    "bouquet.reporting",
    "bouquet.history_import",
    "bouquet.simulators",
    "bouquet.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the application, so the plain-HTTP port needs no nginx.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bouquet.pki.middleware.ClientCertificateMiddleware",
    "bouquet.core.middleware.CurrentAuthorityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "bouquet.config.urls"
WSGI_APPLICATION = "bouquet.config.wsgi.application"

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
                "bouquet.core.context_processors.tenancy",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'bouquet.sqlite3'}")
DATABASES = {"default": database_from_url(DATABASE_URL, BASE_DIR)}
# Each web process keeps its connection between requests (gunicorn's sync workers serve one request
# at a time): PostgreSQL starts a server process per connection, which then costs every request.
# Checked before reuse, so a restarted database server costs one failed check, not an error page.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["bouquet.core.auth.EmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
# Lockout: this many failures in a row lock the account for LOGIN_LOCKOUT_MINUTES.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # filled by collectstatic (`bouquet run`); served by WhiteNoise
MEDIA_ROOT = Path(env_str("BOUQUET_FILES_DIR", str(VAR_DIR / "files")))
STORAGES = {
    "default": {"BACKEND": env_str("FILE_STORAGE_BACKEND", "bouquet.core.durable.DurableFileSystemStorage")},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Stored files flushed to the disk before the rows naming them commit (bouquet.core.durable).
STORAGE_FSYNC = env_bool("STORAGE_FSYNC", True)

TASKS = {
    "default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")},
}

# Mail: SMTP when MAIL_SMTP_HOST is set; otherwise (embedded default) each message is a file in var/mail.
if env_str("MAIL_SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("MAIL_SMTP_HOST"),
                "port": env_int("MAIL_SMTP_PORT", 25),
                "username": env_str("MAIL_SMTP_USER") or None,
                "password": env_secret("MAIL_SMTP_PASSWORD") or None,
                "use_tls": env_bool("MAIL_SMTP_STARTTLS", False),
                "timeout": 30,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Bouquet <ne-pas-repondre@bouquet.localhost>")

# Counterparts of the two protocols (used from the ACTES and HELIOS issues on).
MINISTRY_ACTES_URL = env_str("MINISTRY_ACTES_URL", "https://127.0.0.1:8444/actes/upload")
# The embedded default talks to the simulators that `bouquet run` starts (demo credentials);
# ?delete=1: the simulator's sortie/ is read-only but for deletion, as S²LOW's simulator mode.
DGFIP_HELIOS_URL = env_str("DGFIP_HELIOS_URL", "ftp://tdt:tdt@127.0.0.1:2121/?delete=1")

# ACTES transport (bouquet.actes.transport.from_settings). Client certificate and key (PEM) presented to
# the ministry; MINISTRY_SERVER_CERT pins its certificate (empty: CA check with MINISTRY_CA_FILE).
# Embedded default: the demo PKI's platform certificate, and the ministry simulator's certificate pinned.
_DEMO_PKI = Path(env_str("PKI_DIR", str(VAR_DIR / "pki"))) / "demo"
MINISTRY_CLIENT_CERT = env_str("MINISTRY_CLIENT_CERT", str(_DEMO_PKI / "platform.pem"))
MINISTRY_CLIENT_KEY = env_str("MINISTRY_CLIENT_KEY", str(_DEMO_PKI / "platform.key"))
MINISTRY_CLIENT_KEY_PASSWORD = env_secret("MINISTRY_CLIENT_KEY_PASSWORD", "")
MINISTRY_SERVER_CERT = env_str("MINISTRY_SERVER_CERT", str(_DEMO_PKI / "server.pem"))
MINISTRY_CA_FILE = env_str("MINISTRY_CA_FILE", "")
# Where the ministry's answers arrive: maildir:///path, imap://user:pw@host:143/INBOX or imaps://…
ACTES_INBOX_URL = env_secret("ACTES_INBOX_URL", f"maildir://{VAR_DIR / 'mail' / 'actes-inbox'}")
ACTES_SEND_CONNECT_TIMEOUT = env_int("ACTES_SEND_CONNECT_TIMEOUT", 60)
ACTES_SEND_TOTAL_TIMEOUT = env_int("ACTES_SEND_TOTAL_TIMEOUT", 180)
# ACTES_TDT_MAIL_ADDRESS and ACTES_WINDOW_BYTES_PER_HOUR: see "ACTES workflow" below.

# HELIOS transport (bouquet.helios.transport.from_settings). DGFIP_HELIOS_URL: ftp:// = gateway (three
# SITE commands), ftps:// = Passtrans FTPS (SITE META), sftp:// = Passtrans SFTP (metadata in the name);
# query options: entree, sortie, processed, errors (empty: leave in place), atomic, passive, meta, delete.
DGFIP_HELIOS_TIMEOUT = env_int("DGFIP_HELIOS_TIMEOUT", 60)
HELIOS_P_APPLI = env_str("HELIOS_P_APPLI", "GHELPES2")  # THELPES2 = the DGFiP's test application
HELIOS_FTPS_CAFILE = env_str("HELIOS_FTPS_CAFILE", "")  # empty: the system's CA store
HELIOS_SFTP_HOST_KEY = env_str("HELIOS_SFTP_HOST_KEY", "")  # "<type> <base64>", required for sftp://
HELIOS_SFTP_KEY_FILE = env_str("HELIOS_SFTP_KEY_FILE", "")  # private key (else the URL's password)
HELIOS_WINDOW_HOURS = env_str("HELIOS_WINDOW_HOURS", "")  # e.g. "8-11,14-17"; empty: all day
HELIOS_WINDOW_DAYS = env_str("HELIOS_WINDOW_DAYS", "")  # 0 = Monday, e.g. "0-4"; empty: every day
HELIOS_WINDOW_BYTES_PER_HOUR = env_int("HELIOS_WINDOW_BYTES_PER_HOUR", 0)  # 0 = unlimited

PUBLIC_TLS_URL = env_str("PUBLIC_TLS_URL", "https://localhost:8443")  # HTTPS endpoint (certificate login)

# Client certificates: the TLS terminator passes the PEM in this header, and only requests
# from these addresses are believed (anything else has the header ignored).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
CLIENT_CERT_HEADER = env_str("CLIENT_CERT_HEADER", "HTTP_X_SSL_CLIENT_CERT")
# When set, the proxy must also send this secret (X-Bouquet-Proxy-Secret): on a shared host any
# local user can reach the application port from 127.0.0.1. `bouquet run` generates one.
TRUSTED_PROXY_SECRET = env_secret("TRUSTED_PROXY_SECRET")
# Where CRL files are read in offline mode, and whether the network may be used to fetch them.
PKI_CRL_DIR = Path(env_str("PKI_CRL_DIR", str(VAR_DIR / "pki" / "crl")))
PKI_ALLOW_FETCHING = env_bool("PKI_ALLOW_FETCHING", False)
PKI_DIR = Path(env_str("PKI_DIR", str(VAR_DIR / "pki")))
# Minimum RGS level of the client certificate: web login ("" = any valid certificate) and
# télétransmission (S²LOW demands an RGS** certificate to order a transmission).
PKI_LOGIN_REQUIRED_RGS = env_str("PKI_LOGIN_REQUIRED_RGS", "")
PKI_TRANSMISSION_REQUIRED_RGS = env_str("PKI_TRANSMISSION_REQUIRED_RGS", "RGS**")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Production (BOUQUET_SECURE=1): cookies only over HTTPS, HSTS, redirect to HTTPS.
SECURE = env_bool("BOUQUET_SECURE", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Django's own CSP middleware: no inline script or style anywhere in our templates.
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# `bouquet demo` runs these in order; each is idempotent and returns lines to print.
DEMO_LOADERS = [
    "bouquet.core.demo.load",
    "bouquet.pki.demo.load",
    "bouquet.actes.demo.load",
    "bouquet.helios.demo.load",
    "bouquet.backoffice.demo.load",
    "bouquet.support.demo.load",
    "bouquet.marches.demo.load",
    "bouquet.marches.bids.demo.load",
    "bouquet.marches.contracts.demo.load",
]

# Periodic tasks enqueued by `bouquet scheduler` (started by `bouquet run`), once a day at `at`.
PERIODIC_TASKS = [
    {"name": "pki.expiry_alerts", "task": "bouquet.pki.tasks.send_expiry_alerts", "at": "06:00"},
]

# ACTES workflow
# Our identity in @ctes names: archive prefix (trigramme, assigned at homologation) and the
# envelope application name (EACT in production).
ACTES_TRIGRAMME = env_str("ACTES_TRIGRAMME", "BQT")
# Archives POSTed to the ministry at the same time by one worker (1 = one after the other).
ACTES_SEND_CONCURRENCY = env_int("ACTES_SEND_CONCURRENCY", 4)
ACTES_APPLI_NAME = env_str("ACTES_APPLI_NAME", "EACT")
# First AdressesRetour of every envelope: the inbox the ministry answers to (and we poll).
ACTES_TDT_MAIL_ADDRESS = env_str("ACTES_TDT_MAIL_ADDRESS", "actes@tdt.bouquet.test")
ACTES_MAIL_BACKUP = env_str("ACTES_MAIL_BACKUP", "")
# Bytes sent to the ministry per one-hour slot (0 = unlimited).
ACTES_WINDOW_BYTES_PER_HOUR = env_int("ACTES_WINDOW_BYTES_PER_HOUR", 0)
# A transaction still "Transmis" after this many days is closed in error (S²LOW: 30).
ACTES_TRANSMIS_TIMEOUT_DAYS = env_int("ACTES_TRANSMIS_TIMEOUT_DAYS", 30)
# Operator staff are alerted once about an act transmitted and not acknowledged after this.
ACTES_ACK_ALERT_HOURS = env_int("ACTES_ACK_ALERT_HOURS", 4)
# An act may be marked "Validé" this many months after its AR (S²LOW: 2).
ACTES_VALIDATE_AFTER_MONTHS = env_int("ACTES_VALIDATE_AFTER_MONTHS", 2)
# An envelope "sending" for longer than this was abandoned by a dead worker: send it again.
ACTES_STALE_SEND_MINUTES = env_int("ACTES_STALE_SEND_MINUTES", 15)
# Pause between two passes of `bouquet actes worker`.
ACTES_WORKER_INTERVAL_SECONDS = env_int("ACTES_WORKER_INTERVAL_SECONDS", 30)
# After a round of `bouquet actes worker` that checked less than a full batch: the wait before the next,
# so that acts posted meanwhile are checked and sent together (docs/benchmarks.md: +8 to +25 % acts/s).
ACTES_WORKER_LINGER_MS = env_int("ACTES_WORKER_LINGER_MS", 100)
PERIODIC_TASKS += [
    {"name": "actes.daily_maintenance", "task": "bouquet.actes.tasks.daily_maintenance", "at": "05:00"},
    {"name": "helios.daily_maintenance", "task": "bouquet.helios.tasks.daily_maintenance", "at": "05:15"},
    {"name": "marches.close_due", "task": "bouquet.marches.tasks.close_due", "at": "00:05"},
]

# REST API
# /api/v1/ (bouquet.api): bearer tokens, client certificates (S²LOW's rule) or the web session;
# every error is {"detail": "<French message>", "code": "<stable code>"}.
INSTALLED_APPS += ["rest_framework", "drf_spectacular"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "bouquet.api.authentication.BearerTokenAuthentication",
        "bouquet.api.authentication.ClientCertificateAuthentication",
        "bouquet.api.authentication.WebSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["bouquet.api.permissions.ActesReader"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "bouquet.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "bouquet.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bouquet — API REST",
    "DESCRIPTION": "Télétransmission des actes (ACTES) : dépôt, suivi, annulation, courriers, classification",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "bouquet.actes.choices.Status",
        "TransactionTypeEnum": "bouquet.actes.choices.TransactionType",
        "NatureEnum": "bouquet.actes.choices.Nature",
        "ResponseKindEnum": "bouquet.actes.choices.ResponseKind",
    },
}

# Per-context settings (bouquet/config/areas/<context>.py).
from bouquet.config.areas.backoffice import *  # noqa: E402, F403
from bouquet.config.areas.helios import *  # noqa: E402, F403
from bouquet.config.areas.marches import *  # noqa: E402, F403
from bouquet.config.areas.marches_bids import *  # noqa: E402, F403
from bouquet.config.areas.marches_contracts import *  # noqa: E402, F403
from bouquet.config.areas.support import *  # noqa: E402, F403
