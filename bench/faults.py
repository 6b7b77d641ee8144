"""Fault script: the app under a bounded load while its database's backends are terminated and its Redis is
killed and restarted empty; asserts 0 lost visits and 0 5xx outside the outage windows.

    .venv/bin/python bench/faults.py [--seconds 40] [--clients 4] [--workers 2]

Everything runs on 127.0.0.1: creates (drops first) the PostgreSQL database `bench_faults` on
BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres), starts a redis-server of its
own on a free port, and gunicorn (production settings) on another. Each client thread loops until the time
is up: POST /api/v1/visits with a new client UUID (resent as the offline outbox would, same UUID, on no
answer or a 5xx, at most 20 times), GET /api/v1/visits, and a real sign-in (GET the form, POST it).
Faults: at 1/4 of the time every backend of `bench_faults` is terminated, at 1/2 Redis is killed and
started again (empty) 3 s later, at 3/4 the backends are terminated again. An outage window runs from a
fault to 3 s after it ends. At the end: every visit acknowledged (201/200) must be stored, once.
"""
import argparse
import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.visit_post import recreate_database, visit_body  # noqa: E402
from tests.factories import PASSWORD  # noqa: E402
from tests.processes import RedisServer, free_port, wait_for_port  # noqa: E402

BIN = Path(sys.executable).parent
DATABASE = "bench_faults"
GRACE = 3.0  # seconds after a fault during which errors still count as the outage's
RESENDS = 20
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def main() -> None:
    options = parse_options()
    # Stopped from outside (a timeout): still stop the servers started here, in the `finally` below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))
    server_url = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    database_url = server_url.rsplit("/", 1)[0] + f"/{DATABASE}"
    recreate_database(server_url, DATABASE)
    redis = RedisServer().start()
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(32),
           "DATABASE_URL": database_url, "BASE_URL": "http://127.0.0.1", "PYTHONPATH": str(ROOT),
           "REDIS_URL": redis.url, "SIGN_IN_RATE_LIMIT": "100000 per minute"}
    port = free_port()
    server = None
    try:
        subprocess.run([BIN / "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        seed = json.loads(subprocess.run([sys.executable, ROOT / "bench" / "visit_post.py", "--seed"], cwd=ROOT,
                                         env=env, check=True, capture_output=True, text=True).stdout)
        log = options.server_log.open("w") if options.server_log else subprocess.DEVNULL
        server = subprocess.Popen([BIN / "gunicorn", "--workers", str(options.workers), "--threads", "2",
                                   "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                                  stdout=log, stderr=log)
        wait_for_port(port)
        warm_up(port, seed, options.workers)
        results = run_under_faults(options, port, seed, server_url, redis)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        redis.kill()
    sys.exit(report(results, database_url))


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=40, help="length of the run (at most 300)")
    parser.add_argument("--clients", type=int, default=4, help="client threads (at most 16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--server-log", type=Path, help="write gunicorn's output (errors, tracebacks) to this file")
    options = parser.parse_args()
    options.seconds = max(12.0, min(options.seconds, 300.0))
    options.clients = max(1, min(options.clients, 16))
    return options


class Results:
    """Every answer with its time, the outage windows, and the visits the server acknowledged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.answers: list[tuple[float, str, int]] = []  # (seconds since start, what, status; 0 = no answer)
        self.windows: list[tuple[float, float, str]] = []
        self.acknowledged: set[str] = set()
        self.unacknowledged: set[str] = set()
        self.start = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self.start

    def answer(self, what: str, status: int) -> None:
        with self.lock:
            self.answers.append((self.now(), what, status))

    def in_outage(self, moment: float) -> bool:
        return any(start <= moment <= end + GRACE for start, end, _ in self.windows)


def request(port: int, method: str, path: str, body: str | None = None, headers: dict | None = None):
    # Generous: a shared 2-core machine under load answers slowly, and slow is not what is measured here.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body, headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace"), response.getheader("Set-Cookie")
    finally:
        connection.close()


def client_loop(port: int, seed: dict, deadline: float, results: Results, number: int) -> None:
    token = {"Authorization": f"Bearer {seed['token']}", "Content-Type": "application/json"}
    count = 0
    while time.monotonic() < deadline:
        count += 1
        body = visit_body(seed, number * 100000 + count)
        post_visit(port, token, body, results)
        status = safe(lambda: request(port, "GET", "/api/v1/visits?page_size=5", headers=token)[0])
        results.answer("GET /api/v1/visits", status)
        results.answer("POST /sign-in", sign_in(port, seed))


def post_visit(port: int, token: dict, body: dict, results: Results) -> None:
    """Send a visit as the offline outbox does: again, with the same UUID, on no answer or a 5xx."""
    for _ in range(RESENDS):
        status = safe(lambda: request(port, "POST", "/api/v1/visits", json.dumps(body), token)[0])
        results.answer("POST /api/v1/visits", status)
        if status in (200, 201):
            with results.lock:
                results.acknowledged.add(body["client_uuid"])
            return
        if status and status < 500:
            raise SystemExit(f"POST /api/v1/visits answered {status}")
        time.sleep(0.3)
    with results.lock:
        results.unacknowledged.add(body["client_uuid"])


def sign_in(port: int, seed: dict) -> int:
    def attempt() -> int:
        status, page, cookie = request(port, "GET", "/sign-in")
        if status != 200:
            return status
        found = CSRF.search(page)
        form = f"email={seed['email']}&password={PASSWORD.replace(' ', '+')}&csrf_token={found[1] or found[2]}"
        return request(port, "POST", "/sign-in", form, {"Content-Type": "application/x-www-form-urlencoded",
                                                       "Cookie": cookie.split(";")[0]})[0]
    return safe(attempt)


def safe(call) -> int:
    try:
        return call()
    except OSError:
        return 0  # no answer at all


def warm_up(port: int, seed: dict, workers: int) -> None:
    """Wait until the workers answer (each loads the app after the port opens): faults hit a serving app."""
    token = {"Authorization": f"Bearer {seed['token']}"}
    answered, deadline = 0, time.monotonic() + 120
    while answered < 3 * workers and time.monotonic() < deadline:
        answered += safe(lambda: request(port, "GET", "/api/v1/visits?page_size=5", headers=token)[0]) == 200
    if answered < 3 * workers:
        raise SystemExit("gunicorn did not answer within 2 minutes")


def terminate_backends(server_url: str) -> int:
    with psycopg.connect(server_url, autocommit=True) as admin:
        return admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                             "WHERE datname = %s AND pid <> pg_backend_pid()", [DATABASE]).fetchone()[0]


def run_under_faults(options, port: int, seed: dict, server_url: str, redis: RedisServer) -> Results:
    results = Results()
    deadline = time.monotonic() + options.seconds
    clients = [threading.Thread(target=client_loop, args=(port, seed, deadline, results, n), daemon=True)
               for n in range(options.clients)]
    for client in clients:
        client.start()
    quarter = options.seconds / 4
    time.sleep(quarter)
    moment = results.now()
    terminated = terminate_backends(server_url)
    results.windows.append((moment, results.now(), f"terminated {terminated} PostgreSQL backends"))
    time.sleep(quarter - GRACE)
    moment = results.now()
    redis.kill()
    time.sleep(GRACE)
    redis.start()
    results.windows.append((moment, results.now(), "Redis killed, started again empty 3 s later"))
    time.sleep(quarter - GRACE)
    moment = results.now()
    terminated = terminate_backends(server_url)
    results.windows.append((moment, results.now(), f"terminated {terminated} PostgreSQL backends"))
    for client in clients:
        client.join(timeout=options.seconds + 60)
    return results


def report(results: Results, database_url: str) -> int:
    with psycopg.connect(database_url) as connection:
        stored = {row[0] for row in connection.execute("SELECT client_uuid::text FROM visits")}
        rows = connection.execute("SELECT count(*) FROM visits").fetchone()[0]
    lost = results.acknowledged - stored
    by_kind = Counter((what, status) for _, what, status in results.answers)
    outside = [(t, what, status) for t, what, status in results.answers
               if (status == 0 or status >= 500) and not results.in_outage(t)]
    inside = [(t, what, status) for t, what, status in results.answers
              if (status == 0 or status >= 500) and results.in_outage(t)]
    print(f"{len(results.answers)} requests in {results.now():.0f} s")
    for start, end, what in results.windows:
        print(f"  outage {start:5.1f}-{end + GRACE:5.1f} s: {what}")
    for (what, status), count in sorted(by_kind.items()):
        print(f"  {what:22} {status or 'no answer':>9}: {count}")
    print(f"visits acknowledged {len(results.acknowledged)}, stored {len(stored)} (rows {rows}), lost {len(lost)}, "
          f"never acknowledged after {RESENDS} sends {len(results.unacknowledged)}")
    print(f"5xx or no answer: {len(inside)} inside the outage windows, {len(outside)} outside")
    for t, what, status in outside[:10]:
        print(f"  outside: {t:5.1f} s {what} {status or 'no answer'}")
    failed = bool(lost) or bool(outside) or rows != len(stored) or bool(results.unacknowledged)
    print("FAIL" if failed else "OK: 0 lost visits, 0 5xx outside the outage windows")
    return 1 if failed else 0


if __name__ == "__main__":
    main()
