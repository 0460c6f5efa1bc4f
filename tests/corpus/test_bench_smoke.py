"""The harness on a tiny corpus, in seconds: every peer answers, results and the report are written."""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_the_harness_measures_every_peer_and_writes_the_report(corpus, partner, key, settings, tmp_path):
    settings.ROOT_URLCONF = "bench.urls"
    from bench import harness
    from bench.report import write_report

    ctx = harness.build_context(partner)
    summary = harness.stage1(ctx, key, rounds=2)
    assert summary["list"]["ours"]["status"] == 200 and summary["list"]["floor"]["n"] == 2
    assert summary["deep"]["ours"]["status"] == 200 and summary["detail"]["ours"]["status"] == 200
    # Queries per list request, auth included: the same at any depth. On the corpus (hero and body
    # images) a page costs 10: issue 15's target of 8 is missed (docs/adr/0016).
    assert summary["list"]["ours"]["queries"] <= 10
    assert summary["deep"]["ours"]["queries"] == summary["list"]["ours"]["queries"]
    results = {
        "date": "2026-01-01T00:00:00+00:00",
        "sha": "test",
        "machine": harness.machine(),
        "corpus": {"articles": 300, "visible_to_partner": ctx["visible"]},
        "context": ctx,
        "rounds": 2,
        "stage1": summary,
        "load_average_before_after": [[0, 0, 0], [0, 0, 0]],
    }
    (tmp_path / "r.json").write_text(json.dumps(results, default=str))
    write_report(results, stem="test", out=tmp_path, report=tmp_path / "REPORT.md")
    report = (tmp_path / "REPORT.md").read_text()
    assert "| list |" in report and (tmp_path / "test-stage1.png").stat().st_size > 1000
