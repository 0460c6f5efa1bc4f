"""A Newsdesk deployment of several nodes on this machine's loopback, for the two-node test
(tests/reliability/test_two_nodes.py) and `make loadtest` (scripts/loadtest.py).

Each node is what one machine of a scaled-out deployment runs: gunicorn on a loopback port the
kernel picks (port 0, read back from gunicorn's log), an RQ worker and a scheduler, all against
one shared PostgreSQL (or SQLite file) and one Redis. Every process writes its log to its own
file; `kill` sends SIGKILL to one process (a crash, not a shutdown) and `restart` brings it back,
gunicorn on the port it had.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
FORWARDED_HTTPS = {"X-Forwarded-Proto": "https"}


def node_environment(
    *,
    database_url: str,
    redis_url: str,
    api_key_pepper: str | None = None,
    base_url: str = "https://127.0.0.1",
) -> dict:
    """The environment every process of the deployment shares: production from the environment."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsdesk.settings.loopback",
        SECRET_KEY=secrets.token_urlsafe(64),
        # Every node must hash partner keys alike (the pepper defaults to SECRET_KEY).
        API_KEY_PEPPER=api_key_pepper or secrets.token_urlsafe(32),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PUBLIC_BASE_URL=base_url,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        TASKS_BACKEND="rq",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(BASE_DIR),
    )
    return env


@dataclass
class Node:
    name: str
    env: dict
    logs: Path
    web_workers: int = 2
    scheduler_tick: int = 60
    port: int = 0
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    starts: dict[str, int] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self, kind: str) -> list[str]:
        python = sys.executable
        if kind == "web":
            return [
                python,
                "-m",
                "gunicorn",
                "newsdesk.wsgi",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.web_workers}",
                "--timeout=60",
                "--graceful-timeout=5",
                # Nodes on one machine must not share gunicorn's control socket.
                "--no-control-socket",
            ]
        if kind == "worker":
            return [python, "manage.py", "rqworker", "default", "--job-class", "django_tasks_rq.Job"]
        if kind == "scheduler":
            return [python, "manage.py", "run_scheduler", "--tick", str(self.scheduler_tick)]
        raise ValueError(kind)

    def log(self, kind: str) -> Path:
        return self.logs / f"{self.name}-{kind}-{self.starts.get(kind, 0)}.log"

    def start(self, kind: str) -> None:
        self.starts[kind] = self.starts.get(kind, 0) + 1
        with self.log(kind).open("w") as out:
            self.processes[kind] = subprocess.Popen(
                self.command(kind),
                cwd=BASE_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a kill of the group reaches gunicorn's workers too
            )

    def start_all(self) -> None:
        for kind in ("web", "worker", "scheduler"):
            self.start(kind)

    def wait_until_serving(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.processes["web"]
            if process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} web exited {process.returncode}:\n{self.log('web').read_text()}"
                )
            if not self.port:
                found = LISTENING.search(self.log("web").read_text())
                if found:
                    self.port = int(found.group(1))
            if self.port:
                try:
                    status, _, _ = request(self.url, "/healthz", timeout=5)
                except OSError:
                    status = 0
                if status == 200:
                    return
            time.sleep(0.3)
        raise TimeoutError(f"{self.name} did not answer /healthz within {timeout}s")

    def kill(self, kind: str) -> None:
        """SIGKILL the process alone (gunicorn: the master; its orphaned workers then exit)."""
        process = self.processes[kind]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    def restart(self, kind: str) -> None:
        """Start `kind` again, gunicorn on the port it had. As a supervisor would (systemd's
        KillMode=control-group), first end what is left of the old process group: a killed
        master's orphaned workers serve on until they notice, and hold the port meanwhile."""
        old = self.processes[kind]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(old.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and kind == "web" and port_in_use(self.port):
            time.sleep(0.1)
        self.start(kind)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)


def port_in_use(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
        return False


def request(
    base: str,
    path: str,
    *,
    method: str = "GET",
    headers: dict | None = None,
    body: bytes | None = None,
    timeout=30,
) -> tuple[int, dict, bytes]:
    """One HTTP request as the TLS-terminating proxy forwards it (X-Forwarded-Proto: https)."""
    host = base.removeprefix("http://")
    connection = http.client.HTTPConnection(host, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={**FORWARDED_HTTPS, **(headers or {})})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def manage(env: dict, *args: str, timeout: float = 300) -> str:
    """Run one manage.py command with the deployment's environment; its output, or an error."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def clear_redis(redis_url: str) -> None:
    """Empty the deployment's own Redis database (its queue and cache), key by key."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(count=500):
        client.delete(key)


class Editor:
    """An editor's session in one node's Wagtail admin, over the loopback as the proxy forwards it.

    Cookies are kept by hand: production marks them Secure, which http.cookiejar would not send
    over the loopback's plain HTTP (the proxy's TLS is simulated by X-Forwarded-Proto).
    """

    def __init__(self, node_url: str) -> None:
        self.host = node_url.removeprefix("http://")
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict]:
        from urllib.parse import urlencode

        headers = {
            **FORWARDED_HTTPS,
            "Origin": f"https://{self.host}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie, _, _ = value.partition(";")
                    key, _, val = cookie.partition("=")
                    self.cookies[key.strip()] = val.strip()
            return response.status, {k.lower(): v for k, v in response.getheaders()}
        finally:
            connection.close()

    def log_in(self, username: str, password: str) -> None:
        self.send("GET", "/admin/login/")
        status, _ = self.send("POST", "/admin/login/", {"username": username, "password": password})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"admin login as {username} failed: {status}")

    def publish(self, page_id: int) -> None:
        """The page listing's bulk action "Publish" on one page."""
        path = f"/admin/bulk/wagtailcore/page/publish/?id={page_id}&next=/admin/"
        status, _ = self.send("POST", path, {})
        if status != 302:
            raise RuntimeError(f"publishing page {page_id} failed: {status}")
