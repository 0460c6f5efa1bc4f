"""manage.py retag [--since YYYY-MM-DD] [--background]"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from apps.core.tasks import enqueue_on_commit
from apps.tagging import services, tasks


class Command(BaseCommand):
    help = (
        "Re-run tag suggestions (unconfirmed tags on a new draft revision); confirmed tags are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="Only articles changed on or after this date (YYYY-MM-DD).")
        parser.add_argument(
            "--background", action="store_true", help="Enqueue on the background task backend."
        )

    def handle(self, *args, since: str | None, background: bool, **options):
        try:
            day = dt.date.fromisoformat(since) if since else None
        except ValueError as exc:
            raise CommandError(f"--since {since!r} is not a date (YYYY-MM-DD)") from exc
        if background:
            enqueue_on_commit(tasks.retag, since=day.isoformat() if day else None)
            self.stdout.write("retag enqueued on the background backend")
            return
        result = services.retag_articles(since=day)
        self.stdout.write(f"{result.articles} article(s) checked, {result.updated} got new suggested tags")
