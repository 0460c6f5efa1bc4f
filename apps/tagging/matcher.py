"""Find registry actors and places in text: one Aho-Corasick automaton over every alias.

The automaton is built from plain data (``AliasEntry`` rows), so the benchmark can build one from
a synthetic registry without a database; ``apps.tagging.selectors.current_matcher`` builds the
process's automaton from the registry and rebuilds it when the registry version moves.

Matching happens on folded text (case, diacritics and typographic apostrophes folded the way
the registry folds aliases), with a map back to the original offsets so that exact-case aliases
(acronyms such as AES or US) can be checked against what was written. The rules for the traps
are documented in docs/tagging.md; each has a test in tests/tagging/test_matcher.py.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick

from apps.registry.text import fold

LEXICON = json.loads((Path(__file__).parent / "data" / "lexicon.json").read_text(encoding="utf-8"))

ACTOR = "actor"
PLACE = "place"

# Alias kinds (apps.registry.models.AliasKind values) and how sure a match by each makes us.
KIND_CONFIDENCE = {
    "name": 0.95,
    "acronym": 0.9,
    "spelling_variant": 0.9,
    "former_name": 0.75,
    "demonym": 0.65,
    "metonym": 0.65,
}
# A metonym that is also a place's name ("Moscow", "Bamako") is read as the place by default.
METONYM_PLACE_CONFIDENCE = 0.35
# An ambiguous surname settled by the actor's country being in the text: likely, not certain.
RESOLVED_BY_CONTEXT_CONFIDENCE = 0.6

# A state's name followed by one of these words is part of another name: the "Niger Evening
# Herald", "Radio France Internationale", the "Niger River".
NAME_HEADS = frozenset(LEXICON["name_heads"])
# ... or preceded by one of these ("Radio France", "Air France", "Bank of ...").
NAME_PREFIXES = frozenset(LEXICON["name_prefixes"])
# Words that may stand right before a surname without making it someone else's.
TITLES = frozenset(LEXICON["titles"])
# Capitalised words that start sentences rather than names.
SENTENCE_WORDS = frozenset(LEXICON["sentence_words"])


@dataclass(frozen=True)
class AliasEntry:
    """One way of writing one actor or place, as the matcher needs it."""

    target_type: str  # ACTOR or PLACE
    target_id: int
    text: str
    kind: str = "name"
    case_sensitive: bool = False
    actor_kind: str = ""  # the actor's kind (person, state ...) for actors
    country: str = ""
    full_name: str = ""  # the record's own name


@dataclass
class Mention:
    start: int  # offsets in the original text
    end: int
    text: str
    entry: AliasEntry
    confidence: float

    @property
    def key(self) -> tuple[str, int]:
        return (self.entry.target_type, self.entry.target_id)


@dataclass
class AmbiguousMention:
    start: int
    end: int
    text: str
    candidates: list[AliasEntry] = field(default_factory=list)


@dataclass
class MatchResult:
    mentions: list[Mention]
    ambiguous: list[AmbiguousMention]
    spans: list[tuple[int, int]]  # every span a registry alias covered, used or not


_WHITESPACE = str.maketrans({"\n": " ", "\t": " ", "\r": " ", "\f": " ", "\v": " "})
_CHAR_FOLD: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    folded = _CHAR_FOLD.get(ch)
    if folded is None:
        folded = _CHAR_FOLD[ch] = " " if ch.isspace() else fold(ch)
    return folded


def _fold_with_map(text: str) -> tuple[str, list[int] | None]:
    """Fold like the registry folds aliases; ``index[i]`` is the original offset of folded char
    i, or None when folding kept every offset (ASCII text: the common, fast case)."""
    if text.isascii():
        return text.lower().translate(_WHITESPACE), None
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        out.append(folded)
        index.extend([i] * len(folded))
    return "".join(out), index


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def _previous_word(text: str, start: int) -> str:
    """The word right before ``start`` if only one space separates them, else ''."""
    if start < 2 or text[start - 1] != " " or not _is_word_char(text[start - 2]):
        return ""
    i = start - 2
    while i >= 0 and (_is_word_char(text[i]) or text[i] in "'-"):
        i -= 1
    return text[i + 1 : start - 1]


def _next_words(text: str, end: int, n: int = 3) -> list[str]:
    """Up to n capitalised words directly following ``end`` (separated by single spaces)."""
    words: list[str] = []
    pos = end
    while len(words) < n and pos < len(text) and text[pos] == " ":
        j = pos + 1
        while j < len(text) and _is_word_char(text[j]):
            j += 1
        word = text[pos + 1 : j]
        if not word or not (word[0].isupper() or word[0].isdigit()):
            break
        words.append(word)
        pos = j
    return words


def _sentence_start(text: str, start: int) -> bool:
    head = text[:start].rstrip()
    return not head or head[-1] in '.!?:;\n\u201c"—'


def _all_caps_context(text: str, start: int, end: int) -> bool:
    """An acronym inside a run of capitals (an all-caps headline) is no evidence of the acronym."""
    before = text[max(0, start - 20) : start].split()
    after = text[end : end + 20].split()
    letters = [w for w in (before[-1:] + after[:1]) if any(c.isalpha() for c in w)]
    return len(letters) == 2 and all(w.isupper() and sum(c.isalpha() for c in w) > 1 for w in letters)


def _names_someone_else(text: str, start: int, prev: str) -> bool:
    """A surname right after a capitalised first name that is not a title ("Fatou Diop")."""
    if not prev or not prev[0].isupper() or prev.casefold() in TITLES:
        return False
    return not (prev.casefold() in SENTENCE_WORDS and _sentence_start(text, start - len(prev) - 1))


def _is_surname_alias(entry: AliasEntry) -> bool:
    return entry.actor_kind == "person" and " " not in entry.text.strip() and " " in entry.full_name.strip()


def _is_weak(entry: AliasEntry) -> bool:
    """Common-word aliases ("grain deal", written in lower case in the registry) and one- or
    two-letter aliases that are not exact-case acronyms count only in context."""
    if entry.case_sensitive:
        return False
    letters = [c for c in entry.text if c.isalpha()]
    return len(letters) <= 2 or not any(c.isupper() for c in entry.text)


class Matcher:
    """An automaton over folded aliases; ``match`` is pure and thread-safe once built."""

    def __init__(self, entries: list[AliasEntry], version: int = 0) -> None:
        self.version = version
        self.automaton = ahocorasick.Automaton()
        by_key: dict[str, list[AliasEntry]] = defaultdict(list)
        place_keys: set[str] = set()
        for entry in entries:
            key = fold(entry.text)
            if not key:
                continue
            by_key[key].append(entry)
            if entry.target_type == PLACE:
                place_keys.add(key)
        for key, group in by_key.items():
            # A key written several ways for one target keeps one entry per target and kind.
            unique = list(dict.fromkeys(group))
            self.automaton.add_word(key, (key, tuple(unique)))
        self.place_keys = frozenset(place_keys)
        self.size = len(by_key)
        if by_key:
            self.automaton.make_automaton()

    def match(self, text: str) -> MatchResult:
        if not self.size or not text:
            return MatchResult([], [], [])
        text = text.replace("\u2019", "'").replace("\u2018", "'")
        folded, index = _fold_with_map(text)
        candidates: list[tuple[int, int, str, tuple[AliasEntry, ...]]] = []
        for end_f, (key, entries) in self.automaton.iter(folded):
            start_f = end_f - len(key) + 1
            if start_f > 0 and _is_word_char(folded[start_f - 1]):
                continue
            if end_f + 1 < len(folded) and _is_word_char(folded[end_f + 1]):
                continue
            start, end = (start_f, end_f + 1) if index is None else (index[start_f], index[end_f] + 1)
            # Exact-case aliases are checked before the longest match is chosen, so that a
            # lower-case "us" never hides a shorter alias that does match.
            written = text[start:end]
            kept = tuple(
                e
                for e in entries
                if not e.case_sensitive or (written == e.text and not _all_caps_context(text, start, end))
            )
            if kept:
                candidates.append((start, end, key, kept))
        # Longest match wins: "Burkina Faso" over "Burkina", "AES Joint Force" over "AES".
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        taken: list[tuple[int, int]] = []
        chosen = []
        for cand in candidates:
            start, end = cand[0], cand[1]
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            chosen.append(cand)
        chosen.sort(key=lambda c: c[0])
        return self._resolve(text, chosen, taken)

    def _resolve(self, text: str, chosen, spans) -> MatchResult:
        raw: list[tuple[int, int, str, list[AliasEntry]]] = []
        others_surnames: set[str] = set()  # surnames this text gives to someone else
        for start, end, key, entries in chosen:
            keep = []
            for entry in entries:
                if (
                    (entry.target_type == PLACE or entry.actor_kind != "person")
                    and entry.kind != "acronym"
                    and self._inside_other_name(text, start, end)
                ):
                    continue
                if _is_surname_alias(entry):
                    prev = _previous_word(text, start)
                    if _names_someone_else(text, start, prev):
                        others_surnames.add(key)
                        continue
                keep.append(entry)
            if keep:
                raw.append((start, end, key, keep))

        # What the text says without doubt, used to settle weak, shared and foreign surnames.
        strong_targets: set[tuple[str, int]] = set()
        strong_full_names: set[tuple[str, int]] = set()
        for _, _, _, entries in raw:
            if len({(e.target_type, e.target_id) for e in entries if e.target_type == ACTOR}) <= 1:
                for e in entries:
                    if not _is_weak(e):
                        strong_targets.add((e.target_type, e.target_id))
                    if not _is_surname_alias(e):
                        strong_full_names.add((e.target_type, e.target_id))
        countries = {
            e.country
            for _, _, _, es in raw
            for e in es
            if e.actor_kind == "state" and e.country and len(es) == 1
        } | {e.country for _, _, _, es in raw for e in es if e.target_type == PLACE and e.country}

        mentions: list[Mention] = []
        ambiguous: list[AmbiguousMention] = []
        for start, end, key, entries in raw:
            written = text[start:end]
            by_type: dict[str, list[AliasEntry]] = defaultdict(list)
            for e in entries:
                by_type[e.target_type].append(e)
            for target_type, group in by_type.items():
                targets = {e.target_id: e for e in group}
                if len(targets) > 1:
                    named = [e for e in targets.values() if (target_type, e.target_id) in strong_full_names]
                    if len(named) == 1:
                        entry, confidence = named[0], KIND_CONFIDENCE.get(named[0].kind, 0.5)
                    else:
                        local = [e for e in targets.values() if e.country and e.country in countries]
                        if len(local) == 1 and not named:
                            entry, confidence = local[0], RESOLVED_BY_CONTEXT_CONFIDENCE
                        else:
                            ambiguous.append(AmbiguousMention(start, end, written, list(targets.values())))
                            continue
                else:
                    entry = group[0]
                    confidence = KIND_CONFIDENCE.get(entry.kind, 0.5)
                if _is_weak(entry) and (entry.target_type, entry.target_id) not in strong_targets:
                    continue
                if (
                    _is_surname_alias(entry)
                    and key in others_surnames
                    and (entry.target_type, entry.target_id) not in strong_full_names
                ):
                    continue
                if entry.kind == "metonym" and key in self.place_keys:
                    confidence = min(confidence, METONYM_PLACE_CONFIDENCE)
                mentions.append(Mention(start, end, written, entry, confidence))
        return MatchResult(mentions, ambiguous, spans)

    @staticmethod
    def _inside_other_name(text: str, start: int, end: int) -> bool:
        following = _next_words(text, end)
        if any(w.casefold() in NAME_HEADS for w in following):
            return True
        prev = _previous_word(text, start)
        return bool(prev) and prev[0].isupper() and prev.casefold() in NAME_PREFIXES
