"""Turn matches into suggestions: per actor and place a count, the first position, a snippet,
a confidence, a role and a relevance; ambiguous mentions; new-actor candidates.

Pure code over a ``RegistryIndex`` (the matcher plus what it needs to say about each record), so
the benchmark runs it without a database. Events need the database and are added by
``apps.tagging.selectors.suggest``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from apps.tagging.matcher import ACTOR, LEXICON, Matcher, MatchResult

FIELDS = ("headline", "standfirst", "body")
SEPARATOR = "\n\n"
# Suggestions at or above this confidence are the ones the evaluation counts and the panel
# pre-selects; lower ones (a capital city read as its state) are shown but not proposed.
SUGGEST_THRESHOLD = 0.5
SNIPPET_RADIUS = 60
SUBJECT_MIN_COUNT = 3

NEW_ACTOR_STOP = frozenset(LEXICON["new_actor_stop"])
ORG_WORDS = frozenset(LEXICON["org_words"])
_NAME_RUN = re.compile(
    r"(?<![\w'])[A-Z][\w'-]*(?:\s(?:(?:of|the|de|du|des|al|for)\s)?[A-Z][\w'-]*){1,4}", re.UNICODE
)
_ACRONYM = re.compile(r"(?<![\w'])[A-Z]{2,6}(?![\w])")
_LOCATIVE = re.compile(r"\b(?:in|at|from|near|to|across|outside|inside)\s$")


@dataclass(frozen=True)
class Target:
    """What a suggestion says about a registry record."""

    id: int
    slug: str
    name: str
    kind: str
    country: str = ""


@dataclass
class RegistryIndex:
    matcher: Matcher
    actors: dict[int, Target]
    places: dict[int, Target]

    @property
    def version(self) -> int:
        return self.matcher.version


@dataclass
class TagSuggestion:
    type: str  # actor | place
    id: int
    slug: str
    name: str
    kind: str
    country: str
    count: int
    field: str
    offset: int
    snippet: str
    confidence: float
    role: str
    relevance: float
    matched: list[str]
    alias_kinds: list[str]


@dataclass
class Suggestions:
    version: int
    actors: list[TagSuggestion] = field(default_factory=list)
    places: list[TagSuggestion] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    ambiguous: list[dict] = field(default_factory=list)
    candidates: list[dict] = field(default_factory=list)

    def above(self, threshold: float = SUGGEST_THRESHOLD) -> Suggestions:
        return Suggestions(
            version=self.version,
            actors=[s for s in self.actors if s.confidence >= threshold],
            places=[s for s in self.places if s.confidence >= threshold],
            events=self.events,
            ambiguous=self.ambiguous,
            candidates=self.candidates,
        )

    def as_dict(self) -> dict:
        return {
            "version": self.version,
            "actors": [asdict(s) for s in self.actors],
            "places": [asdict(s) for s in self.places],
            "events": self.events,
            "ambiguous": self.ambiguous,
            "candidates": self.candidates,
        }


def _layout(headline: str, standfirst: str, body: str) -> tuple[str, list[tuple[str, int, int]]]:
    parts, bounds, pos = [], [], 0
    for name, text in zip(FIELDS, (headline or "", standfirst or "", body or ""), strict=True):
        parts.append(text)
        bounds.append((name, pos, pos + len(text)))
        pos += len(text) + len(SEPARATOR)
    return SEPARATOR.join(parts), bounds


def _field_at(bounds, offset: int) -> tuple[str, int]:
    for name, start, end in bounds:
        if start <= offset <= end:
            return name, offset - start
    return bounds[-1][0], offset - bounds[-1][1]


def _snippet(text: str, start: int, end: int) -> str:
    a, b = max(0, start - SNIPPET_RADIUS), min(len(text), end + SNIPPET_RADIUS)
    piece = " ".join(text[a:b].split())
    return ("…" if a else "") + piece + ("…" if b < len(text) else "")


def _relevance(fields: set[str], count: int) -> float:
    score = 0.25 + 0.35 * ("headline" in fields) + 0.2 * ("standfirst" in fields) + min(0.2, 0.05 * count)
    return round(min(1.0, score), 2)


def suggest_tags(
    index: RegistryIndex, *, headline: str = "", standfirst: str = "", body: str = ""
) -> Suggestions:
    """Actor and place suggestions for an article's text (no database access)."""
    text, bounds = _layout(headline, standfirst, body)
    result = index.matcher.match(text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    grouped: dict[tuple[str, int], list] = {}
    for mention in result.mentions:
        grouped.setdefault(mention.key, []).append(mention)

    out = Suggestions(version=index.version)
    for (target_type, target_id), mentions in grouped.items():
        registry = index.actors if target_type == ACTOR else index.places
        target = registry.get(target_id)
        if target is None:
            continue
        first = mentions[0]
        fields = {_field_at(bounds, m.start)[0] for m in mentions}
        field_name, offset = _field_at(bounds, first.start)
        best = max(m.confidence for m in mentions)
        confidence = round(min(0.99, best + min(0.1, 0.03 * (len(mentions) - 1))), 2)
        in_top = bool(fields & {"headline", "standfirst"})
        suggestion = TagSuggestion(
            type=target_type,
            id=target.id,
            slug=target.slug,
            name=target.name,
            kind=target.kind,
            country=target.country,
            count=len(mentions),
            field=field_name,
            offset=offset,
            snippet=_snippet(text, first.start, first.end),
            confidence=confidence,
            role="subject" if in_top or len(mentions) >= SUBJECT_MIN_COUNT else "mentioned",
            relevance=_relevance(fields, len(mentions)),
            matched=sorted({m.text for m in mentions}),
            alias_kinds=sorted({m.entry.kind for m in mentions}),
        )
        (out.actors if target_type == ACTOR else out.places).append(suggestion)
    for items in (out.actors, out.places):
        items.sort(key=lambda s: (-s.relevance, -s.confidence, s.field != "headline", s.offset))

    for amb in result.ambiguous:
        field_name, offset = _field_at(bounds, amb.start)
        out.ambiguous.append(
            {
                "text": amb.text,
                "field": field_name,
                "offset": offset,
                "snippet": _snippet(text, amb.start, amb.end),
                "candidates": [
                    {"id": c.target_id, "slug": t.slug, "name": t.name, "country": t.country}
                    for c in amb.candidates
                    if (t := (index.actors if c.target_type == ACTOR else index.places).get(c.target_id))
                ],
            }
        )
    out.candidates = new_actor_candidates(text, result, bounds)
    return out


def new_actor_candidates(text: str, result: MatchResult, bounds) -> list[dict]:
    """Capitalised names and acronyms that look like people or organisations and match no alias."""
    spans = result.spans

    def covered(start: int, end: int) -> bool:
        return any(start < e and s < end for s, e in spans)

    found: dict[str, dict] = {}

    def add(name: str, kind: str, start: int) -> None:
        if name in found:
            found[name]["count"] += 1
            return
        field_name, offset = _field_at(bounds, start)
        found[name] = {
            "name": name,
            "kind": kind,
            "count": 1,
            "field": field_name,
            "offset": offset,
            "snippet": _snippet(text, start, start + len(name)),
        }

    for m in _NAME_RUN.finditer(text):
        words = m.group(0).split()
        start = m.start()
        while words and words[0] in NEW_ACTOR_STOP:
            start += len(words[0]) + 1
            words = words[1:]
        if words and words[-1].endswith("'s"):
            words[-1] = words[-1][:-2]
        if len(words) < 2 or covered(start, start + len(" ".join(words))):
            continue
        if words[0].lower() in ("of", "the", "de", "du", "des", "al", "for"):
            continue
        if _LOCATIVE.search(text[max(0, start - 12) : start]):
            continue
        if any(w in ORG_WORDS for w in words):
            add(" ".join(words), "organization", start)
        elif len(words) <= 3 and not any(w.isupper() for w in words):
            add(" ".join(words), "person", start)
    for m in _ACRONYM.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : line_end if line_end != -1 else len(text)]
        if covered(m.start(), m.end()) or sum(c.isupper() for c in line) > len(line) / 2:
            continue
        add(m.group(0), "organization", m.start())
    return sorted(found.values(), key=lambda c: (-c["count"], c["field"] != "headline", c["offset"]))
