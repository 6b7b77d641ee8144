"""Every foreign key has an index (declared in app/indexes.py); bulk loads refresh the planner's statistics."""
from sqlalchemy import text

from app.extensions import db
from app.indexes import KEY_INDEXES, foreign_keys_without_index
from app.statistics import refresh_statistics
from tenants.scope import entered, system_scope


def test_every_foreign_key_leads_an_index():
    """A join from a parent to its children reads an index range, not each district's children."""
    assert foreign_keys_without_index(db.metadata) == []


def test_a_foreign_key_without_an_index_is_listed():
    observations = db.metadata.tables["observations"]
    index = next(index for index in KEY_INDEXES if index.table is observations)
    observations.indexes.discard(index)
    try:
        assert foreign_keys_without_index(db.metadata) == ["observations(district_id, visit_id)"]
    finally:
        observations.indexes.add(index)


def test_the_key_indexes_exist_in_the_database():
    names = set(db.session.scalars(text("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"),
                                   execution_options={"scope_checked": True}))
    assert {index.name for index in KEY_INDEXES} <= names


def test_the_app_role_refreshes_statistics_of_tables_it_does_not_own():
    """ANALYZE by the app's role (which owns nothing) would only warn; migration 0015's function analyzes."""
    def analyzed() -> int:
        return db.session.scalar(text("SELECT coalesce(analyze_count, 0) FROM pg_stat_user_tables "
                                      "WHERE relname = 'observations'"), execution_options={"scope_checked": True})

    with entered(system_scope("test")):
        assert db.session.scalar(text("SELECT current_user")) != db.session.scalar(
            text("SELECT tableowner FROM pg_tables WHERE tablename = 'observations'"))
        before = analyzed()
        refresh_statistics("observations", "visits")
        db.session.execute(text("SELECT pg_stat_clear_snapshot()"))
        assert analyzed() == before + 1
