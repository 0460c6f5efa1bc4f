"""Two nodes on PostgreSQL + Redis: two gunicorn servers on kernel-picked loopback ports, two RQ
workers and two schedulers. A story published through node A's admin is on node B's page, API
and change feed; tasks enqueued on the shared queue run once each; each periodic job runs once
although both schedulers start together."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta
from itertools import pairwise
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from apps.articles.models import ArticlePage
from apps.changes import selectors as changes
from apps.core import scheduler
from apps.core.models import PeriodicJobState
from scripts.cluster import Editor, Node, clear_redis, node_environment, request
from tests.factories import ArticlePageFactory
from tests.partners.factories import PartnerFactory, issue_key
from tests.reliability.tasks import DONE

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REDIS_DB = 7
TASKS = 12
PASSWORD = "two-nodes-editor-password"
REPORT = re.compile(r"(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (?P<name>\S+): (?:ok|failed)")


def own_redis_url() -> str:
    """The REDIS_URL's server (default the local one) with this suite's own database number."""
    parts = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return parts._replace(path=f"/{REDIS_DB}").geturl()


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def wait_for(check, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def cluster(tmp_path):
    url = own_redis_url()
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as error:
        pytest.fail(f"the two-node test needs Redis at {url}: {error}")
    clear_redis(url)
    # The test process issues the partner key: the nodes must pepper its hash the same way.
    pepper = settings.API_KEY_PEPPER or settings.SECRET_KEY
    env = node_environment(database_url=database_url(), redis_url=url, api_key_pepper=pepper)
    nodes = [Node(name, env, tmp_path, web_workers=1, scheduler_tick=1) for name in ("a", "b")]
    try:
        for node in nodes:
            node.start_all()
        for node in nodes:
            node.wait_until_serving()
        yield nodes
    finally:
        for node in nodes:
            node.stop()
        clear_redis(url)


def test_publish_on_one_node_read_on_the_other_and_each_job_runs_once(sahel, cluster):
    a, b = cluster
    editor = get_user_model().objects.get(username="editor")
    # Hashed as production checks it (the suite's own hasher is a fast MD5 the nodes refuse).
    editor.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    editor.save()
    key = issue_key(PartnerFactory(name="Dune Radio", sections=[sahel])).plaintext
    draft = ArticlePageFactory(parent=sahel, title="Ferry service resumes on the river", publish=False)
    after = changes.head().seq
    api = {"Authorization": f"Bearer {key}"}
    assert request(b.url, f"/api/v1/articles/{draft.pk}/", headers=api)[0] == 404

    session = Editor(a.url)
    session.log_in("editor", PASSWORD)
    session.publish(draft.pk)

    path = ArticlePage.objects.get(pk=draft.pk).get_url()
    status, _, page = request(b.url, path)
    assert (status, "Ferry service resumes on the river" in page.decode()) == (200, True)
    status, _, body = request(b.url, f"/api/v1/articles/{draft.pk}/", headers=api)
    assert (status, json.loads(body)["title"]) == (200, "Ferry service resumes on the river")
    status, _, body = request(b.url, f"/api/v1/changes/?after={after}", headers=api)
    assert status == 200
    assert [entry["id"] for entry in json.loads(body)["results"]] == [draft.pk]

    # Tasks enqueued (on commit) on one node run once each on the shared queue, whichever worker.
    tokens = [uuid.uuid4().hex for _ in range(TASKS)]
    script = (
        "import django; django.setup()\n"
        "from django.db import transaction\n"
        "from apps.core.tasks import enqueue_on_commit\n"
        "from tests.reliability.tasks import note\n"
        "with transaction.atomic():\n"
        f"    for token in {tokens!r}:\n"
        "        enqueue_on_commit(note, token)\n"
    )
    subprocess.run(
        [sys.executable, "-c", script], env=a.env, cwd=a.env["PYTHONPATH"], check=True, timeout=120
    )
    queue = redis.Redis.from_url(a.env["REDIS_URL"])
    done = wait_for(
        lambda: (rows := queue.lrange(DONE, 0, -1)) and len(rows) >= TASKS and rows,
        timeout=60,
        what="the RQ workers to run the tasks",
    )
    assert sorted(row.decode().split()[0] for row in done) == sorted(tokens)

    # Both schedulers have been ticking every second since they started: every job ran, each
    # run was reported by one scheduler only, and no two runs of a job came within its interval.
    jobs = {job.name: job.every for job in scheduler.registered_jobs()}
    wait_for(
        lambda: PeriodicJobState.objects.filter(last_finished_at__isnull=False).count() == len(jobs),
        timeout=60,
        what="every periodic job to run",
    )
    time.sleep(3)  # three more ticks of each scheduler
    runs: dict[str, list[datetime]] = {name: [] for name in jobs}
    for node in cluster:
        for line in node.log("scheduler").read_text().splitlines():
            found = REPORT.fullmatch(line)
            if found:
                runs[found["name"]].append(datetime.fromisoformat(found["at"]))
    assert dict(PeriodicJobState.objects.values_list("name", "runs")) == {n: len(r) for n, r in runs.items()}
    for name, starts in runs.items():
        starts.sort()
        assert starts, name
        # The log has whole seconds; a run is reported when it ends.
        assert all(
            later - earlier >= jobs[name] - timedelta(seconds=2) for earlier, later in pairwise(starts)
        ), (
            name,
            starts,
        )
