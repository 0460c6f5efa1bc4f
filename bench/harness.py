"""The benchmark: ours against the floor and Wagtail's API v2 and v3 on the corpus (issue 15).

    DATABASE_URL=postgres://... python -m bench.harness [--articles 100000] [--rounds 200] [--no-http]

Stage 1 runs in process through Django's WSGI handler: one untimed warm-up request per scenario
and peer (its queries are counted, and ours and the floor must return the same ids there, or the
run fails), then interleaved rounds (every scenario and peer once per round, so load on the
shared machine hits them alike; the rolled-back draft save in rounds of its own after the reads)
until a pair has its rounds or has spent its time budget: fast requests get up to 200 samples,
the slow pages a few dozen, Wagtail's peers one (and a statement timeout), so a run at 100k finishes in bounded time. Per scenario and peer: n, p50, the max, and
p95 and p99 only where n is large enough for them (bench/report.py MIN_SAMPLES). Stage 2 (on by
default) starts gunicorn with 2 workers on 127.0.0.1 and drives each scenario with wrk for a
bounded time. Writes bench/results/<date>-<sha>.json, the charts next to it and bench/REPORT.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection, reset_queries, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Revision  # noqa: E402

from apps.api.pagination import Cursor, encode_cursor  # noqa: E402
from apps.articles.models import (  # noqa: E402
    ArticleActor,
    ArticleByline,
    ArticleCorrection,
    ArticleEvent,
    ArticlePage,
    ArticlePlace,
)
from apps.changes.models import ChangeCounter  # noqa: E402
from apps.corpus.generator import corpus_sections  # noqa: E402
from apps.partners.models import ApiKey, Partner, RateTier  # noqa: E402
from apps.partners.selectors import entitled_section_ids  # noqa: E402
from apps.partners.services import create_api_key  # noqa: E402
from apps.registry.models import Actor, ActorRelation  # noqa: E402
from bench import floor  # noqa: E402
from bench.admin_form import draft_form_data  # noqa: E402
from bench.report import MIN_SAMPLES  # noqa: E402

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
PARTNER = "Bench partner"
EDITOR = "bench-editor"
PAGE = 20
PEERS = ("floor", "ours", "v2", "v3")
WAGTAIL = ("v2", "v3")
SEARCH_WORD = "ceasefire"  # one of the corpus generator's words

# Why a peer has no figure for a scenario (the report prints these).
NO_TAG_FILTER = "Wagtail's pages API filters on page fields only; tags are child rows (no actor filter)"
HTML = "an HTML page of the public site, not an API response"
ADMIN = "the admin editor, not an API response"
CANNOT: dict[str, str] = {
    "actor": NO_TAG_FILTER,
    "actors_and": NO_TAG_FILTER,
    "actors_or": NO_TAG_FILTER,
    "date_range": "Wagtail's pages API filters on exact field values (no date range)",
    "ninjs": "Wagtail's APIs have no ninjs rendition",
    "changes": "Wagtail has no change feed",
    "actor_as_of": "actors are not pages: Wagtail's pages API does not serve them",
    "events": "events are not pages: Wagtail's pages API does not serve them",
}
NO_FLOOR: dict[str, str] = {}
# Wagtail's PostgreSQL search backend's rank weights (D, C, B, A), as its SQL writes them.
SEARCH_WEIGHTS = "{0.009900990099009901,0.009900990099009901,0.20792079207920794,1.0}"


class BenchError(RuntimeError):
    """A failed run (ids differ between ours and the floor, ours answers an error): not a figure."""


@dataclass(frozen=True)
class Call:
    url: str
    client: str = "partner"  # partner (bearer key), anonymous, admin (logged-in editor) or floor
    post: dict[str, Any] | None = None  # form data: the draft save, rolled back
    headers: dict[str, str] = field(default_factory=dict)


def _sha() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "nogit"


def ensure_corpus(args: argparse.Namespace) -> float | None:
    """Generate the corpus if the database has none; the seconds it took, or None."""
    if corpus_sections():
        return None
    print(f"no corpus: generating {args.articles} articles", flush=True)
    started = time.monotonic()
    call_command(
        "generate_corpus",
        articles=args.articles,
        actors=args.actors,
        events=args.events,
        seed=args.seed,
        no_progress=True,
    )
    return round(time.monotonic() - started, 1)


def bench_partner(name: str = PARTNER) -> tuple[Partner, str]:
    partner, _ = Partner.objects.get_or_create(
        name=name,
        defaults={"contact_email": "bench@partner.example", "rate_tier": RateTier.PREMIUM},
    )
    partner.sections.set(corpus_sections()[:-1])  # the last corpus section is unentitled
    # One live key per run: the previous runs' keys are revoked (a partner may hold two).
    ApiKey.objects.filter(partner=partner, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return partner, create_api_key(partner=partner).plaintext


def bench_editor():
    """A superuser for the admin scenarios (logged in with force_login, no password)."""
    user, _ = get_user_model().objects.get_or_create(
        username=EDITOR, defaults={"email": "bench@newsdesk.example", "is_staff": True, "is_superuser": True}
    )
    return user


# What the editor reads per kind, not per row or block (traced at 100k, docs/adr/0016-notes/harness.md):
# a chooser read per chooser field (the hero image, the dateline, and once per form for all of a
# body's image or related-article blocks) and a formset read per child table with rows. Two
# articles that differ in one of these differ in queries by a constant that is not their tags or
# blocks. The rich-text link types are held equal too, as a precaution (the corpus writes none).
_LINK_TYPE = re.compile(r'linktype=\\?"(\w+)\\?"')


@dataclass(frozen=True)
class AdminShape:
    """Everything about an article the admin's query count can depend on, except how many tags and
    body blocks it has: the two admin articles share it, so their difference is tags and blocks."""

    hero_image: bool
    dateline: bool
    locked: bool
    bylines: int
    corrections: int
    tag_kinds: tuple[str, ...]  # the tag tables with rows (actor, event, place)
    block_kinds: tuple[str, ...]  # the body's block types and its rich-text link types

    def describe(self) -> str:
        return (
            f"hero image {'yes' if self.hero_image else 'no'}, dateline {'yes' if self.dateline else 'no'}, "
            f"{self.bylines} byline(s), {self.corrections} correction(s), "
            f"tags of kind {'/'.join(self.tag_kinds) or 'none'}, blocks of kind {'/'.join(self.block_kinds)}"
            + (", locked" if self.locked else "")
        )


_TAG_TABLES = {"actor": ArticleActor, "event": ArticleEvent, "place": ArticlePlace}


def admin_candidates(ids: list[int]) -> dict[int, tuple[AdminShape, int, int]]:
    """Each article's shape, tag count and block count: one read of the pages and one grouped count
    per child table (a join of the tables would multiply the rows; it ran minutes at 100k). Only
    articles without a draft: the editor opens the latest revision, which is then the rows read."""
    counts: dict[str, dict[int, int]] = {}
    children = {**_TAG_TABLES, "byline": ArticleByline, "correction": ArticleCorrection}
    for name, model in children.items():
        counts[name] = dict(
            model.objects.filter(page_id__in=ids).values_list("page_id").annotate(n=Count("id"))
        )
    out = {}
    pages = ArticlePage.objects.filter(pk__in=ids, has_unpublished_changes=False)
    for pk, hero, dateline, locked, body in pages.values_list(
        "pk", "hero_image_id", "dateline_id", "locked", "body"
    ):
        raw = body.raw_data
        kinds = {block["type"] for block in raw}
        kinds |= {f"{kind} link" for kind in _LINK_TYPE.findall(json.dumps([b["value"] for b in raw]))}
        shape = AdminShape(
            hero_image=hero is not None,
            dateline=dateline is not None,
            locked=locked,
            bylines=counts["byline"].get(pk, 0),
            corrections=counts["correction"].get(pk, 0),
            tag_kinds=tuple(kind for kind in _TAG_TABLES if counts[kind].get(pk)),
            block_kinds=tuple(sorted(kinds)),
        )
        out[pk] = (shape, sum(counts[kind].get(pk, 0) for kind in _TAG_TABLES), len(raw))
    return out


def pick_admin_articles(candidates: dict[int, tuple[AdminShape, int, int]]) -> tuple[int, int]:
    """Two articles of the same shape, as far apart in tags and blocks as one shape allows: in each
    shape, `few` has the fewest tags plus blocks and `many` the most among those with at least as
    many of each; the shape whose pair is furthest apart wins (then the more common shape, then
    the lower ids). One article alone in every shape is returned twice: no comparison."""
    by_shape: dict[AdminShape, list[tuple[int, int, int]]] = {}
    for pk, (shape, tags, blocks) in candidates.items():
        by_shape.setdefault(shape, []).append((pk, tags, blocks))
    best: tuple[tuple[int, int, int], int, int] | None = None
    for members in by_shape.values():
        few = min(members, key=lambda m: (m[1] + m[2], m[1], m[0]))
        many = max(
            (m for m in members if m[1] >= few[1] and m[2] >= few[2]),
            key=lambda m: (m[1] + m[2], m[1], -m[0]),
        )
        rank = ((many[1] + many[2]) - (few[1] + few[2]), len(members), -few[0])
        if best is None or rank > best[0]:
            best = (rank, few[0], many[0])
    if best is None:
        raise BenchError("no visible article without a draft to open in the admin")
    return best[1], best[2]


def build_context(partner: Partner) -> dict[str, Any]:
    """The ids every peer is asked for: the same section, actors, dates, position and article."""
    # Every visible article's position, newest first, in one statement with the floor's visibility
    # rule (the ORM's count and offset took 50 s each at 100k on a loaded machine; this 13 s). That
    # ours sees the same rows is checked by the ids of the deep and detail pages.
    sections = entitled_section_ids(partner)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.published_at, a.page_ptr_id FROM articles_articlepage a JOIN wagtailcore_page p"  # noqa: S608
            f" ON p.id = a.page_ptr_id WHERE {floor._VISIBLE} ORDER BY a.published_at DESC, a.page_ptr_id DESC",
            {"sections": sections},
        )
        rows = cursor.fetchall()
    total = len(rows)
    deep_offset = min(80_000, int(total * 0.8))
    deep = rows[deep_offset]
    section = corpus_sections()[1]
    # The two most tagged public actors (the head of the Zipf curve).
    popular = list(
        ArticleActor.objects.filter(confirmed=True, actor__in=Actor.objects.public())
        .values("actor_id")
        .annotate(n=Count("id"))
        .order_by("-n", "actor_id")
        .values_list("actor_id", flat=True)[:2]
    )
    # The public actor with the most relations (the corpus writes none: the demo desk's do).
    as_of_actor = (
        Actor.objects.public()
        .annotate(n=Count("relations", distinct=True) + Count("incoming_relations", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    # The day its latest relation started: some relations hold then, others have ended.
    as_of_day = (
        ActorRelation.objects.filter(Q(subject=as_of_actor) | Q(object=as_of_actor), start__isnull=False)
        .order_by("start")
        .values_list("start", flat=True)
        .last()
    ) or timezone.localdate()
    newest, detail = rows[0][0], rows[100][1]
    few, many = pick_admin_articles(admin_candidates([pk for _, pk in rows[:2000]]))
    head = ChangeCounter.objects.get(pk=1).value
    return {
        "sections": sections,
        "partner": partner.pk,
        "limit": PAGE,
        "section": section.pk,
        "section_slug": section.slug,
        "actor": popular[0],
        "actor2": popular[1],
        "as_of_actor": as_of_actor.pk,
        "as_of": as_of_day.isoformat(),
        "date_from": (newest - timedelta(days=400)).date().isoformat(),
        "date_to": (newest - timedelta(days=300)).date().isoformat(),
        "deep_at": deep[0].isoformat(),
        "deep_id": deep[1],
        "deep_offset": deep_offset,
        "detail": detail,
        "admin_few": few,
        "admin_many": many,
        "after": max(0, head - 5000),
        "q": SEARCH_WORD,
        "q_term": f"'{SEARCH_WORD}'",
        "weights": SEARCH_WEIGHTS,
        "article_type": ContentType.objects.get_for_model(ArticlePage).pk,
        "base": "",
        "visible": total,
    }


def scenarios(ctx: dict[str, Any]) -> dict[str, dict[str, Call | str]]:
    """A Call per peer and scenario, or the reason the peer cannot express it."""
    cursor = encode_cursor(
        Cursor(ordering="-published", backwards=False, values=(ctx["deep_at"], ctx["deep_id"]))
    )
    ours = "/api/v1/articles/?page_size=20"
    article = ArticlePage.objects.get(pk=ctx["detail"])
    actor = Actor.objects.get(pk=ctx["actor"])
    v2 = "/bench/wagtail/v2/pages/?type=articles.ArticlePage&fields=standfirst,body,published_at,section&limit=20&order=-first_published_at"
    v3 = "/bench/wagtail/v3/pages/?type=articles.ArticlePage&limit=20&order=-first_published_at"
    edit = f"/admin/pages/{ctx['admin_many']}/edit/"
    table: dict[str, dict[str, Call | str]] = {
        "list": {"ours": Call(ours), "v2": Call(v2, "anonymous"), "v3": Call(v3, "anonymous")},
        "section": {
            "ours": Call(f"{ours}&section={ctx['section_slug']}"),
            "v2": Call(f"{v2}&child_of={ctx['section']}", "anonymous"),
            "v3": Call(f"{v3}&child_of={ctx['section']}", "anonymous"),
        },
        "actor": {"ours": Call(f"{ours}&actor={ctx['actor']}")},
        "actors_and": {"ours": Call(f"{ours}&actor={ctx['actor']},{ctx['actor2']}")},
        "actors_or": {"ours": Call(f"{ours}&actor={ctx['actor']}|{ctx['actor2']}")},
        "date_range": {
            "ours": Call(f"{ours}&published_after={ctx['date_from']}&published_before={ctx['date_to']}")
        },
        "deep": {
            "ours": Call(f"{ours}&cursor={cursor}"),
            "v2": Call(f"{v2}&offset={ctx['deep_offset']}", "anonymous"),
            "v3": Call(f"{v3}&offset={ctx['deep_offset']}", "anonymous"),
        },
        "detail": {
            "ours": Call(f"/api/v1/articles/{ctx['detail']}/"),
            "v2": Call(f"/bench/wagtail/v2/pages/{ctx['detail']}/", "anonymous"),
            "v3": Call(f"/bench/wagtail/v3/pages/{ctx['detail']}/", "anonymous"),
        },
        "ninjs": {"ours": Call(f"/api/v1/articles/{ctx['detail']}/?format=ninjs")},
        "changes": {"ours": Call(f"/api/v1/changes/?after={ctx['after']}&limit={PAGE}")},
        "q": {
            "ours": Call(f"{ours}&q={ctx['q']}"),
            "v2": Call(f"{v2}&search={ctx['q']}".replace("&order=-first_published_at", ""), "anonymous"),
            "v3": Call(f"{v3}&search={ctx['q']}".replace("&order=-first_published_at", ""), "anonymous"),
        },
        "actor_as_of": {"ours": Call(f"/api/v1/actors/{ctx['as_of_actor']}/?as_of={ctx['as_of']}")},
        "events": {"ours": Call("/api/v1/events/?page_size=20")},
        "public_home": {"ours": Call("/", "anonymous")},
        "public_section": {"ours": Call(article.section.get_url(), "anonymous")},
        "public_article": {"ours": Call(article.get_url(), "anonymous")},
        "public_actor": {"ours": Call(actor.get_absolute_url(), "anonymous")},
        "admin_edit": {"ours": Call(edit, "admin")},
        "draft_save": {
            "ours": Call(edit, "admin", post=draft_form_data(ArticlePage.objects.get(pk=ctx["admin_many"])))
        },
    }
    for name, row in table.items():
        if name in floor.SCENARIOS:
            row["floor"] = Call(f"/bench/floor/{name}/", "floor")
        else:
            row["floor"] = NO_FLOOR.get(name) or (ADMIN if name.startswith(("admin", "draft")) else HTML)
        for peer in WAGTAIL:
            row.setdefault(
                peer,
                CANNOT.get(name)
                or (
                    ADMIN
                    if name.startswith(("admin", "draft"))
                    else HTML
                    if name.startswith("public")
                    else "-"
                ),
            )
    return table


def response_ids(scenario: str, body: bytes | str) -> list[Any]:
    """The ids a response carries, in order: articles, change entries, events, or one record with
    its relations' counterparts, events and articles."""
    data = json.loads(body)
    if "results" in data:
        return [item.get("seq", item.get("id")) for item in data["results"]]
    if scenario == "ninjs":
        return [data["uri"]]
    if scenario == "actor_as_of":
        return [
            data["id"],
            sorted(r["other"]["id"] for r in data["relations"]),
            [e["event"]["id"] for e in data["events"]],
            [a["id"] for a in data["articles"]],
        ]
    if "items" in data:  # Wagtail v2/v3 lists
        return [item["id"] for item in data["items"]]
    return [data["id"]]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latency_summary(values: list[float]) -> dict[str, Any]:
    """n, p50 and the slowest sample, and p95 and p99 only from enough samples (MIN_SAMPLES): from
    fewer, the "p99" of 30 samples is their slowest one, an outlier rather than a percentile."""
    out: dict[str, Any] = {"n": len(values)}
    if not values:
        return out
    out["p50_ms"] = round(statistics.median(values), 2)
    for key, q in (("p95_ms", 0.95), ("p99_ms", 0.99)):
        if len(values) >= MIN_SAMPLES[key]:
            out[key] = round(_percentile(values, q), 2)
    out["max_ms"] = round(max(values), 2)
    return out


@contextmanager
def _statement_timeout(seconds: float | None):
    if not seconds:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{int(seconds * 1000)}"])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")


def _app_queries(captured: CaptureQueriesContext) -> int:
    """The request's own queries: not the harness's statement-timeout SET and RESET around it."""
    return sum(1 for query in captured.captured_queries if not query["sql"].startswith(_TIMEOUT_SQL))


_TIMEOUT_SQL = ("SELECT set_config('statement_timeout'", "RESET statement_timeout")


class Runner:
    """Runs one Call in process: the floor through psycopg, the rest through the test client."""

    def __init__(
        self, ctx: dict[str, Any], key: str, *, wagtail_timeout: float | None, timeout: float | None = None
    ) -> None:
        self.ctx = ctx
        self.wagtail_timeout = wagtail_timeout
        self.timeout = timeout
        admin = Client(HTTP_HOST="127.0.0.1")
        admin.force_login(bench_editor())
        self.clients = {
            "partner": Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_HOST="127.0.0.1"),
            "anonymous": Client(HTTP_HOST="127.0.0.1"),
            "admin": admin,
        }

    def __call__(self, scenario: str, peer: str, call: Call) -> tuple[int | str, bytes]:
        if call.client == "floor":
            return 200, floor.run(scenario, self.ctx).encode()
        client = self.clients[call.client]
        if call.post is not None:
            # The draft save runs as the admin runs it, then is rolled back: the corpus stays as it was.
            with transaction.atomic():
                response = client.post(call.url, call.post)
                transaction.set_rollback(True)
            return response.status_code, response.content
        try:
            with _statement_timeout(self.wagtail_timeout if peer in WAGTAIL else self.timeout):
                response = client.get(call.url, **call.headers)
        except OperationalError as error:  # the statement timeout: recorded, and the run goes on
            return f"{type(error).__name__}: {str(error).splitlines()[0][:120]}", b""
        return response.status_code, response.content


def _expected_status(scenario: str) -> int:
    return 302 if scenario == "draft_save" else 200


def stage1(
    ctx: dict[str, Any],
    key: str,
    rounds: int,
    *,
    wagtail_rounds: int = 5,
    budget_s: float = 60.0,
    wagtail_budget_s: float = 30.0,
    wagtail_timeout: float | None = 30.0,
    only: list[str] | None = None,
    timeout: float | None = None,
    peers: tuple[str, ...] = PEERS,
) -> dict[str, Any]:
    """Warm-up (queries, ids checked), then interleaved timed rounds within each pair's budget."""
    table = scenarios(ctx)
    if only:
        table = {name: row for name, row in table.items() if name in only}
    run = Runner(ctx, key, wagtail_timeout=wagtail_timeout, timeout=timeout)
    pairs = [(s, p) for s in table for p in peers if isinstance(table[s].get(p), Call)]
    timings: dict[tuple[str, str], list[float]] = {pair: [] for pair in pairs}
    spent: dict[tuple[str, str], float] = dict.fromkeys(pairs, 0.0)
    info: dict[tuple[str, str], dict[str, Any]] = {}
    bodies: dict[tuple[str, str], bytes] = {}
    failures: list[str] = []

    # Warm-up: an untimed request per pair, its queries counted and its body kept for the ids.
    # A first request pays one-offs (site and content-type caches, image renditions made on first
    # use: 56 queries instead of 24 on a fresh corpus), so ours and the floor are asked twice and
    # the second is counted, unless the first took over 10 s (a slow query, not a one-off).
    # Wagtail's peers, slow, once, after ours and the floor.
    pairs.sort(key=lambda pair: pair[1] in WAGTAIL)

    def measured(scenario: str, peer: str, call: Call) -> tuple[int | str, bytes, float, int]:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            status, body = run(scenario, peer, call)
            elapsed = time.perf_counter() - started
        return status, body, elapsed, 1 if peer == "floor" else _app_queries(captured)

    for scenario, peer in pairs:
        call = table[scenario][peer]
        status, body, elapsed, queries = measured(scenario, peer, call)
        if peer not in WAGTAIL and elapsed < 10:
            spent[(scenario, peer)] += elapsed
            status, body, elapsed, queries = measured(scenario, peer, call)
        spent[(scenario, peer)] += elapsed
        info[(scenario, peer)] = {
            "queries": queries,
            "status": status,
            "warm_up_ms": round(elapsed * 1000, 2),
        }
        bodies[(scenario, peer)] = body
        print(
            f"bench: stage 1 warm-up {scenario} / {peer}: {status}, {elapsed:.2f} s",
            file=sys.stderr,
            flush=True,
        )
        if peer == "ours" and isinstance(status, int) and status != _expected_status(scenario):
            failures.append(f"{scenario}: ours answered {status}")
    ids_match: dict[str, bool] = {}
    for scenario in table:
        if bodies.get((scenario, "floor")) and bodies.get((scenario, "ours")):
            ours_ids = response_ids(scenario, bodies[(scenario, "ours")])
            floor_ids = response_ids(scenario, bodies[(scenario, "floor")])
            ids_match[scenario] = ours_ids == floor_ids
            if ours_ids != floor_ids:
                failures.append(f"{scenario}: ours ids {ours_ids} != floor ids {floor_ids}")
    if failures:
        raise BenchError("; ".join(failures))

    connection.force_debug_cursor = False
    limit = {pair: (wagtail_rounds if pair[1] in WAGTAIL else rounds) for pair in pairs}
    # The reads' rounds first, the writes' after: a write here is rolled back (the corpus stays as
    # it was), and on ROLLBACK psycopg deallocates every prepared statement of the connection,
    # which a committed save in production does not. Interleaved, each round's draft save would
    # send every read back to being planned (list 12 -> 18 ms; docs/adr/0016-notes/planning.md).
    reads = [pair for pair in pairs if table[pair[0]][pair[1]].post is None]
    writes = [pair for pair in pairs if pair not in reads]
    for phase, members in (("reads", reads), ("writes", writes)):
        for n in range(max((limit[pair] for pair in members), default=0)):
            print(f"bench: stage 1 {phase} round {n + 1}", file=sys.stderr, flush=True)
            for pair in members:
                if len(timings[pair]) >= limit[pair] or spent[pair] >= (
                    wagtail_budget_s if pair[1] in WAGTAIL else budget_s
                ):
                    continue
                started = time.perf_counter()
                status, _ = run(*pair, table[pair[0]][pair[1]])
                elapsed = time.perf_counter() - started
                spent[pair] += elapsed
                if status == info[pair]["status"]:
                    timings[pair].append(elapsed * 1000)
            reset_queries()

    summary: dict[str, Any] = {}
    for scenario, row in table.items():
        summary[scenario] = {}
        for peer in peers:
            target = row.get(peer)
            if not isinstance(target, Call):
                summary[scenario][peer] = {"cannot": target}
                continue
            pair = (scenario, peer)
            values = timings[pair]
            entry = {**info[pair], "spent_s": round(spent[pair], 1)}
            if not values and isinstance(info[pair]["status"], int):
                # Over budget at the warm-up already: its one (cold) request is the only sample.
                values = [info[pair]["warm_up_ms"]]
                entry["warm_up_only"] = True
            entry.update(latency_summary(values))
            entry["capped"] = len(timings[pair]) < limit[pair]
            if scenario in ids_match and peer == "ours":
                entry["ids_match_floor"] = ids_match[scenario]
            summary[scenario][peer] = entry
    return summary


def query_checks(ctx: dict[str, Any], key: str, *, lists: bool = True) -> dict[str, Any]:
    """Queries only: the list at page sizes 5, 20 and 100, and the admin edit page and draft save
    on two articles of one shape with the fewest and the most tags and blocks (issue 15: constant
    in both; pick_admin_articles)."""
    run = Runner(ctx, key, wagtail_timeout=None)
    out: dict[str, Any] = {"list_by_page_size": {}, "admin": {}}

    def count(scenario: str, call: Call) -> int:
        run(scenario, "ours", call)  # warm
        with CaptureQueriesContext(connection) as captured:
            status, _ = run(scenario, "ours", call)
        if status != _expected_status(scenario):
            raise BenchError(f"{scenario} {call.url}: ours answered {status}")
        return len(captured)

    for size in (5, 20, 100) if lists else ():
        out["list_by_page_size"][str(size)] = count("list", Call(f"/api/v1/articles/?page_size={size}"))
    shapes = admin_candidates([ctx["admin_few"], ctx["admin_many"]])
    for label in ("admin_few", "admin_many"):
        page = ArticlePage.objects.get(pk=ctx[label])
        url = f"/admin/pages/{page.pk}/edit/"
        shape, tags, blocks = shapes[page.pk]
        out["admin"][label] = {
            "article": page.pk,
            "tags": tags,
            "blocks": blocks,
            "shape": shape.describe(),
            "edit_queries": count("admin_edit", Call(url, "admin")),
            "draft_save_queries": count("draft_save", Call(url, "admin", post=draft_form_data(page))),
        }
    out["admin_same_shape"] = shapes[ctx["admin_few"]][0] == shapes[ctx["admin_many"]][0]
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# A slow Wagtail request must not get its worker killed (gunicorn's default is 30 s).
GUNICORN_OPTIONS = ("--timeout", "120", "--log-level", "error", "bench.wsgi")
HTTP_SCENARIOS = ("list", "section", "deep", "detail", "actor", "ninjs", "changes", "events")
HTTP_V2 = ("list", "deep", "detail")


def _wrk(wrk: str, url: str, key: str, seconds: int) -> dict[str, Any]:
    out = subprocess.run(
        [
            wrk,
            "-t2",
            "-c4",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-H",
            f"Authorization: Bearer {key}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out.stdout)
    done = re.search(r"(\d+) requests in", out.stdout)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)
    timeouts = re.search(r"timeout (\d+)", out.stdout)

    def latency(pct: str) -> float | None:
        found = re.search(rf"{pct}%\s+([\d.]+)(us|ms|s)\b", out.stdout)
        if not found:
            return None
        return round(float(found.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[found.group(2)], 2)

    return {
        "requests_per_s": float(rps.group(1)) if rps else None,
        "requests": int(done.group(1)) if done else None,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "timeouts": int(timeouts.group(1)) if timeouts else 0,
        "seconds": seconds,
    }


def stage2(ctx: dict[str, Any], key: str, seconds: int) -> dict[str, Any]:
    """gunicorn -w 2 on a free loopback port, wrk -t2 -c4 for `seconds` per scenario and peer
    (Wagtail v2 last: a slow request still running after its wrk cannot slow the others)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"skipped": "wrk not installed (apt-get install -y wrk)"}
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_CONTEXT": json.dumps(ctx)}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", *GUNICORN_OPTIONS],
        env=env,
        cwd=ROOT.parent,
    )
    table = scenarios(ctx)
    results: dict[str, Any] = {name: {} for name in HTTP_SCENARIOS}
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        plan = [(s, p) for s in HTTP_SCENARIOS for p in ("floor", "ours")] + [(s, "v2") for s in HTTP_V2]
        for scenario, peer in plan:
            call = table[scenario][peer]
            url = f"http://127.0.0.1:{port}{call.url}"
            if peer != "v2":  # one untimed request first (v2's take seconds: its wrk run is its warm-up)
                subprocess.run(
                    ["curl", "-s", "-o", "/dev/null", "-H", f"Authorization: Bearer {key}", url], check=False
                )
            results[scenario][peer] = _wrk(wrk, url, key, seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def machine() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg = cursor.fetchone()[0]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": pg.split(" on ")[0],
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _corpus_unchanged(ctx: dict[str, Any]) -> dict[str, Any]:
    """What the draft saves could have changed: revisions and the edited article's state."""
    page = ArticlePage.objects.get(pk=ctx["admin_many"])
    return {
        "revisions": Revision.objects.count(),
        "live_revision": page.live_revision_id,
        "latest_revision": page.latest_revision_id,
        "has_unpublished_changes": page.has_unpublished_changes,
    }


def quick(args: argparse.Namespace) -> int:
    """`--only`: the named scenarios' stage 1, p50 and queries per peer, printed (a working aid
    while changing one scenario; the full run is what the report quotes)."""
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    partner, key = bench_partner(f"{PARTNER} {os.getpid()}")
    ctx = build_context(partner)
    unknown = sorted(set(only) - set(scenarios(ctx)))
    if unknown:
        print(
            f"bench: unknown scenario(s) {', '.join(unknown)}; known: {', '.join(scenarios(ctx))}",
            file=sys.stderr,
        )
        return 2
    try:
        stage = stage1(
            ctx,
            key,
            args.rounds,
            budget_s=args.budget,
            only=only,
            timeout=args.timeout,
            peers=("floor", "ours"),
        )
        if {"admin_edit", "draft_save"} & set(only):  # and the few-vs-many comparison the report makes
            stage["queries"] = query_checks(ctx, key, lists=False)
    except BenchError as error:
        print(f"bench: FAILED: {error}", file=sys.stderr)
        return 1
    print(json.dumps(stage, indent=1, default=str))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--actors", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=15)
    # Enough rounds for a p99 where a request is fast (MIN_SAMPLES: 100; 200 puts two samples above
    # it); the budget stops the slow pages and Wagtail's peers long before.
    parser.add_argument("--rounds", type=int, default=200, help="timed rounds at most, ours and the floor")
    parser.add_argument("--wagtail-rounds", type=int, default=1, help="timed rounds for Wagtail v2/v3")
    parser.add_argument("--budget", type=float, default=25.0, help="seconds per scenario and peer in stage 1")
    parser.add_argument("--wagtail-budget", type=float, default=30.0, help="seconds per scenario for v2/v3")
    parser.add_argument("--wagtail-timeout", type=float, default=30.0, help="statement timeout for v2/v3 (s)")
    parser.add_argument("--timeout", type=float, default=60.0, help="statement timeout for ours (s)")
    parser.add_argument(
        "--http", action=argparse.BooleanOptionalAction, default=True, help="stage 2 (gunicorn + wrk)"
    )
    parser.add_argument("--http-seconds", type=int, default=10)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--report", type=Path, default=ROOT / "REPORT.md")
    parser.add_argument(
        "--only",
        help="comma-separated scenarios: stage 1 for those alone, printed, nothing written "
        "(its own partner, so runs side by side do not revoke each other's key)",
    )
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        print("bench: needs PostgreSQL (set DATABASE_URL)", file=sys.stderr)
        return 2
    generated_s = ensure_corpus(args)
    if args.only:
        return quick(args)
    started = time.monotonic()
    partner, key = bench_partner()
    ctx = build_context(partner)
    before = _corpus_unchanged(ctx)
    load_before = os.getloadavg()
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha": _sha(),
        "machine": machine(),
        "corpus": {
            "articles": ArticlePage.objects.count(),
            "visible_to_partner": ctx["visible"],
            "generated_in_this_run_s": generated_s,
        },
        "context": {k: v for k, v in ctx.items() if k != "base"},
        "rounds": args.rounds,
        "budget": {
            "rounds": args.rounds,
            "wagtail_rounds": args.wagtail_rounds,
            "seconds_per_scenario_and_peer": args.budget,
            "wagtail_seconds_per_scenario": args.wagtail_budget,
            "wagtail_statement_timeout_s": args.wagtail_timeout,
            "ours_statement_timeout_s": args.timeout,
        },
    }
    try:
        results["stage1"] = stage1(
            ctx,
            key,
            args.rounds,
            wagtail_rounds=args.wagtail_rounds,
            budget_s=args.budget,
            wagtail_budget_s=args.wagtail_budget,
            wagtail_timeout=args.wagtail_timeout,
            timeout=args.timeout,
        )
        results["queries"] = query_checks(ctx, key)
    except BenchError as error:
        print(f"bench: FAILED: {error}", file=sys.stderr)
        return 1
    if _corpus_unchanged(ctx) != before:
        print(
            f"bench: FAILED: the draft saves changed the corpus ({before} -> {_corpus_unchanged(ctx)})",
            file=sys.stderr,
        )
        return 1
    results["stage1_s"] = round(time.monotonic() - started, 1)
    if args.http:
        results["stage2"] = stage2(ctx, key, args.http_seconds)
    results["load_average_before_after"] = [list(load_before), list(os.getloadavg())]
    results["wall_s"] = round(time.monotonic() - started, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"{datetime.now(UTC):%Y-%m-%d}-{results['sha']}"
    path = args.out / f"{stem}.json"
    path.write_text(json.dumps(results, indent=1, default=str) + "\n")
    from bench.report import write_report

    write_report(results, stem=stem, out=args.out, report=args.report)
    print(f"bench: wrote {path} and {args.report} ({results['wall_s']} s without corpus generation)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
