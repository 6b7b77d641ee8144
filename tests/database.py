"""The test database exists before the schema is reset: made if missing, or an exact message saying how."""
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.pool import NullPool


class DatabaseMissing(RuntimeError):
    """The test database could not be reached or made; the message says what to do."""


def ensure_test_database(url: str) -> bool:
    """Create the database of `url` (TEST_DATABASE_URL, the owner's) if it is missing; True when it was made.

    Asked through the server's `postgres` database as the same role, which then owns the new database. The
    server not answering at all, or a role that may not create databases, raises DatabaseMissing with the
    commands that fix it.
    """
    target = make_url(url)
    name = target.database
    if not target.drivername.startswith("postgresql") or not name:
        return False
    if target.drivername == "postgresql":  # as config.database_url reads it: psycopg 3
        target = target.set(drivername="postgresql+psycopg")
    engine = create_engine(target.set(database="postgres"), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                return False
            quoted = connection.dialect.identifier_preparer.quote(name)
            connection.execute(text(f"CREATE DATABASE {quoted}"))
            return True
    except ProgrammingError as error:  # no CREATEDB privilege
        raise DatabaseMissing(
            f"The test database {name!r} does not exist and {target.username!r} may not create it ({error.orig}). "
            f"Create it as a superuser: `sudo -u postgres createdb -O {target.username} {name}`, "
            "or point TEST_DATABASE_URL at an existing database whose public schema the tests may drop."
        ) from error
    except OperationalError as error:
        raise DatabaseMissing(
            f"PostgreSQL is not reachable at {target.render_as_string(hide_password=True)} ({error.orig}). "
            "Start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` "
            "or set TEST_DATABASE_URL."
        ) from error
    finally:
        engine.dispose()
