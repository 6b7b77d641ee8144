"""tests/database.py: a missing test database is made (as its owner, through `postgres`), an unreachable server named."""
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tests.database import DatabaseMissing, ensure_test_database


def test_a_missing_database_is_created_once(app):
    base = make_url(app.config["MIGRATION_DATABASE_URL"])
    name = f"scratch_{uuid.uuid4().hex[:12]}"
    url = base.set(database=name).render_as_string(hide_password=False)
    admin = create_engine(base.set(database="postgres"), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        assert ensure_test_database(url) is True
        assert ensure_test_database(url) is False  # there now: nothing to do
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def test_an_unreachable_server_says_how_to_start_it():
    with pytest.raises(DatabaseMissing, match="pg_ctlcluster"):
        ensure_test_database("postgresql://postgres@127.0.0.1:1/test")
