"""The harness on a tiny corpus, in seconds: `python -m bench.harness` end to end (stage 1, the query
checks, the results JSON, REPORT.md and its chart), and a floor that disagrees fails the run."""

from __future__ import annotations

import json

import pytest

from apps.articles.models import ArticlePage

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

API_SCENARIOS = (
    "list", "section", "actor", "actors_and", "actors_or", "date_range", "deep", "detail", "ninjs",
    "changes", "q", "actor_as_of", "events",
)  # fmt: skip
PAGES = ("public_home", "public_section", "public_article", "public_actor", "admin_edit", "draft_save")


@pytest.fixture
def bench(settings):
    settings.ROOT_URLCONF = "bench.urls"
    from bench import harness

    return harness


def test_a_run_writes_every_scenario_with_ours_and_the_floor_and_the_report(corpus, bench, tmp_path):
    out = tmp_path / "results"
    code = bench.main(
        [
            "--rounds",
            "1",
            "--wagtail-rounds",
            "1",
            "--no-http",
            "--out",
            str(out),
            "--report",
            str(tmp_path / "R.md"),
        ]
    )
    assert code == 0
    [path] = out.glob("*.json")
    results = json.loads(path.read_text())
    stage = results["stage1"]
    assert set(stage) == set(API_SCENARIOS) | set(PAGES)
    for scenario in API_SCENARIOS:
        ours, floor = stage[scenario]["ours"], stage[scenario]["floor"]
        assert ours["status"] == 200 and ours["n"] == 1 and ours["p50_ms"] > 0, scenario
        # One sample carries a median and a max, no p95 or p99 (it would be that one sample).
        assert "p95_ms" not in ours and "p99_ms" not in ours and ours["max_ms"] == ours["p50_ms"], scenario
        assert floor["n"] == 1 and floor["queries"] == 1, scenario
        assert ours["ids_match_floor"] is True, scenario
        assert ours["queries"] > 1, scenario
    for scenario in PAGES:
        assert stage[scenario]["ours"]["queries"] > 1 and "cannot" in stage[scenario]["floor"], scenario
    assert stage["draft_save"]["ours"]["status"] == 302  # saved (the editor redirects), then rolled back
    assert stage["actor"]["v2"]["cannot"] and stage["list"]["v2"]["n"] == 1
    # Queries per list request, auth included: the same at any depth and page size.
    assert stage["deep"]["ours"]["queries"] == stage["list"]["ours"]["queries"]
    assert len(set(results["queries"]["list_by_page_size"].values())) == 1
    # The admin comparison: two articles alike in all but tags and blocks, and the queries equal.
    admin = results["queries"]["admin"]
    few, many = admin["admin_few"], admin["admin_many"]
    assert results["queries"]["admin_same_shape"] and few["shape"] == many["shape"]
    assert few["tags"] <= many["tags"] and few["blocks"] <= many["blocks"]
    assert (few["tags"], few["blocks"]) != (many["tags"], many["blocks"])
    heroes = ArticlePage.objects.filter(pk__in=[few["article"], many["article"]]).values_list(
        "hero_image", flat=True
    )
    assert len({hero is None for hero in heroes}) == 1
    assert few["edit_queries"] == many["edit_queries"]
    assert few["draft_save_queries"] == many["draft_save_queries"]
    assert results["machine"]["cores"] and results["machine"]["postgresql"].startswith("PostgreSQL")
    report = (tmp_path / "R.md").read_text()
    assert "## Issue 15's targets" in report and "| draft_save | ours |" in report
    list_ours = stage["list"]["ours"]
    assert f"| list | ours | {list_ours['p50_ms']} / - / - / {list_ours['max_ms']} |" in report
    assert "| n (samples) |" in report and "a p99 n ≥ 100" in report
    assert (
        f"differ by {many['tags'] - few['tags']} tags and {many['blocks'] - few['blocks']} blocks" in report
    )
    assert "no p99 (n < 100): list" in report
    assert "docs/adr/0016-performance-at-scale.md" in report
    assert "## Why each missed target is missed, and what would close it" in report
    assert (out / f"{path.stem}-p50.png").stat().st_size > 1000


def test_a_floor_returning_other_ids_fails_the_run(corpus, bench, partner, key, monkeypatch):
    from bench import floor

    # The same statement in the opposite order: other ids on the page.
    monkeypatch.setitem(floor.SCENARIOS, "list", floor.SCENARIOS["list"].replace("DESC", "ASC"))
    ctx = bench.build_context(partner)
    with pytest.raises(bench.BenchError, match="list: ours ids"):
        bench.stage1(ctx, key, rounds=1, wagtail_rounds=0, only=["list", "detail"])


def test_enough_rounds_give_a_p99_that_is_not_the_slowest_sample(corpus, bench, partner, key):
    ctx = bench.build_context(partner)
    stage = bench.stage1(ctx, key, rounds=120, budget_s=60, only=["detail"], peers=("floor", "ours"))
    for peer in ("floor", "ours"):
        entry = stage["detail"][peer]
        assert entry["n"] == 120 and not entry["capped"], peer
        assert entry["p50_ms"] <= entry["p95_ms"] <= entry["p99_ms"] <= entry["max_ms"], peer
