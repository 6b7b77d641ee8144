"""`flask demo load --scale state`: the whole state, for the regional dashboard and its benchmark.

Every district (520) and school (1,837) of the real directory, in six regions by zip code;
about 120 assistance leads, a director per region and an admin; three school years of
generated field work (about 60,000 visits, 150,000 observations with their look-for
ratings); for each district needing assistance an active improvement plan (priorities,
strategies, actions with owners, dates, budgets and status, progress updates, milestones,
risks, providers) and equity goals with yearly measurements. Seeded: the same day gives
the same data. Rows go in with COPY on PostgreSQL (executemany elsewhere), with ids given,
so that it takes a minute or two, not an hour.
"""
import csv
import random
import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path

import click
from sqlalchemy import func, insert, select, text

from app.accounts.models import RoleGrant, User
from app.auth.passwords import hash_password
from app.clock import state_today
from app.directory import read_districts, read_schools
from app.districts.models import School
from app.extensions import db
from app.fieldwork.models import Observation, Rating, Rubric, SupportAssignment, SupportType, Visit, VisitSupport
from app.plans.demo import DEMO_GOALS
from app.plans.models import (
    Action,
    ActionStatus,
    EquityGoal,
    ImprovementPlan,
    Measurement,
    Milestone,
    Priority,
    ProgressUpdate,
    Provider,
    Risk,
    Strategy,
)
from app.regional.services import school_year_start
from app.statistics import refresh_statistics
from app.text import slugify
from tenants.models import AccountabilityStatus as S
from tenants.models import District, Lifecycle, Region
from tenants.roles import Role
from tenants.scope import entered
from tenants.scopes import system_task_scope

SEED = 2026
LEADS = 120
VISITS = 60_000
SCHOOL_YEARS = 3
# First three digits of a zip code -> region (the state's own regions follow county lines).
REGIONS_BY_ZIP = (
    (("010", "011", "012", "013"), "Western Massachusetts"),
    (("014", "015", "016", "017"), "Central Massachusetts"),
    (("018", "019"), "Northeast Massachusetts"),
    (("020", "021", "022"), "Greater Boston"),
    (("023", "024", "027"), "Southeast Massachusetts"),
    (("025", "026"), "Cape Cod and the Islands"),
)
# 233 of 1,837 schools required focused/targeted support in 2018 (MA_ACCOUNTABILITY.md).
SCHOOL_NEEDS_ASSISTANCE = 233 / 1837
PURPOSES = ("Principal coaching", "Instructional leadership team meeting", "Classroom walkthrough",
            "Data inquiry cycle", "Planning meeting with the superintendent", "Curriculum implementation check-in")
SUBJECTS = ("Mathematics", "ELA", "Science", "History and social science")
GRADES = ("K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")
STATE_UUIDS = uuid.UUID("0b7c4a9e-5d1f-4c36-8f0e-7a2d9c3b1e55")
PASSWORD = "demo-password-2026"


def load_state(directory: Path, today: date | None = None, share: float = 1.0) -> dict[str, int]:
    """Build the state-sized data set in an empty database; refuse if districts exist already.

    `share` below 1 keeps that share of the districts (every tenth for 0.1), the rest alike: what
    bench/pages.py compares statement counts with."""
    today = today or state_today()
    chance = random.Random(SEED)
    with entered(system_task_scope("state-scale demo data")):
        if db.session.scalar(select(func.count()).select_from(District)):
            raise click.ClickException("`demo load --scale state` needs a database without districts.")
        regions = _regions()
        districts, schools = _districts_and_schools(directory, regions, chance, share)
        leads = _people(regions, districts, chance)
        counts = _field_work(districts, schools, leads, today, chance)
        counts |= _plans(districts, leads, today, chance)
        db.session.commit()
        _advance_identities()
        refresh_statistics("regions", "districts", "schools", "users", "role_grants", *COLUMNS)
    return {"regions": len(regions), "districts": len(districts), "schools": len(schools), "leads": len(leads),
            **counts}


def _regions() -> dict[str, int]:
    rows = [{"name": name} for _zips, name in REGIONS_BY_ZIP]
    db.session.execute(insert(Region), rows)
    return {name: id_ for id_, name in db.session.execute(select(Region.id, Region.name))}


def _zips(directory: Path) -> dict[int, str]:
    with open(directory / "districts.csv", newline="", encoding="utf-8") as file:
        return {int(row["source_id"]): row["zip"].strip().zfill(5) for row in csv.DictReader(file)}


def _region_of(zip_code: str) -> str:
    return next((name for zips, name in REGIONS_BY_ZIP if zip_code[:3] in zips), "Central Massachusetts")


def _districts_and_schools(directory: Path, regions: dict[str, int], chance: random.Random, share: float = 1.0):
    """Every district and school; a school needs assistance at the state's 2018 rate, its district then too."""
    zips = _zips(directory)
    by_district: dict[int, list] = {}
    for school in read_schools(directory):
        by_district.setdefault(school.district_directory_id, []).append(school)
    districts, schools, slugs = [], [], set()
    kept = [source for position, source in enumerate(read_districts(directory)) if int(position * share) !=
            int((position + 1) * share) or share >= 1]
    for number, source in enumerate(kept, start=1):
        own = by_district.get(source.directory_id, [])
        categories = [
            (S.BROAD_COMPREHENSIVE if chance.random() < 0.1 else S.FOCUSED_TARGETED)
            if chance.random() < SCHOOL_NEEDS_ASSISTANCE else
            chance.choice((S.MEETING_TARGETS, S.PARTIALLY_MEETING_TARGETS, S.SCHOOL_OF_RECOGNITION))
            for _ in own
        ]
        if S.BROAD_COMPREHENSIVE in categories:
            status = S.BROAD_COMPREHENSIVE
        elif S.FOCUSED_TARGETED in categories:
            status = S.FOCUSED_TARGETED
        else:
            status = chance.choice((S.MEETING_TARGETS, S.PARTIALLY_MEETING_TARGETS))
        slug = slugify(source.name)
        slug = slug if slug not in slugs else f"{slug}-{source.directory_id}"
        slugs.add(slug)
        districts.append({
            "id": number, "directory_id": source.directory_id, "name": source.name, "slug": slug,
            "kind": source.kind, "city": source.city, "region_id": regions[_region_of(zips[source.directory_id])],
            # 124 districts have no pupil count in the directory: a plausible one, seeded.
            "enrollment": source.pupils or chance.randint(150, 1500 * max(1, len(own))),
            "accountability_status": status, "lifecycle": Lifecycle.ACTIVE, "school_count": len(own),
        })
        for school, category in zip(own, categories):
            schools.append({
                "id": len(schools) + 1, "district_id": number, "directory_id": school.directory_id,
                "name": school.name, "code": school.code, "city": school.city, "grade_span": school.grade_span,
                "enrollment": chance.randint(180, 1400), "accountability_category": category,
            })
    db.session.execute(insert(District), districts)
    db.session.execute(insert(School), schools)
    return districts, schools


def _people(regions: dict[str, int], districts: list[dict], chance: random.Random) -> list[dict]:
    """An admin, a director per region, and leads for the districts needing assistance (and a few others)."""
    password_hash = hash_password(PASSWORD)
    users = [{"id": 1, "email": "admin@state.example.org", "name": "State Admin", "password_hash": password_hash}]
    grants = [{"user_id": 1, "role": Role.PLATFORM_ADMIN}]
    for number, (name, region_id) in enumerate(sorted(regions.items()), start=2):
        users.append({"id": number, "email": f"director{number - 1}@state.example.org",
                      "name": f"Director of {name}", "password_hash": password_hash})
        grants.append({"user_id": number, "role": Role.REGIONAL_DIRECTOR, "region_id": region_id})
    leads = [{"id": len(users) + n + 1, "email": f"lead{n + 1:03d}@state.example.org",
              "name": f"Lead {n + 1:03d}", "password_hash": password_hash} for n in range(LEADS)]
    users += leads
    needing = [d for d in districts if S(d["accountability_status"]).requires_assistance]
    others = chance.sample([d for d in districts if d not in needing], k=len(districts) // 5)
    # Leads work within a region: the leads are shared out to regions by their districts' count.
    served = sorted(needing + others, key=lambda d: (d["region_id"], d["id"]))
    for position, district in enumerate(served):
        lead = leads[position * LEADS // len(served)]
        grants.append({"user_id": lead["id"], "role": Role.ASSISTANCE_LEAD, "district_id": district["id"]})
        if district in needing and chance.random() < 0.3:
            second = leads[min(LEADS - 1, position * LEADS // len(served) + 1)]
            if second is not lead:
                grants.append({"user_id": second["id"], "role": Role.ASSISTANCE_LEAD, "district_id": district["id"]})
    db.session.execute(insert(User), users)
    db.session.execute(insert(RoleGrant), [{"region_id": None, "district_id": None, **g} for g in grants])
    return [{**lead, "districts": [g["district_id"] for g in grants if g["user_id"] == lead["id"]]} for lead in leads]


def _field_work(districts, schools, leads, today: date, chance: random.Random) -> dict[str, int]:
    """Three school years of supports, visits (some schools often, some never), observations, ratings."""
    rubric = db.session.scalars(select(Rubric).where(Rubric.active).order_by(Rubric.id)).first()
    instrument = (rubric.id, [look_for.id for look_for in rubric.look_fors])
    support_types = list(db.session.scalars(select(SupportType.id).order_by(SupportType.id)))
    schools_of: dict[int, list[dict]] = {}
    for school in schools:
        schools_of.setdefault(school["district_id"], []).append(school)
    pairs = [(lead, district_id) for lead in leads for district_id in lead["districts"]]
    # A third of each district's schools are never visited: the gaps a director must see.
    visited = {d["id"]: _visited_schools(schools_of.get(d["id"], []), chance) for d in districts}
    first_year = school_year_start(today).year - SCHOOL_YEARS + 1
    per_pair_year = VISITS / (len(pairs) * (SCHOOL_YEARS - 1 + _year_share(today)))
    tables = {name: [] for name in ("support_assignments", "visits", "visit_supports", "observations", "ratings")}
    for year in range(first_year, first_year + SCHOOL_YEARS):
        opens, closes = date(year, 9, 1), date(year + 1, 6, 20)
        for lead, district_id in pairs:
            assignments = _assignments(tables, lead, district_id, visited[district_id], support_types, opens,
                                       closes, chance)
            last_day = min(closes, today)
            if last_day <= opens:
                continue
            count = round(per_pair_year * chance.uniform(0.3, 1.7) * (last_day - opens).days / (closes - opens).days)
            for _ in range(count):
                _visit(tables, lead, district_id, visited[district_id], assignments, instrument,
                       opens + timedelta(days=chance.randint(0, (last_day - opens).days)), today, chance)
    for table, rows in tables.items():
        _copy(table, rows)
    return {table: len(rows) for table, rows in tables.items()}


def _year_share(today: date) -> float:
    """How much of the current school year (September to June) has passed."""
    opens = date(school_year_start(today).year, 9, 1)
    return min(1.0, max(0.05, (today - opens).days / 292))


def _visited_schools(schools: list[dict], chance: random.Random) -> list[dict]:
    needing_first = sorted(schools, key=lambda s: (not S(s["accountability_category"]).requires_assistance,
                                                    chance.random()))
    return needing_first[: max(1, round(len(schools) * 2 / 3))] if schools else []


def _assignments(tables, lead, district_id, schools, support_types, opens, closes, chance) -> list[int]:
    ids = []
    for support_type_id in chance.sample(support_types, k=chance.randint(1, 3)):
        row_id = len(tables["support_assignments"]) + 1
        school = chance.choice(schools) if schools and chance.random() < 0.5 else None
        tables["support_assignments"].append((
            district_id, row_id, school["id"] if school else None, support_type_id, lead["id"], opens, closes,
            chance.choice((30, 40, 60, 80, 120)), "completed" if closes < state_today() else "active",
        ))
        ids.append(row_id)
    return ids


def _visit(tables, lead, district_id, schools, assignments, instrument, visited_on, today, chance) -> None:
    rubric_id, look_fors = instrument
    visit_id = len(tables["visits"]) + 1
    school = chance.choice(schools) if schools and chance.random() < 0.9 else None
    kind = chance.choice(("formal", "formal", "informal", "virtual"))
    follow_up = visited_on + timedelta(days=14) if chance.random() < 0.3 else None
    tables["visits"].append((
        district_id, visit_id, str(uuid.uuid5(STATE_UUIDS, str(visit_id))), school["id"] if school else None,
        lead["id"], visited_on, chance.choice((45, 60, 90, 120, 180)), kind, chance.choice(PURPOSES),
        "Walked classrooms together; agreed on next steps.", "Leadership capacity is thin.",
        follow_up, bool(follow_up and (follow_up < today - timedelta(days=30) or chance.random() < 0.5)),
    ))
    tables["visit_supports"].append((district_id, len(tables["visit_supports"]) + 1, visit_id,
                                     chance.choice(assignments)))
    if kind != "formal" or school is None:
        return
    for _ in range(chance.randint(4, 9)):
        observation_id = len(tables["observations"]) + 1
        tables["observations"].append((district_id, observation_id, visit_id, rubric_id, chance.choice(GRADES),
                                       chance.choice(SUBJECTS), chance.choice((15, 20, 30))))
        for look_for_id in chance.sample(look_fors, k=4):
            tables["ratings"].append((district_id, len(tables["ratings"]) + 1, observation_id, look_for_id,
                                      chance.randint(1, 4)))


# A plan's priorities and their strategies; each strategy gets a few actions named after it.
PRIORITIES = (
    ("Early literacy for every learner", ("High-quality instructional materials in K-3",
                                          "Coaching cycles for reading teachers")),
    ("Students in school every day", ("Family outreach and home visits", "An early-warning system for attendance")),
    ("Mathematics in the middle grades", ("Common unit assessments", "Intervention blocks in grades 6-8")),
    ("Inclusive classrooms for students with disabilities", ("Co-teaching in general education classrooms",
                                                              "Quality reviews of IEPs")),
)
ACTION_STEPS = ("Plan and schedule", "Train staff on", "Monitor", "Review the results of")
FUNDING_SOURCES = ("Title I", "Title II-A", "State grant", "District budget", None)
PROVIDERS = (("Commonwealth Literacy Partners", "provider"), ("Bay State Math Institute", "provider"),
             ("Family Engagement Collaborative", "partner"))
RISKS = ("Two family liaison positions unfilled", "Substitute shortage cancels coaching days",
         "Curriculum materials arrive late", "Union agreement needed for schedule change")
ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.ON_TRACK, ActionStatus.ON_TRACK, ActionStatus.AT_RISK,
                   ActionStatus.OFF_TRACK)
GOAL_BASELINE_YEAR, GOAL_TARGET_YEAR = 2024, 2028


def _plans(districts, leads, today: date, chance: random.Random) -> dict[str, int]:
    """An active plan and equity goals for each district needing assistance, owned by its leads."""
    owners: dict[int, list[int]] = {}
    for lead in leads:
        for district_id in lead["districts"]:
            owners.setdefault(district_id, []).append(lead["id"])
    tables = {name: [] for name in PLAN_TABLES}
    year_start = school_year_start(today)
    for district in districts:
        if S(district["accountability_status"]).requires_assistance and district["id"] in owners:
            _plan(tables, district, owners[district["id"]], year_start, today, chance)
    for table in PLAN_TABLES:
        _copy(table, tables[table])
    return {table: len(rows) for table, rows in tables.items()}


def _next_id(tables, table: str) -> int:
    return len(tables[table]) + 1


def _plan(tables, district: dict, owners: list[int], year_start: date, today: date, chance: random.Random) -> None:
    d = district["id"]
    plan_id = _next_id(tables, "improvement_plans")
    tables["improvement_plans"].append((
        d, plan_id, f"{district['name']} District Improvement Plan", year_start,
        year_start.replace(year=year_start.year + 3), "active",
    ))
    providers = []
    for name, kind in chance.sample(PROVIDERS, k=chance.randint(0, 2)):
        providers.append(_next_id(tables, "plan_providers"))
        tables["plan_providers"].append((d, providers[-1], name, kind, chance.randint(2, 30) * 1_000_000,
                                         year_start, year_start.replace(year=year_start.year + 1)))
    priorities, first_action = [], len(tables["plan_actions"])
    for position, (title, strategies) in enumerate(chance.sample(PRIORITIES, k=chance.randint(2, 3)), start=1):
        priorities.append(_next_id(tables, "plan_priorities"))
        tables["plan_priorities"].append((d, priorities[-1], plan_id, position, title))
        for strategy in strategies[:chance.randint(1, 2)]:
            strategy_id = _next_id(tables, "plan_strategies")
            tables["plan_strategies"].append((d, strategy_id, priorities[-1], strategy))
            for step in chance.sample(ACTION_STEPS, k=chance.randint(2, 3)):
                _action(tables, d, plan_id, strategy_id, f"{step} {strategy[0].lower()}{strategy[1:]}",
                        chance.choice(owners), providers, year_start, today, chance)
    actions = tables["plan_actions"][first_action:]
    for title in chance.sample(RISKS, k=chance.randint(0, 2)):
        action = chance.choice(actions)
        tables["plan_risks"].append((d, _next_id(tables, "plan_risks"), plan_id, action[1], title,
                                     chance.choice(("low", "medium", "high")), action[5],
                                     "Discussed with the district's leadership team.",
                                     chance.choice(("open", "open", "closed"))))
    for metric, group, comparison, baseline, target, direction, _points in DEMO_GOALS:
        _goal(tables, d, chance.choice(priorities), metric, group, comparison, float(baseline), float(target),
              direction, today, chance)


def _action(tables, d, plan_id, strategy_id, title, owner_id, providers, year_start, today, chance) -> None:
    """An action with its dates, budget and status, a few progress updates and milestones."""
    action_id = _next_id(tables, "plan_actions")
    starts_on = year_start + timedelta(days=chance.randint(0, max(0, (today - year_start).days)))
    due_on = starts_on + timedelta(days=chance.randint(30, 300))
    status = ActionStatus.DONE if due_on < today and chance.random() < 0.6 else chance.choice(ACTION_STATUSES)
    allocated = chance.randint(1, 40) * 500_000
    tables["plan_actions"].append((
        d, action_id, plan_id, strategy_id, title, owner_id, starts_on, due_on, status, allocated,
        round(allocated * chance.uniform(0.1, 1.2)), chance.choice(FUNDING_SOURCES),
        chance.choice(providers) if providers and chance.random() < 0.4 else None,
    ))
    for _ in range(chance.randint(0, 3) if starts_on < today else 0):
        reported_on = starts_on + timedelta(days=chance.randint(0, (today - starts_on).days))
        tables["plan_progress_updates"].append((
            d, _next_id(tables, "plan_progress_updates"), action_id, reported_on, status,
            "Progress reviewed with the school teams; next steps agreed.", owner_id,
            # Posted the afternoon of the day it reports on (stored as naive UTC, like `stored_now`).
            datetime.combine(reported_on, time(20, 0)),
        ))
    for number in range(1, chance.randint(1, 2) + 1):
        target_on = starts_on + timedelta(days=(due_on - starts_on).days * number // 2)
        met = target_on < today and chance.random() < 0.6
        tables["plan_milestones"].append((d, _next_id(tables, "plan_milestones"), action_id,
                                          f"Milestone {number}: {title.lower()}", target_on,
                                          target_on if met else None))


def _goal(tables, d, priority_id, metric, group, comparison, baseline, target, direction, today, chance) -> None:
    """An equity goal with a measurement per spring since its baseline, near its line (on or off track)."""
    goal_id = _next_id(tables, "equity_goals")
    tables["equity_goals"].append((d, goal_id, priority_id, metric, group, comparison, baseline,
                                   GOAL_BASELINE_YEAR, target, GOAL_TARGET_YEAR, direction))
    gap = abs(target - baseline) * chance.uniform(0.8, 1.6)
    for year in range(GOAL_BASELINE_YEAR + 1, min(today.year, GOAL_TARGET_YEAR) + 1):
        share_of_span = (year - GOAL_BASELINE_YEAR) / (GOAL_TARGET_YEAR - GOAL_BASELINE_YEAR)
        expected = baseline + (target - baseline) * share_of_span
        value = round(expected + chance.uniform(-0.6, 0.4) * abs(target - baseline) / 2, 2)
        compared = round(value + (gap if direction == "higher" else -gap), 2)
        tables["equity_measurements"].append((d, _next_id(tables, "equity_measurements"), goal_id, year, value,
                                              compared))


COLUMNS = {
    "support_assignments": (SupportAssignment, ("district_id, id, school_id, support_type_id, lead_id, starts_on, "
                                                "ends_on, planned_hours, status")),
    "visits": (Visit, ("district_id, id, client_uuid, school_id, lead_id, visited_on, minutes, kind, purpose, "
                       "shared_notes, internal_notes, follow_up_on, follow_up_done")),
    "visit_supports": (VisitSupport, "district_id, id, visit_id, support_assignment_id"),
    "observations": (Observation, "district_id, id, visit_id, rubric_id, grade, subject, minutes"),
    "ratings": (Rating, "district_id, id, observation_id, look_for_id, rating"),
    "improvement_plans": (ImprovementPlan, "district_id, id, title, starts_on, ends_on, status"),
    "plan_providers": (Provider, "district_id, id, name, kind, contract_cents, contract_starts_on, contract_ends_on"),
    "plan_priorities": (Priority, "district_id, id, plan_id, position, title"),
    "plan_strategies": (Strategy, "district_id, id, priority_id, title"),
    "plan_actions": (Action, ("district_id, id, plan_id, strategy_id, title, owner_id, starts_on, due_on, status, "
                              "allocated_cents, spent_cents, funding_source, provider_id")),
    "plan_progress_updates": (ProgressUpdate, "district_id, id, action_id, reported_on, status, narrative, author_id, posted_at"),
    "plan_milestones": (Milestone, "district_id, id, action_id, title, target_on, met_on"),
    "plan_risks": (Risk, "district_id, id, plan_id, action_id, title, severity, owner_id, mitigation, status"),
    "equity_goals": (EquityGoal, ("district_id, id, priority_id, metric, student_group, comparison_group, "
                                  "baseline_value, baseline_year, target_value, target_year, direction")),
    "equity_measurements": (Measurement, "district_id, id, goal_id, year, value, comparison_value"),
}
# In the order their foreign keys need.
PLAN_TABLES = tuple(table for table in COLUMNS if table.startswith(("improvement_", "plan_", "equity_")))


def _copy(table: str, rows: list[tuple]) -> None:
    """Write rows with COPY on PostgreSQL, or an executemany insert elsewhere."""
    model, columns = COLUMNS[table]
    names = [name.strip() for name in columns.split(",")]
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(model), [dict(zip(names, row)) for row in rows[start:start + 5000]])
        return
    cursor = connection.connection.driver_connection.cursor()
    with cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _advance_identities() -> None:
    """Ids were given, not drawn: move each identity past them so that new rows get fresh ones."""
    if db.session.connection().dialect.name != "postgresql":
        return
    for table in ("regions", "districts", "schools", "users", "role_grants", *COLUMNS):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT max(id) FROM {table}), 1))"
        ))
    db.session.commit()
