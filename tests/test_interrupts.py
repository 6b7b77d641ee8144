"""Ctrl-C and SIGTERM stop a test run at once, with pytest's summary, even after an in-process RQ worker ran."""
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent

A_RUN = '''
import time
from pathlib import Path

from redis import Redis
from rq import Queue, SimpleWorker


def test_an_in_process_worker_works_a_burst():
    redis = Redis.from_url({redis_url!r})
    SimpleWorker([Queue("interrupt-check", connection=redis)], connection=redis).work(burst=True)


def test_a_slow_one():
    Path({ready!r}).touch()
    time.sleep(120)
'''


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_the_run_within_seconds_after_an_in_process_worker(app, redis, tmp_path, signum):
    ready = tmp_path / "ready"
    (tmp_path / "test_run.py").write_text(A_RUN.format(redis_url=app.config["REDIS_URL"], ready=str(ready)))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    run = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "tests.signals", "-p", "no:cacheprovider", "-c", str(tmp_path / "pytest.ini"),
         "--rootdir", str(tmp_path), str(tmp_path / "test_run.py")],
        cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        # As from a terminal, even when this run was started in the background (which ignores SIGINT).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert run.poll() is None, run.stdout.read()
            assert time.monotonic() < deadline, "the slow test never started"
            time.sleep(0.05)
        run.send_signal(signum)
        sent = time.monotonic()
        output, _ = run.communicate(timeout=20)
        stopped_after = time.monotonic() - sent
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert stopped_after < 10, output  # it would sleep for two minutes
    assert run.returncode == pytest.ExitCode.INTERRUPTED, output
    assert "KeyboardInterrupt" in output
    assert "1 passed" in output


def test_the_suite_loads_the_signal_plugin(request):
    assert request.config.pluginmanager.has_plugin("tests.signals")
