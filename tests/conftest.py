"""Fixtures: the app on real PostgreSQL (schema migrated once per run, one rolled-back
transaction per test), real Redis, factories and an `auth` helper.

Two roles, as in production: the schema is migrated as TEST_DATABASE_URL's user (the
owner, `postgres`); the app and each test's session connect as APP_DATABASE_ROLE
(`platform_app`, created here if missing: a login role that owns nothing and is not a
superuser), so that PostgreSQL's row-level security really applies in every test.
"""
# First: in a parallel run, this process's own database and Redis db, before config.py reads them.
import tests.per_process  # noqa: F401

# isort: split
import threading
from pathlib import Path

import pytest
from flask import current_app, g, request_started
from playwright.sync_api import sync_playwright
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db, limiter
from tenants.scope import entered, system_scope
from tests import factories
from tests.browser_tab import CHROMIUM, CHROMIUM_ARGS, Tab
from tests.database import DatabaseMissing, ensure_test_database

# Ctrl-C and SIGTERM stop the run (tests/signals.py).
pytest_plugins = ["tests.signals"]

PASSWORD = factories.PASSWORD
# Kept when a test that committed its data cleans up: the migrations ship them.
SHIPPED_CATALOGS = {"support_types", "rubrics", "look_fors", "equity_impact_questions"}


def owner_engine():
    """A connection as the owner of the tables (MIGRATION_DATABASE_URL), for what the app's role may not do."""
    return create_engine(current_app.config["MIGRATION_DATABASE_URL"], poolclass=NullPool)


def _reset_schema(app) -> None:
    """Drop everything, make sure the app's role exists, and migrate from empty as the owner."""
    from flask_migrate import upgrade

    url = app.config["MIGRATION_DATABASE_URL"]
    try:
        ensure_test_database(url)  # each parallel process has its own (tests/per_process.py)
    except DatabaseMissing as error:
        pytest.exit(str(error), returncode=3)
    owner = owner_engine()
    try:
        with owner.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
            _create_app_role(connection, app.config["APP_DATABASE_ROLE"])
    except OperationalError as error:
        pytest.exit(
            f"PostgreSQL is not reachable at {url} ({error.orig}). Start it with "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` "
            "or set TEST_DATABASE_URL.",
            returncode=3,
        )
    finally:
        owner.dispose()
    upgrade()


def _create_app_role(connection, role: str) -> None:
    """The app's login role, if missing (roles belong to the whole cluster: another run may make it first)."""
    connection.execute(text(
        f'DO $$ BEGIN CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; '
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
    ))


def clear_committed_data() -> None:
    """Truncate every table but the shipped catalogs, after a test that had to commit (browser, concurrency).

    As the owner: TRUNCATE passes by row-level security, so the app's role is never granted it."""
    tables = ", ".join(t.name for t in db.metadata.sorted_tables if t.name not in SHIPPED_CATALOGS)
    owner = owner_engine()
    with entered(system_scope("clean-up of committed test data")), owner.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    owner.dispose()


@pytest.fixture(scope="session")
def app():
    app = create_app("testing")
    with app.app_context(), entered(system_scope("test schema")):
        _reset_schema(app)
        # Views commit; inside a test that commit releases a savepoint of the test's transaction.
        db.session.session_factory.configure(join_transaction_mode="create_savepoint")
    request_started.connect(_forget_the_last_request_user, app)
    return app


def _forget_the_last_request_user(sender, **extra) -> None:
    """Each test runs in one app context that its requests share (Flask pushes none of their own), and
    Flask-Login keeps the signed-in person in `g`: forget it, so that each request is signed in by its
    own cookie or token, as in production, where every request has a fresh app context."""
    for name in ("_login_user", "signed_in_by_token", "read_only_token"):
        g.pop(name, None)


@pytest.fixture(scope="session")
def redis_connection(app):
    connection = Redis.from_url(app.config["REDIS_URL"])
    try:
        connection.ping()
    except RedisConnectionError as error:
        pytest.exit(
            f"Redis is not reachable at {app.config['REDIS_URL']} ({error}). Start it with "
            '`redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no`.',
            returncode=3,
        )
    return connection


@pytest.fixture
def redis(redis_connection):
    redis_connection.flushdb()
    yield redis_connection
    redis_connection.flushdb()


@pytest.fixture(autouse=True)
def _database(request, app, redis):
    """One outer transaction per test, rolled back at the end; the test body runs as the system."""
    if request.node.get_closest_marker("browser"):
        yield
        return
    with app.app_context():
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        outer = connection.begin()
        # Flask-SQLAlchemy picks engines[None] for every session: hand it the connection instead.
        engines[None] = connection
        db.session.remove()
        limiter.reset()
        try:
            with entered(system_scope("test setup")):
                yield
        finally:
            db.session.remove()
            outer.rollback()
            connection.close()
            engines[None] = engine


@pytest.fixture
def client(app):
    return app.test_client()


class Auth:
    """Sign in through the real sign-in form."""

    def __init__(self, client):
        self.client = client

    def sign_in(self, user, password: str = PASSWORD):
        db.session.flush()
        response = self.client.post("/sign-in", data={"email": user.email, "password": password})
        assert response.status_code == 302, f"sign-in of {user.email} failed: {response.status_code}"
        return response

    def sign_out(self):
        return self.client.post("/sign-out")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def world():
    """Two regions, a district in each with two schools, and a person for every role."""
    return factories.make_world()


@pytest.fixture(scope="session")
def _smtp_server():
    from tests.mailbox import start_smtp_server

    controller, mailbox = start_smtp_server()
    yield controller, mailbox
    controller.stop()


@pytest.fixture
def mailbox(app, _smtp_server, monkeypatch):
    """Mail the app sends during this test lands in a real SMTP server; its messages, newest last."""
    controller, mailbox = _smtp_server
    mailbox.messages.clear()
    monkeypatch.setitem(app.config, "MAIL_SERVER", controller.hostname)
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    return mailbox


# In a real browser (tests marked `browser`): the app served by a live server on a free port, Debian's Chromium
# driven by Playwright, and `open_page`, which opens a checked tab (tests/browser_tab.py).

@pytest.fixture(scope="module")
def csrf_on(app):
    """CSRF checked, as in production, for a module's tests (`pytest.mark.usefixtures("csrf_on")`): forms a
    browser posts carry their token."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture(scope="module")
def live(app):
    """The app served on a free local port, over committed demo-like data, truncated after the module."""
    with app.app_context(), entered(system_scope("browser test data")):
        world = factories.make_world()
        ids = {"foreign_school": world.foreign_school.id, "home_school": world.home_school.id}
        people = {k: v.email for k, v in world.people().items()}
        db.session.commit()
    sign_in_limit = app.config["SIGN_IN_RATE_LIMIT"]
    app.config["SIGN_IN_RATE_LIMIT"] = "1000 per minute"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "ids": ids, "people": people}
    server.shutdown()
    app.config["SIGN_IN_RATE_LIMIT"] = sign_in_limit
    with app.app_context():
        clear_committed_data()


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test process; each tab gets a context of its own (`open_page`)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: `make test` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live):
    """Opens a tab on the live server (`open_page(viewport=...)`); closed after the test."""
    tabs = []

    def open_tab(**kwargs):
        tab = Tab(browser, live, **kwargs)
        tabs.append(tab)
        return tab

    yield open_tab
    for tab in tabs:
        tab.close()
