"""Benchmark: POST /api/v1/visits through gunicorn, next to a bare psycopg INSERT of the same rows.

    .venv/bin/python bench/visit_post.py [--visits 400] [--clients 8] [--workers 4] [--seconds 60]

Creates (drops first) the PostgreSQL database `bench_visits` on BENCH_POSTGRES_URL
(default postgresql://postgres@127.0.0.1:5432/postgres), migrates it with `flask db upgrade`,
makes a district, a school, a lead and the lead's API token, then starts gunicorn on
127.0.0.1 (loopback only) and times each POST from a few concurrent clients. The same
visits are then inserted with one bare INSERT each (autocommit) by as many psycopg
connections. Prints throughput and p50/p95 latency for both, and the ratios.
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
    database_url = server_url.rsplit("/", 1)[0] + f"/{DATABASE}"
    recreate_database(server_url)
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(32),
           "DATABASE_URL": database_url, "BASE_URL": "http://127.0.0.1", "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    subprocess.run([BIN / "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    seed = json.loads(subprocess.run([sys.executable, __file__, "--seed"], cwd=ROOT, env=env, check=True,
                                     capture_output=True, text=True).stdout)
    port = free_port()
    server = subprocess.Popen(
        [BIN / "gunicorn", "--workers", str(options.workers), "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        api = run(options, lambda body: post_visit(port, seed["token"], body), seed)
    finally:
        server.terminate()
        server.wait(timeout=30)
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("DELETE FROM visits")
    inserts = BareInserts(database_url, seed["lead_id"])
    try:
        bare = run(options, inserts, seed)
    finally:
        inserts.close()
    report(options, api, bare)


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visits", type=int, default=400, help=f"visits to store each way (at most {MAX_VISITS})")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients / connections")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--seconds", type=float, default=60, help="stop each run after this long")
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.seed:
        seed_and_print()
        sys.exit(0)
    options.visits = max(1, min(options.visits, MAX_VISITS))
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

    app = create_app()
    with app.app_context(), entered(system_scope("benchmark data")):
        district = factories.DistrictFactory(name="Benchmark District", slug="benchmark")
        school = factories.SchoolFactory(district=district, name="Benchmark Elementary")
        lead = factories.person(Role.ASSISTANCE_LEAD, district=district, name="Bench Lead")
        db.session.commit()
        print(json.dumps({"district_id": district.id, "school_id": school.id, "lead_id": lead.id,
                          "email": lead.email, "token": issue_token(lead, "benchmark")}))


def visit_body(seed: dict, number: int) -> dict:
    return {
        "district_id": seed["district_id"], "client_uuid": str(uuid.uuid4()), "school_id": seed["school_id"],
        "visited_on": "2026-10-20", "minutes": 60, "kind": "formal", "purpose": f"Benchmark visit {number}",
        "shared_notes": "Strong start on the math block.", "internal_notes": "Principal is leaving in June.",
    }


def post_visit(port: int, token: str, body: dict) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/api/v1/visits", json.dumps(body),
                           {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        if response.status != 201:
            raise RuntimeError(f"POST answered {response.status}")
    finally:
        connection.close()


class BareInserts:
    """One INSERT per visit, autocommitted, on a psycopg connection per client thread."""

    def __init__(self, database_url: str, lead_id: int):
        self.database_url, self.lead_id = database_url, lead_id
        self.local = threading.local()
        self.connections = []

    def __call__(self, body: dict) -> None:
        if not hasattr(self.local, "connection"):
            self.local.connection = psycopg.connect(self.database_url, autocommit=True)
            self.connections.append(self.local.connection)
        self.local.connection.execute(INSERT, {**body, "lead_id": self.lead_id})

    def close(self) -> None:
        for connection in self.connections:
            connection.close()


def run(options, store, seed: dict) -> dict:
    """Store `options.visits` visits from `options.clients` threads; the latency of each and the wall time."""
    bodies = [visit_body(seed, n) for n in range(options.visits)]
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


def report(options, api: dict, bare: dict) -> None:
    api, bare = summary(api), summary(bare)
    print(f"{options.visits} visits, {options.clients} concurrent clients, gunicorn with {options.workers} workers")
    print(f"{'':28}{'rows':>6}{'rows/s':>10}{'p50 ms':>10}{'p95 ms':>10}")
    for label, figures in (("POST /api/v1/visits", api), ("bare INSERT (psycopg)", bare)):
        print(f"{label:28}{figures['rows']:>6}{figures['per_second']:>10.0f}{figures['p50_ms']:>10.2f}"
              f"{figures['p95_ms']:>10.2f}")
    print(f"The API stores {bare['per_second'] / api['per_second']:.1f}x fewer visits per second than bare INSERTs; "
          f"its p50 is {api['p50_ms'] / bare['p50_ms']:.1f}x and its p95 {api['p95_ms'] / bare['p95_ms']:.1f}x theirs.")

if __name__ == "__main__":
    main()
