"""The view-restriction check at corpus scale: PostgreSQL's per-level path probe against the
portable `substr(path, 1, depth * steplen)` form, interleaved, same counts (docs/adr/0016).

    DATABASE_URL=postgres://... python -m bench.visibility_rule [--rounds 3]

Writes bench/results/visibility-rule-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.db.models import Exists, F, OuterRef  # noqa: E402
from django.db.models.functions import Substr  # noqa: E402
from wagtail.models import Page, PageViewRestriction  # noqa: E402

from apps.articles.models import ArticlePage  # noqa: E402
from apps.core.selectors import view_restricted  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def portable() -> Exists:
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, F("page__depth") * Page.steplen)
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"per_level_probe": [], "portable": []}
    counts: dict[str, int] = {}
    for _ in range(args.rounds):
        for name, check in (("per_level_probe", view_restricted), ("portable", portable)):
            started = time.perf_counter()
            counts[name] = ArticlePage.objects.live().exclude(check()).count()
            times[name].append((time.perf_counter() - started) * 1000)
    if counts["per_level_probe"] != counts["portable"]:
        raise SystemExit(f"visibility_rule: the two forms disagree: {counts}")
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average": os.getloadavg(),
        "visible_articles": counts["portable"],
        "restrictions": PageViewRestriction.objects.count(),
        "p50_ms": {name: round(statistics.median(values), 1) for name, values in times.items()},
    }
    result["ratio"] = round(result["p50_ms"]["portable"] / result["p50_ms"]["per_level_probe"], 1)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"visibility-rule-{datetime.now(UTC):%Y-%m-%d}.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
