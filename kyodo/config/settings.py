"""Settings, all from the environment.

- ``DATABASE_URL``: the application's connection (default: embedded SQLite under ``var/``).
- ``DATABASE_OWNER_URL``: the schema owner's connection, used by ``kyodo migrate``
  (default: ``DATABASE_URL``).
- ``SECRET_KEY``: generated and kept in ``var/secret_key`` when absent.
- ``KYODO_DEBUG``: "1" for debug pages (never in production).
- ``KYODO_VAR_DIR``: where the embedded database, the secret key and other state live.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KYODO_VAR_DIR", BASE_DIR.parent / "var")).resolve()


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _kept_secret(env_name: str, file_name: str) -> str:
    """A secret from the environment, else generated once and kept under ``var/``."""
    from_env = os.environ.get(env_name)
    if from_env:
        return from_env
    key_file = VAR_DIR / file_name
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        # Written with owner-only permissions; generated once, then kept.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


def _kept_field_keys(env_name: str, file_name: str) -> list[str]:
    """Fernet keys: the environment (comma-separated) or ``var/<file_name>`` (one per line),
    generated once when neither exists. The first key encrypts; all of them decrypt."""
    from_env = os.environ.get(env_name)
    if from_env:
        return [key.strip() for key in from_env.split(",") if key.strip()]
    key_file = VAR_DIR / file_name
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii") + "\n")
    return [line.strip() for line in key_file.read_text().splitlines() if line.strip()]


SECRET_KEY = _kept_secret("SECRET_KEY", "secret_key")
# Field encryption (個人番号 …): the first key encrypts, all decrypt. Back up with the database.
KYODO_FIELD_KEYS = _kept_field_keys("KYODO_FIELD_KEYS", "field_keys")
# Blind-index key, separate so rotating field keys never changes an index.
KYODO_INDEX_KEY = _kept_secret("KYODO_INDEX_KEY", "index_key")
# Where 住民票コード come from: J-LIS's network in production; a local stand-in otherwise.
KYODO_JUMINHYO_CODE_SOURCE = os.environ.get(
    "KYODO_JUMINHYO_CODE_SOURCE", "kyodo.atena.juminhyo_code.LocalJuminhyoCodeSource"
)
# Key of the audit trail's HMAC chain; kept apart from SECRET_KEY so rotating one never
# invalidates the other. Losing it makes old records unverifiable: back it up with the database.
KYODO_AUDIT_KEY = _kept_secret("KYODO_AUDIT_KEY", "audit_key")
# Backups (kyodo backup, ADR 0016): where generations are kept, the reading role that bypasses
# row-level security (pg_dump), age public keys to encrypt to (comma-separated; default: the
# key pair kept under var/, for a single machine), and the age identity restore decrypts with.
KYODO_BACKUP_DIR = Path(os.environ.get("KYODO_BACKUP_DIR", VAR_DIR / "backups"))
KYODO_BACKUP_DATABASE_URL = os.environ.get("KYODO_BACKUP_DATABASE_URL", "")
KYODO_BACKUP_RECIPIENTS = [
    r.strip() for r in os.environ.get("KYODO_BACKUP_RECIPIENTS", "").split(",") if r.strip()
]
KYODO_BACKUP_IDENTITY = Path(
    os.environ.get("KYODO_BACKUP_IDENTITY", VAR_DIR / "backup_identity.txt")
)
KYODO_BACKUP_KEEP_DAILY = int(os.environ.get("KYODO_BACKUP_KEEP_DAILY", "7"))
KYODO_BACKUP_KEEP_WEEKLY = int(os.environ.get("KYODO_BACKUP_KEEP_WEEKLY", "4"))
DEBUG = _truthy(os.environ.get("KYODO_DEBUG"))
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("KYODO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]

_default_db = f"sqlite:///{VAR_DIR / 'kyodo.sqlite3'}"
APP_DATABASE_URL = os.environ.get("DATABASE_URL", _default_db)
OWNER_DATABASE_URL = os.environ.get("DATABASE_OWNER_URL", APP_DATABASE_URL)
DB_ROLE = os.environ.get("KYODO_DB_ROLE", "app")

DATABASES = {
    "default": dj_database_url.parse(
        OWNER_DATABASE_URL if DB_ROLE == "owner" else APP_DATABASE_URL,
        conn_max_age=int(os.environ.get("KYODO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# The role the application connects as; the schema guard grants it exactly what it needs.
KYODO_APP_DB_USER = dj_database_url.parse(APP_DATABASE_URL).get("USER") or ""

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "kyodo.platform",
    "kyodo.linkage",
    "kyodo.atena",
    "kyodo.units.juki",
    # Publishers before their subscribers: each unit's ready() declares its own events and
    # then subscribes to those declared before it (kokuho reads zei_kojin.assessed).
    "kyodo.units.zei_kojin",
    "kyodo.units.zei_kotei",
    "kyodo.units.zei_kei",
    "kyodo.units.kokuho",
    "kyodo.units.shuno",
    "kyodo.madoguchi",
    "kyodo.iko",
    "kyodo.ops",
    "kyodo.kyogikai",
    "kyodo.web",
    "django_prometheus",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # latency per view (/metrics)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kyodo.platform.middleware.IdleTimeoutMiddleware",
    "kyodo.web.middleware.JapaneseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kyodo.platform.middleware.VerifiedLoginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kyodo.platform.middleware.TenantMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "kyodo.config.urls"
WSGI_APPLICATION = "kyodo.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kyodo.web.context_processors.shell",
            ],
        },
    }
]

AUTH_USER_MODEL = "platform.Account"
AUTHENTICATION_BACKENDS = ["kyodo.platform.accounts.backends.LockoutModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout: this many consecutive failures lock the account for the period below.
KYODO_LOCKOUT_THRESHOLD = int(os.environ.get("KYODO_LOCKOUT_THRESHOLD", "5"))
KYODO_LOCKOUT_MINUTES = int(os.environ.get("KYODO_LOCKOUT_MINUTES", "30"))

# Idle timeout: the session expires after this many seconds without a request. Its expiry is
# moved on by requests (an idle timeout, not an absolute one), at most once per
# KYODO_SESSION_RENEW_SECONDS (kyodo.platform.middleware.IdleTimeoutMiddleware), not on each.
SESSION_COOKIE_AGE = int(os.environ.get("KYODO_IDLE_TIMEOUT_SECONDS", str(30 * 60)))
KYODO_SESSION_RENEW_SECONDS = int(os.environ.get("KYODO_SESSION_RENEW_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _truthy(os.environ.get("KYODO_SECURE_COOKIES"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

OTP_TOTP_ISSUER = "Kyodo"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it, even when empty
# Static files are served by WhiteNoise straight from the packages (no collectstatic step).
WHITENOISE_USE_FINDERS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Structured logs: one JSON object per line (KYODO_LOG_FORMAT=text for people at a terminal).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("KYODO_LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("KYODO_LOG_LEVEL", "WARNING")},
}
# /metrics (Prometheus): from these addresses, or with this bearer token.
KYODO_METRICS_ALLOWED = [
    a.strip() for a in os.environ.get("KYODO_METRICS_ALLOWED", "127.0.0.1,::1").split(",") if a
]
KYODO_METRICS_TOKEN = os.environ.get("KYODO_METRICS_TOKEN", "")
PROMETHEUS_EXPORT_MIGRATIONS = False
