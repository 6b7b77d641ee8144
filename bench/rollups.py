"""Benchmark: each section of the regional dashboard through the app, next to raw SQL answering
the same question, on the state-sized data set; then p50/p95 of the whole page.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_state .venv/bin/flask --app wsgi db upgrade
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_state .venv/bin/flask --app wsgi demo load --scale state
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_state .venv/bin/python bench/rollups.py [--runs 30]

"Through the app" is the service function inside `cross_district_reads` (the statement, built once
per shape, run through the ORM session: tenant filter, compiled cache, fetching rows); "app SQL" is
the very statement the app sent (tenant filter included) run with bare psycopg, which separates the
cost of the SQL from the cost of the Python around it; "raw SQL" is a hand-written PostgreSQL query
with the same rows, on its own connection. After a warm-up the three are run in turn `--runs` times
and the medians compared, so that load from other processes falls on all three alike. The rows of
app and raw are checked to be the same before anything is timed. The page is timed with Flask's
test client (in-process: no HTTP server), signed in as the admin, then as a director.
"""
import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, select

from app import create_app
from app.accounts.models import User
from app.demo_state import PASSWORD
from app.extensions import db
from app.regional import services
from app.regional.services import Criteria, school_year_start
from tenants.lookup import cross_district_reads
from tenants.scope import entered, system_scope

NEEDING = "('focused_targeted_support', 'broad_comprehensive_support')"

RAW = {
    "coverage-districts": f"""
        WITH last AS (
            SELECT district_id, school_id, max(visited_on) AS last_visit FROM visits
            WHERE district_id = ANY(%(ids)s) AND team = 'support_team' AND school_id IS NOT NULL
              AND visited_on <= %(end)s
            GROUP BY district_id, school_id),
        needing AS (
            SELECT s.district_id, count(*) AS needing,
                   count(*) FILTER (WHERE l.last_visit > %(end)s::date - 30) AS v30,
                   count(*) FILTER (WHERE l.last_visit > %(end)s::date - 60) AS v60,
                   count(*) FILTER (WHERE l.last_visit > %(end)s::date - 90) AS v90,
                   count(*) FILTER (WHERE l.last_visit IS NULL) AS never
            FROM schools s LEFT JOIN last l ON l.district_id = s.district_id AND l.school_id = s.id
            WHERE s.district_id = ANY(%(ids)s) AND s.accountability_category IN {NEEDING}
            GROUP BY s.district_id),
        activity AS (
            SELECT district_id, max(visited_on) AS last_visit,
                   count(*) FILTER (WHERE follow_up_on < %(end)s AND NOT follow_up_done) AS overdue
            FROM visits WHERE district_id = ANY(%(ids)s) AND team = 'support_team' AND visited_on <= %(end)s
            GROUP BY district_id)
        SELECT d.slug, n.needing, n.v30, n.v60, n.v90, 100.0 * n.v90 / n.needing AS share_90, n.never,
               a.last_visit, coalesce(a.overdue, 0), sum(n.needing) OVER (), sum(n.never) OVER ()
        FROM districts d JOIN regions r ON r.id = d.region_id JOIN needing n ON n.district_id = d.id
        LEFT JOIN activity a ON a.district_id = d.id
        WHERE d.id = ANY(%(ids)s)
        ORDER BY share_90 NULLS LAST, d.slug LIMIT 50""",
    "coverage-schools": f"""
        SELECT d.slug, s.id, last.last_visit, %(end)s - last.last_visit AS days_since, count(*) OVER ()
        FROM schools s JOIN districts d ON d.id = s.district_id
        LEFT JOIN (SELECT district_id, school_id, max(visited_on) AS last_visit FROM visits
                   WHERE district_id = ANY(%(ids)s) AND team = 'support_team' AND school_id IS NOT NULL
                     AND visited_on <= %(end)s
                   GROUP BY district_id, school_id) last
               ON last.district_id = s.district_id AND last.school_id = s.id
        WHERE s.district_id = ANY(%(ids)s) AND s.accountability_category IN {NEEDING}
        ORDER BY coalesce(%(end)s - last.last_visit, 1000000) DESC, s.id LIMIT 50""",
    "coverage-staff": f"""
        SELECT d.slug, s.id, coalesce(v.staff, 0) AS staff, v.last_staff, coalesce(v.support, 0) AS support,
               count(*) OVER ()
        FROM schools s JOIN districts d ON d.id = s.district_id
        LEFT JOIN (SELECT district_id, school_id,
                          count(*) FILTER (WHERE team = 'district' AND visited_on >= %(start)s) AS staff,
                          max(visited_on) FILTER (WHERE team = 'district') AS last_staff,
                          count(*) FILTER (WHERE team <> 'district' AND visited_on >= %(start)s) AS support
                   FROM visits
                   WHERE district_id = ANY(%(ids)s) AND school_id IS NOT NULL AND visited_on <= %(end)s
                   GROUP BY district_id, school_id) v
               ON v.district_id = s.district_id AND v.school_id = s.id
        WHERE s.district_id = ANY(%(ids)s) AND s.accountability_category IN {NEEDING}
        ORDER BY coalesce(v.staff, 0) + coalesce(v.support, 0), s.id LIMIT 50""",
    "capacity": """
        WITH grants AS (
            SELECT user_id AS lead_id, count(*) AS districts FROM role_grants
            WHERE role = 'assistance_lead' AND district_id = ANY(%(ids)s) GROUP BY user_id),
        planned AS (
            SELECT lead_id, count(DISTINCT school_id) AS schools,
                   sum(planned_hours * (least(coalesce(ends_on, %(end)s), %(end)s)
                                        - greatest(starts_on, %(start)s) + 1)::float
                       / (coalesce(ends_on, %(end)s) - starts_on + 1)) AS hours
            FROM support_assignments
            WHERE district_id = ANY(%(ids)s) AND status <> 'cancelled' AND starts_on <= %(end)s
              AND coalesce(ends_on, %(end)s) >= %(start)s
            GROUP BY lead_id),
        delivered AS (
            SELECT lead_id, sum(minutes) AS minutes, count(*) AS visits FROM visits
            WHERE district_id = ANY(%(ids)s) AND team = 'support_team' AND visited_on BETWEEN %(start)s AND %(end)s
            GROUP BY lead_id)
        SELECT u.id, g.districts, coalesce(p.schools, 0), round(coalesce(p.hours, 0)::numeric, 1),
               round(coalesce(dl.minutes, 0) / 60.0, 1), coalesce(dl.visits, 0),
               round((100 * coalesce(p.hours, 0) / %(capacity)s)::numeric) AS load,
               sum(round(coalesce(p.hours, 0)::numeric, 1)) OVER (), count(*) OVER ()
        FROM grants g JOIN users u ON u.id = g.lead_id
        LEFT JOIN planned p ON p.lead_id = u.id LEFT JOIN delivered dl ON dl.lead_id = u.id
        ORDER BY load DESC NULLS LAST, u.id LIMIT 50""",
    "deployment": f"""
        WITH rates AS (
            SELECT d.slug, coalesce(n.needing, 0) AS needing, coalesce(h.hours, 0) AS hours,
                   coalesce(h.hours, 0) / nullif(coalesce(n.needing, 0), 0) AS per_school
            FROM districts d
            LEFT JOIN (SELECT district_id, count(*) AS needing FROM schools
                       WHERE district_id = ANY(%(ids)s) AND accountability_category IN {NEEDING}
                       GROUP BY district_id) n ON n.district_id = d.id
            LEFT JOIN (SELECT district_id, sum(minutes) / 60.0 AS hours FROM visits
                       WHERE district_id = ANY(%(ids)s) AND team = 'support_team'
                         AND visited_on BETWEEN %(start)s AND %(end)s
                       GROUP BY district_id) h ON h.district_id = d.id
            WHERE d.id = ANY(%(ids)s)),
        median AS (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY per_school) AS value FROM rates)
        SELECT r.slug, r.needing, round(r.hours, 1), round(r.per_school, 1),
               round((r.per_school / nullif(m.value, 0))::numeric, 2) AS ratio, count(*) OVER ()
        FROM rates r CROSS JOIN median m
        ORDER BY ratio NULLS LAST, r.slug LIMIT 50""",
    "plans": """
        WITH plans AS (
            SELECT p.district_id, p.id, d.stale_after_days FROM improvement_plans p
            JOIN districts d ON d.id = p.district_id
            WHERE p.district_id = ANY(%(ids)s) AND p.status = 'active'),
        health AS (
            SELECT a.district_id, count(*) AS actions,
                   count(*) FILTER (WHERE a.status <> 'done' AND a.due_on < %(end)s) AS overdue,
                   count(*) FILTER (WHERE a.status <> 'done' AND a.starts_on <= %(end)s
                                    AND coalesce((SELECT max(u.reported_on) FROM plan_progress_updates u
                                                  WHERE u.district_id = a.district_id AND u.action_id = a.id),
                                                 a.starts_on) < %(end)s::date - p.stale_after_days) AS stale,
                   count(*) FILTER (WHERE a.spent_cents > a.allocated_cents) AS over_budget
            FROM plan_actions a JOIN plans p ON p.district_id = a.district_id AND p.id = a.plan_id
            WHERE a.district_id = ANY(%(ids)s)
            GROUP BY a.district_id),
        missed AS (
            SELECT m.district_id, count(*) AS missed FROM plan_milestones m
            JOIN plan_actions a ON a.district_id = m.district_id AND a.id = m.action_id
            JOIN plans p ON p.district_id = a.district_id AND p.id = a.plan_id
            WHERE m.met_on IS NULL AND m.target_on < %(end)s GROUP BY m.district_id),
        risks AS (
            SELECT r.district_id, count(*) AS risks FROM plan_risks r
            JOIN plans p ON p.district_id = r.district_id AND p.id = r.plan_id
            WHERE r.district_id = ANY(%(ids)s) AND r.status = 'open' AND r.severity = 'high'
            GROUP BY r.district_id),
        latest AS (
            SELECT DISTINCT ON (district_id, goal_id) district_id, goal_id, year, value FROM equity_measurements
            WHERE district_id = ANY(%(ids)s) ORDER BY district_id, goal_id, year DESC),
        goals AS (
            SELECT g.district_id,
                   count(*) FILTER (WHERE CASE WHEN g.direction = 'higher' THEN l.value * span >= line
                                               ELSE l.value * span <= line END) AS on_track,
                   count(*) FILTER (WHERE NOT CASE WHEN g.direction = 'higher' THEN l.value * span >= line
                                                   ELSE l.value * span <= line END) AS off_track
            FROM equity_goals g JOIN latest l ON l.district_id = g.district_id AND l.goal_id = g.id,
                 LATERAL (SELECT g.target_year - g.baseline_year AS span,
                                 g.baseline_value * (g.target_year - g.baseline_year)
                                 + (g.target_value - g.baseline_value) * (l.year - g.baseline_year) AS line) t
            WHERE g.district_id = ANY(%(ids)s)
            GROUP BY g.district_id)
        SELECT d.slug, coalesce(h.actions, 0), coalesce(h.overdue, 0) + coalesce(h.stale, 0)
               + coalesce(h.over_budget, 0) + coalesce(m.missed, 0) + coalesce(r.risks, 0) AS problems,
               coalesce(g.on_track, 0), coalesce(g.off_track, 0)
        FROM districts d LEFT JOIN health h ON h.district_id = d.id LEFT JOIN missed m ON m.district_id = d.id
        LEFT JOIN risks r ON r.district_id = d.id LEFT JOIN goals g ON g.district_id = d.id
        WHERE d.id = ANY(%(ids)s)
        ORDER BY problems DESC, d.slug LIMIT 50""",
}

SECTIONS = {
    "coverage-districts": (services.coverage_by_district, lambda r: (r.slug, r.needing, r.never_visited)),
    "coverage-schools": (services.coverage_by_school, lambda r: (r.slug, r.school_id, r.last_visit)),
    "coverage-staff": (services.staff_coverage_by_school,
                       lambda r: (r.slug, r.school_id, r.staff_visits, r.last_staff_visit, r.support_visits)),
    "capacity": (services.capacity_by_lead, lambda r: (r.lead_id, r.districts, float(r.planned_hours))),
    "deployment": (services.deployment_by_district, lambda r: (r.slug, r.needing, r.ratio)),
    "plans": (services.plan_progress_by_district,
              lambda r: (r.slug, r.actions, r.problems, r.on_track, r.off_track)),
}
RAW_KEYS = {
    "coverage-districts": lambda r: (r[0], r[1], r[6]),
    "coverage-schools": lambda r: (r[0], r[1], r[2]),
    "coverage-staff": lambda r: (r[0], r[1], r[2], r[3], r[4]),
    "capacity": lambda r: (r[0], r[1], float(r[3])),
    "deployment": lambda r: (r[0], r[1], r[4]),
    "plans": lambda r: tuple(r),
}


def medians(runs: dict, count: int) -> dict[str, float]:
    """Median milliseconds of each callable, run in turn so that the machine's load falls on all alike."""
    for run in runs.values():
        for _ in range(6):  # warm-up: pages in memory, and psycopg prepares a statement run 5 times
            run()
    timings = {name: [] for name in runs}
    for _ in range(count):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            timings[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in timings.items()}


def statement_of(section, criteria):
    """The SQL and parameters the app sends for a section (tenant filter included)."""
    sent = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        figures = section(criteria)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert len(sent) == 1, "a section is one statement"
    return figures, sent[0]


def page_timings(app, email: str, count: int) -> str:
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get("/rollups/")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    return f"p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pages", type=int, default=40)
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_state")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SIGN_IN_RATE_LIMIT", "1000 per minute")
    app = create_app("development")
    app.config["WTF_CSRF_ENABLED"] = False  # the benchmark signs in through the form without a token
    end = date.today()
    criteria = Criteria(start=school_year_start(end), end=end)
    with app.app_context():
        with entered(system_scope("benchmark")):
            admin = db.session.scalars(select(User).where(User.email == "admin@state.example.org")).one()
            director = db.session.scalars(select(User).where(User.email == "director1@state.example.org")).one()
        raw = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
        print(f"Period {criteria.start} to {criteria.end}; median of {options.runs} runs each, taken in turn.")
        print("app: the service function; app SQL: the app's statement sent with bare psycopg; "
              "raw: hand-written SQL.\n")
        print(f"{'who':9} {'section':20} {'rows':>6} {'app ms':>8} {'app SQL':>8} {'raw ms':>8} {'ratio':>6}")
        districts = {}
        for who, user in (("admin", admin), ("director", director)):
            with cross_district_reads(user) as district_ids:
                params = {"ids": sorted(district_ids), "start": criteria.start, "end": criteria.end,
                          "capacity": criteria.lead_capacity_hours}
                for name, (section, key) in SECTIONS.items():
                    figures, (sql, sent) = statement_of(section, criteria)
                    raw_rows = raw.execute(RAW[name], params).fetchall()
                    assert [key(r) for r in figures.rows] == [RAW_KEYS[name](r) for r in raw_rows], name
                    found = medians({
                        "app": lambda section=section: section(criteria),
                        "app SQL": lambda sql=sql, sent=sent: raw.execute(sql, sent).fetchall(),
                        "raw": lambda sql=RAW[name]: raw.execute(sql, params).fetchall(),
                    }, options.runs)
                    print(f"{who:9} {name:20} {figures.total:>6} {found['app']:>8.2f} {found['app SQL']:>8.2f} "
                          f"{found['raw']:>8.2f} {found['app'] / found['raw']:>5.2f}x")
                db.session.rollback()
            districts[who] = len(district_ids)
    # Outside the app context above: each request then has its own, and its own session, as in production.
    print(f"\nWhole page /rollups/, {options.pages} requests each (Flask's test client, in-process):")
    for who, email in (("admin", "admin@state.example.org"), ("director1", "director1@state.example.org")):
        print(f"  as {who} ({districts[who.rstrip('1')]} districts): {page_timings(app, email, options.pages)}")


if __name__ == "__main__":
    main()
