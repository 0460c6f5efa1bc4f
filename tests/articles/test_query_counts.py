"""Public pages cost a fixed number of queries, whatever the number of tags or articles.

Each page is requested once first (warm-up) so Wagtail's cached site data does not make the
counts depend on test order; then the same page is measured with few and with many items.
"""

from __future__ import annotations

from apps.articles.models import ArticleActor
from tests.articles.factories import ActorFactory
from tests.articles.page_costs import page_cost, tagged_article
from tests.factories import ArticlePageFactory, AuthorFactory

# What each page really costs (issue #15), asserted exactly so any extra query fails; the
# article page's 8 are itemised in test_perf_article_page.py.
ARTICLE_PAGE_QUERIES = 8
HOME_QUERIES = 12  # the top stories: their ids (one LIMIT per section), then the teasers
SECTION_QUERIES = 10  # no count of the section: its pages read one article more than they show
ACTOR_PAGE_QUERIES = 9


def _count(client, url: str) -> int:
    return page_cost(client, url)[0]


def test_article_page_queries_do_not_grow_with_tags(client, sahel, django_assert_num_queries):
    few = tagged_article(sahel, 1, "One tag each on this story")
    many = tagged_article(sahel, 30, "Thirty tags each on this story")

    few_count = _count(client, few.url)
    many_count = _count(client, many.url)

    print(f"QUERYCOUNT article page: 1 tag={few_count}, 30 tags={many_count}")
    assert few_count == many_count
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = client.get(many.url)
    assert response.content.decode().count('class="chip chip-actor"') == 30


def test_home_queries_do_not_grow_with_articles(client, sahel, west_africa, django_assert_num_queries):
    for i in range(2):
        ArticlePageFactory(parent=sahel, title=f"First batch story {i}")
    few = _count(client, "/")
    for i in range(12):
        ArticlePageFactory(parent=west_africa if i % 2 else sahel, title=f"Second batch story {i}")

    many = _count(client, "/")
    print(f"QUERYCOUNT home: 2 articles={few}, 14 articles={many}")
    assert many == few
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/")


def test_section_queries_do_not_grow_with_articles(client, sahel, django_assert_num_queries):
    ArticlePageFactory(parent=sahel, title="The only story")
    few = _count(client, sahel.url)
    for i in range(15):
        ArticlePageFactory(
            parent=sahel, title=f"Another story {i}", authors=[AuthorFactory(), AuthorFactory()]
        )

    many = _count(client, sahel.url)
    print(f"QUERYCOUNT section: 1 article={few}, 16 articles={many}")
    assert many == few
    with django_assert_num_queries(SECTION_QUERIES):
        client.get(sahel.url)


def test_actor_page_queries_do_not_grow_with_articles(client, sahel, django_assert_num_queries):
    actor = ActorFactory(name="Abdoulaye Diop")
    ArticlePageFactory(parent=sahel, title="Diop story 0", actor_tags=[ArticleActor(actor=actor)])
    url = actor.get_absolute_url()
    few = _count(client, url)
    for i in range(1, 12):
        ArticlePageFactory(parent=sahel, title=f"Diop story {i}", actor_tags=[ArticleActor(actor=actor)])

    many = _count(client, url)
    print(f"QUERYCOUNT actor page: 1 article={few}, 12 articles={many}")
    assert many == few
    with django_assert_num_queries(ACTOR_PAGE_QUERIES):
        response = client.get(url)
    assert response.content.decode().count("Diop story") == 12


def test_feed_queries_do_not_grow_with_articles(client, sahel):
    ArticlePageFactory(parent=sahel, title="Feed story 0")
    few = _count(client, "/feeds/sections/sahel/rss.xml")
    for i in range(1, 10):
        ArticlePageFactory(parent=sahel, title=f"Feed story {i}")
    many = _count(client, "/feeds/sections/sahel/rss.xml")
    print(f"QUERYCOUNT section feed: 1 article={few}, 10 articles={many}")
    assert many == few
