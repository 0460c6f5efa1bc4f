"""The benchmark: ours against the floor and Wagtail's API v2 and v3 on the corpus (issue 15).

    DATABASE_URL=postgres://... python -m bench.harness [--articles 100000] [--rounds 30] [--http]

Stage 1 runs in process through Django's WSGI handler: a warm-up, then interleaved rounds
(every scenario and peer once per round, so load on the shared machine hits them alike); p50,
p95 and p99 per scenario and peer, and the queries of one request. Stage 2 (`--http`) starts
gunicorn with 2 workers on 127.0.0.1 and drives each scenario with wrk for a bounded time.
Writes bench/results/<date>-<sha>.json, the charts next to it and bench/REPORT.md.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.api.pagination import Cursor, encode_cursor  # noqa: E402
from apps.articles.models import ArticleActor, ArticlePage  # noqa: E402
from apps.changes.models import ChangeCounter  # noqa: E402
from apps.corpus.generator import corpus_sections  # noqa: E402
from apps.partners.models import ApiKey, Partner, RateTier  # noqa: E402
from apps.partners.selectors import entitled_section_ids, partner_articles  # noqa: E402
from apps.partners.services import create_api_key  # noqa: E402
from bench import floor  # noqa: E402

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
PARTNER = "Bench partner"
PAGE = 20


def _sha() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "nogit"


def ensure_corpus(args: argparse.Namespace) -> None:
    if not corpus_sections():
        print(f"no corpus: generating {args.articles} articles", flush=True)
        call_command(
            "generate_corpus",
            articles=args.articles,
            actors=args.actors,
            events=args.events,
            seed=args.seed,
            no_progress=True,
        )


def bench_partner() -> tuple[Partner, str]:
    partner, _ = Partner.objects.get_or_create(
        name=PARTNER,
        defaults={"contact_email": "bench@partner.example", "rate_tier": RateTier.PREMIUM},
    )
    partner.sections.set(corpus_sections()[:-1])  # the last corpus section is unentitled
    # One live key per run: the previous runs' keys are revoked (a partner may hold two).
    ApiKey.objects.filter(partner=partner, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return partner, create_api_key(partner=partner).plaintext


def build_context(partner: Partner) -> dict[str, Any]:
    """The ids every peer is asked for: the same section, actors, dates, position and article."""
    visible = partner_articles(partner).order_by("-published_at", "-page_ptr_id")
    total = visible.count()
    deep_offset = min(80_000, int(total * 0.8))
    deep = visible.values_list("published_at", "page_ptr_id")[deep_offset]
    section = corpus_sections()[1]
    popular = list(
        ArticleActor.objects.filter(confirmed=True, actor__review_status="approved")
        .values_list("actor_id", flat=True)
        .order_by("actor_id")[:2]
    )
    newest = visible.values_list("published_at", flat=True).first()
    detail = visible.values_list("pk", flat=True)[100]
    head = ChangeCounter.objects.get(pk=1).value
    return {
        "sections": entitled_section_ids(partner),
        "partner": partner.pk,
        "limit": PAGE,
        "section": section.pk,
        "section_slug": section.slug,
        "actor": popular[0],
        "actor2": popular[1],
        "date_from": (newest - timedelta(days=400)).isoformat(),
        "date_to": (newest - timedelta(days=300)).isoformat(),
        "deep_at": deep[0].isoformat(),
        "deep_id": deep[1],
        "deep_offset": deep_offset,
        "detail": detail,
        "after": max(0, head - 5000),
        "base": "",
        "visible": total,
    }


def scenarios(ctx: dict[str, Any]) -> dict[str, dict[str, str | None]]:
    """URL per peer and scenario; None where the peer cannot express the scenario."""
    cursor = encode_cursor(
        Cursor(ordering="-published", backwards=False, values=(ctx["deep_at"], ctx["deep_id"]))
    )
    ours = "/api/v1/articles/?page_size=20"
    article = ArticlePage.objects.get(pk=ctx["detail"])
    v2 = "/bench/wagtail/v2/pages/?type=articles.ArticlePage&fields=standfirst,body,published_at,section&limit=20&order=-first_published_at"
    v3 = "/bench/wagtail/v3/pages/?type=articles.ArticlePage&limit=20"
    return {
        "list": {"ours": ours, "v2": v2, "v3": v3},
        "section": {
            "ours": f"{ours}&section={ctx['section_slug']}",
            "v2": f"{v2}&child_of={ctx['section']}",
            "v3": f"{v3}&child_of={ctx['section']}",
        },
        "actor": {"ours": f"{ours}&actor={ctx['actor']}", "v2": None, "v3": None},
        "actors_and": {"ours": f"{ours}&actor={ctx['actor']},{ctx['actor2']}", "v2": None, "v3": None},
        "actors_or": {"ours": f"{ours}&actor={ctx['actor']}|{ctx['actor2']}", "v2": None, "v3": None},
        "date_range": {
            "ours": f"{ours}&published_after={ctx['date_from'][:10]}&published_before={ctx['date_to'][:10]}",
            "v2": None,
            "v3": None,
        },
        "deep": {
            "ours": f"{ours}&cursor={cursor}",
            "v2": f"{v2}&offset={ctx['deep_offset']}",
            "v3": f"{v3}&offset={ctx['deep_offset']}",
        },
        "detail": {
            "ours": f"/api/v1/articles/{ctx['detail']}/",
            "v2": f"/bench/wagtail/v2/pages/{ctx['detail']}/",
            "v3": f"/bench/wagtail/v3/pages/{ctx['detail']}/",
        },
        "changes": {"ours": f"/api/v1/changes/?after={ctx['after']}", "v2": None, "v3": None},
        "public_article": {"ours": article.get_url(), "v2": None, "v3": None},
        "public_section": {"ours": article.section.get_url(), "v2": None, "v3": None},
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def stage1(ctx: dict[str, Any], key: str, rounds: int) -> dict[str, Any]:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_HOST="127.0.0.1")
    table = scenarios(ctx)
    peers = ["floor", "ours", "v2", "v3"]
    timings: dict[str, dict[str, list[float]]] = {s: {p: [] for p in peers} for s in table}
    queries: dict[str, dict[str, int]] = {s: {} for s in table}
    status: dict[str, dict[str, int]] = {s: {} for s in table}

    def once(scenario: str, peer: str) -> float | None:
        if peer == "floor":
            if scenario not in floor.SCENARIOS:
                return None
            started = time.perf_counter()
            floor.run(scenario, ctx)
            return time.perf_counter() - started
        url = table[scenario].get(peer)
        if url is None:
            return None
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        status[scenario][peer] = response.status_code
        return elapsed

    # Warm-up and the query count of one request (not timed).
    for scenario in table:
        for peer in peers:
            once(scenario, peer)
            if peer == "floor":
                queries[scenario][peer] = 1 if scenario in floor.SCENARIOS else 0
                continue
            if table[scenario].get(peer) is None:
                continue
            with CaptureQueriesContext(connection) as captured:
                client.get(table[scenario][peer])
            queries[scenario][peer] = len(captured)
    connection.force_debug_cursor = False
    for _ in range(rounds):
        for scenario in table:
            for peer in peers:
                elapsed = once(scenario, peer)
                if elapsed is not None:
                    timings[scenario][peer].append(elapsed * 1000)
        reset_queries()
    summary: dict[str, Any] = {}
    for scenario, by_peer in timings.items():
        summary[scenario] = {}
        for peer, values in by_peer.items():
            if not values:
                continue
            summary[scenario][peer] = {
                "p50_ms": round(statistics.median(values), 2),
                "p95_ms": round(_percentile(values, 0.95), 2),
                "p99_ms": round(_percentile(values, 0.99), 2),
                "queries": queries[scenario].get(peer),
                "status": status[scenario].get(peer, 200),
                "n": len(values),
            }
    return summary


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stage2(ctx: dict[str, Any], key: str, seconds: int) -> dict[str, Any]:
    """gunicorn -w 2 on a free loopback port, wrk for `seconds` per scenario and peer."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"skipped": "wrk not installed (apt-get install -y wrk)"}
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_CONTEXT": json.dumps(ctx)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "bench.wsgi",
            "--log-level",
            "error",
        ],
        env=env,
        cwd=ROOT.parent,
    )
    results: dict[str, Any] = {}
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        table = scenarios(ctx)
        for scenario in ("list", "deep", "detail"):
            results[scenario] = {}
            urls = {"floor": f"/bench/floor/{scenario}/", **table[scenario]}
            for peer in ("floor", "ours", "v2"):
                if urls.get(peer) is None:
                    continue
                out = subprocess.run(
                    [
                        wrk,
                        "-t2",
                        "-c4",
                        f"-d{seconds}s",
                        "--latency",
                        "-H",
                        f"Authorization: Bearer {key}",
                        f"http://127.0.0.1:{port}{urls[peer]}",
                    ],
                    capture_output=True,
                    text=True,
                    timeout=seconds + 30,
                    check=False,
                )
                rps = re.search(r"Requests/sec:\s+([\d.]+)", out.stdout)
                p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out.stdout)
                non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)
                results[scenario][peer] = {
                    "requests_per_s": float(rps.group(1)) if rps else None,
                    "p50": "".join(p50.groups()) if p50 else None,
                    "non_2xx": int(non2xx.group(1)) if non2xx else 0,
                }
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--actors", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--http", action="store_true", help="also stage 2 (gunicorn + wrk)")
    parser.add_argument("--http-seconds", type=int, default=10)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--report", type=Path, default=ROOT / "REPORT.md")
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        print("bench: needs PostgreSQL (set DATABASE_URL)", file=sys.stderr)
        return 2
    ensure_corpus(args)
    partner, key = bench_partner()
    ctx = build_context(partner)
    load_before = os.getloadavg()
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha": _sha(),
        "machine": machine(),
        "corpus": {"articles": ArticlePage.objects.count(), "visible_to_partner": ctx["visible"]},
        "context": {k: v for k, v in ctx.items() if k != "base"},
        "rounds": args.rounds,
        "stage1": stage1(ctx, key, args.rounds),
    }
    if args.http:
        results["stage2"] = stage2(ctx, key, args.http_seconds)
    results["load_average_before_after"] = [list(load_before), list(os.getloadavg())]
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"{datetime.now(UTC):%Y-%m-%d}-{results['sha']}"
    path = args.out / f"{stem}.json"
    path.write_text(json.dumps(results, indent=1, default=str) + "\n")
    from bench.report import write_report

    write_report(results, stem=stem, out=args.out, report=args.report)
    print(f"bench: wrote {path} and {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
