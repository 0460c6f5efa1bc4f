"""The representation cache, measured: floor, ours without the cache and ours with it, interleaved
in one process on a bench corpus (docs/adr/0016-notes/cache.md).

    DATABASE_URL=postgres://.../newsdesk_prof_s23 python -m bench.cache_bench [--rounds 30]
        [--only list,section,actor,detail,ninjs] [--profile list]

Read-only on the corpus: the bench partner, its key and the editor are made inside one transaction
that is rolled back at the end (the requests run in process, on that connection). Ours runs with
API_BODY_CACHE_SECONDS 0 and 86400 and the child rows through the ORM or compiled once (see VARIANTS) (the cache is the configured one: locmem in process, or Redis
when REDIS_URL is set); the warm-up request of "on" fills it, as the first request after a publish
would.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from apps.api import selectors  # noqa: E402
from bench import harness  # noqa: E402

VARIANTS = ("floor", "before", "cache", "both")
# "before": no body cache and the child rows through the ORM (main before this change); "cache":
# the body cache on; "both": the body cache and the union compiled once (what ships).
_compiled_rows = selectors._child_rows_raw


def _orm_rows(ids):
    return list(selectors._child_rows_union(ids))


def attach_only(partner, rounds: int) -> None:
    """attach_representations alone on the list's first page (20 newest) and on one article,
    the three variants interleaved: the part of a request this change is about, without the
    page query, the key check and the validators around it."""
    visible = selectors.partner_articles(partner)
    page = list(selectors.for_representation(visible).order_by("-published_at", "-pk")[:20])
    samples = {(size, v): [] for size in (20, 1) for v in VARIANTS[1:]}
    for _ in range(rounds):
        for size in (20, 1):
            for variant in VARIANTS[1:]:
                settings.API_BODY_CACHE_SECONDS = 0 if variant == "before" else 86400
                selectors._child_rows_raw = _compiled_rows if variant == "both" else _orm_rows
                started = time.perf_counter()
                selectors.attach_representations(page[:size], visible=visible)
                samples[(size, variant)].append((time.perf_counter() - started) * 1000)
    print("\n| attach_representations | before p50 ms | body cache | cache + compiled union |")
    print("|---|---|---|---|")
    for size in (20, 1):
        p50 = [statistics.median(samples[(size, v)]) for v in VARIANTS[1:]]
        print(f"| {size} article(s) | {p50[0]:.2f} | {p50[1]:.2f} | {p50[2]:.2f} |")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--only", default="list,section,actor,detail,ninjs")
    parser.add_argument(
        "--attach", type=int, default=0, help="also time attach_representations alone, N rounds"
    )
    parser.add_argument("--profile", default="", help="a scenario to cProfile (off and on, 20 requests each)")
    args = parser.parse_args()
    only = args.only.split(",")
    with transaction.atomic():
        partner, key = harness.bench_partner()
        ctx = harness.build_context(partner)
        table = {name: row for name, row in harness.scenarios(ctx).items() if name in only}
        run = harness.Runner(ctx, key, wagtail_timeout=None)
        caches["default"].clear() if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache") else None

        def call(scenario: str, variant: str):
            if variant == "floor":
                return run(scenario, "floor", table[scenario]["floor"])
            settings.API_BODY_CACHE_SECONDS = 0 if variant == "before" else 86400
            selectors._child_rows_raw = _compiled_rows if variant == "both" else _orm_rows
            return run(scenario, "ours", table[scenario]["ours"])

        bodies = {}
        for scenario in table:
            for variant in VARIANTS:
                call(scenario, variant)  # warm-up (fills the cache for "on")
                with CaptureQueriesContext(connection) as captured:
                    status, body = call(scenario, variant)
                bodies[(scenario, variant)] = body
                print(f"{scenario:8} {variant:5} status {status} queries {len(captured)}", flush=True)
            if not bodies[(scenario, "before")] == bodies[(scenario, "cache")] == bodies[(scenario, "both")]:
                print(f"FAILED: {scenario}: cached output differs from uncached", file=sys.stderr)
                return 1
        if args.profile:
            for variant in ("before", "both"):
                profile = cProfile.Profile()
                profile.enable()
                for _ in range(20):
                    call(args.profile, variant)
                profile.disable()
                profile.dump_stats(
                    Path(tempfile.gettempdir()) / f"cache-profile-{args.profile}-{variant}.out"
                )
                print(f"\n=== profile {args.profile} cache {variant} (20 requests) ===")
                stats = pstats.Stats(profile).sort_stats("cumulative")
                stats.print_stats(25)
        if args.attach:
            attach_only(partner, args.attach)
        timings = {(s, v): [] for s in table for v in VARIANTS}
        connection.force_debug_cursor = False
        for _ in range(args.rounds):
            for scenario in table:
                for variant in VARIANTS:
                    started = time.perf_counter()
                    call(scenario, variant)
                    timings[(scenario, variant)].append((time.perf_counter() - started) * 1000)
        print(
            "\n| scenario | floor p50 ms | before | body cache | cache + union | ÷ floor: before / cache / both |"
        )
        print("|---|---|---|---|---|---|")
        for scenario in table:
            if not args.rounds:
                break
            p50 = {v: statistics.median(timings[(scenario, v)]) for v in VARIANTS}
            print(
                f"| {scenario} | {p50['floor']:.2f} | {p50['before']:.2f} | {p50['cache']:.2f} | {p50['both']:.2f} "
                f"| {p50['before'] / p50['floor']:.1f}x / {p50['cache'] / p50['floor']:.1f}x"
                f" / {p50['both'] / p50['floor']:.1f}x |"
            )
        transaction.set_rollback(True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
