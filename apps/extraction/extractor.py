"""Event candidates from an article's text: pure code over the tagging app's registry index.

One pass per article: the tagging matcher finds actors and places in the whole text (so its
context rules see everything), the text is cut into sentences and clauses, each clause is read
against the language's trigger lexicon (data/lexicon.json), and each trigger that holds becomes
a candidate with the clause's actors in roles, its place, its date resolved against the article's
date, and the sentence as evidence. Candidates that describe the same happening (same type,
compatible dates, a participant in common) are folded into one. The rules are documented in
docs/extraction.md; each has a test in tests/extraction/test_extractor.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

from apps.extraction import dates
from apps.extraction.dates import PartialDate
from apps.extraction.lexicon import RELATIONS, Language, language
from apps.registry.dates import PRECISION_RANK
from apps.tagging.matcher import ACTOR, PLACE
from apps.tagging.suggestions import SUGGEST_THRESHOLD, RegistryIndex

FIELDS = ("headline", "standfirst", "body")
SEPARATOR = "\n\n"
MEETINGS = frozenset({"bilateral_meeting", "summit", "visit"})
# Types whose participants are the actors that did it (before the trigger) and those it was done to.
ORGANISATION_KINDS = frozenset({"alliance", "organization"})
FORCE_KINDS = frozenset({"military_unit", "armed_group", "person"})
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"'\u201d)]*\s+(?=[\"\u201c'(]?[A-Z\u00c0-\u00d6\u00d8-\u00de0-9])|\n+"
)


@dataclass(frozen=True)
class Found:
    """A registry record the matcher found, at offsets in the article text."""

    start: int
    end: int
    id: int
    kind: str
    country: str


@dataclass
class Candidate:
    event_type: str
    date: PartialDate | None
    status: str
    participants: list[tuple[int, str]]  # (actor id, role), ordered
    place_id: int | None
    evidence: str
    field: str
    start: int  # evidence offsets within the field
    end: int
    trigger: str

    @property
    def actor_ids(self) -> set[int]:
        return {actor for actor, _ in self.participants}


@dataclass
class RelationChange:
    """ "Mali left ECOWAS" → membership ends; "formed the alliance" → membership starts."""

    subject_id: int
    predicate: str
    object_id: int
    change: str  # start | end
    date: PartialDate | None
    event_type: str
    evidence: str
    field: str
    start: int
    end: int


@dataclass
class Extraction:
    events: list[Candidate] = field(default_factory=list)
    relations: list[RelationChange] = field(default_factory=list)


def _layout(headline: str, standfirst: str, body: str) -> tuple[str, list[tuple[str, int, int]]]:
    parts, bounds, pos = [], [], 0
    for name, text in zip(FIELDS, (headline or "", standfirst or "", body or ""), strict=True):
        text = text.replace("\u2019", "'").replace("\u2018", "'")
        parts.append(text)
        bounds.append((name, pos, pos + len(text)))
        pos += len(text) + len(SEPARATOR)
    return SEPARATOR.join(parts), bounds


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans in text[start:end], without their surrounding white space."""
    cuts, pos = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        cuts.append((pos, m.start()))
        pos = m.end()
    cuts.append((pos, end))
    spans = []
    for a, b in cuts:
        piece = text[a:b]
        if piece.strip():
            a += len(piece) - len(piece.lstrip())
            b -= len(piece) - len(piece.rstrip())
            spans.append((a, b))
    return spans


def _mask(sentence: str, lang: Language) -> str:
    """The sentence with its parentheticals (", which fought alongside the French,") blanked."""
    return lang.parentheticals.sub(lambda m: " " * len(m.group(0)), sentence)


def _clauses(masked: str, lang: Language) -> list[tuple[int, int]]:
    cuts = [0] + [m.start() for m in lang.clause_breaks.finditer(masked)] + [len(masked)]
    return [(a, b) for a, b in itertools.pairwise(cuts) if masked[a:b].strip()]


def _triggers(clause: str, lang: Language, organisation_after) -> dict[str, re.Match]:
    """Event types the clause carries, each with its first trigger, after suppression."""
    found: dict[str, re.Match] = {}
    for etype, patterns in lang.triggers:
        for pattern in patterns:
            for m in pattern.finditer(clause):
                if lang.hypothetical.search(clause[: m.start()]):
                    continue
                if etype in lang.needs_military and not lang.military.search(clause):
                    continue
                if etype in lang.needs_organisation_after and not organisation_after(m.start()):
                    continue
                found.setdefault(etype, m)
                break
            if etype in found:
                break
    for etype in list(found):
        for weaker in lang.suppresses.get(etype, ()):
            found.pop(weaker, None)
    return found


def _roles(
    etype: str, actors: list[Found], trigger: int, clause: str, clause_start: int, lang: Language, host: str
) -> list[tuple[int, str]]:
    roles: list[tuple[int, str]] = []
    for actor in actors:
        before = actor.start - clause_start < trigger
        if etype == "alliance_formed":
            role = "member" if actor.kind in ORGANISATION_KINDS else "initiator"
        elif etype in MEETINGS:
            role = "host" if host and actor.country == host and actor.kind != "alliance" else "attendee"
        elif etype == "military_coup":
            role = "target" if actor.kind == "state" else "initiator"
        elif etype in ("troop_withdrawal", "military_deployment"):
            lead = clause[max(0, actor.start - clause_start - 12) : actor.start - clause_start]
            if before:
                role = "initiator"
            elif actor.kind == "state" and (lang.host_before.search(lead) or etype == "troop_withdrawal"):
                role = "host"
            else:
                role = "member" if actor.kind in FORCE_KINDS else "target"
        elif etype in ("agreement", "election"):
            role = "attendee"
        else:
            role = "initiator" if before else "target"
        roles.append((actor.id, role))
    return roles


def _dedupe(roles: list[tuple[int, str]]) -> list[tuple[int, str]]:
    seen: dict[int, str] = {}
    for actor, role in roles:
        if actor not in seen or role == "host":
            seen[actor] = role
    return list(seen.items())


def extract(
    index: RegistryIndex,
    *,
    headline: str = "",
    standfirst: str = "",
    body: str = "",
    published: dt.date,
    lang_code: str = "en",
) -> Extraction:
    """Event and relation-change candidates for one article (no database access)."""
    lang = language(lang_code)
    text, bounds = _layout(headline, standfirst, body)
    result = index.matcher.match(text)
    actors: list[Found] = []
    places: list[Found] = []
    for m in result.mentions:
        if m.confidence < SUGGEST_THRESHOLD:
            continue
        registry = index.actors if m.entry.target_type == ACTOR else index.places
        target = registry.get(m.entry.target_id)
        if target is None:
            continue
        found = Found(m.start, m.end, target.id, target.kind, target.country)
        (actors if m.entry.target_type == ACTOR else places if m.entry.target_type == PLACE else []).append(
            found
        )
    # A place's state hosts what happens there (a capital metonym is read as the place).
    states = {t.country: t.id for t in index.actors.values() if t.kind == "state" and t.country}
    place_country = {t.id: t.country for t in index.places.values()}

    out = Extraction()
    for field_name, f_start, f_end in bounds:
        for s_start, s_end in sentences(text, f_start, f_end):
            sentence = text[s_start:s_end]
            masked = _mask(sentence, lang)
            sentence_date = dates.first_date(masked, lang, published)
            for c_start, c_end in _clauses(masked, lang):
                clause = masked[c_start:c_end]
                a0, a1 = s_start + c_start, s_start + c_end
                in_clause = [a for a in actors if a0 <= a.start < a1 and masked[a.start - s_start] != " "]
                place_here = [p for p in places if a0 <= p.start < a1 and masked[p.start - s_start] != " "]

                def organisation_after(pos: int, in_clause=in_clause, a0=a0) -> bool:
                    return any(a.kind in ORGANISATION_KINDS and a.start - a0 >= pos for a in in_clause)

                triggers = _triggers(clause, lang, organisation_after)
                if not triggers:
                    continue
                future = bool(lang.future.search(clause))
                when = dates.first_date(clause, lang, published, future=future)
                if when is None and sentence_date is not None:
                    when = dates.first_date(masked, lang, published, future=future)
                span = lang.span.search(clause)
                if when is not None and span:
                    when = dates.with_span(when, lang.numbers.get(span.group(1).casefold(), 0))
                # The most specific place wins: a city or site over the country it is in.
                place = min(
                    place_here, key=lambda p: (p.kind == "country", p.kind == "region", p.start), default=None
                )
                host = place_country.get(place.id, "") if place else ""
                for etype, trigger in triggers.items():
                    roles = _roles(etype, in_clause, trigger.start(), clause, a0, lang, host)
                    if etype in MEETINGS and host in states:
                        roles.append((states[host], "host"))
                    roles = _dedupe(roles)
                    if not roles or (etype in MEETINGS and len(roles) < 2):
                        continue
                    out.events.append(
                        Candidate(
                            event_type=etype,
                            date=when,
                            status="planned" if future else "occurred",
                            participants=roles,
                            place_id=place.id if place else None,
                            evidence=" ".join(sentence.split()),
                            field=field_name,
                            start=s_start - f_start,
                            end=s_end - f_start,
                            trigger=trigger.group(0),
                        )
                    )
    out.events = fold(out.events)
    out.relations = relation_changes(out.events, index)
    return out


def same_happening(a: Candidate, b: Candidate) -> bool:
    return a.event_type == b.event_type and dates.overlaps(a.date, b.date) and bool(a.actor_ids & b.actor_ids)


def fold(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per happening: dated mentions of it merge (participants united, the most
    precise date kept); an undated mention (a headline) adds nothing once a dated one exists."""
    dated = [c for c in candidates if c.date is not None]
    undated = [c for c in candidates if c.date is None]
    merged: list[Candidate] = []
    for cand in dated:
        twin = next((m for m in merged if same_happening(m, cand)), None)
        if twin is None:
            merged.append(cand)
            continue
        known = twin.actor_ids
        twin.participants += [(a, r) for a, r in cand.participants if a not in known]
        if PRECISION_RANK[cand.date.precision] > PRECISION_RANK[twin.date.precision]:
            twin.date = cand.date
        twin.place_id = twin.place_id or cand.place_id
    kept_undated: list[Candidate] = []
    for cand in undated:
        if any(same_happening(m, cand) for m in merged):
            continue
        twin = next((m for m in kept_undated if same_happening(m, cand)), None)
        if twin is None:
            kept_undated.append(cand)
    return merged + kept_undated


def relation_changes(events: list[Candidate], index: RegistryIndex) -> list[RelationChange]:
    changes = []
    for event in events:
        rule = RELATIONS.get(event.event_type)
        if rule is None:
            continue
        objects = [
            a
            for a, role in event.participants
            if role != "initiator" and index.actors.get(a) and index.actors[a].kind in rule["object_kinds"]
        ]
        subjects = [a for a, role in event.participants if role in rule["subject_roles"]]
        for subject in subjects:
            for obj in objects:
                if subject == obj:
                    continue
                changes.append(
                    RelationChange(
                        subject_id=subject,
                        predicate=rule["predicate"],
                        object_id=obj,
                        change=rule["change"],
                        date=event.date,
                        event_type=event.event_type,
                        evidence=event.evidence,
                        field=event.field,
                        start=event.start,
                        end=event.end,
                    )
                )
    return changes
