"""Real processes for the slow webhook tests: a task worker, the scheduler, the demo's three
processes (scripts/run-dev.sh), all on the test's own PostgreSQL database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def env(settings_module: str, **extra: str) -> dict[str, str]:
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    environment.update(
        DATABASE_URL=url, DJANGO_SETTINGS_MODULE=settings_module, PYTHONUNBUFFERED="1", **extra
    )
    return environment


class Process:
    """A child in its own process group, its output in a file (a full pipe would block it)."""

    def __init__(self, args: list[str], *, environment: dict[str, str], log: Path):
        self.log_path = log
        self.log = log.open("w")
        self.popen = subprocess.Popen(
            args,
            cwd=BASE_DIR,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill_hard(self) -> None:
        """SIGKILL, the whole group: nothing gets to clean up."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill_hard()
        self.log.close()

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text()


def worker(environment: dict[str, str], log: Path) -> Process:
    return Process(
        [
            sys.executable,
            "manage.py",
            *("db_worker", "--backend", "background", "--interval", "0.2"),
            *("--no-startup-delay", "--no-reload"),
        ],
        environment=environment,
        log=log,
    )


def scheduler(environment: dict[str, str], log: Path) -> Process:
    return Process(
        [sys.executable, "manage.py", "run_scheduler", "--tick", "1"], environment=environment, log=log
    )


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
