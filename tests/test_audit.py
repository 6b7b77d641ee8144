"""The audit trail: every flushed change to tenant rows and grants, with who, before and after."""
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.audit.services import audit_trail
from app.districts.models import School
from app.extensions import db
from tenants.roles import Role
from tenants.scope import Scope, entered
from tests import factories


def test_a_school_s_life_is_recorded_with_who_and_what(client, auth, world):
    auth.sign_in(world.leader)
    url = f"/districts/homeville/schools/{world.home_school.id}/edit"
    client.post(url, data={"name": "Homeville Elementary", "code": world.home_school.code, "grade_span": "K-6",
                           "enrollment": "410", "accountability_category": "meeting_targets"})
    update = audit_trail(world.home_school)[-1]
    assert (update.action, update.user_id, update.district_id) == ("update", world.leader.id, world.home.id)
    assert update.changes == {"grade_span": ["K-5", "K-6"], "enrollment": [400, 410]}

    school = factories.SchoolFactory(district=world.home, name="Short-lived")
    db.session.delete(school)
    db.session.flush()
    assert [e.action for e in audit_trail(school)] == ["create", "delete"]
    assert audit_trail(school)[1].changes["name"] == ["Short-lived", None]


def test_grant_changes_are_recorded_without_secrets(world):
    factories.grant(world.viewer, Role.DISTRICT_VIEWER, district=world.foreign)
    grant = world.viewer.grants[-1]
    created = audit_trail(grant)[0]
    assert created.action == "create" and created.changes["district_id"] == [None, world.foreign.id]
    world.viewer.password_hash = "changed"
    db.session.flush()
    recorded = db.session.scalars(select(AuditEvent.changes)).all()
    assert not any("password_hash" in changes for changes in recorded)


def test_a_district_sees_only_its_own_history(world):
    world.foreign_school.enrollment = 999
    world.home_school.enrollment = 111
    db.session.flush()
    home_only = frozenset({world.home.id})
    with entered(Scope(user_id=None, readable=home_only, writable=home_only)):
        districts = set(db.session.scalars(select(AuditEvent.district_id)))
        assert districts == {world.home.id}
        assert audit_trail(world.foreign_school) == []


def test_an_unchanged_save_records_nothing(world):
    before = len(audit_trail(world.home_school))
    world.home_school.name = world.home_school.name
    db.session.flush()
    assert len(audit_trail(world.home_school)) == before
    assert db.session.get(School, (world.home.id, world.home_school.id)) is world.home_school


def test_internal_notes_are_never_in_the_trail(world):
    world.home_visit.internal_notes = "Principal may resign"
    db.session.flush()
    recorded = [e.changes for e in audit_trail(world.home_visit)]
    assert recorded and all("Principal may resign" not in str(c) and world.HOME_INTERNAL not in str(c) for c in recorded)
    assert recorded[-1]["internal_notes"] == ["(withheld: support team only)", "(withheld: support team only)"]
