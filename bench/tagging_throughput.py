"""Tag-suggestion throughput with a synthetic 20,000-actor registry (about 60,000 aliases).

    .venv/bin/python bench/tagging_throughput.py [--actors 20000] [--articles 1000] [--seed 13]

Builds the registry in memory (no database: the matcher is pure code over AliasEntry rows),
measures the automaton's build time and memory (tracemalloc peak and the process's RSS growth),
then suggestions per second over synthetic ~250-word articles, and writes
bench/results/tagging.json. Not a timed test: run it on the machine you want figures for.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apps.tagging.matcher import ACTOR, PLACE, AliasEntry, Matcher  # noqa: E402
from apps.tagging.suggestions import RegistryIndex, Target, suggest_tags  # noqa: E402

SYLLABLES = [
    "ba",
    "ko",
    "ma",
    "li",
    "ni",
    "ger",
    "sa",
    "hel",
    "ta",
    "ra",
    "mo",
    "du",
    "ki",
    "fa",
    "so",
    "wa",
    "ye",
    "go",
    "ri",
    "an",
    "el",
    "ou",
    "di",
    "ja",
    "me",
    "zu",
]
FILLER = [
    "officials said on monday that talks would continue next week",
    "the ministry gave no figure for the cost",
    "diplomats described the meeting as frank and useful",
    "traders in the capital reported higher prices for fuel and grain",
    "the statement was read on state television in the evening",
    "analysts said the decision could change the balance of power in the region .",
]


def word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def synthetic_registry(n_actors: int, rng: random.Random) -> tuple[list[AliasEntry], dict, dict]:
    entries: list[AliasEntry] = []
    actors: dict[int, Target] = {}
    places: dict[int, Target] = {}
    names: set[str] = set()
    for pk in range(1, n_actors + 1):
        kind = rng.choices(["person", "organization", "state", "armed_group"], weights=[60, 25, 5, 10])[0]
        while True:
            if kind == "person":
                name = f"{word(rng, 2)} {word(rng, 3)}"
            elif kind == "organization":
                name = f"{word(rng, 3)} {rng.choice(['Council', 'Front', 'Union', 'Movement', 'Agency'])}"
            else:
                name = word(rng, 3)
            if name not in names:
                names.add(name)
                break
        actors[pk] = Target(pk, f"actor-{pk}", name, kind, "XX")
        entries.append(AliasEntry(ACTOR, pk, name, "name", False, kind, "XX", name))
        if kind == "person":
            first, last = name.split()
            aliases = [
                (last, "name", False),
                (f"{first}e {last}", "spelling_variant", False),
                (f"President {last}", "name", False),
            ]
        elif kind == "organization":
            acronym = "".join(w[0] for w in name.split()).upper() + word(rng, 1).upper()[:2]
            aliases = [
                (acronym, "acronym", True),
                (name.replace(" ", "-"), "spelling_variant", False),
                (f"{name.split()[0]}ian {name.split()[1]}", "former_name", False),
            ]
        else:
            aliases = [
                (name + "n", "demonym", False),
                (word(rng, 2), "metonym", False),
                (f"Republic of {name}", "name", False),
            ]
        entries += [AliasEntry(ACTOR, pk, t, k, cs, kind, "XX", name) for t, k, cs in aliases]
    for pk in range(1, n_actors // 10 + 1):
        name = word(rng, 3)
        places[pk] = Target(pk, f"place-{pk}", name, "city", "XX")
        entries.append(AliasEntry(PLACE, pk, name, "name", False, "", "XX", name))
    return entries, actors, places


def synthetic_articles(n: int, entries: list[AliasEntry], rng: random.Random) -> list[dict]:
    out = []
    for _ in range(n):
        mentions = rng.sample(entries, 10)
        sentences = []
        for i in range(20):
            sentence = rng.choice(FILLER).capitalize()
            if i < len(mentions):
                sentence = f"{mentions[i].text} said {sentence.lower()}"
            sentences.append(sentence + ".")
        body = " ".join(sentences)
        out.append(
            {
                "headline": f"{mentions[0].text} and {mentions[1].text} meet",
                "standfirst": sentences[2],
                "body": body,
            }
        )
    return out


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=20_000)
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "tagging.json"))
    args = parser.parse_args()
    rng = random.Random(args.seed)  # noqa: S311 (synthetic data, not security)

    entries, actors, places = synthetic_registry(args.actors, rng)
    articles = synthetic_articles(args.articles, entries, rng)
    gc.collect()
    rss_before = rss_mb()
    started = time.perf_counter()
    matcher = Matcher(entries, version=1)
    build_s = time.perf_counter() - started
    rss_after = rss_mb()
    # A second build under tracemalloc for the Python-side allocation peak (tracemalloc slows
    # allocation, so it is kept out of the timed build; the C automaton shows in RSS only).
    tracemalloc.start()
    Matcher(entries, version=2)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    index = RegistryIndex(matcher=matcher, actors=actors, places=places)

    suggest_tags(index, **articles[0])  # warm up
    started = time.perf_counter()
    found = 0
    for article in articles:
        found += len(suggest_tags(index, **article).actors)
    elapsed = time.perf_counter() - started
    words = sum(len(" ".join(a.values()).split()) for a in articles) / len(articles)

    result = {
        "actors": len(actors),
        "places": len(places),
        "aliases": len(entries) - len(actors) - len(places),
        "automaton_keys": matcher.size,
        "build_seconds": round(build_s, 3),
        "build_tracemalloc_peak_mb": round(peak / 1024 / 1024, 1),
        "rss_growth_mb": round(rss_after - rss_before, 1),
        "rss_max_mb": round(rss_after, 1),
        "articles": len(articles),
        "words_per_article": round(words),
        "seconds": round(elapsed, 3),
        "articles_per_second": round(len(articles) / elapsed, 1),
        "actor_suggestions_per_article": round(found / len(articles), 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
