"""Concurrent publishes on PostgreSQL never let a polling reader skip an entry."""

from __future__ import annotations

import random
import threading
import time

import pytest
from django.db import connection, transaction

from apps.changes import selectors
from apps.changes.models import Change
from apps.core.models import SectionPage
from tests.factories import ArticlePageFactory
from tests.partners.factories import PartnerFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 4
PER_WRITER = 6


def test_reader_polling_during_concurrent_publishes_sees_every_entry(desk):
    sahel = SectionPage.objects.get(slug="sahel")
    partner = PartnerFactory(sections=[sahel])
    drafts = [ArticlePageFactory(parent=sahel, publish=False) for _ in range(WRITERS * PER_WRITER)]
    revision_ids = [page.get_latest_revision().pk for page in drafts]
    start_after = selectors.head().seq
    errors: list[BaseException] = []
    done = threading.Event()

    def writer(ids: list[int]) -> None:
        from wagtail.models import Revision

        try:
            for revision_id in ids:
                with transaction.atomic():
                    Revision.objects.get(pk=revision_id).publish()
                    # Hold the transaction open a little: commits now finish out of start order.
                    time.sleep(random.uniform(0, 0.03))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    seen: list[int] = []

    def reader() -> None:
        after = start_after
        try:
            while True:
                finished = done.is_set()
                current = selectors.head().seq
                entries, after, _ = selectors.partner_changes(
                    partner_id=partner.pk, section_ids=[sahel.pk], after=after, limit=1000, through=current
                )
                seen.extend(entry.seq for entry in entries)
                if finished:
                    return
                time.sleep(0.002)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(revision_ids[i::WRITERS],)) for i in range(WRITERS)]
    poller = threading.Thread(target=reader)
    poller.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    done.set()
    poller.join(timeout=120)

    assert errors == []
    logged = list(
        Change.objects.filter(seq__gt=start_after, object_id__in=[p.pk for p in drafts])
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    assert len(logged) == WRITERS * PER_WRITER
    assert seen == logged  # every entry, once, in order: nothing skipped while polling
