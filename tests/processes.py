"""Servers a fault test starts on its own free port of 127.0.0.1 and kills: Redis, and the app itself."""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.mailbox import free_port

PROJECT = Path(__file__).resolve().parent.parent


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing answers on 127.0.0.1:{port}")


class RedisServer:
    """A redis-server of our own (never the shared one), in memory only: a restart comes back empty."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, 10)
        return self

    def kill(self) -> None:
        """SIGKILL, as a crash would: everything it held is gone."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class AppServer:
    """The app under werkzeug's threaded server, in a process of its own, on a free port; its log in a file."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env, self.log = env, log
        self.process = None

    def start(self) -> "AppServer":
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--port", str(self.port), "--no-reload",
                 "--no-debugger", "--with-threads"],
                cwd=PROJECT, env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.port, 30)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def logged(self) -> str:
        return self.log.read_text()
