"""`make deploy-check`: start the production stack on this machine, smoke-test it through HTTP, stop it.

It creates a scratch PostgreSQL database (dropped at the end), migrates it and loads the demo data
with APP_ENV=production, then starts gunicorn with gunicorn.conf.py on a free local port and one
`flask worker`, waits for /readyz, and as a browser behind nginx would (X-Forwarded-Proto: https,
PROXY_COUNT=1): signs in through the form, makes an API token, posts a visit through the API and
reads it back, and checks that the request id of that POST is in gunicorn's JSON log lines.
Everything it started is stopped by its process id; traffic goes to 127.0.0.1 only.

    .venv/bin/python deploy/check.py [--keep-logs]
    DEPLOY_CHECK_POSTGRES_URL  a database to connect to for CREATE/DROP DATABASE
                               (default postgresql://postgres@127.0.0.1:5432/postgres)
    DEPLOY_CHECK_REDIS_URL     a Redis database it may empty (default redis://127.0.0.1:6379/13)
"""
import argparse
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
from redis import Redis

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO_LEAD, DEMO_PASSWORD = "lead@example.org", "demo-password-2026"


class Failed(Exception):
    """A step of the smoke test went wrong: the message says which and what came back."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def directory_path() -> str:
    for candidate in (ROOT.parent / "shared" / "data" / "ma_directory", ROOT.parent.parent / "shared" / "data" / "ma_directory"):
        if candidate.is_dir():
            return str(candidate)
    return os.environ.get("DIRECTORY_PATH", "")


class Client:
    """HTTP to the app as nginx would pass it on: HTTPS outside, so the session cookie is kept by hand."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        # As a browser on the HTTPS site: Flask-WTF checks the Referer of an HTTPS form against the host.
        sent = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10", "Host": "127.0.0.1",
                "Referer": f"https://127.0.0.1{path}", **(headers or {})}
        if self.cookies and not path.startswith("/api/"):  # an API client signs in by its token alone
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, response.headers, text

    def form(self, path: str, fields: dict):
        status, _, page = self.request("GET", path)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
        if status != 200 or not token:
            raise Failed(f"GET {path}: {status}, no CSRF token in the form")
        body = urlencode({"csrf_token": token.group(1) or token.group(2), **fields}).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


def smoke_test(client: Client, log_file: Path) -> list[str]:
    """The steps a person takes, each checked; returns what was checked, for the summary."""
    done = []
    for path in ("/healthz", "/readyz"):
        status, _, body = client.request("GET", path)
        if status != 200:
            raise Failed(f"{path}: {status} {body}")
    done.append("/healthz and /readyz answer 200")

    status, headers, _ = client.form("/sign-in", {"email": DEMO_LEAD, "password": DEMO_PASSWORD})
    if status != 302 or "session" not in client.cookies:
        raise Failed(f"sign-in as {DEMO_LEAD}: {status}")
    done.append(f"signed in as {DEMO_LEAD} through the form (302, Secure session cookie)")

    status, _, page = client.form("/account/tokens", {"name": "deploy check"})
    token = re.search(r'value="(rsp_[^"]+)"', page)
    if status != 200 or not token:
        raise Failed(f"making an API token: {status}")
    bearer = {"Authorization": f"Bearer {token.group(1)}"}
    done.append("made an API token at /account/tokens")

    status, _, body = client.request("GET", "/api/v1/schools?page_size=1", headers=bearer)
    schools = json.loads(body) if status == 200 else []
    if not schools:
        raise Failed(f"GET /api/v1/schools: {status} {body[:200]}")
    school = schools[0]
    request_id = f"deploy-check-{uuid.uuid4().hex[:12]}"
    visit = {"district_id": school["district_id"], "school_id": school["id"], "client_uuid": str(uuid.uuid4()),
             "visited_on": date.today().isoformat(), "minutes": 45, "kind": "informal",
             "purpose": "Deploy check: walkthrough with the principal"}
    status, headers, body = client.request("POST", "/api/v1/visits", json.dumps(visit).encode(),
                                           {**bearer, "Content-Type": "application/json", "X-Request-ID": request_id})
    if status != 201 or headers.get("X-Request-ID") != request_id:
        raise Failed(f"POST /api/v1/visits: {status} {body[:300]}")
    stored = json.loads(body)
    status, _, body = client.request("GET", f"/api/v1/visits/{stored['id']}", headers=bearer)
    if status != 200 or json.loads(body)["purpose"] != visit["purpose"]:
        raise Failed(f"GET /api/v1/visits/{stored['id']}: {status} {body[:300]}")
    done.append(f"posted visit {stored['id']} through the API (201) and read it back (200)")

    time.sleep(0.5)  # gunicorn writes its access line after the response
    lines = [json.loads(line) for line in log_file.read_text().splitlines() if line.startswith("{")]
    tagged = [line for line in lines if line.get("request_id") == request_id]
    if not any(line.get("path") == "/api/v1/visits" and str(line.get("status")) == "201" for line in tagged):
        raise Failed(f"no JSON access line with request id {request_id} in {log_file}")
    done.append(f"gunicorn's JSON access line carries the request id ({len(lines)} JSON log lines, all parsed)")
    return done


def wait_until_ready(client: Client, processes: list[subprocess.Popen], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise Failed(f"{process.args[0]} exited with {process.returncode} before the app was ready")
        try:
            if client.request("GET", "/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise Failed(f"/readyz did not answer 200 within {seconds:.0f} s")


def wait_for_worker(redis: Redis, worker: subprocess.Popen, seconds: float = 60) -> set:
    """The RQ workers registered in Redis, once the one started here has registered."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and worker.poll() is None:
        workers = redis.smembers("rq:workers")
        if workers:
            return workers
        time.sleep(0.5)
    raise Failed(f"no RQ worker registered in Redis within {seconds:.0f} s (worker exit code {worker.poll()})")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run(keep_logs: bool) -> int:
    admin_url = os.environ.get("DEPLOY_CHECK_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    redis_url = os.environ.get("DEPLOY_CHECK_REDIS_URL", "redis://127.0.0.1:6379/13")
    database = f"deploycheck_{os.getpid()}_{secrets.token_hex(3)}"
    parts = urlsplit(admin_url)
    database_url = urlunsplit(parts._replace(path="/" + database))
    port = free_port()
    logs = Path(tempfile.mkdtemp(prefix="deploy-check-"))
    env = {
        **os.environ, "APP_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48), "DATABASE_URL": database_url,
        "REDIS_URL": redis_url, "BASE_URL": f"http://127.0.0.1:{port}", "PROXY_COUNT": "1", "LOG_FORMAT": "json",
        "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        "DIRECTORY_PATH": directory_path(), "PYTHONUNBUFFERED": "1",
    }
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    processes: list[subprocess.Popen] = []
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    Redis.from_url(redis_url).flushdb()
    started = time.monotonic()
    try:
        for step in (["db", "upgrade"], ["demo", "load"]):
            subprocess.run(flask + step, cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
        web_log, worker_log = logs / "web.log", logs / "worker.log"
        processes.append(subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                                          env=env, stdout=web_log.open("w"), stderr=subprocess.STDOUT))
        processes.append(subprocess.Popen(flask + ["worker"], cwd=ROOT, env=env,
                                          stdout=worker_log.open("w"), stderr=subprocess.STDOUT))
        client = Client(port)
        wait_until_ready(client, processes)
        checks = smoke_test(client, web_log)
        workers = wait_for_worker(Redis.from_url(redis_url), processes[1])
        checks.append(f"{len(workers)} RQ worker registered in Redis")
        print(f"deploy check passed in {time.monotonic() - started:.0f} s (gunicorn on 127.0.0.1:{port}, "
              f"database {database}):")
        for line in checks:
            print(f"  - {line}")
        return 0
    except (Failed, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        print(f"deploy check FAILED: {error}\n{detail.decode()[-2000:]}\nlogs: {logs}", file=sys.stderr)
        keep_logs = True
        return 1
    finally:
        stop(processes)
        Redis.from_url(redis_url).flushdb()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if not keep_logs:
            for file in logs.iterdir():
                file.unlink()
            logs.rmdir()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-logs", action="store_true", help="keep gunicorn's and the worker's logs")
    sys.exit(run(parser.parse_args().keep_logs))
