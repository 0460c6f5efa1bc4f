"""Create the counter row and one feed entry for every article already live, so a partner
that starts from `after=0` learns about content published before the change log existed.

Uses the historical models (a migration must not import live code), so the visibility rule is
restated here as it stands at this migration: live, not expired, gone live, no view restriction
on the page or an ancestor, first published, under a live section.
"""

from django.db import migrations
from django.utils import timezone


def backfill(apps, schema_editor):
    ChangeCounter = apps.get_model("changes", "ChangeCounter")
    Change = apps.get_model("changes", "Change")
    ObjectState = apps.get_model("changes", "ObjectState")
    ArticlePage = apps.get_model("articles", "ArticlePage")
    SectionPage = apps.get_model("core", "SectionPage")
    PageViewRestriction = apps.get_model("wagtailcore", "PageViewRestriction")

    counter, _ = ChangeCounter.objects.get_or_create(pk=1)
    if Change.objects.exists():
        return  # idempotent: already backfilled
    now = timezone.now()
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))

    def open_to_public(path):
        return not any(path.startswith(prefix) for prefix in restricted)

    live_sections = {
        pk for pk, path in SectionPage.objects.filter(live=True).values_list("pk", "path") if open_to_public(path)
    }
    articles = ArticlePage.objects.filter(live=True, expired=False, published_at__isnull=False).order_by(
        "published_at", "pk"
    )
    seq = counter.value
    changes, states = [], []
    for article in articles.only("pk", "path", "go_live_at", "expire_at", "section_id", "syndication_rights"):
        if article.go_live_at and article.go_live_at > now or article.expire_at and article.expire_at <= now:
            continue
        if article.section_id not in live_sections or not open_to_public(article.path):
            continue
        seq += 1
        syndicable = article.syndication_rights == "own"
        changes.append(
            Change(
                seq=seq,
                created_at=now,
                object_type="article",
                object_id=article.pk,
                cause="backfill",
                action="upsert",
                visible_after=True,
                section_after=article.section_id,
                syndicable_after=syndicable,
            )
        )
        states.append(
            ObjectState(
                object_type="article",
                object_id=article.pk,
                visible=True,
                section=article.section_id,
                syndicable=syndicable,
            )
        )
    Change.objects.bulk_create(changes)
    ObjectState.objects.bulk_create(states)
    counter.value = seq
    counter.save(update_fields=["value"])


class Migration(migrations.Migration):
    dependencies = [
        ("changes", "0001_initial"),
        ("articles", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
