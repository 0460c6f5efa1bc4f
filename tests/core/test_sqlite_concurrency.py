"""The web process and the task worker write to one SQLite file at the same time without
"database is locked" (WAL + busy timeout + IMMEDIATE transactions).

Count-based, not time-based: the web process makes a fixed number of writes and the worker a
fixed number of tasks, so a loaded machine makes the test slower, never different.
"""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
WEB_WRITES = 600
TASK_EVERY = 25  # one task per 25 web writes: 24 tasks the worker writes concurrently
DRAIN_TIMEOUT_SECONDS = 300  # only a bound on a hung worker, not a measurement

WEB_WRITER = f"""
import django
django.setup()
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from tests.core.concurrency_tasks import store_session_row

enqueued = writes = 0
while writes < {WEB_WRITES}:
    # Write as fast as possible; enqueue a task on every {TASK_EVERY}th request so the worker
    # writes while the web process does.
    with transaction.atomic():
        if writes % {TASK_EVERY} == 0:
            store_session_row.enqueue(enqueued)
            enqueued += 1
        session = SessionStore()
        session["web"] = writes
        session.save()
    writes += 1
print(enqueued, writes)
"""


def _env(db_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATABASE_URL=f"sqlite:///{db_path}", DJANGO_SETTINGS_MODULE="newsdesk.settings.test")
    return env


def test_web_process_and_worker_write_one_sqlite_file_concurrently(tmp_path):
    db_path = tmp_path / "shared.sqlite3"
    env = _env(db_path)
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--noinput", "-v0", "sessions"], cwd=BASE_DIR, env=env, check=True, timeout=120
    )
    subprocess.run(
        [*manage, "migrate", "--noinput", "-v0", "django_tasks_database"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=120,
    )

    # The worker logs a line per task: send it to a file, a pipe nobody reads would fill and block it.
    worker_log = (tmp_path / "worker.log").open("w+")
    worker = subprocess.Popen(
        [
            *manage,
            *("db_worker", "--backend", "background", "--interval", "0.05"),
            *("--no-startup-delay", "--no-reload"),
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        web = subprocess.run(
            [sys.executable, "-c", WEB_WRITER],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert web.returncode == 0, web.stderr
        enqueued, writes = map(int, web.stdout.strip().splitlines()[-1].split())
        assert writes == WEB_WRITES
        assert enqueued == WEB_WRITES // TASK_EVERY

        # Let the worker drain the queue (it kept writing during the web loop too).
        deadline = time.monotonic() + DRAIN_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            with sqlite3.connect(db_path, timeout=30) as conn:
                pending = conn.execute(
                    "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status != 'SUCCESSFUL'"
                ).fetchone()[0]
            if pending == 0:
                break
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        worker_log.seek(0)
        worker_stderr = worker_log.read()
        worker_log.close()

    assert "OperationalError" not in web.stderr
    assert "database is locked" not in worker_stderr
    assert "OperationalError" not in worker_stderr
    with sqlite3.connect(db_path) as conn:
        statuses = dict(
            conn.execute("SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY status")
        )
        sessions = conn.execute("SELECT COUNT(*) FROM django_session").fetchone()[0]
    assert statuses == {"SUCCESSFUL": enqueued}
    assert sessions == writes + enqueued
