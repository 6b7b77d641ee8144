"""Ctrl-C (SIGINT) and SIGTERM stop the test run at once, with pytest's KeyboardInterrupt summary.

An RQ worker run inside the test process (`SimpleWorker(...).work(burst=True)`, in many tests) installs
SIGINT and SIGTERM handlers of its own for a warm shutdown, and leaves them behind when its burst ends: the
next Ctrl-C raised rq's StopRequested inside whichever test was running, which failed that one test and went
on, and SIGTERM did the same. Here no worker of the test process installs handlers (worker subprocesses,
`flask worker`, keep theirs), each test gets back the handlers the run started with, and SIGTERM interrupts
like Ctrl-C. Loaded by tests/conftest.py (`pytest_plugins`).
"""
import signal
import threading

import pytest
from rq.worker.base import BaseWorker

_started_with: dict[int, object] = {}
_install_signal_handlers = BaseWorker._install_signal_handlers


def _interrupt(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def pytest_configure(config):
    BaseWorker._install_signal_handlers = lambda worker: None
    if _in_main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
        _started_with.update({s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)})


def pytest_unconfigure(config):
    BaseWorker._install_signal_handlers = _install_signal_handlers


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    try:
        return (yield)
    finally:
        if _in_main_thread():
            for signum, handler in _started_with.items():
                if signal.getsignal(signum) is not handler:
                    signal.signal(signum, handler)
