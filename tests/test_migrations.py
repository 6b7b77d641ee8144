"""Migrations upgrade from empty on PostgreSQL and SQLite, and match the models."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from tenants.scope import entered, system_scope



@pytest.fixture
def scratch_postgres(app):
    """An empty PostgreSQL database of its own, so the shared test schema is left alone."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    scratch = f"{url.database}_migrations"  # beside, not instead of, the run's own test database
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {scratch}"))
        connection.execute(text(f"CREATE DATABASE {scratch}"))
    yield url.set(database=scratch).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)"))
    admin.dispose()


def _upgrade_and_diff(database_url: str, monkeypatch) -> list:
    import config

    monkeypatch.setattr(config.TestingConfig, "SQLALCHEMY_DATABASE_URI", database_url)
    scratch = create_app("testing")
    with scratch.app_context(), entered(system_scope("migration test")):
        upgrade()
        downgrade(revision="base")
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    return diff


def test_postgres_upgrades_from_empty_and_matches_the_models(scratch_postgres, monkeypatch):
    assert _upgrade_and_diff(scratch_postgres, monkeypatch) == []


def test_sqlite_upgrades_from_empty_and_matches_the_models(tmp_path, monkeypatch):
    assert _upgrade_and_diff(f"sqlite:///{tmp_path / 'fresh.db'}", monkeypatch) == []
