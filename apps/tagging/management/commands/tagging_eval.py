"""manage.py tagging_eval GOLD.json [--json OUT] [--threshold 0.5]"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.tagging.evaluation import GoldError, evaluate
from apps.tagging.suggestions import SUGGEST_THRESHOLD


class Command(BaseCommand):
    help = "Precision, recall and F1 of tag suggestions against a golden file (printed and as JSON)."

    def add_arguments(self, parser):
        parser.add_argument(
            "gold", help="Golden file: {'articles': [{headline, standfirst, body, actors, places}]}"
        )
        parser.add_argument("--json", dest="json_out", help="Also write the figures to this file.")
        parser.add_argument("--threshold", type=float, default=SUGGEST_THRESHOLD)

    def handle(self, *args, gold: str, json_out: str | None, threshold: float, **options):
        try:
            data = json.loads(Path(gold).read_text(encoding="utf-8"))
            report = evaluate(data, threshold=threshold)
        except (OSError, ValueError, GoldError) as exc:
            raise CommandError(f"{gold}: {exc}") from exc
        self.stdout.write(f"{report['gold'] or gold}: {report['articles']} articles, threshold {threshold}")
        rows = [("actors", report["actors"]), ("places", report["places"])]
        rows += [(f"  actors/{kind}", s) for kind, s in report["actors_by_kind"].items()]
        self.stdout.write(f"{'':24} precision  recall     F1   tp  fp  fn")
        for name, s in rows:
            self.stdout.write(
                f"{name:24} {s['precision']:9.3f} {s['recall']:7.3f} {s['f1']:6.3f} {s['tp']:4} {s['fp']:3} {s['fn']:3}"
            )
        for err in report["errors"]:
            self.stdout.write(
                f"  {err['article']} {err['type']}: extra {err['false_positives']} missed {err['missed']}"
            )
        payload = json.dumps(report, indent=2)
        if json_out:
            Path(json_out).write_text(payload + "\n", encoding="utf-8")
        else:
            self.stdout.write(payload)
