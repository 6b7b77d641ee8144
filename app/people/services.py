"""What the district's school people read of its field work: a principal's coaching log, a supervisor's cluster."""
from dataclasses import dataclass
from datetime import date

from flask_login import current_user
from sqlalchemy import select, tuple_
from sqlalchemy.orm import lazyload

from app.accounts.models import User
from app.districts.models import School, SchoolCluster, SchoolLeader
from app.districts.people import led_schools, supervisors_of
from app.evaluations.models import EvaluationCycle
from app.extensions import db
from app.fieldwork.models import Visit
from app.fieldwork.services import schools_with_last_visit
from tenants.access import may_read_coaching_log
from tenants.scope import current_scope


def may_read_coaching_log_of(district_id: int, user_id: int) -> bool:
    """Whether the current person may open this school leader's page (`tenants.access.may_read_coaching_log`);
    False for one who leads no school of the district."""
    leads = led_schools(district_id, user_id)
    supervisors = [person.id for person in supervisors_of(leads)]
    return bool(leads) and may_read_coaching_log(current_user, current_scope(), district_id, user_id, supervisors)


def readable_coaching_logs(school: School) -> frozenset[int]:
    """The leaders of `school` (user ids) whose page the current person may open, with no statement per leader:
    the supervisor counted is the school's own cluster's (a leader of several schools may be linked from only
    some of their pages)."""
    cluster = school.cluster
    supervisors = [cluster.supervisor_id] if cluster is not None and cluster.supervisor_id else []
    return frozenset(leader.user_id for leader in school.leaders if may_read_coaching_log(
        current_user, current_scope(), school.district_id, leader.user_id, supervisors))


def cycles_of_principal(district_id: int, principal_id: int) -> list[EvaluationCycle]:
    """This principal's evaluation cycles that the current person may read (the personnel filter decides: the
    principal, the evaluator, the superintendent), newest year first."""
    return list(db.session.scalars(select(EvaluationCycle).where(
        EvaluationCycle.district_id == district_id, EvaluationCycle.principal_id == principal_id)
        .order_by(EvaluationCycle.school_year.desc())))


def coaching_log(district_id: int, user_id: int) -> list[Visit]:
    """The visits that coached this principal, newest first."""
    return list(db.session.scalars(
        select(Visit).where(Visit.district_id == district_id, Visit.principal_id == user_id)
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
        .options(lazyload(Visit.observations), lazyload(Visit.supports), lazyload(Visit.observers))))


# --- a supervisor's cluster on the home page --------------------------------------------------------------

@dataclass
class ClusterSchool:
    school: School
    last_visit: date | None
    days_since: int | None
    leaders: list[SchoolLeader]


@dataclass
class SupervisedClusters:
    clusters: list[SchoolCluster]
    schools: list[ClusterSchool]
    follow_ups: list[Visit]


def supervised_clusters(user: User, today: date) -> SupervisedClusters | None:
    """The clusters this person supervises in their districts, their schools with the days since anyone's last
    visit, their open follow-ups (soonest first) and principals; None for one who supervises none.

    Four statements, whatever the number of schools, visits and leaders."""
    clusters = list(db.session.scalars(
        select(SchoolCluster).where(SchoolCluster.supervisor_id == user.id).order_by(SchoolCluster.name)))
    if not clusters:
        return None
    supervised = select(SchoolCluster.district_id, SchoolCluster.id).where(SchoolCluster.supervisor_id == user.id)
    in_clusters = tuple_(School.district_id, School.cluster_id).in_(supervised)
    rows = db.session.execute(schools_with_last_visit().where(in_clusters).order_by(School.name, School.id)).all()
    schools_supervised = select(School.district_id, School.id).where(in_clusters)
    leaders: dict[tuple[int, int], list[SchoolLeader]] = {}
    for leader in db.session.scalars(
            select(SchoolLeader).where(tuple_(SchoolLeader.district_id, SchoolLeader.school_id).in_(schools_supervised))
            .order_by(SchoolLeader.position.desc(), SchoolLeader.id)):
        leaders.setdefault((leader.district_id, leader.school_id), []).append(leader)
    follow_ups = list(db.session.scalars(
        select(Visit).where(tuple_(Visit.district_id, Visit.school_id).in_(schools_supervised),
                            Visit.follow_up_on.is_not(None), Visit.follow_up_done.is_(False))
        .order_by(Visit.follow_up_on, Visit.id)
        .options(lazyload(Visit.observations), lazyload(Visit.supports), lazyload(Visit.observers))))
    schools = [ClusterSchool(school, last_visit, (today - last_visit).days if last_visit else None,
                             leaders.get((school.district_id, school.id), []))
               for school, last_visit in rows]
    return SupervisedClusters(clusters, schools, follow_ups)
