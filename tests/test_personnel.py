"""Personnel records, below the views: an evaluation is seen by its evaluator, the principal evaluated and the
district's superintendent, nobody else, whatever the query, behind both walls and behind row-level security
alone (tenants/personnel.py, migration 0018)."""
from contextlib import nullcontext

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import aliased

from app.audit.models import AuditEvent
from app.district_export.services import tenant_models
from app.evaluations.models import (
    EvaluationCycle,
    EvaluationEvidence,
    EvaluationGoal,
    EvaluationRating,
    EvaluationReport,
)
from app.extensions import db
from tenants.access import scope_for_user
from tenants.personnel import PersonnelWriteRefused, record_counts
from tenants.rls import refused_by_row_security
from tenants.scope import entered, system_scope
from tests.factories_evaluations import HOME_EVALUATION
from tests.orm_filter import orm_filter_off

WALLS = {"both walls": nullcontext, "row security alone": orm_filter_off}


def who(world) -> dict:
    return {**world.people(), **world.privacy_people}


def _as(person):
    return entered(scope_for_user(person))


def cycles_seen() -> set[int]:
    return set(db.session.scalars(select(EvaluationCycle.id)))


def secrets_seen() -> set[str]:
    """Every text of the cycles' parts a query can reach: ratings, goals, evidence, each by a different road."""
    rationale = db.session.scalars(select(EvaluationRating.rationale))
    goals = db.session.scalars(select(EvaluationGoal.title).join(
        EvaluationCycle, (EvaluationCycle.district_id == EvaluationGoal.district_id)
        & (EvaluationCycle.id == EvaluationGoal.cycle_id)))
    other = aliased(EvaluationEvidence)
    evidence = db.session.scalars(select(other.title))
    return {*rationale, *goals, *evidence}


@pytest.mark.parametrize("wall", WALLS)
def test_only_the_circle_reads_a_cycle_and_its_parts(world, wall):
    home_cycle = world.feature_ids["own"]["cycle"]
    people = who(world)
    with WALLS[wall]():
        for name, person in people.items():
            db.session.expire_all()
            with _as(person):
                seen = cycles_seen()
                secrets = secrets_seen()
                count = db.session.scalar(select(func.count()).select_from(EvaluationCycle))
            in_circle = name in ("school_supervisor", "principal", "superintendent")
            assert seen == ({home_cycle} if in_circle else set()), name
            assert count == len(seen), name
            assert any(HOME_EVALUATION in secret for secret in secrets) is in_circle, name


def test_the_platform_itself_reads_every_cycle_and_an_admin_only_counts_them(world):
    with entered(system_scope("test")):
        assert len(cycles_seen()) == 2
    with _as(world.admin):
        assert cycles_seen() == set()
        assert record_counts() == {world.home.id: 1, world.foreign.id: 1}


def test_a_cycle_in_the_identity_map_is_not_handed_to_someone_outside_the_circle(world):
    cycle_id = world.feature_ids["own"]["cycle"]
    with entered(system_scope("test")):
        cycle = db.session.get(EvaluationCycle, (world.home.id, cycle_id))
        goal = db.session.scalars(select(EvaluationGoal).where(EvaluationGoal.cycle_id == cycle_id)).first()
    with _as(world.privacy_people["other_supervisor"]):
        assert db.session.get(EvaluationCycle, (world.home.id, cycle_id)) is None
        assert db.session.get(EvaluationGoal, (world.home.id, goal.id)) is None
    with _as(world.supervisor):
        assert db.session.get(EvaluationCycle, (world.home.id, cycle_id)) is cycle


@pytest.mark.parametrize("wall", WALLS)
def test_a_bulk_change_from_outside_the_circle_changes_nothing(world, wall):
    with WALLS[wall](), _as(world.leader):
        changed = db.session.execute(update(EvaluationRating).values(rationale="Overwritten"),
                                     execution_options={"synchronize_session": False}).rowcount
        removed = db.session.execute(delete(EvaluationGoal), execution_options={"synchronize_session": False}).rowcount
    assert (changed, removed) == (0, 0)
    with entered(system_scope("test")):
        assert "Overwritten" not in set(db.session.scalars(select(EvaluationRating.rationale)))


def test_nobody_opens_a_cycle_they_would_not_see(world):
    """A district leader who is not the superintendent cannot make a cycle evaluated by someone else."""
    principal = world.privacy_people["principal"]
    with _as(world.leader), pytest.raises(PersonnelWriteRefused):
        db.session.add(EvaluationCycle(district_id=world.home.id, principal_id=principal.id,
                                       evaluator_id=world.supervisor.id, school_id=world.home_school.id,
                                       school_year=2001))
        db.session.flush()
    db.session.rollback()


def test_row_security_alone_refuses_a_cycle_outside_the_writers_circle(world):
    principal = world.privacy_people["principal"]
    with orm_filter_off(), _as(world.leader), pytest.raises(ProgrammingError) as refused:
        with db.session.begin_nested():
            db.session.add(EvaluationCycle(district_id=world.home.id, principal_id=principal.id,
                                           evaluator_id=world.supervisor.id, school_id=world.home_school.id,
                                           school_year=2001))
    assert refused_by_row_security(refused.value)


def test_row_security_alone_refuses_a_part_added_to_a_cycle_outside_the_circle(world):
    cycle_id = world.feature_ids["own"]["cycle"]
    with orm_filter_off(), _as(world.privacy_people["other_supervisor"]), pytest.raises(ProgrammingError) as refused:
        with db.session.begin_nested():
            db.session.add(EvaluationGoal(district_id=world.home.id, cycle_id=cycle_id, kind="student_learning",
                                          title="Planted"))
    assert refused_by_row_security(refused.value)


@pytest.mark.parametrize("wall", WALLS)
def test_the_principal_a_district_viewer_writes_their_own_record_and_no_other_viewer_does(world, wall):
    """A principal reads the district only, yet signs their own evaluation: the circle writes it."""
    cycle_id = world.feature_ids["own"]["cycle"]
    with WALLS[wall]():
        with _as(world.privacy_people["principal"]), db.session.begin_nested():
            report = db.session.scalars(select(EvaluationReport).where(EvaluationReport.cycle_id == cycle_id)).one()
            report.response = "Received, with thanks"
        with _as(world.viewer), db.session.begin_nested():
            assert db.session.scalars(select(EvaluationReport)).all() == []
        with _as(world.viewer), pytest.raises(Exception) as refused, db.session.begin_nested():
            db.session.add(EvaluationGoal(district_id=world.home.id, cycle_id=cycle_id, kind="student_learning",
                                          title="Planted by a viewer"))
    # The ORM's guard refuses first; with it off, row-level security does.
    assert isinstance(refused.value, ProgrammingError if wall == "row security alone" else PersonnelWriteRefused)
    with entered(system_scope("test")):
        assert db.session.scalars(select(EvaluationReport.response)).all().count("Received, with thanks") == 1
        assert "Planted by a viewer" not in set(db.session.scalars(select(EvaluationGoal.title)))


def test_sql_that_names_the_tables_still_meets_the_policies(world):
    """Even a statement the ORM never sees (checked as filtered by scope on purpose) reads no evaluation."""
    with _as(world.leader):
        rows = db.session.scalars(text("SELECT rationale FROM evaluation_ratings"),
                                  execution_options={"scope_checked": True}).all()
    assert rows == []


def test_evaluations_stay_out_of_the_district_trail_and_export(world):
    with entered(system_scope("test")):
        kinds = set(db.session.scalars(select(AuditEvent.object_type)))
    assert not {kind for kind in kinds if kind.startswith("Evaluation") and kind != "EvaluationCalendar"}
    exported = {model.__tablename__ for model in tenant_models()}
    assert not {name for name in exported if name.startswith("evaluation_") and name != "evaluation_calendars"}
