"""Settings, all from environment variables, with safe defaults for development."""
import math
import os
from collections import Counter
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url

BASE_DIR = Path(__file__).resolve().parent
DEVELOPMENT_SECRET_KEY = "development-only-not-secret"


def database_url(raw: str) -> str:
    """Use the psycopg 3 driver for any PostgreSQL URL a host hands us."""
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


# What a key must carry, by the estimate below. secrets.token_hex(16) (32 hex digits) measures 94-125
# (20,000 draws), token_urlsafe(32) about 200; 32 spaces 0, "ab" * 16 32, "password" * 4 88.
SECRET_KEY_MIN_BITS = 90


def secret_strength_bits(key: str) -> float:
    """An upper estimate of a key's entropy in bits: its length times the Shannon entropy of its characters.

    It cannot tell a random key from a long phrase, but it refuses the keys people type when asked for
    one in a hurry: spaces, one character repeated, a tiny alphabet.
    """
    counts = Counter(key)
    per_character = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values()) if key else 0.0
    return len(key) * per_character


def state_time_zone(name: str) -> str:
    """The state's IANA time zone name, checked now: a typo must stop the start, not shift every "today"."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuntimeError(f"STATE_TIME_ZONE must be an IANA time zone such as America/New_York, not {name!r}") from None
    return name


def app_role_of(url: str) -> str | None:
    """The PostgreSQL role a URL signs in as (None for SQLite)."""
    parsed = make_url(url)
    return parsed.username if parsed.get_backend_name() == "postgresql" else None


def as_role(url: str, role: str) -> str:
    """The same database, signed in as `role` (no password: trust or a ~/.pgpass entry)."""
    return make_url(url).set(username=role, password=None).render_as_string(hide_password=False)


class Config:
    # The product's name, in every page's footer; a deployment may give its own.
    PLATFORM_NAME = os.environ.get("PLATFORM_NAME", "Regional support platform")
    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    # Two connections on PostgreSQL (README, "Running in production"). The app's: a role that owns
    # nothing and is not a superuser, so that row-level security holds it to the request's districts.
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'app.db'}")
    )
    # `flask db upgrade`'s: the owner of the tables. Unset, migrations use DATABASE_URL (development).
    MIGRATION_DATABASE_URL = database_url(os.environ.get("MIGRATION_DATABASE_URL") or SQLALCHEMY_DATABASE_URI)
    # The role migration 0014 grants the app's privileges to: DATABASE_URL's user unless set.
    # Nothing is granted when it is the migrating role itself (one URL, development).
    APP_DATABASE_ROLE = os.environ.get("APP_DATABASE_ROLE") or app_role_of(SQLALCHEMY_DATABASE_URI)
    # No REDIS_URL: jobs run in-process and rate limits are kept in memory.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down must not stop sign-in: limits are kept in memory meanwhile (flask-limiter logs the switch).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 2}
    SIGN_IN_RATE_LIMIT = os.environ.get("SIGN_IN_RATE_LIMIT", "10 per minute")
    # The same attempts per account (the email typed), from any address: behind a proxy or a school's NAT
    # many people share an address, and one account is not guessed at from many.
    SIGN_IN_ACCOUNT_RATE_LIMIT = os.environ.get("SIGN_IN_ACCOUNT_RATE_LIMIT", "10 per minute")
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted (0: none, talk directly).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    SESSION_PROTECTION = "strong"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a form left open on a phone during a visit must still submit
    # A session unused this long ends on the server (sign-out, a new password and deactivation end it at once).
    # 72 hours: a lead away from signal from Friday to Monday morning finds the field app still signed in; past
    # that, the field app keeps what is waiting until they sign in again.
    SESSION_IDLE_HOURS = float(os.environ.get("SESSION_IDLE_HOURS", "72"))
    # The cookie outlives a phone browser's restart, and no longer than the server would honour it.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=SESSION_IDLE_HOURS)
    # The largest request body read: above it, 413 before the body is read. The biggest uploads are
    # onboarding files (5 MB each, two at once), so 16 MB leaves room.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024)))

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "1025"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "false").lower() == "true"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "support-platform@localhost")
    # Links in mails are built from this address: jobs run outside any request.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    INVITATION_MAX_AGE_SECONDS = int(os.environ.get("INVITATION_MAX_AGE_SECONDS", str(7 * 24 * 3600)))
    PASSWORD_RESET_MAX_AGE_SECONDS = int(os.environ.get("PASSWORD_RESET_MAX_AGE_SECONDS", "3600"))

    # "Today", overdue, due this week, default periods and schedules are the state's, not the server's (UTC).
    STATE_TIME_ZONE = state_time_zone(os.environ.get("STATE_TIME_ZONE", "America/New_York"))

    # Where the real state directory lives (520 districts, 1,837 schools).
    DIRECTORY_PATH = os.environ.get(
        "DIRECTORY_PATH", str(BASE_DIR.parent / "shared" / "data" / "ma_directory")
    )
    JOB_TIMEOUT_SECONDS = int(os.environ.get("JOB_TIMEOUT_SECONDS", "600"))
    JOB_RETRIES = int(os.environ.get("JOB_RETRIES", "3"))
    # "json": one JSON object per log line, with the request id (production's default); "text" for a terminal.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # Seconds before each retry; the last one repeats if JOB_RETRIES is larger.
    JOB_RETRY_INTERVALS = [int(s) for s in os.environ.get("JOB_RETRY_INTERVALS", "10,60,300").split(",")]
    # A connection the database dropped (a restart, a failover, a killed backend) is replaced before use.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # How often a worker tells Redis that the job it runs is alive; a job not heard of for three times this
    # long (90 s by default) is taken for abandoned (its worker was killed) and retried by the reconcile.
    JOB_HEARTBEAT_SECONDS = int(os.environ.get("JOB_HEARTBEAT_SECONDS", "30"))
    # Test-only: a pause per import step, so that a test can kill a worker mid-import.
    IMPORT_STEP_DELAY_SECONDS = float(os.environ.get("IMPORT_STEP_DELAY_SECONDS", "0"))


class DevelopmentConfig(Config):
    DEBUG = False  # the Werkzeug debugger is a remote shell; turn on with FLASK_DEBUG=1


class TestingConfig(Config):
    TESTING = True
    # Tests migrate as TEST_DATABASE_URL's user (the owner, `postgres`) and run the app and the
    # tests' session as APP_DATABASE_ROLE, a login role that owns nothing (tests/conftest.py creates
    # it if missing), so that row-level security really applies in tests.
    MIGRATION_DATABASE_URL = database_url(
        os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    APP_DATABASE_ROLE = os.environ.get("TEST_APP_DATABASE_ROLE", "platform_app")
    SQLALCHEMY_DATABASE_URI = as_role(MIGRATION_DATABASE_URL, APP_DATABASE_ROLE)
    # Cheap Argon2 (a hash carries its cost): signing in is not what tests measure. Never set elsewhere.
    PASSWORD_HASH_COST = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
    REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    RATELIMIT_STORAGE_URI = REDIS_URL
    # Tests post forms without tokens; tests/test_security.py turns CSRF back on.
    WTF_CSRF_ENABLED = False


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")

    @staticmethod
    def check(settings: dict) -> None:
        """Refuse to start with development secrets or database."""
        key = settings.get("SECRET_KEY") or ""
        if key == DEVELOPMENT_SECRET_KEY or len(key) < 32 or secret_strength_bits(key) < SECRET_KEY_MIN_BITS:
            raise RuntimeError(
                "Production needs SECRET_KEY: a random string of 32 characters or more, such as the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'` (not spaces, a repeated "
                "character or a few letters over and over).")
        if "DATABASE_URL" not in os.environ:
            raise RuntimeError("Production needs DATABASE_URL (PostgreSQL).")
        if "BASE_URL" not in os.environ:
            raise RuntimeError("Production needs BASE_URL, the site's public address: mails link to it.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> type[Config]:
    name = name or os.environ.get("APP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
