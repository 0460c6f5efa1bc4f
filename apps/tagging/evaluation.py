"""Precision, recall and F1 of actor and place suggestions against a hand-annotated golden file."""

from __future__ import annotations

from collections import Counter

from apps.registry.models import Actor
from apps.tagging.selectors import suggest
from apps.tagging.suggestions import SUGGEST_THRESHOLD


class GoldError(ValueError):
    """The golden file is not in the expected shape."""


def scores(tp: int, fp: int, fn: int) -> dict:
    # Nothing to find and nothing found counts as perfect (1.0), not as a division by zero.
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def evaluate(gold: dict, *, threshold: float = SUGGEST_THRESHOLD) -> dict:
    articles = gold.get("articles") if isinstance(gold, dict) else None
    if not isinstance(articles, list) or not articles:
        raise GoldError("expected an object with a non-empty 'articles' list")
    kinds = dict(Actor.objects.values_list("slug", "kind"))
    counts = {"actors": Counter(), "places": Counter()}
    by_kind: dict[str, Counter] = {}
    errors = []
    for n, article in enumerate(articles):
        if not isinstance(article, dict) or not isinstance(article.get("actors"), list):
            raise GoldError(f"article {n}: needs 'actors' (a list of slugs)")
        body = article.get("body", "")
        body = "\n\n".join(body) if isinstance(body, list) else str(body)
        found = suggest(
            headline=article.get("headline", ""), standfirst=article.get("standfirst", ""), body=body
        )
        found = found.above(threshold)
        for name, predicted in (
            ("actors", {s.slug for s in found.actors}),
            ("places", {s.slug for s in found.places}),
        ):
            expected = set(article.get(name, []))
            tp, fp, fn = predicted & expected, predicted - expected, expected - predicted
            counts[name].update(tp=len(tp), fp=len(fp), fn=len(fn))
            if fp or fn:
                errors.append(
                    {
                        "article": article.get("id", n),
                        "type": name,
                        "false_positives": sorted(fp),
                        "missed": sorted(fn),
                    }
                )
            if name == "actors":
                for outcome, slugs in (("tp", tp), ("fp", fp), ("fn", fn)):
                    for slug in slugs:
                        by_kind.setdefault(kinds.get(slug, "unknown"), Counter())[outcome] += 1
    return {
        "gold": gold.get("name", ""),
        "articles": len(articles),
        "threshold": threshold,
        "actors": scores(counts["actors"]["tp"], counts["actors"]["fp"], counts["actors"]["fn"]),
        "places": scores(counts["places"]["tp"], counts["places"]["fp"], counts["places"]["fn"]),
        "actors_by_kind": {k: scores(c["tp"], c["fp"], c["fn"]) for k, c in sorted(by_kind.items())},
        "errors": errors,
    }
