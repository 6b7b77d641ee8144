"""Benchmark: 50 leads at a person's pace, and a director on the regional dashboard, through gunicorn.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_perf .venv/bin/python bench/load.py \
        [--leads 50] [--seconds 60] [--every 5] [--workers 4] [--solo 20]

Bounded: traffic only to 127.0.0.1 (a gunicorn started here, stopped at the end), at most `--seconds` (at most
300) of load, and each person sends one request every `--every` seconds (at least 1), so at most
(leads + 1) x seconds / every requests. The database is the state-scale one (`flask demo load --scale state`);
the visits the benchmark posts carry the purpose "Load benchmark" and are deleted at the end.

Each lead (the state data's leads, in order) signs in through the form, then every `--every` seconds (from a
random offset) either POSTs a visit with three observations to /api/v1/visits (its session and CSRF token, in one of
its districts) or opens one of its pages (home, a district dashboard, the visit list, the plan), in turn. The
director opens /rollups/. First one lead alone does the same requests `--solo` times each (the p50 of each kind,
alone), then all of them together for `--seconds`. Goal: no errors, and the p95 of each kind under load within 3x
of its p50 alone. Prints both, with the load average.
"""
import argparse
import os
import random
import re
import secrets
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from app.demo_state import PASSWORD  # noqa: E402
from bench.visit_post import start_gunicorn  # noqa: E402
from tests.processes import wait_for_port  # noqa: E402

PURPOSE = "Load benchmark"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--leads", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--every", type=float, default=5, help="seconds between two requests of one person")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--solo", type=int, default=12, help="requests of each kind by one lead alone, for the p50")
    options = parser.parse_args()
    options.seconds = min(max(options.seconds, 1), 300)
    options.every = max(options.every, 1)
    options.leads = min(max(options.leads, 1), 200)
    return options


def leads_of(raw, count: int) -> list[dict]:
    """The first `count` leads with a district, each with the district, a school of it and the rubric to rate on."""
    rubric_id, look_for_ids = raw.execute(
        "SELECT r.id, array_agg(l.id ORDER BY l.position) FROM rubrics r JOIN look_fors l ON l.rubric_id = r.id "
        "WHERE r.active GROUP BY r.id ORDER BY r.id LIMIT 1").fetchone()
    rows = raw.execute("""
        SELECT DISTINCT ON (u.id) u.email, d.id, d.slug,
               (SELECT s.id FROM schools s WHERE s.district_id = d.id ORDER BY s.id LIMIT 1)
        FROM users u JOIN role_grants g ON g.user_id = u.id AND g.role = 'assistance_lead'
        JOIN districts d ON d.id = g.district_id AND d.lifecycle = 'active'
        WHERE u.active ORDER BY u.id, d.id LIMIT %s""", (count,)).fetchall()
    return [{"email": email, "district_id": district_id, "slug": slug, "school_id": school_id,
             "rubric_id": rubric_id, "look_for_ids": look_for_ids[:4]} for email, district_id, slug, school_id in rows]


class Person:
    """One signed-in browser: its cookies and CSRF token. Production cookies are Secure, which a client
    talking plain HTTP to 127.0.0.1 would not send back: they are kept and sent by hand."""

    def __init__(self, base: str, email: str):
        self.base, self.cookies = base, {}
        token = CSRF.search(self._send("GET", "/sign-in").text).group(1)
        answer = self._send("POST", "/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token})
        if answer.status_code != 302:
            raise RuntimeError(f"sign-in of {email} answered {answer.status_code}")
        self.csrf = CSRF.search(self._send("GET", "/account/tokens").text).group(1)

    def _send(self, method: str, path: str, headers: dict | None = None, **options) -> requests.Response:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = requests.request(method, self.base + path, headers={**(headers or {}), "Cookie": cookie},
                                    allow_redirects=False, timeout=120, **options)
        self.cookies.update({c.name: c.value for c in response.cookies})
        return response

    def get(self, path: str) -> int:
        return self._send("GET", path).status_code

    def post_visit(self, lead: dict) -> int:
        body = {"district_id": lead["district_id"], "client_uuid": str(uuid.uuid4()), "school_id": lead["school_id"],
                "visited_on": "2026-10-20", "minutes": 60, "kind": "formal", "purpose": PURPOSE,
                "shared_notes": "Strong start on the math block.", "internal_notes": "Kept within the team.",
                "observations": [{"rubric_id": lead["rubric_id"], "grade": "4", "subject": "Mathematics", "minutes": 20,
                                  "ratings": [{"look_for_id": look_for_id, "rating": 3, "evidence": "Seen"}
                                              for look_for_id in lead["look_for_ids"]]} for _ in range(3)]}
        return self._send("POST", "/api/v1/visits", json=body, headers={"X-CSRFToken": self.csrf}).status_code


def kinds_of(lead: dict) -> list[tuple[str, object]]:
    """(kind, request) a lead makes in turn: a visit POST between each of its pages."""
    pages = [("home", "/"), ("district dashboard", f"/districts/{lead['slug']}/dashboard"),
             ("visit list", f"/districts/{lead['slug']}/visits"), ("plan", f"/districts/{lead['slug']}/plan")]
    kinds = []
    for name, path in pages:
        kinds.append(("visit POST", lambda person, lead=lead: person.post_visit(lead)))
        kinds.append((name, lambda person, path=path: person.get(path)))
    return kinds


def timed(results: list, lock: threading.Lock, kind: str, call, person) -> None:
    started = time.perf_counter()
    try:
        status = call(person)
    except Exception as error:  # a timeout or a refused connection is an error of the run, not of the script
        status = repr(error)[:80]
    elapsed = (time.perf_counter() - started) * 1000
    with lock:
        results.append((kind, status, elapsed))


def pace(person, kinds, deadline: float, every: float, results: list, lock: threading.Lock) -> None:
    """One request every `every` seconds, from a random offset, until the deadline."""
    time.sleep(random.uniform(0, every))
    turn = random.randrange(len(kinds))
    next_at = time.monotonic()
    while time.monotonic() < deadline:
        kind, call = kinds[turn % len(kinds)]
        timed(results, lock, kind, call, person)
        turn += 1
        next_at += every
        time.sleep(max(0.0, next_at - time.monotonic()))


def p(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[max(0, round(share * len(values)) - 1)]


def main() -> None:
    options = parse_options()
    url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_perf")
    url = url.replace("postgresql+psycopg://", "postgresql://")
    raw = psycopg.connect(url, autocommit=True)
    leads = leads_of(raw, options.leads)
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(32), "DATABASE_URL": url,
           "BASE_URL": "http://127.0.0.1", "PYTHONPATH": str(ROOT), "SIGN_IN_RATE_LIMIT": "100000 per minute"}
    env.pop("REDIS_URL", None)
    server, port = start_gunicorn("wsgi:app", options.workers, env)
    base = f"http://127.0.0.1:{port}"
    lock = threading.Lock()
    try:
        wait_for_port(port)
        alone = Person(base, leads[0]["email"])
        solo: list = []
        for _ in range(options.solo):
            for kind, call in kinds_of(leads[0]):
                timed(solo, lock, kind, call, alone)
        director = Person(base, "director1@state.example.org")
        for _ in range(options.solo):
            timed(solo, lock, "regional dashboard", lambda person: person.get("/rollups/"), director)
        people = [(Person(base, lead["email"]), kinds_of(lead)) for lead in leads]
        people.append((director, [("regional dashboard", lambda person: person.get("/rollups/"))]))
        load_before = os.getloadavg()
        results: list = []
        deadline = time.monotonic() + options.seconds
        threads = [threading.Thread(target=pace, args=(person, kinds, deadline, options.every, results, lock))
                   for person, kinds in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)
        raw.execute("DELETE FROM visits WHERE purpose = %s", (PURPOSE,))
        raw.close()
    report(options, len(leads), solo, results, load_before, load_after)


def report(options, leads: int, solo: list, results: list, load_before, load_after) -> None:
    ok = {200, 201}
    errors = [(kind, status) for kind, status, _ in results if status not in ok]
    print(f"{leads} leads and a director, one request each every {options.every:.0f} s for {options.seconds:.0f} s, "
          f"gunicorn with {options.workers} workers; load average {load_before[0]:.2f} before, "
          f"{load_after[0]:.2f} after; {len(results)} requests, {len(errors)} errors")
    print(f"{'kind':20}{'alone p50':>10}{'n':>5}{'load p50':>10}{'load p95':>10}{'n':>6}{'p95/alone':>10}")
    worst = 0.0
    for kind in dict.fromkeys(kind for kind, _, _ in solo):
        alone = [ms for k, status, ms in solo if k == kind and status in ok]
        loaded = [ms for k, status, ms in results if k == kind and status in ok]
        if not alone or not loaded:
            print(f"{kind:20} no answers")
            continue
        ratio = p(loaded, 0.95) / statistics.median(alone)
        worst = max(worst, ratio)
        print(f"{kind:20}{statistics.median(alone):>10.0f}{len(alone):>5}{statistics.median(loaded):>10.0f}"
              f"{p(loaded, 0.95):>10.0f}{len(loaded):>6}{ratio:>9.2f}x")
    for kind, status in errors[:10]:
        print(f"  error: {kind} -> {status}")
    print("within bound" if not errors and worst <= 3 else f"over bound: {len(errors)} errors, worst p95 / p50 alone "
          f"{worst:.2f}x (goal 3x)")
    sys.exit(0 if not errors and worst <= 3 else 1)


if __name__ == "__main__":
    main()
