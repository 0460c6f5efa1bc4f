"""manage.py extraction_eval GOLD.json [--json OUT]"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.extraction.evaluation import GoldError, evaluate


class Command(BaseCommand):
    help = "Precision and recall of event proposals and participant roles against a golden file."

    def add_arguments(self, parser):
        parser.add_argument(
            "gold", help="Golden file: {'articles': [{date, headline, standfirst, body, events}]}"
        )
        parser.add_argument("--json", dest="json_out", help="Also write the figures to this file.")

    def handle(self, *args, gold: str, json_out: str | None, **options):
        try:
            data = json.loads(Path(gold).read_text(encoding="utf-8"))
            report = evaluate(data)
        except (OSError, ValueError, GoldError) as exc:
            raise CommandError(f"{gold}: {exc}") from exc
        self.stdout.write(f"{report['gold'] or gold}: {report['articles']} articles")
        rows = [("events", report["events"]), ("roles", report["roles"])]
        rows += [(f"  {etype}", s) for etype, s in report["by_type"].items()]
        self.stdout.write(f"{'':26} precision  recall     F1   tp  fp  fn")
        for name, s in rows:
            self.stdout.write(
                f"{name:26} {s['precision']:9.3f} {s['recall']:7.3f} {s['f1']:6.3f} {s['tp']:4} {s['fp']:3} {s['fn']:3}"
            )
        for err in report["errors"]:
            self.stdout.write(f"  {json.dumps(err, ensure_ascii=False)}")
        if json_out:
            Path(json_out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
