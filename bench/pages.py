"""Benchmark: every GET route of the URL map, as each role, against the very SQL it sent, at state scale.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_perf .venv/bin/python bench/pages.py \
        [--runs 3] [--small-url postgresql://postgres@127.0.0.1:5432/bench_perf_tenth] [--worst 15] \
        [--roles lead,leader] [--routes '^plans\.'] [--csv pages.csv]

`--roles` and `--routes` (a regular expression of endpoints) shorten a run; `--csv` writes every measured
request. On the tenth the lead is the one whose number of districts is nearest the state lead's, so that a
page's statements are compared between people of the same shape.

The database is the one `flask demo load --scale state` filled; `--small-url` names one filled with
`flask demo load --scale state --share 0.1` (a tenth of the districts), where the same routes are asked
again only to count their statements. A district leader and a district viewer are added (in the lead's
busiest district) when the data has none.

For each role (a lead with the most districts, a leader, a viewer, a director, the admin) and each GET
route, the route's arguments are filled with real ids of that role's district (a visit with
observations, its school, an action, a goal, a status report, ...). Each request is made with Flask's test
client (in-process, no HTTP server), its statements captured; the captured statements are then sent bare
with psycopg (one connection, in a transaction rolled back after each run), in turn with the app, `--runs`
times after a warm-up, and the medians compared.

The ratio is app / (SQL + floor), where the floor is a signed-in request to an empty view added for the
benchmark (the session, the user's load and the scope: what every page pays before its first statement);
without it a page whose SQL takes 0.3 ms could never be within 1.5x. Exits 1 where a ratio exceeds
`--limit` (1.5) or a page sends more statements on the state data than on the tenth (a statement per row).
File renderings (PDF, ZIP) are timed but not held to the ratio: their cost is the rendering, not the SQL.
"""
import argparse
import csv
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_login import login_required
from sqlalchemy import event

from app import create_app
from app.demo_state import PASSWORD
from app.extensions import db

# Rendered files: timed, not held to the ratio.
RENDERINGS = ("plans.report_as_pdf", "district_export.download")
# Not pages: the static files and Flask-Admin's static route.
SKIPPED = ("static", "admin.static")
FLOOR = "/_bench/floor"


@dataclass
class Measure:
    role: str
    endpoint: str
    path: str
    status: int
    app_ms: float
    sql_ms: float
    statements: int

    def ratio(self, floor_ms: float) -> float:
        return self.app_ms / (self.sql_ms + floor_ms)


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--worst", type=int, default=15)
    parser.add_argument("--limit", type=float, default=1.5)
    parser.add_argument("--small-url", default=os.environ.get("SMALL_DATABASE_URL"))
    parser.add_argument("--only", "--routes", dest="only", help="a regular expression: only the endpoints it matches")
    parser.add_argument("--roles", help="comma-separated: only these of lead, leader, viewer, director, admin")
    parser.add_argument("--csv", help="write every measured row to this CSV file")
    options = parser.parse_args()
    options.roles = set(options.roles.split(",")) if options.roles else None
    return options


def people(raw, lead_districts: int | None = None) -> tuple[dict[str, str], int]:
    """(role -> email, the lead's number of districts): the lead with the most districts (or, given
    `lead_districts`, the one whose number is nearest it: the growth check compares people of the same shape),
    a leader and a viewer of that lead's busiest district (made when missing), a director, the admin."""
    lead, district_id, districts = raw.execute("""
        SELECT u.email, (SELECT v.district_id FROM visits v WHERE v.lead_id = u.id
                         GROUP BY v.district_id ORDER BY count(*) DESC, v.district_id LIMIT 1), count(*)
        FROM users u JOIN role_grants g ON g.user_id = u.id AND g.role = 'assistance_lead'
        GROUP BY u.id ORDER BY abs(count(*) - coalesce(%s, 100000)), count(*) DESC, u.id LIMIT 1""",
                                               (lead_districts,)).fetchone()
    found = {"lead": lead}
    for role, kind in (("leader", "district_leader"), ("viewer", "district_viewer")):
        email = f"bench-{role}@state.example.org"
        if raw.execute("SELECT 1 FROM users WHERE email = %s", (email,)).fetchone() is None:
            password_hash = raw.execute("SELECT password_hash FROM users WHERE email = %s", (lead,)).fetchone()[0]
            user_id = raw.execute(
                "INSERT INTO users (email, name, password_hash, active) VALUES (%s, %s, %s, true) RETURNING id",
                (email, f"Bench {role}", password_hash)).fetchone()[0]
            raw.execute("INSERT INTO role_grants (user_id, role, district_id) VALUES (%s, %s, %s)",
                        (user_id, kind, district_id))
        found[role] = email
    found["director"] = "director1@state.example.org"
    found["admin"] = "admin@state.example.org"
    return found, districts


def arguments(raw, email: str) -> dict:
    """Real ids for a route's arguments, in the district of this person's with the most visits."""
    district = raw.execute("""
        SELECT d.id, d.slug FROM districts d
        WHERE d.id IN (SELECT g.district_id FROM role_grants g JOIN users u ON u.id = g.user_id
                       WHERE u.email = %(email)s AND g.district_id IS NOT NULL)
           OR d.region_id IN (SELECT g.region_id FROM role_grants g JOIN users u ON u.id = g.user_id
                              WHERE u.email = %(email)s AND g.region_id IS NOT NULL)
           OR EXISTS (SELECT 1 FROM role_grants g JOIN users u ON u.id = g.user_id
                      WHERE u.email = %(email)s AND g.role = 'platform_admin')
        ORDER BY (SELECT count(*) FROM visits v WHERE v.district_id = d.id) DESC, d.id LIMIT 1""",
                           {"email": email}).fetchone()
    district_id = district[0]

    def first(sql: str):
        row = raw.execute(sql, {"d": district_id}).fetchone()
        return row[0] if row else None

    return {
        "slug": district[1],
        "visit_id": first("SELECT visit_id FROM observations WHERE district_id = %(d)s "
                          "GROUP BY visit_id ORDER BY count(*) DESC, visit_id LIMIT 1"),
        "observation_id": first("SELECT id FROM observations WHERE district_id = %(d)s ORDER BY id LIMIT 1"),
        "school_id": first("SELECT school_id FROM visits WHERE district_id = %(d)s AND school_id IS NOT NULL "
                           "GROUP BY school_id ORDER BY count(*) DESC, school_id LIMIT 1"),
        "action_id": first("SELECT id FROM plan_actions WHERE district_id = %(d)s ORDER BY id LIMIT 1"),
        "goal_id": first("SELECT id FROM equity_goals WHERE district_id = %(d)s ORDER BY id LIMIT 1"),
        "report_id": first("SELECT id FROM status_reports WHERE district_id = %(d)s ORDER BY id LIMIT 1"),
        "batch_id": first("SELECT id FROM import_batches ORDER BY id LIMIT 1"),
        "export_type": "csv",
    }


def routes(app, args: dict, only: str | None) -> list[tuple[str, str]]:
    """(endpoint, path) of every GET route whose arguments have a real value."""
    found = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint in SKIPPED or rule.rule == FLOOR:
                continue
            if only and not re.search(only, rule.endpoint):
                continue
            values = {name: args.get(name) for name in rule.arguments}
            if any(value is None for value in values.values()):
                continue
            from flask import url_for
            found.append((rule.endpoint, url_for(rule.endpoint, **values)))
    return found


class Capture:
    """The statements the app sends, with their parameters, while `on`."""

    def __init__(self):
        self.sent, self.on = [], False

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if self.on:
            self.sent.append((statement, parameters))


def sign_in(app, email: str):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, (email, response.status_code)
    return client


def measure(client, capture: Capture, bare, path: str, runs: int) -> tuple[int, list, float, float]:
    """(status, statements, app ms, bare SQL ms): medians of `runs`, app and SQL in turn after a warm-up."""
    client.get(path)  # warm-up
    capture.sent, capture.on = [], True
    response = client.get(path)
    capture.on = False
    sent = list(capture.sent)

    def run_sql():
        for statement, parameters in sent:
            cursor = bare.execute(statement, parameters or None)
            if cursor.description:
                cursor.fetchall()
        bare.rollback()

    app_times, sql_times = [], []
    run_sql()
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path)
        app_times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        run_sql()
        sql_times.append((time.perf_counter() - started) * 1000)
    return response.status_code, sent, statistics.median(app_times), statistics.median(sql_times)


def make_app(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SIGN_IN_RATE_LIMIT", "100000 per minute")
    app = create_app("development")
    app.config["WTF_CSRF_ENABLED"] = False  # the benchmark signs in through the form without a token
    app.config["SQLALCHEMY_RECORD_QUERIES"] = False

    @app.get(FLOOR)
    @login_required
    def floor():
        return "ok"

    return app


def run_all(url: str, runs: int, only: str | None, counting_only: bool = False, roles: set | None = None,
            lead_districts: int | None = None):
    app = make_app(url)
    raw = psycopg.connect(url, autocommit=True)
    bare = psycopg.connect(url)
    who, lead_districts = people(raw, lead_districts)
    who = {role: email for role, email in who.items() if roles is None or role in roles}
    capture = Capture()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", capture)
    measures, floors = [], []
    for role, email in who.items():
        args = arguments(raw, email)
        client = sign_in(app, email)
        if not counting_only:
            floors.append(measure(client, capture, bare, FLOOR, runs)[2])
        for endpoint, path in routes(app, args, only):
            status, sent, app_ms, sql_ms = (_count(client, capture, path) if counting_only
                                            else measure(client, capture, bare, path, runs))
            measures.append(Measure(role, endpoint, path, status, app_ms, sql_ms, len(sent)))
    raw.close()
    bare.close()
    return measures, (statistics.median(floors) if floors else 0.0), lead_districts


def _count(client, capture: Capture, path: str):
    client.get(path)
    capture.sent, capture.on = [], True
    response = client.get(path)
    capture.on = False
    return response.status_code, list(capture.sent), 0.0, 0.0


def write_csv(path: str, measures: list[Measure], floor_ms: float, load) -> None:
    """Every measured request, one row each, with the load average of the run's start."""
    with open(path, "w", newline="") as file:
        out = csv.writer(file)
        out.writerow(["role", "endpoint", "path", "status", "statements", "app_ms", "sql_ms", "floor_ms", "ratio",
                      "load_1min"])
        for m in measures:
            out.writerow([m.role, m.endpoint, m.path, m.status, m.statements, f"{m.app_ms:.2f}", f"{m.sql_ms:.2f}",
                          f"{floor_ms:.2f}", f"{m.ratio(floor_ms):.3f}", f"{load[0]:.2f}"])


def main() -> None:
    options = parse_options()
    url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_perf")
    url = url.replace("postgresql+psycopg://", "postgresql://")
    load = os.getloadavg()
    measures, floor_ms, lead_districts = run_all(url, options.runs, options.only, roles=options.roles)
    if options.csv:
        write_csv(options.csv, measures, floor_ms, load)
    failures = []
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {len(measures)} requests; median of "
          f"{options.runs} runs; floor (a signed-in empty view) {floor_ms:.2f} ms; ratio = app / (SQL + floor)\n")
    errors = [m for m in measures if m.status >= 500]
    for m in errors:
        failures.append(f"{m.role} {m.path} answered {m.status}")
    held = [m for m in measures if m.endpoint not in RENDERINGS]
    worst = sorted(measures, key=lambda m: m.ratio(floor_ms), reverse=True)[:options.worst]
    print(f"{'role':9} {'route':44} {'status':>6} {'stmts':>5} {'app ms':>8} {'SQL ms':>8} {'ratio':>6}")
    for m in worst:
        print(f"{m.role:9} {m.path[:44]:44} {m.status:>6} {m.statements:>5} {m.app_ms:>8.1f} {m.sql_ms:>8.1f} "
              f"{m.ratio(floor_ms):>5.2f}x")
    slowest = sorted(measures, key=lambda m: m.app_ms, reverse=True)[:5]
    print("\nslowest: " + "; ".join(f"{m.role} {m.endpoint} {m.app_ms:.0f} ms" for m in slowest))
    failures += [f"{m.role} {m.path}: {m.ratio(floor_ms):.2f}x its SQL" for m in held
                 if m.ratio(floor_ms) > options.limit]
    if options.small_url:
        small, _, small_lead_districts = run_all(options.small_url.replace("postgresql+psycopg://", "postgresql://"), 0,
                                                 options.only, counting_only=True, roles=options.roles,
                                                 lead_districts=lead_districts)
        print(f"\nthe lead has {lead_districts} districts on the state data, {small_lead_districts} on the tenth")
        counts = {(m.role, m.endpoint): m.statements for m in small}
        grown = [(m, counts[(m.role, m.endpoint)]) for m in measures
                 if (m.role, m.endpoint) in counts and m.statements > counts[(m.role, m.endpoint)]]
        print(f"\nstatements, state data against a tenth: {len(grown)} of {len(counts)} pages send more")
        for m, fewer in grown:
            print(f"  {m.role} {m.endpoint}: {fewer} -> {m.statements}")
            failures.append(f"{m.role} {m.endpoint} sends {m.statements} statements, {fewer} on a tenth")
    if failures:
        print(f"\n{len(failures)} over bound:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("\nevery page within bound")


if __name__ == "__main__":
    main()
