"""The extraction lexicon (data/lexicon.json), compiled once per language."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RAW = json.loads((Path(__file__).parent / "data" / "lexicon.json").read_text(encoding="utf-8"))
LANGUAGES = tuple(code for code in RAW if len(code) == 2)
RELATIONS: dict[str, dict] = {k: v for k, v in RAW["relations"].items() if not k.startswith("_")}


@dataclass(frozen=True)
class Language:
    code: str
    triggers: tuple[tuple[str, tuple[re.Pattern, ...]], ...]
    needs_military: frozenset[str]
    military: re.Pattern
    needs_organisation_after: frozenset[str]
    suppresses: dict[str, frozenset[str]]
    hypothetical: re.Pattern
    future: re.Pattern
    clause_breaks: re.Pattern
    parentheticals: re.Pattern
    host_before: re.Pattern
    span: re.Pattern
    numbers: dict[str, int]
    months: tuple[str, ...]
    weekdays: tuple[str, ...]
    relative: dict[str, tuple[str, int]]

    def __hash__(self) -> int:
        return hash(self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Language) and other.code == self.code


def _re(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


@cache
def language(code: str) -> Language:
    """The lexicon for ``code`` (an article's language); English for a language it lacks."""
    data = RAW.get(code) or RAW["en"]
    return Language(
        code=code if code in RAW else "en",
        triggers=tuple((etype, tuple(_re(p) for p in patterns)) for etype, patterns in data["triggers"]),
        needs_military=frozenset(data["needs_military"]),
        military=_re(data["military"]),
        needs_organisation_after=frozenset(data["needs_organisation_after"]),
        suppresses={k: frozenset(v) for k, v in data["suppresses"].items()},
        hypothetical=_re(data["hypothetical"]),
        future=_re(data["future"]),
        clause_breaks=_re(data["clause_breaks"]),
        parentheticals=_re(data["parentheticals"]),
        host_before=_re(data["host_before"]),
        span=_re(data["span"]),
        numbers=data["numbers"],
        months=tuple(m.casefold() for m in data["months"]),
        weekdays=tuple(d.casefold() for d in data["weekdays"]),
        relative={k.casefold(): (v[0], v[1]) for k, v in data["relative"].items()},
    )
