"""The harness's two judging rules without a corpus: which two articles the admin comparison opens,
and which percentiles a number of samples can carry (bench/harness.py, bench/report.py)."""

from __future__ import annotations

import pytest

from bench.harness import AdminShape, latency_summary, pick_admin_articles
from bench.report import _cell, ratio


def _shape(*, hero: bool, blocks: tuple[str, ...] = ("paragraph",)) -> AdminShape:
    return AdminShape(
        hero_image=hero,
        dateline=False,
        locked=False,
        bylines=1,
        corrections=0,
        tag_kinds=("actor", "event", "place"),
        block_kinds=blocks,
    )


def test_the_two_admin_articles_share_their_hero_image_state_and_differ_in_tags_and_blocks():
    bare, hero = _shape(hero=False), _shape(hero=True)
    candidates = {
        1: (bare, 1, 1),  # the fewest tags of all, no hero image
        2: (hero, 20, 9),  # the most tags of all, a hero image: the old rule compared 1 with 2
        3: (hero, 2, 2),
        4: (bare, 8, 6),
        5: (hero, 30, 1),  # more tags than 3 but fewer blocks: not "many"
    }
    few, many = pick_admin_articles(candidates)
    assert (few, many) == (3, 2)
    assert candidates[few][0] == candidates[many][0]


def test_many_has_at_least_the_tags_and_the_blocks_of_few():
    shape = _shape(hero=False)
    few, many = pick_admin_articles({1: (shape, 2, 2), 2: (shape, 30, 1), 3: (shape, 5, 5)})
    assert (few, many) == (1, 3)


def test_articles_alone_in_their_shapes_make_no_pair():
    few, many = pick_admin_articles({1: (_shape(hero=False), 1, 1), 2: (_shape(hero=True), 9, 9)})
    assert few == many


def test_an_image_block_is_a_shape_of_its_own():
    # Its chooser is one read per form (constant in blocks), but 0 image blocks read nothing.
    plain, imaged = _shape(hero=False), _shape(hero=False, blocks=("image", "paragraph"))
    few, many = pick_admin_articles({1: (plain, 1, 1), 2: (imaged, 12, 8), 3: (plain, 3, 3)})
    assert (few, many) == (1, 3)


@pytest.mark.parametrize(
    ("n", "reported"),
    [
        (1, {"p50_ms"}),
        (19, {"p50_ms"}),
        (20, {"p50_ms", "p95_ms"}),
        (99, {"p50_ms", "p95_ms"}),
        (100, {"p50_ms", "p95_ms", "p99_ms"}),
    ],
)
def test_a_percentile_is_reported_only_from_enough_samples(n, reported):
    summary = latency_summary([float(v) for v in range(1, n + 1)])
    assert {key for key in ("p50_ms", "p95_ms", "p99_ms") if key in summary} == reported
    assert summary["n"] == n and summary["max_ms"] == n


def test_the_p99_of_100_samples_is_not_their_slowest():
    summary = latency_summary([10.0] * 98 + [50.0, 286.0])
    assert summary["p99_ms"] == 50.0 and summary["max_ms"] == 286.0


def test_an_old_p99_from_30_samples_is_shown_as_their_max_not_as_a_p99():
    # Results JSON written before the rule: p99_ms from 30 samples, which was their slowest one.
    old = {"status": 200, "n": 30, "p50_ms": 60.9, "p95_ms": 74.2, "p99_ms": 286.0}
    stage = {"deep": {"floor": {**old, "p50_ms": 11.0, "p95_ms": 13.3, "p99_ms": 13.4}, "ours": old}}
    assert ratio(stage, "deep", "ours", "p99_ms") is None
    assert ratio(stage, "deep", "ours", "p95_ms") == 5.6
    assert _cell(old) == "60.9 / 74.2 / - / -"
