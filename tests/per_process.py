"""Each test process of a parallel run (pytest-xdist's gw0, gw1, ...) works on its own PostgreSQL database,
Redis db and range of ports, so that two processes never migrate, truncate or flush each other's data.

Imported first by tests/conftest.py: it rewrites TEST_DATABASE_URL and TEST_REDIS_URL before config.py reads
them, and subprocesses the tests start inherit the rewritten ones. Without xdist nothing changes.
"""
import os

from sqlalchemy.engine import make_url

# "gw0", "gw1", ... in a process that pytest-xdist started; None in a plain `pytest` run.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
NUMBER = int(WORKER.removeprefix("gw")) if WORKER else None
# config.py's defaults.
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
# Ports below Linux's ephemeral range (32768-60999), a block per process: what one process picks and
# releases cannot be picked by another before it is bound again.
PORTS_FROM, PORTS_PER_PROCESS = 20000, 2000


def database_url(url: str, worker: str) -> str:
    """The same server, a database of the worker's own: `test` -> `test_gw1`."""
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


def redis_url(url: str, number: int) -> str:
    """The same server, the worker's own db: db 6 -> 6 for gw0, 7 for gw1 (modulo Redis's 16 dbs)."""
    base, _, db = url.rpartition("/")
    return f"{base}/{(int(db or 0) + number) % 16}"


def port_range() -> range | None:
    """The ports this process may take (tests/mailbox.py's free_port), or None for any free one."""
    if NUMBER is None:
        return None
    first = PORTS_FROM + NUMBER % 6 * PORTS_PER_PROCESS
    return range(first, first + PORTS_PER_PROCESS)


if WORKER and "TEST_PER_PROCESS_OF" not in os.environ:
    os.environ["TEST_PER_PROCESS_OF"] = WORKER
    os.environ["TEST_DATABASE_URL"] = database_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_DATABASE_URL), WORKER)
    os.environ["TEST_REDIS_URL"] = redis_url(os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL), NUMBER)
