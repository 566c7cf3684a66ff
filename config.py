"""Configuration: every secret, URL and tunable comes from the environment.

`create_app()` loads `Config`; tests pass overrides through `create_app(test_config)`.
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("HMIS_INSTANCE_DIR", BASE_DIR / "instance"))


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once into instance/.

    Every gunicorn worker and every app server must share the key, so a generated key
    is written to a file (never committed) rather than kept per process.
    """
    key = os.environ.get("HMIS_SECRET_KEY") or os.environ.get("SECRET_KEY")
    if key:
        return key
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


class Config:
    APP_NAME = "HMIS"
    APP_THEME = ""
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "HMIS_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'hmis.sqlite3'}"
    )
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # A streaming replica of the primary for the reports (app/core/replica.py); unset,
    # reports read the primary.
    SQLALCHEMY_BINDS = ({"reports": os.environ["HMIS_REPORTS_DATABASE_URL"]}
                        if os.environ.get("HMIS_REPORTS_DATABASE_URL") else {})

    # --- languages -------------------------------------------------------------------
    LANGUAGES = {
        "en": {"flag": "gb", "name": "English"},
        "hi": {"flag": "in", "name": "हिन्दी"},
    }
    BABEL_DEFAULT_LOCALE = os.environ.get("HMIS_DEFAULT_LANGUAGE", "en")
    BABEL_DEFAULT_TIMEZONE = "Asia/Kolkata"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    # --- security --------------------------------------------------------------------
    AUTH_TYPE = 1  # AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_USER_REGISTRATION = False
    FAB_ADD_SECURITY_API = False
    FAB_API_SWAGGER_UI = True
    # The schema belongs to the migrations and permissions to `hmis sync-roles`, so app
    # start-up never writes to the database (and every gunicorn worker starts fast).
    FAB_CREATE_DB = False
    FAB_UPDATE_PERMS = False
    FAB_SECURITY_MANAGER_CLASS = "app.core.security.HmisSecurityManager"
    FAB_PASSWORD_COMPLEXITY_ENABLED = True
    # FAB_PASSWORD_COMPLEXITY_VALIDATOR is set by app.core (it must be a callable).
    # One throttle budget per client address and one per account name, shared by the web
    # login, the API login and the supervisor's authorisation at the counter
    # (core.sessions). Counts live in RATELIMIT_STORAGE_URI: use Redis
    # (HMIS_RATELIMIT_STORAGE_URI=redis://...) when several workers or servers serve.
    AUTH_RATE_LIMITED = False  # FAB's own limiter covers only its forms; ours covers all
    AUTH_RATE_LIMIT = os.environ.get("HMIS_LOGIN_RATE_LIMIT", "10 per minute")
    RATELIMIT_ENABLED = _env_bool("HMIS_RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("HMIS_RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Per-account lock-out after consecutive failures; a supervisor unlocks.
    LOGIN_MAX_FAILURES = _env_int("HMIS_LOGIN_MAX_FAILURES", 5)
    SESSION_IDLE_MINUTES = _env_int("HMIS_SESSION_IDLE_MINUTES", 15)
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=SESSION_IDLE_MINUTES)
    SESSION_REFRESH_EACH_REQUEST = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("HMIS_SECURE_COOKIES", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the session idle timeout bounds the token's life
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=_env_int("HMIS_JWT_MINUTES", 60))
    # A refresh token lives at most a working shift (12 h), not FAB's default 30 days.
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(hours=min(_env_int("HMIS_JWT_REFRESH_HOURS", 12), 12))
    PROXY_FIX_COUNT = _env_int("HMIS_PROXY_COUNT", 0)  # reverse proxies in front
    # Each page pulls about 20 stylesheets, scripts and fonts; without a max-age the
    # browser asks for every one on every page. After an upgrade that changes them,
    # browsers pick up the new files within this time (or at once with Ctrl+F5).
    SEND_FILE_MAX_AGE_DEFAULT = _env_int("HMIS_STATIC_MAX_AGE_SECONDS", 3600)

    # --- demo mode -------------------------------------------------------------------
    # Outside demo mode no account is ever created with a default password.
    DEMO_MODE = _env_bool("HMIS_DEMO_MODE", False)
    DEMO_PASSWORD = os.environ.get("HMIS_DEMO_PASSWORD", "")
    DEMO_DEFAULT_PASSWORD = "Himalaya-Jharkhand-26"

    # Each response says how many SQL statements it cost (X-SQL-Statements): profiling only.
    SQL_COUNT = _env_bool("HMIS_SQL_COUNT", False)

    # --- uploads and printing --------------------------------------------------------
    MAX_CONTENT_LENGTH = _env_int("HMIS_MAX_UPLOAD_MB", 5) * 1024 * 1024
    PRINT_DEFAULT_SIZE = os.environ.get("HMIS_PRINT_DEFAULT_SIZE", "a5")  # a5 | thermal (80 mm)

    def __init__(self):
        # Resolved at instantiation so importing config never touches the disk.
        self.SECRET_KEY = _secret_key()


class TestConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("HMIS_TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_ENABLED = False


# --- gunicorn: `gunicorn -c config.py run:app` reads these lower-case names ---------------
bind = os.environ.get("HMIS_BIND", "127.0.0.1:8000")
workers = _env_int("HMIS_WORKERS", 4)
accesslog = os.environ.get("HMIS_ACCESS_LOG", "-")
# The app is built once in the master and the workers fork from it: code, templates,
# fonts and catalogues are shared pages instead of a copy per worker (run.py freezes
# them out of the garbage collector, which would otherwise touch and so copy them).
preload_app = _env_bool("HMIS_PRELOAD", True)


def when_ready(_server):
    """With the app preloaded, before the workers fork: do once what each would repeat
    on its first requests (app.prepare_for_workers), then freeze it with the rest."""
    if preload_app:
        import gc

        from run import app

        from app import prepare_for_workers
        prepare_for_workers(app)
        gc.freeze()


def post_fork(_server, _worker):
    """A worker must not share the master's database connections (there should be none:
    start-up does not touch the database, but a pool opened there would be copied)."""
    from run import app

    from app.extensions import db
    with app.app_context():
        db.engine.dispose(close=False)


def on_starting(_server):
    """Send no Server header: naming the server and its version only helps an attacker
    choose an exploit. Patched in the master, so every forked worker inherits it."""
    from gunicorn.http import wsgi
    default_headers = wsgi.Response.default_headers
    wsgi.Response.default_headers = lambda self: [
        h for h in default_headers(self) if not h.lower().startswith("server:")]
