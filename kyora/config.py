"""Settings read from the environment (and from `.env` in development).

Every setting has a default that works on a developer's machine; production
(`KYORA_ENV=production`) refuses to start without a real `SECRET_KEY`.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

DEV_SECRET_KEY = "dev-only-insecure-key"  # noqa: S105 - refused outside development


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number.") from exc


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Billing plans (used only when a Stripe key is configured). Prices are monthly, in
# BILLING_CURRENCY; a limit of None means unlimited. `sync-plans` puts the paid ones in
# Stripe under their lookup keys.
BILLING_PLANS: tuple[dict, ...] = (
    {"key": "starter", "price": "0", "orders": 25, "members": 1, "businesses": 1},
    {"key": "professional", "price": "54.99", "orders": 500, "members": 5, "businesses": 3},
    {"key": "enterprise", "price": "155.99", "orders": None, "members": None, "businesses": None},
)


class ConfigError(RuntimeError):
    """Raised when the environment cannot run Kyora safely."""


def load(instance_path: str, overrides: dict | None = None) -> dict:
    """Build the Flask config mapping from the environment plus `overrides`."""
    env = os.environ.get("KYORA_ENV", "development").lower()
    overrides = dict(overrides or {})
    testing = bool(overrides.get("TESTING"))
    # Where Kyora keeps what it writes (the SQLite database, queued mail, the job
    # queue, uploads): KYORA_DATA_DIR, else the instance folder beside the code.
    data = Path(os.environ.get("KYORA_DATA_DIR") or instance_path)
    default_db = f"sqlite:///{data / 'kyora.db'}"
    redis_url = os.environ.get("REDIS_URL") or None
    cfg: dict = {
        "KYORA_ENV": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", default_db),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SQLALCHEMY_RECORD_QUERIES": False,
        "REDIS_URL": redis_url,
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        # How many proxies in front of Kyora add X-Forwarded-For/-Proto/-Host (0: none,
        # the client address is the connection's). Behind one reverse proxy, set 1.
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        # Sessions: server-side records, the cookie only carries a random key.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "SESSION_COOKIE_NAME": "kyora_session",
        "PERMANENT_SESSION_LIFETIME": timedelta(days=30),
        # A login ends after this long unused, and after this long whatever happens.
        "SESSION_IDLE_LIFETIME": timedelta(hours=_int("SESSION_IDLE_HOURS", 14 * 24)),
        "SESSION_ABSOLUTE_LIFETIME": timedelta(days=_int("SESSION_MAX_DAYS", 90)),
        # A workspace whose owner asks for its deletion is kept this long first.
        "WORKSPACE_DELETION_GRACE": timedelta(days=_int("WORKSPACE_DELETION_GRACE_DAYS", 14)),
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": env == "production",
        # Languages.
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ("en", "ar"),
        # Email.
        "MAIL_BACKEND": os.environ.get(
            "MAIL_BACKEND", "console" if env != "production" else "smtp"
        ),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Kyora <hello@kyora.local>"),
        "SMTP_HOST": os.environ.get("SMTP_HOST", "localhost"),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "587")),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _bool("SMTP_STARTTLS", True),
        "MAIL_OUTBOX_DIR": str(data / "mail"),
        # Background jobs: huey on a SQLite file, or Redis when REDIS_URL is set.
        # Development runs jobs inline so `make run` needs no worker; production queues them.
        "JOBS_IMMEDIATE": _bool("JOBS_IMMEDIATE", env == "development"),
        "JOBS_SQLITE_PATH": str(data / "jobs.db"),
        # Rate limits.
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # Redis unreachable: count in this process's memory meanwhile, never refuse the page.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_HEADERS_ENABLED": False,
        # A moving window: no burst allowed at the edge of a clock minute.
        "RATELIMIT_STRATEGY": "moving-window",
        # Uploads.
        "KYORA_DATA_DIR": str(data),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(data / "uploads")),
        # Where uploaded files live: "local" (UPLOAD_DIR) or "s3" (any S3-compatible
        # object storage, shared by every app server).
        "STORAGE_BACKEND": os.environ.get("STORAGE_BACKEND", "local"),
        "S3_BUCKET": os.environ.get("S3_BUCKET", ""),
        "S3_ENDPOINT_URL": os.environ.get("S3_ENDPOINT_URL") or None,
        "S3_REGION": os.environ.get("S3_REGION", "us-east-1"),
        "S3_ACCESS_KEY_ID": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "S3_SECRET_ACCESS_KEY": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", "10")) * 1024 * 1024,
        "UPLOAD_MAX_IMAGE_BYTES": 5 * 1024 * 1024,
        # Google sign-in (OpenID Connect), hidden when not configured.
        "GOOGLE_CLIENT_ID": os.environ.get("GOOGLE_CLIENT_ID", ""),
        "GOOGLE_CLIENT_SECRET": os.environ.get("GOOGLE_CLIENT_SECRET", ""),
        "GOOGLE_DISCOVERY_URL": os.environ.get(
            "GOOGLE_DISCOVERY_URL", "https://accounts.google.com/.well-known/openid-configuration"
        ),
        # Team size limit while billing is off (unset: no limit).
        "TEAM_MEMBER_LIMIT": int(os.environ["TEAM_MEMBER_LIMIT"])
        if os.environ.get("TEAM_MEMBER_LIMIT", "").strip()
        else None,
        # Billing: off unless a Stripe key is configured.
        "STRIPE_SECRET_KEY": os.environ.get("STRIPE_SECRET_KEY", ""),
        "STRIPE_WEBHOOK_SECRET": os.environ.get("STRIPE_WEBHOOK_SECRET", ""),
        # Where the Stripe SDK sends its calls (empty: Stripe itself; tests use a local fake).
        "STRIPE_API_BASE": os.environ.get("STRIPE_API_BASE", ""),
        "BILLING_PLANS": BILLING_PLANS,
        "BILLING_CURRENCY": "AED",
        # How long a workspace whose payment failed keeps its plan's writes.
        "BILLING_GRACE_DAYS": _int("BILLING_GRACE_DAYS", 3),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        # Response compression (Flask-Compress): brotli first, gzip for older browsers.
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_MIMETYPES": ["text/html", "text/csv", "application/json", "image/svg+xml"],
        "COMPRESS_MIN_SIZE": 500,
        "COMPRESS_BR_LEVEL": 5,
    }
    if testing:
        cfg.update(
            {
                "SECRET_KEY": "test-secret-key-not-for-production",  # noqa: S105
                "MAIL_BACKEND": "memory",
                "JOBS_IMMEDIATE": True,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_STORAGE_URI": "memory://",
                "SERVER_NAME": None,
                "LOG_LEVEL": "WARNING",
            }
        )
    cfg.update(overrides)
    if not cfg["SECRET_KEY"]:
        if env == "production":
            raise ConfigError("SECRET_KEY must be set in production.")
        cfg["SECRET_KEY"] = DEV_SECRET_KEY
    elif env == "production" and cfg["SECRET_KEY"] == DEV_SECRET_KEY:
        raise ConfigError("SECRET_KEY must be a real secret in production.")
    if env == "production" and len(cfg["SECRET_KEY"]) < 32:
        raise ConfigError("SECRET_KEY must be at least 32 characters in production.")
    return cfg
