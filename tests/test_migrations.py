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
    url = make_url(app.config["MIGRATION_DATABASE_URL"])  # the owner: the app's role may not create databases
    scratch = f"{url.database}_migrations"  # beside, not instead of, the run's own test database
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {scratch}"))
        connection.execute(text(f"CREATE DATABASE {scratch}"))
    yield url.set(database=scratch).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)"))
    admin.dispose()


def _scratch_app(database_url: str, monkeypatch):
    """The app on a scratch database, migrating and connecting as its owner."""
    import config

    monkeypatch.setattr(config.TestingConfig, "SQLALCHEMY_DATABASE_URI", database_url)
    monkeypatch.setattr(config.TestingConfig, "MIGRATION_DATABASE_URL", database_url)
    return create_app("testing")


def _upgrade_and_diff(database_url: str, monkeypatch) -> list:
    scratch = _scratch_app(database_url, monkeypatch)
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


PLANS = [  # district, status, starts_on, reporting_interval, stale_after_days: the active plan wins over a newer draft
    (1, "closed", "2023-07-01", "quarterly", 45), (1, "active", "2024-07-01", "monthly", 21),
    (1, "draft", "2025-07-01", "quarterly", 60), (2, "draft", "2025-07-01", "monthly", 14),
]


def _settings_move_to_the_district(database_url: str, monkeypatch) -> list:
    """Upgrade to 0005 with plans, then to 0006: each district takes its current plan's settings."""
    scratch = _scratch_app(database_url, monkeypatch)
    with scratch.app_context(), entered(system_scope("migration test")):
        upgrade(revision="0005_onboarding")
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO regions (id, name) VALUES (1, 'Central')"))
            for district_id in (1, 2, 3):
                connection.execute(text(
                    "INSERT INTO districts (id, region_id, name, slug, kind, accountability_status, lifecycle, "
                    "school_count) VALUES (:id, 1, :name, :name, 'Public School District', 'insufficient_data', "
                    "'active', 0)"), {"id": district_id, "name": f"d{district_id}"})
            for plan_id, (district_id, status, starts_on, interval, days) in enumerate(PLANS, start=1):
                connection.execute(text(
                    "INSERT INTO improvement_plans (id, district_id, title, starts_on, ends_on, status, "
                    "reporting_interval, stale_after_days) VALUES (:id, :district, 'Plan', :starts, '2029-06-30', "
                    ":status, :interval, :days)"),
                    {"id": plan_id, "district": district_id, "starts": starts_on, "status": status,
                     "interval": interval, "days": days})
        upgrade(revision="0006_plan_completion")
        with db.engine.connect() as connection:
            found = connection.execute(text(
                "SELECT id, reporting_interval, stale_after_days FROM districts ORDER BY id")).all()
        downgrade(revision="0005_onboarding")
        with db.engine.connect() as connection:
            back = connection.execute(text(
                "SELECT id, reporting_interval, stale_after_days FROM improvement_plans ORDER BY id")).all()
        db.engine.dispose()
    return [tuple(row) for row in found], [tuple(row) for row in back]


@pytest.mark.parametrize("database", ["postgresql", "sqlite"])
def test_the_plan_settings_move_to_the_district_and_back(database, scratch_postgres, tmp_path, monkeypatch):
    url = scratch_postgres if database == "postgresql" else f"sqlite:///{tmp_path / 'settings.db'}"
    found, back = _settings_move_to_the_district(url, monkeypatch)
    # District 1 takes its active plan's; district 2 its only draft's; district 3, with no plan, the defaults.
    assert found == [(1, "monthly", 21), (2, "monthly", 14), (3, "quarterly", 30)]
    # Going back, every plan takes its district's settings.
    assert back == [(1, "monthly", 21), (2, "monthly", 21), (3, "monthly", 21), (4, "monthly", 14)]
