"""`make loadtest [DURATION=60]`: two Newsdesk nodes on the loopback under load, with crashes.

Two nodes (gunicorn, RQ worker, scheduler each; scripts/cluster.py) share one PostgreSQL database
(LOADTEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/newsdesk_loadtest, created,
migrated and loaded with the demo desk if needed) and one Redis database (LOADTEST_REDIS_URL,
default redis://127.0.0.1:6379/8, which the run EMPTIES). One wrk per node drives the API and the
public pages with a partner key in the unthrottled loopback tier and X-Forwarded-Proto: https,
while a newsroom process writes and publishes a story and enqueues a task, one after another
with a second's pause. At 30% of the run
node B's gunicorn master, RQ worker and scheduler are killed with SIGKILL; at 50% they restart.

It prints throughput and latency per node and exits non-zero unless node A (the survivor)
answered every request with a 2xx, every story published during the run is live and in the
change feed, and every enqueued task ran exactly once. Loopback only; bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.cluster import BASE_DIR, Node, clear_redis, manage, node_environment, request

DONE = "newsdesk:reliability:done"  # tests/reliability/tasks.py writes here

WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  non2xx = 0
  statuses = {}
end
function request()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  return wrk.format("GET", path, {["Authorization"] = "Bearer %(key)s", ["X-Forwarded-Proto"] = "https"})
end
function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%%d duration_us=%%d non2xx=%%d connect=%%d read=%%d write=%%d timeout=%%d p50_us=%%d p99_us=%%d max_us=%%d\\n",
    summary.requests, summary.duration, bad, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""

NEWSROOM = """
import sys, time, uuid
import django
django.setup()
from django.db import transaction
from apps.core.models import SectionPage
from apps.core.tasks import enqueue_on_commit
from tests.factories import ArticlePageFactory
from tests.reliability.tasks import note

sahel = SectionPage.objects.get(slug="sahel")
n = 0
while True:  # until the load test stops it
    n += 1
    draft = ArticlePageFactory(parent=sahel, title=f"Load test story {sys.argv[1]}-{n}", publish=False)
    token = uuid.uuid4().hex
    with transaction.atomic():
        draft.get_latest_revision().publish()
        enqueue_on_commit(note, token)
    print("published", draft.pk, token, flush=True)
    time.sleep(1)
"""


def fail(message: str) -> None:
    print(f"loadtest: {message}", file=sys.stderr)
    sys.exit(1)


def prepare_database(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        return
    import psycopg

    name = parts.path.lstrip("/")
    admin = parts._replace(scheme="postgresql", path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def paths_to_drive(node: Node, key: str) -> list[str]:
    auth = {"Authorization": f"Bearer {key}"}
    status, _, body = request(node.url, "/api/v1/articles/?page_size=12", headers=auth)
    if status != 200:
        fail(f"the API answered {status} to the load test's key")
    articles = json.loads(body)["results"]
    pages = [urlsplit(article["url"]).path for article in articles if article.get("url")]
    ids = [article["id"] for article in articles]
    status, _, body = request(node.url, "/api/v1/sections/", headers=auth)
    sections = [
        urlsplit(section["url"]).path for section in json.loads(body)["results"] if section.get("url")
    ]
    api = [
        "/api/v1/articles/",
        "/api/v1/articles/?page_size=50",
        "/api/v1/articles/?q=mali",
        "/api/v1/articles/?facets=actor,section",
        "/api/v1/changes/?after=0",
        "/api/v1/actors/",
        "/api/v1/events/",
        "/api/v1/places/",
        "/api/v1/sections/",
        *(f"/api/v1/articles/{pk}/" for pk in ids[:6]),
    ]
    site = [
        "/",
        *sections,
        *pages[:6],
        "/actors/",
        "/events/",
        "/search/?q=niger",
        "/feeds/rss.xml",
        "/sitemap.xml",
    ]
    paths = api + site
    for path in paths:  # every path must answer 2xx before the run, or the figures mean nothing
        status, _, _ = request(node.url, path, headers=auth)
        if not 200 <= status < 300:
            fail(f"{path} answered {status} before the load started")
    return paths


def run_wrk(node: Node, script: Path, duration: int, connections: int, out: list) -> None:
    done = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script), node.url],
        capture_output=True,
        text=True,
        timeout=duration + 120,
        check=False,
    )
    found = re.search(r"RESULT (.*)", done.stdout)
    if not found:
        out.append({"node": node.name, "error": done.stdout + done.stderr})
        return
    figures = {k: int(v) for k, v in (pair.split("=") for pair in found.group(1).split())}
    out.append({"node": node.name, **figures})


def change_feed_ids(node: Node, key: str, after: int) -> set[int]:
    seen: set[int] = set()
    while True:
        status, _, body = request(
            node.url, f"/api/v1/changes/?after={after}&limit=500", headers={"Authorization": f"Bearer {key}"}
        )
        if status != 200:
            fail(f"change feed answered {status}")
        feed = json.loads(body)
        seen.update(entry["id"] for entry in feed["results"])
        after = feed["next_after"]
        if not feed.get("more"):
            return seen


def main() -> int:
    parser = argparse.ArgumentParser(description="Two loopback nodes under load, with crashes.")
    parser.add_argument("--duration", type=int, default=int(os.environ.get("DURATION", 60)))
    parser.add_argument("--connections", type=int, default=8, help="Open connections per node.")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per node.")
    args = parser.parse_args()
    if args.duration < 20:
        fail("--duration must be at least 20 seconds (the crash and restart need room)")
    if not shutil.which("wrk"):
        fail("wrk is not installed (apt-get install wrk)")
    database_url = os.environ.get(
        "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsdesk_loadtest"
    )
    redis_url = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/8")

    logs = Path(tempfile.mkdtemp(prefix="newsdesk-loadtest-"))
    prepare_database(database_url)
    clear_redis(redis_url)
    env = node_environment(database_url=database_url, redis_url=redis_url)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    key = (
        manage(
            env,
            "partner_key",
            "create",
            "--partner",
            f"Load test {int(time.time())}",
            "--all-sections",
            "--tier",
            "premium",
            "--label",
            "loadtest",
        )
        .strip()
        .splitlines()[-1]
    )

    nodes = [Node(name, env, logs, web_workers=args.web_workers, scheduler_tick=5) for name in ("a", "b")]
    newsroom = None
    try:
        for node in nodes:
            node.start_all()
        for node in nodes:
            node.wait_until_serving()
        a, b = nodes
        paths = paths_to_drive(a, key)
        script = logs / "drive.lua"
        script.write_text(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths), "key": key})
        _, _, body = request(
            a.url, "/api/v1/changes/?after=0&limit=1", headers={"Authorization": f"Bearer {key}"}
        )
        head = json.loads(body)["head"]
        print(f"loadtest: {len(paths)} paths on 2 nodes ({a.url}, {b.url}), {args.duration}s; logs in {logs}")

        results: list[dict] = []
        drivers = [
            threading.Thread(target=run_wrk, args=(node, script, args.duration, args.connections, results))
            for node in nodes
        ]
        started = time.monotonic()
        for driver in drivers:
            driver.start()
        newsroom = subprocess.Popen(
            [sys.executable, "-c", NEWSROOM, str(int(time.time()))],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=(logs / "newsroom.log").open("w"),
            text=True,
        )
        published: list[tuple[int, str]] = []
        reader = threading.Thread(
            target=lambda: published.extend(
                (int(line.split()[1]), line.split()[2])
                for line in newsroom.stdout
                if line.startswith("published")
            )
        )
        reader.start()

        def at(fraction: float) -> None:
            time.sleep(max(0.0, started + fraction * args.duration - time.monotonic()))

        at(0.3)
        for kind in ("web", "worker", "scheduler"):
            b.kill(kind)
        print(
            f"loadtest: t={time.monotonic() - started:.0f}s killed node b's gunicorn master, RQ worker, scheduler (SIGKILL)"
        )
        at(0.5)
        for kind in ("web", "worker", "scheduler"):
            b.restart(kind)
        print(f"loadtest: t={time.monotonic() - started:.0f}s restarted them")
        for driver in drivers:
            driver.join()
        newsroom.terminate()
        newsroom.wait(timeout=30)
        reader.join(timeout=30)

        # The queue drains on the workers still up; every task enqueued ran once.
        import redis

        queue = redis.Redis.from_url(redis_url)
        tokens = sorted(token for _, token in published)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and queue.llen(DONE) < len(tokens):
            time.sleep(0.5)
        ran = sorted(row.decode().split()[0] for row in queue.lrange(DONE, 0, -1))
        ids = {page_id for page_id, _ in published}
        auth = {"Authorization": f"Bearer {key}"}
        missing_live = [pk for pk in ids if request(a.url, f"/api/v1/articles/{pk}/", headers=auth)[0] != 200]
        missing_feed = ids - change_feed_ids(a, key, head)
    finally:
        if newsroom is not None and newsroom.poll() is None:
            newsroom.kill()
        for node in nodes:
            node.stop()

    problems = []
    for figures in sorted(results, key=lambda f: f["node"]):
        if "error" in figures:
            problems.append(f"wrk on node {figures['node']} failed: {figures['error'][-500:]}")
            continue
        seconds = figures["duration_us"] / 1e6
        errors = figures["connect"] + figures["read"] + figures["write"] + figures["timeout"]
        print(
            f"node {figures['node']}: {figures['requests']} requests in {seconds:.0f}s = "
            f"{figures['requests'] / seconds:.1f} req/s, p50 {figures['p50_us'] / 1000:.1f} ms, "
            f"p99 {figures['p99_us'] / 1000:.1f} ms, max {figures['max_us'] / 1000:.0f} ms, "
            f"non-2xx {figures['non2xx']}, socket errors {errors}"
        )
        if figures["node"] == "a" and (figures["non2xx"] or errors):
            problems.append("node a (the survivor) answered something other than 2xx")
    total = sum(f.get("requests", 0) for f in results)
    print(f"both nodes: {total} requests, {total / args.duration:.1f} req/s")
    print(f"published during the run: {len(ids)}; tasks enqueued: {len(tokens)}, ran: {len(ran)}")
    if not ids:
        problems.append("the newsroom published nothing")
    if missing_live:
        problems.append(f"published but not live on the API: {sorted(missing_live)}")
    if missing_feed:
        problems.append(f"published but missing from the change feed: {sorted(missing_feed)}")
    # A story published as the newsroom was stopped may have run its task unreported: only lost
    # or doubled tasks count.
    lost = set(tokens) - set(ran)
    twice = sorted(token for token, count in Counter(ran).items() if count > 1)
    if lost or twice:
        problems.append(f"tasks lost: {len(lost)}, run twice: {len(twice)} (of {len(tokens)} enqueued)")
    for problem in problems:
        print(f"loadtest: FAIL {problem}", file=sys.stderr)
    if not problems:
        print("loadtest: OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
