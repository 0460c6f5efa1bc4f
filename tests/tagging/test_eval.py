"""The golden sets: actor precision and recall on set 1 with the demo registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.tagging.evaluation import evaluate

DATA = Path(__file__).resolve().parent.parent / "data"
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["tagging_gold_1.json", "tagging_gold_2.json"])
def test_gold_sets_actor_precision_and_recall_at_least_095(demo_registry, name):
    """Set 1 was written before the matcher; set 2 after tuning, and never tuned on."""
    report = evaluate(json.loads((DATA / name).read_text()))
    assert report["articles"] >= 8
    assert report["actors"]["precision"] >= 0.95, report["errors"]
    assert report["actors"]["recall"] >= 0.95, report["errors"]


def test_eval_command_prints_and_writes_json(demo_registry, tmp_path, capsys):
    out = tmp_path / "eval.json"
    call_command("tagging_eval", str(DATA / "tagging_gold_1.json"), "--json", str(out))
    printed = capsys.readouterr().out
    assert "precision" in printed and "actors/person" in printed
    written = json.loads(out.read_text())
    assert set(written) >= {"actors", "places", "actors_by_kind"}


def test_eval_command_refuses_a_malformed_gold_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"articles": "nope"}')
    with pytest.raises(CommandError, match=r"bad\.json"):
        call_command("tagging_eval", str(bad))
