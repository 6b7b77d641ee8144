"""Fresh planner statistics after a bulk load.

PostgreSQL plans the app's statements (generic plans over `district_id = ANY($1)`, prepared by psycopg
after five runs) from each table's statistics. Right after a bulk load those describe the empty or small
table (autovacuum analyzes it a minute or more later): on the state's data the dashboard then ran 10-37x
its raw SQL, 1.2-2.5x after ANALYZE. So every bulk load (the state demo data, the directory and district
imports) ends by analyzing what it filled, after its commit.
"""
import logging

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.extensions import db

log = logging.getLogger(__name__)


def refresh_statistics(*tables: str) -> None:
    """ANALYZE `tables` in a transaction of its own, after the load committed (PostgreSQL only: SQLite plans
    without them). Through migration 0015's function: the app's role owns no table, and ANALYZE by a
    non-owner skips the table with a warning. A failure is logged, never raised: the load is done."""
    if db.session.get_bind().dialect.name != "postgresql" or not tables:
        return
    try:
        # A platform function that reads no rows: nothing for the tenant filter to filter.
        db.session.execute(text("SELECT refresh_statistics(:tables)"), {"tables": list(tables)},
                           execution_options={"scope_checked": True})
        db.session.commit()
    except DBAPIError as error:
        db.session.rollback()
        log.warning("statistics of %s not refreshed: %s", ", ".join(tables), error)
