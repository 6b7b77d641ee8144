"""Time the state directory import (520 districts, 1,837 schools) as the import job, on its own PostgreSQL database.

    .venv/bin/python bench/directory_import.py            # BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres
Creates (or empties) `bench_import`, migrates it, runs the job twice: the first run imports, the second finds nothing to change.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

PROJECT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = SERVER.rsplit("/", 1)[0] + "/bench_import"


def main() -> None:
    with psycopg.connect(SERVER, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS bench_import")
        connection.execute("CREATE DATABASE bench_import")
    env = {**os.environ, "DATABASE_URL": DATABASE, "APP_ENV": "development"}
    env.pop("REDIS_URL", None)  # the job runs in this process: the timing is the job's own work
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=PROJECT, env=env,
                   check=True, capture_output=True)
    os.environ.update(env)
    sys.path.insert(0, str(PROJECT))
    from app import create_app
    from app.extensions import db
    from app.onboarding.jobs import run_import
    from app.onboarding.services import preview_directory_import
    from tenants.roles import Role
    from tenants.scope import entered, system_scope
    from tests.factories import person

    app = create_app()
    folder = Path(app.config["DIRECTORY_PATH"])
    files = [(name, (folder / name).read_bytes()) for name in ("districts.csv", "schools.csv")]
    with app.app_context(), entered(system_scope("benchmark")):
        admin = person(Role.PLATFORM_ADMIN)
        db.session.commit()
        for label in ("first import", "second import (no changes)"):
            started = time.perf_counter()
            preview = preview_directory_import(*files, admin)
            checked = time.perf_counter()
            result = run_import(preview.batch.id, admin.id)
            finished = time.perf_counter()
            rows = preview.batch.row_count
            print(f"{label}: check {checked - started:.2f} s, job {finished - checked:.2f} s, "
                  f"{rows / (finished - checked):,.0f} rows/s ({rows:,} rows) -> {result}")


if __name__ == "__main__":
    main()
