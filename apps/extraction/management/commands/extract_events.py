"""manage.py extract_events [--since YYYY-MM-DD]"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from apps.extraction.services import extract_articles


class Command(BaseCommand):
    help = "Propose events from articles (changed on or after --since); nothing already proposed is proposed again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", help="Only articles whose latest revision is from this day on (YYYY-MM-DD)."
        )

    def handle(self, *args, since: str | None = None, **options):
        try:
            day = dt.date.fromisoformat(since) if since else None
        except ValueError as exc:
            raise CommandError(f"--since must be a day, YYYY-MM-DD (got {since!r})") from exc
        result = extract_articles(since=day)
        self.stdout.write(
            f"{result.articles} article(s) read: {result.created} new proposal(s), {result.existing} already proposed."
        )
