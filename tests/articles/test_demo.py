from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from apps.articles.demo import ARTICLES
from apps.articles.models import ArticleActor, ArticlePage
from apps.articles.selectors import visible_articles


def test_load_demo_creates_tagged_articles_in_every_state_and_is_idempotent(db, client):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert f"demo articles: {len(ARTICLES)} created" in out.getvalue()

    pages = {page.slug: page for page in ArticlePage.objects.all()}
    assert len(pages) == len(ARTICLES) >= 12
    visible = set(visible_articles().values_list("slug", flat=True))
    hidden = {a.slug for a in ARTICLES if a.state != "live"}
    assert {a.state for a in ARTICLES} == {"live", "draft", "scheduled", "expired", "private"}
    assert len(visible) >= 8
    assert visible.isdisjoint(hidden)
    assert visible == {a.slug for a in ARTICLES if a.state == "live"}
    for slug in visible:
        assert ArticleActor.objects.filter(page__slug=slug).exists() or pages[slug].event_tags.exists()
    assert {pages[s].section.slug for s in visible} == {"sahel", "west-africa", "analysis"}

    out = StringIO()
    call_command("load_demo", stdout=out)
    assert f"demo articles: 0 created, {len(ARTICLES)} already there" in out.getvalue()
    assert ArticlePage.objects.count() == len(ARTICLES)

    moscow = pages["aes-ministers-meet-lavrov-in-moscow"]
    html = client.get(moscow.url).content.decode()
    assert "Sergey Lavrov" in html and "MOSCOW" in html
