"""SQL pieces that read the same on PostgreSQL and SQLite: whole days between two dates, the median of a column."""
from sqlalchemy import FromClause, Integer, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement):
    """Whole days from the first date to the second (negative when the second comes first)."""

    type = Integer()
    name = "days_between"
    inherit_cache = True


@compiles(days_between)
def _days_between_postgresql(element, compiler, **kw):
    start, end = list(element.clauses)
    return f"({compiler.process(end, **kw)} - {compiler.process(start, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    start, end = list(element.clauses)
    return f"CAST(julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)}) AS INTEGER)"


def median_of(rows: FromClause, column: str):
    """A one-row subquery: the median of `column` over `rows` (a subquery or CTE) as `value`, ignoring NULLs.

    Written with window functions (the middle one or two rows) rather than
    PostgreSQL's percentile_cont, so that the embedded SQLite database answers too.
    An aggregate subquery, joined once: a scalar subquery would be inlined and
    run again wherever the median is used.
    """
    value = rows.c[column]
    ranked = (
        select(value.label("value"),
               func.row_number().over(order_by=value).label("position"),
               func.count().over().label("counted"))
        .where(value.is_not(None))
        .subquery()
    )
    # Integer division: for 5 values rows 3 and 3, for 6 values rows 3 and 4.
    middle = or_(ranked.c.position == (ranked.c.counted + 1) // 2, ranked.c.position == (ranked.c.counted + 2) // 2)
    return select(func.avg(ranked.c.value).label("value")).where(middle).subquery("median")
