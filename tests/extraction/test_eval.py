"""The golden sets: event precision and recall with the demo registry (acceptance 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apps.extraction.evaluation import evaluate

DATA = Path(__file__).resolve().parent.parent / "data"
pytestmark = pytest.mark.django_db


def test_gold_set_1_event_precision_at_least_08_and_recall_at_least_07(demo_registry):
    """Set 1 was written and annotated before the extractor existed and not edited while tuning."""
    report = evaluate(json.loads((DATA / "events_gold_1.json").read_text()))
    print(json.dumps({k: report[k] for k in ("events", "roles", "by_type")}))
    for error in report["errors"]:
        print(error)
    assert report["articles"] >= 8
    assert report["events"]["precision"] >= 0.8, report["errors"]
    assert report["events"]["recall"] >= 0.7, report["errors"]
