"""`manage.py generate_corpus`: the benchmark corpus, deterministic and in bulk (apps/corpus/generator.py)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.corpus.generator import CorpusError, generate


class Command(BaseCommand):
    help = "Generate a deterministic benchmark corpus (PostgreSQL): articles, registry, change log, search index."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--actors", type=int, default=20_000)
        parser.add_argument("--events", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=15)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (logs, CI)")

    def handle(self, *args, **options):
        started = time.monotonic()
        total = options["articles"]
        bar = tqdm(total=total, unit="article", disable=options["no_progress"], file=self.stderr._out)

        def progress(stage: str, n: int) -> None:
            bar.set_description(stage)
            if stage == "articles":
                bar.update(n)

        try:
            report = generate(
                articles=total,
                actors=options["actors"],
                events=options["events"],
                seed=options["seed"],
                progress=progress,
            )
        except CorpusError as error:
            raise CommandError(str(error)) from None
        finally:
            bar.close()
        counts = ", ".join(f"{name} {count}" for name, count in report.counts.items())
        self.stdout.write(f"Corpus written in {time.monotonic() - started:.1f} s: {counts}")
