"""The partner API's JSON renderer, measured: DRF's JSONRenderer against FastJSONRenderer (orjson),
on bodies of the bench corpus, and whole requests with each, interleaved in one process
(docs/adr/0016-notes/renderer.md).

    DATABASE_URL=postgres://.../<corpus db> python -m bench.renderer_bench [--rounds 200]

Read-only on the corpus: the bench partner and its key are made inside a transaction that is
rolled back. Writes bench/results/renderer-<date>-<sha>.json and prints the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.renderers import JSONRenderer  # noqa: E402

from apps.api import ninjs, views  # noqa: E402
from apps.api.renderers import FastJSONRenderer  # noqa: E402
from bench import harness  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def _use(renderer: type) -> None:
    """Every partner view renders JSON with `renderer` (the list's policy and the detail's list)."""
    views.PartnerPolicy.renderer_classes = [renderer]
    ninjs.RENDERERS[0] = renderer


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200, help="renders per body and renderer")
    parser.add_argument("--requests", type=int, default=40, help="requests per URL and renderer")
    args = parser.parse_args()
    result: dict = {"machine": harness.machine(), "rounds": args.rounds, "requests": args.requests}
    with transaction.atomic():
        _, key = harness.bench_partner()
        client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_HOST="127.0.0.1")
        newest = client.get("/api/v1/articles/?page_size=1").json()["results"][0]["id"]
        urls = {
            "list 20": "/api/v1/articles/?page_size=20",
            "list 100": "/api/v1/articles/?page_size=100",
            "detail": f"/api/v1/articles/{newest}/",
        }
        renderers = {"drf": JSONRenderer, "fast": FastJSONRenderer}
        rows = {}
        for name, url in urls.items():
            response = client.get(url)
            if response.status_code != 200:
                print(f"renderer_bench: {url} answered {response.status_code}", file=sys.stderr)
                return 1
            data = response.data
            bodies = {label: cls().render(data) for label, cls in renderers.items()}
            if json.loads(bodies["drf"]) != json.loads(bodies["fast"]):
                print(f"renderer_bench: {name}: the two bodies differ", file=sys.stderr)
                return 1
            render = {label: [] for label in renderers}
            for _ in range(args.rounds):
                for label, cls in renderers.items():
                    started = time.perf_counter()
                    cls().render(data)
                    render[label].append((time.perf_counter() - started) * 1000)
            whole = {label: [] for label in renderers}
            for _ in range(args.requests + 5):
                for label, cls in renderers.items():
                    _use(cls)
                    started = time.perf_counter()
                    client.get(url)
                    whole[label].append((time.perf_counter() - started) * 1000)
            _use(FastJSONRenderer)
            rows[name] = {
                "bytes": len(bodies["fast"]),
                **{f"render_{k}_ms": round(statistics.median(v), 3) for k, v in render.items()},
                **{f"request_{k}_ms": round(statistics.median(v[5:]), 2) for k, v in whole.items()},
            }
        transaction.set_rollback(True)
    result["rows"] = rows
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"renderer-{dt.date.today().isoformat()}-{harness._sha()}.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print("| body | bytes | render DRF ms | render orjson ms | request DRF ms | request orjson ms |")
    print("|---|---|---|---|---|---|")
    for name, row in rows.items():
        print(
            f"| {name} | {row['bytes']} | {row['render_drf_ms']} | {row['render_fast_ms']} "
            f"| {row['request_drf_ms']} | {row['request_fast_ms']} |"
        )
    print(f"written: {out.relative_to(RESULTS.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
