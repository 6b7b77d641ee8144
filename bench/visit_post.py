"""Benchmark: POST /api/v1/visits through gunicorn, next to its HTTP floor and a bare psycopg INSERT.

    .venv/bin/python bench/visit_post.py [--visits 400] [--clients 8] [--workers 4] [--seconds 60]
                                         [--observations 0,3,10,50] [--ratings 10]

Creates (drops first) the PostgreSQL database `bench_visits` on BENCH_POSTGRES_URL
(default postgresql://postgres@127.0.0.1:5432/postgres), migrates it with `flask db upgrade`,
makes a district, a school, a lead, the lead's API token and a rubric, then starts two gunicorns on
127.0.0.1 (loopback only) with the same command and workers: the app, and the floor
(`bench/floor_app.py`: a bare Flask endpoint inserting the same rows with the same driver and pool,
in one transaction). For each number of observations (each with `--ratings` ratings) the same visits
are POSTed to both from a few concurrent clients, the app and the floor in turn; app / floor is
the ratio of their p50 (goal: 2x or less with 3 observations, and a cost per observation that stays
flat as observations grow). Last, visits without observations are inserted with one bare INSERT each
(autocommit) by as many psycopg connections, as before.
"""
import argparse
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.processes import free_port, wait_for_port  # noqa: E402

BIN = Path(sys.executable).parent
DATABASE = "bench_visits"
MAX_VISITS = 5000
INSERT = """
    INSERT INTO visits (district_id, client_uuid, school_id, lead_id, visited_on, minutes, kind, purpose,
                        shared_notes, internal_notes, follow_up_done)
    VALUES (%(district_id)s, %(client_uuid)s, %(school_id)s, %(lead_id)s, %(visited_on)s, %(minutes)s, %(kind)s,
            %(purpose)s, %(shared_notes)s, %(internal_notes)s, false)
"""


def main() -> None:
    options = parse_options()
    server_url = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    database_url = server_url.rsplit("/", 1)[0] + f"/{options.database}"
    recreate_database(server_url, options.database)
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(32),
           "DATABASE_URL": database_url, "BASE_URL": "http://127.0.0.1", "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    subprocess.run([BIN / "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    seed = json.loads(subprocess.run([sys.executable, __file__, "--seed"], cwd=ROOT, env=env, check=True,
                                     capture_output=True, text=True).stdout)
    servers = {name: start_gunicorn(module, options.workers, env) for name, module in
               (("app", "wsgi:app"), ("floor", "bench.floor_app:app"))}
    try:
        for _server, port in servers.values():
            wait_for_port(port)
        by_observations = {}
        for count in options.observation_counts:
            app_port, floor_port = servers["app"][1], servers["floor"][1]
            api = run(options, lambda body: post_visit(app_port, seed["token"], body), seed, count)
            floor = run(options, lambda body: post_visit(floor_port, None, {**body, "lead_id": seed["lead_id"]},
                                                         "/floor/visits"), seed, count)
            by_observations[count] = (api, floor)
    finally:
        for server, _port in servers.values():
            server.terminate()
            server.wait(timeout=30)
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("DELETE FROM visits")
    inserts = BareInserts(database_url, seed["lead_id"])
    try:
        bare = run(options, inserts, seed, 0)
    finally:
        inserts.close()
    report(options, by_observations, bare)


def start_gunicorn(module: str, workers: int, env: dict) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [BIN / "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}", module],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return server, port


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visits", type=int, default=400, help=f"visits to store each way (at most {MAX_VISITS})")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients / connections")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--seconds", type=float, default=60, help="stop each run after this long")
    parser.add_argument("--observations", default="0,3,10,50", help="observations per visit, one run each")
    parser.add_argument("--ratings", type=int, default=10, help="ratings per observation (at most the look-fors)")
    parser.add_argument("--database", default=DATABASE, help="the database to (re)create: one per concurrent run")
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.seed:
        seed_and_print()
        sys.exit(0)
    options.visits = max(1, min(options.visits, MAX_VISITS))
    options.observation_counts = [int(count) for count in options.observations.split(",")]
    return options


def recreate_database(server_url: str, name: str = DATABASE) -> None:
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")


def seed_and_print() -> None:
    """In a child process (the app reads DATABASE_URL at import): a district, a school, a lead, a token."""
    from app import create_app
    from app.accounts.tokens import issue_token
    from app.extensions import db
    from tenants.roles import Role
    from tenants.scope import entered, system_scope
    from tests import factories
    from tests.factories import default_rubric

    app = create_app()
    with app.app_context(), entered(system_scope("benchmark data")):
        district = factories.DistrictFactory(name="Benchmark District", slug="benchmark")
        school = factories.SchoolFactory(district=district, name="Benchmark Elementary")
        lead = factories.person(Role.ASSISTANCE_LEAD, district=district, name="Bench Lead")
        rubric = default_rubric()
        token = issue_token(lead, "benchmark")  # the caller commits
        db.session.commit()
        print(json.dumps({"district_id": district.id, "school_id": school.id, "lead_id": lead.id,
                          "email": lead.email, "token": token, "rubric_id": rubric.id,
                          "look_for_ids": [look_for.id for look_for in rubric.look_fors]}))


def visit_body(seed: dict, number: int, observations: int = 0, ratings: int = 10) -> dict:
    body = {
        "district_id": seed["district_id"], "client_uuid": str(uuid.uuid4()), "school_id": seed["school_id"],
        "visited_on": "2026-10-20", "minutes": 60, "kind": "formal", "purpose": f"Benchmark visit {number}",
        "shared_notes": "Strong start on the math block.", "internal_notes": "Principal is leaving in June.",
    }
    if observations:
        body["observations"] = [
            {"rubric_id": seed["rubric_id"], "grade": "4", "subject": "Mathematics", "minutes": 20,
             "ratings": [{"look_for_id": look_for_id, "rating": 3, "evidence": "Students explained their reasoning."}
                         for look_for_id in seed["look_for_ids"][:ratings]]}
            for _ in range(observations)
        ]
    return body


def post_visit(port: int, token: str | None, body: dict, path: str = "/api/v1/visits") -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    try:
        connection.request("POST", path, json.dumps(body), headers)
        response = connection.getresponse()
        answer = response.read()
        if response.status != 201:
            raise RuntimeError(f"POST {path} answered {response.status}: {answer[:300]!r}")
    finally:
        connection.close()


class BareInserts:
    """One INSERT per visit, autocommitted, on a psycopg connection per client thread."""

    def __init__(self, database_url: str, lead_id: int):
        self.database_url, self.lead_id = database_url, lead_id
        self.local = threading.local()
        self.connections = []

    def __call__(self, body: dict) -> None:
        body = {name: value for name, value in body.items() if name != "observations"}
        if not hasattr(self.local, "connection"):
            self.local.connection = psycopg.connect(self.database_url, autocommit=True)
            self.connections.append(self.local.connection)
        self.local.connection.execute(INSERT, {**body, "lead_id": self.lead_id})

    def close(self) -> None:
        for connection in self.connections:
            connection.close()


def run(options, store, seed: dict, observations: int) -> dict:
    """Store `options.visits` visits from `options.clients` threads; the latency of each and the wall time."""
    bodies = [visit_body(seed, n, observations, options.ratings) for n in range(options.visits)]
    # Warm-up, untimed: each worker's first requests import modules and compile the statements.
    with ThreadPoolExecutor(max_workers=options.clients) as pool:
        list(pool.map(store, [visit_body(seed, -1, observations, options.ratings) for _ in range(4 * options.workers)]))
    deadline = time.monotonic() + options.seconds

    def timed(body: dict) -> float | None:
        if time.monotonic() > deadline:
            return None
        started = time.perf_counter()
        store(body)
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=options.clients) as pool:
        latencies = [t for t in pool.map(timed, bodies) if t is not None]
    return {"latencies": latencies, "seconds": time.perf_counter() - started}


def summary(result: dict) -> dict:
    latencies = sorted(result["latencies"])
    return {
        "rows": len(latencies),
        "per_second": len(latencies) / result["seconds"],
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[max(0, round(0.95 * len(latencies)) - 1)] * 1000,
    }


def report(options, by_observations: dict, bare: dict) -> None:
    print(f"{options.visits} visits per run, {options.clients} concurrent clients, gunicorn with {options.workers} "
          f"workers; load average {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    print(f"{'observations':>12} {'ratings':>8}{'app/s':>8}{'floor/s':>9}{'app p50':>9}{'floor p50':>10}"
          f"{'app p95':>9}{'app/floor':>10}")
    for count, (api, floor) in by_observations.items():
        api, floor = summary(api), summary(floor)
        print(f"{count:>12} {count * options.ratings:>8}{api['per_second']:>8.0f}{floor['per_second']:>9.0f}"
              f"{api['p50_ms']:>9.1f}{floor['p50_ms']:>10.1f}{api['p95_ms']:>9.1f}"
              f"{api['p50_ms'] / floor['p50_ms']:>9.2f}x")
    api, _floor = (summary(result) for result in by_observations[min(by_observations)])
    bare = summary(bare)
    print(f"bare INSERT (psycopg, autocommit), no observations: {bare['per_second']:.0f}/s, p50 {bare['p50_ms']:.2f} ms; "
          f"the API with {min(by_observations)} observations: p50 {api['p50_ms'] / bare['p50_ms']:.1f}x that")


if __name__ == "__main__":
    main()
