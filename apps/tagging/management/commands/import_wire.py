"""manage.py import_wire PATH... --section SLUG [--format auto|text|html|rss|atom|ninjs]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.articles.models import SyndicationRights
from apps.core.models import SectionPage
from apps.tagging import services
from apps.tagging.wire import FORMATS, WireFormatError, read_file

PROGRESS_FROM = 5  # items; fewer import without a progress bar


class Command(BaseCommand):
    help = "Import wire copy as draft articles with suggested (unconfirmed) tags. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--section", required=True, help="Slug of the section the drafts go under.")
        parser.add_argument("--format", default="auto", choices=FORMATS)
        parser.add_argument(
            "--rights",
            default=SyndicationRights.AGENCY_SITE_ONLY,
            choices=SyndicationRights.values,
            help="Syndication rights of the drafts (default: agency copy, not for partners).",
        )

    def handle(self, *args, paths: list[str], section: str, format: str, rights: str, **options):
        target = SectionPage.objects.filter(slug=section).first()
        if target is None:
            raise CommandError(f"no section with slug {section!r}")
        # Read every file first: a malformed one is reported and nothing of it is written.
        parsed, errors = [], []
        for name in paths:
            try:
                parsed.append((name, read_file(Path(name), format)))
            except WireFormatError as exc:
                errors.append(f"{name}: {exc}")
        total = sum(len(items) for _, items in parsed)
        created = skipped = 0
        with tqdm(total=total, unit="item", disable=total < PROGRESS_FROM, file=self.stderr) as bar:
            for name, items in parsed:
                for item in items:
                    page = services.import_item(item=item, section=target, source=name, rights=rights)
                    created, skipped = created + (page is not None), skipped + (page is None)
                    bar.update(1)
        self.stdout.write(f"{created} draft(s) created, {skipped} already imported, in section {section!r}")
        if errors:
            raise CommandError("; ".join(errors))
