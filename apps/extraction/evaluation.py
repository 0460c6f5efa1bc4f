"""Precision and recall of proposed events (and of participant roles) against a golden file.

A proposed event matches a golden one when it has the same type, a date compatible at the golden
precision (the periods overlap; an undated proposal matches no dated event) and at least one
participant in common; each golden event is matched at most once. Roles are scored on matched
pairs only: a (actor, role) pair is right when the golden event gives that actor that role.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from apps.extraction import dates
from apps.extraction.dates import PartialDate
from apps.extraction.extractor import extract
from apps.registry.dates import parse_partial
from apps.registry.models import Actor
from apps.tagging.evaluation import GoldError, scores
from apps.tagging.selectors import current_index

__all__ = ["GoldError", "evaluate", "scores"]


def _gold_date(event: dict, where: str) -> PartialDate | None:
    try:
        if not event.get("date"):
            return None
        value, precision = parse_partial(str(event["date"]))
        if event.get("end"):
            end, end_precision = parse_partial(str(event["end"]))
            return PartialDate(value, precision, end, end_precision)
        return PartialDate(value, precision)
    except (TypeError, ValueError) as exc:
        raise GoldError(
            f"{where}: a date is a partial ISO string such as 2022, 2022-01 or 2022-01-31"
        ) from exc


def _matches(proposed, gold: dict, gold_date, slug_of) -> bool:
    if proposed.event_type != gold["type"]:
        return False
    if gold_date is not None and (proposed.date is None or not dates.overlaps(proposed.date, gold_date)):
        return False
    gold_actors = {p["actor"] for p in gold["participants"]}
    return bool({slug_of.get(a) for a in proposed.actor_ids} & gold_actors)


def evaluate(gold: dict) -> dict:
    articles = gold.get("articles") if isinstance(gold, dict) else None
    if not isinstance(articles, list) or not articles:
        raise GoldError("expected an object with a non-empty 'articles' list")
    index = current_index()
    slug_of = dict(Actor.objects.values_list("id", "slug"))
    events, roles = Counter(), Counter()
    by_type: dict[str, Counter] = {}
    errors = []
    for n, article in enumerate(articles):
        where = f"article {article.get('id', n) if isinstance(article, dict) else n}"
        if not isinstance(article, dict) or not isinstance(article.get("events"), list):
            raise GoldError(f"{where}: needs 'events' (a list)")
        try:
            published = dt.date.fromisoformat(str(article.get("date", "")))
        except ValueError as exc:
            raise GoldError(f"{where}: needs 'date' (YYYY-MM-DD, the article's date)") from exc
        for event in article["events"]:
            if (
                not isinstance(event, dict)
                or not isinstance(event.get("participants"), list)
                or "type" not in event
            ):
                raise GoldError(f"{where}: each event needs 'type' and 'participants'")
        body = article.get("body", "")
        body = "\n\n".join(body) if isinstance(body, list) else str(body)
        found = extract(
            index,
            headline=str(article.get("headline", "")),
            standfirst=str(article.get("standfirst", "")),
            body=body,
            published=published,
            lang_code=str(article.get("language", "en")),
        ).events
        golden = [(g, _gold_date(g, where)) for g in article["events"]]
        unmatched = list(range(len(golden)))
        for proposed in found:
            hit = next(
                (i for i in unmatched if _matches(proposed, golden[i][0], golden[i][1], slug_of)), None
            )
            counter = by_type.setdefault(proposed.event_type, Counter())
            if hit is None:
                events["fp"] += 1
                counter["fp"] += 1
                errors.append(
                    {
                        "article": article.get("id", n),
                        "false_positive": proposed.event_type,
                        "date": _iso(proposed.date),
                        "participants": sorted(f"{slug_of.get(a)}:{r}" for a, r in proposed.participants),
                        "evidence": proposed.evidence,
                    }
                )
                continue
            unmatched.remove(hit)
            events["tp"] += 1
            counter["tp"] += 1
            want = {(p["actor"], p["role"]) for p in golden[hit][0]["participants"]}
            got = {(slug_of.get(a), r) for a, r in proposed.participants}
            roles.update(tp=len(got & want), fp=len(got - want), fn=len(want - got))
            if got != want:
                errors.append(
                    {
                        "article": article.get("id", n),
                        "roles_of": proposed.event_type,
                        "wrong": sorted(f"{a}:{r}" for a, r in got - want),
                        "missed": sorted(f"{a}:{r}" for a, r in want - got),
                    }
                )
        for i in unmatched:
            g = golden[i][0]
            events["fn"] += 1
            by_type.setdefault(g["type"], Counter())["fn"] += 1
            errors.append({"article": article.get("id", n), "missed": g["type"], "date": g.get("date")})
    return {
        "gold": gold.get("name", ""),
        "articles": len(articles),
        "events": scores(events["tp"], events["fp"], events["fn"]),
        "roles": scores(roles["tp"], roles["fp"], roles["fn"]),
        "by_type": {k: scores(c["tp"], c["fp"], c["fn"]) for k, c in sorted(by_type.items())},
        "errors": errors,
    }


def _iso(value: PartialDate | None) -> str:
    if value is None:
        return ""
    from apps.registry.dates import iso_partial

    return iso_partial(value.date, value.precision)
