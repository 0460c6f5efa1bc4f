"""Time granting sections on a generated corpus (docs/adr/0009). Not collected by pytest.

    rm -f /tmp/grant.sqlite3
    DATABASE_URL=sqlite:////tmp/grant.sqlite3 DJANGO_SETTINGS_MODULE=newsdesk.settings.test \\
        .venv/bin/python -m tests.changes.grant_benchmark 5000

Builds the demo desk and N live articles spread over its sections (inserted through treebeard
with their change-log state, as the backfill migration would, not one publish each), then
times `partner_key create --all-sections` for a new partner and granting every section to a
partner that already has a key, printing the seconds and the rows each wrote.
"""

from __future__ import annotations

import sys
import time
from io import StringIO

import django

django.setup()

from django.core.management import call_command  # noqa: E402  (needs django.setup())
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.articles.models import ArticlePage  # noqa: E402
from apps.changes import services as changes  # noqa: E402
from apps.changes.models import Cause, Change  # noqa: E402
from apps.core.demo import load_demo_desk  # noqa: E402
from apps.core.models import SectionPage  # noqa: E402
from apps.partners import services as partners  # noqa: E402


def build_corpus(count: int) -> None:
    sections = list(SectionPage.objects.order_by("path"))
    now = timezone.now()
    with transaction.atomic():
        for n in range(count):
            section = sections[n % len(sections)]
            section.add_child(
                instance=ArticlePage(
                    title=f"Generated story {n}",
                    slug=f"generated-story-{n}",
                    live=True,
                    first_published_at=now,
                    standfirst="Generated for the grant benchmark.",
                )
            )
            if n % 1000 == 999:
                print(f"  {n + 1} articles", flush=True)
    ids = list(ArticlePage.objects.values_list("pk", flat=True))
    changes.record_article_changes(page_ids=ids, cause=Cause.BACKFILL)


def timed(label: str, action) -> None:
    rows = Change.objects.count()
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.2f} s, {Change.objects.count() - rows} change rows")


def main(count: int) -> None:
    call_command("migrate", verbosity=0)
    load_demo_desk()
    start = time.perf_counter()
    build_corpus(count)
    print(f"corpus: {ArticlePage.objects.count()} articles in {time.perf_counter() - start:.1f} s")
    timed(
        "partner_key create --all-sections (new partner)",
        lambda: call_command(
            "partner_key", "create", "--partner", "Bench new", "--all-sections", stdout=StringIO()
        ),
    )
    reader, _ = partners.ensure_partner(name="Bench reader", section_slugs=["sahel"])
    partners.create_api_key(partner=reader)
    timed(
        "grant all sections to a partner with a key",
        lambda: partners.change_entitlements(partner=reader, all_sections=True),
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
