"""/api/v1/articles/: representation, filters (AND/OR, merges, dates), entitlement, cursor, queries."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from apps.articles.models import ArticleActor, ArticleCorrection, ArticlePage
from apps.core.models import ImageRights, SectionPage
from apps.registry.models import ActorKind, ReviewStatus
from apps.registry.services import merge_actors
from tests.api.factories import (
    ActorFactory,
    ArticlePageFactory,
    EventFactory,
    PlaceFactory,
    make_image,
    paragraph,
    tags,
)
from tests.partners.factories import PartnerFactory, issue_key

pytestmark = pytest.mark.django_db

URL = "/api/v1/articles/"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


@pytest.fixture
def world(desk, sahel):
    """Hand-counted: five Sahel articles tagged as the comments say."""
    mali = ActorFactory(name="Mali", slug="mali", country="ML", wikidata_qid="Q912")
    niger = ActorFactory(name="Niger", slug="niger", country="NE")
    lavrov = ActorFactory(
        name="Sergey Lavrov", slug="sergey-lavrov", kind=ActorKind.PERSON, wikidata_qid="Q80"
    )
    france = ActorFactory(name="France", slug="france", country="FR")
    pending = ActorFactory(name="Unreviewed militia", slug="unreviewed", review_status=ReviewStatus.PROPOSED)
    bamako = PlaceFactory(name="Bamako", slug="bamako", country="ML")
    moscow = PlaceFactory(name="Moscow", slug="moscow", country="RU")
    summit = EventFactory(title="Ouagadougou chiefs summit", slug="ouaga-summit")
    a = SimpleNamespace(mali=mali, niger=niger, lavrov=lavrov, france=france, pending=pending)
    a.both = ArticlePageFactory(
        parent=sahel, title="Mali and Niger align border patrols", **tags(actors=[mali, niger])
    )
    a.mali_only = ArticlePageFactory(
        parent=sahel, title="Bamako reshuffles its cabinet", **tags(actors=[mali], places=[bamako])
    )
    a.niger_lavrov = ArticlePageFactory(
        parent=sahel,
        title="Niamey's envoy meets Lavrov in Moscow",
        kind="analysis",
        language="fr",
        **tags(actors=[niger, lavrov], places=[moscow], events=[summit]),
    )
    a.france = ArticlePageFactory(
        parent=sahel, title="Paris reviews its last Sahel bases", **tags(actors=[france])
    )
    a.untagged = ArticlePageFactory(
        parent=sahel,
        title="Grain prices climb before the rains",
        actor_tags=[ArticleActor(actor=mali, confirmed=False), ArticleActor(actor=pending)],
    )
    return a


def test_article_representation(api, world):
    body = api.get(f"{URL}{world.niger_lavrov.pk}/").json()
    assert body["id"] == world.niger_lavrov.pk
    assert body["uri"] == f"urn:newsdesk:article:{world.niger_lavrov.pk}"
    assert body["url"].endswith("/sahel/niameys-envoy-meets-lavrov-in-moscow/")
    assert (body["kind"], body["language"], body["section"]["slug"]) == ("analysis", "fr", "sahel")
    assert body["revision"] == world.niger_lavrov.live_revision_id
    assert body["bylines"][0]["name"].startswith("Desk Writer")
    actor_tags = {t["slug"]: t for t in body["tags"] if t["type"] == "actor"}
    assert actor_tags["sergey-lavrov"] == {
        "type": "actor",
        "id": world.lavrov.pk,
        "uri": f"urn:newsdesk:actor:{world.lavrov.pk}",
        "slug": "sergey-lavrov",
        "name": "Sergey Lavrov",
        "kind": "person",
        "role": "subject",
        "relevance": 1.0,
        "country": None,
        "wikidata_qid": "Q80",
    }
    assert {t["type"] for t in body["tags"]} == {"actor", "event", "place"}
    assert "<p>" in body["body_html"] and "<" not in body["body_text"]


def test_unconfirmed_tags_and_tags_of_unapproved_records_are_not_shown(api, world):
    assert api.get(f"{URL}{world.untagged.pk}/").json()["tags"] == []


def test_actor_comma_is_intersection_and_pipe_is_union(api, world):
    assert ids(api.get(URL, {"actor": "mali,niger"})) == {world.both.pk}
    assert ids(api.get(URL, {"actor": "mali|niger"})) == {
        world.both.pk,
        world.mali_only.pk,
        world.niger_lavrov.pk,
    }
    assert ids(api.get(URL, {"actor": "niger,sergey-lavrov"})) == {world.niger_lavrov.pk}
    assert ids(api.get(URL, {"actor": "mali|france"})) == {world.both.pk, world.mali_only.pk, world.france.pk}


def test_actor_by_id_slug_or_qid(api, world):
    expected = {world.both.pk, world.mali_only.pk}
    for term in (str(world.mali.pk), "mali", "Q912", "q912"):
        assert ids(api.get(URL, {"actor": term})) == expected


def test_a_merged_away_actor_filters_as_its_survivor(api, world):
    duplicate = ActorFactory(name="Republic of Mali", slug="republic-of-mali")
    tagged = ArticlePageFactory(title="Transition charter extended", **tags(actors=[duplicate]))
    merge_actors(loser=duplicate, survivor=world.mali)
    expected = {world.both.pk, world.mali_only.pk, tagged.pk}
    assert ids(api.get(URL, {"actor": "republic-of-mali"})) == expected
    assert ids(api.get(URL, {"actor": str(duplicate.pk)})) == expected
    assert ids(api.get(URL, {"actor": "mali"})) == expected


@pytest.mark.parametrize("value", ["mali,niger|france", "nobody-by-this-name", "unreviewed", "mali,"])
def test_bad_actor_values_are_400_naming_actor(api, world, value):
    response = api.get(URL, {"actor": value})
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalid_params"]] == ["actor"]


def test_event_place_and_country_filters(api, world):
    assert ids(api.get(URL, {"event": "ouaga-summit"})) == {world.niger_lavrov.pk}
    assert ids(api.get(URL, {"place": "bamako|moscow"})) == {world.mali_only.pk, world.niger_lavrov.pk}
    assert ids(api.get(URL, {"place": "bamako,moscow"})) == set()
    # ML: tagged place Bamako or tagged state Mali; NE: the state Niger only.
    assert ids(api.get(URL, {"country": "ML"})) == {world.both.pk, world.mali_only.pk}
    assert ids(api.get(URL, {"country": "ml,ne"})) == {world.both.pk}
    assert ids(api.get(URL, {"country": "RU"})) == {world.niger_lavrov.pk}
    assert api.get(URL, {"country": "XX"}).status_code == 400


def test_section_kind_and_lang_filters(api, world):
    assert len(ids(api.get(URL, {"section": "sahel"}))) == 5
    assert ids(api.get(URL, {"kind": "analysis"})) == {world.niger_lavrov.pk}
    assert ids(api.get(URL, {"lang": "fr"})) == {world.niger_lavrov.pk}
    assert len(ids(api.get(URL, {"kind": "news|analysis"}))) == 5
    for name, value in [
        ("kind", "news,analysis"),
        ("kind", "gossip"),
        ("lang", "de"),
        ("section", "analysis"),
    ]:
        response = api.get(URL, {name: value})
        assert response.status_code == 400
        assert [p["name"] for p in response.json()["invalid_params"]] == [name]


def _publish_at(article: ArticlePage, moment: dt.datetime) -> None:
    ArticlePage.objects.filter(pk=article.pk).update(published_at=moment, updated_at=moment)


def test_date_bounds_are_whole_utc_days_and_inclusive(api, desk, sahel):
    day = dt.datetime(2025, 4, 3, tzinfo=dt.UTC)
    edges = {
        "before": day - dt.timedelta(microseconds=1),
        "first": day,
        "last": day + dt.timedelta(days=1) - dt.timedelta(microseconds=1),
        "after": day + dt.timedelta(days=1),
    }
    made = {}
    for name, moment in edges.items():
        made[name] = ArticlePageFactory(parent=sahel, title=f"Edge case {name}")
        _publish_at(made[name], moment)
    pk = {name: page.pk for name, page in made.items()}
    assert ids(api.get(URL, {"published_after": "2025-04-03"})) == {pk["first"], pk["last"], pk["after"]}
    assert ids(api.get(URL, {"published_before": "2025-04-03"})) == {pk["before"], pk["first"], pk["last"]}
    assert ids(api.get(URL, {"published_after": "2025-04-03", "published_before": "2025-04-03"})) == {
        pk["first"],
        pk["last"],
    }
    assert ids(api.get(URL, {"updated_since": "2025-04-04"})) == {pk["after"]}
    assert ids(api.get(URL, {"published_after": "2025-04-03T23:59:59.999999Z"})) == {pk["last"], pk["after"]}
    assert ids(api.get(URL, {"published_before": "2025-04-03T02:00:00+02:00"})) == {pk["before"], pk["first"]}
    assert api.get(URL, {"published_after": "3 April"}).status_code == 400


def test_ordering_by_published_and_updated_with_id_breaking_ties(api, desk, sahel):
    pages = [ArticlePageFactory(parent=sahel, title=f"Ordering story {n}") for n in range(4)]
    same = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    for page in pages[:2]:
        _publish_at(page, same)
    _publish_at(pages[2], same + dt.timedelta(days=1))
    _publish_at(pages[3], same - dt.timedelta(days=1))
    ArticlePage.objects.filter(pk=pages[3].pk).update(updated_at=same + dt.timedelta(days=9))

    def order(value: str) -> list[int]:
        return [item["id"] for item in api.get(URL, {"ordering": value}).json()["results"]]

    p = [page.pk for page in pages]
    assert order("published") == [p[3], p[0], p[1], p[2]]
    assert order("-published") == [p[2], p[1], p[0], p[3]]
    assert order("-updated") == [p[3], p[2], p[1], p[0]]
    assert api.get(URL, {"ordering": "title"}).status_code == 400


# --- entitlement -----------------------------------------------------------------------------


@pytest.fixture
def hidden(desk, sahel):
    """Articles a Sahel partner must never see, each tagged Mali so every filter could reach them."""
    mali = ActorFactory(name="Mali", slug="mali", country="ML")
    west_africa = SectionPage.objects.get(slug="west-africa")
    now = timezone.now()
    pages = {
        "other_section": ArticlePageFactory(
            parent=west_africa, title="Coastal summit opens", **tags(actors=[mali])
        ),
        "draft": ArticlePageFactory(
            parent=sahel, title="Draft on the junta", publish=False, **tags(actors=[mali])
        ),
        "scheduled": ArticlePageFactory(parent=sahel, title="Embargoed charter story", **tags(actors=[mali])),
        "expired": ArticlePageFactory(parent=sahel, title="Old ceasefire story", **tags(actors=[mali])),
        "private": ArticlePageFactory(parent=sahel, title="Members-only briefing", **tags(actors=[mali])),
        "agency": ArticlePageFactory(
            parent=sahel,
            title="Agency copy on the airbase",
            syndication_rights="agency",
            **tags(actors=[mali]),
        ),
    }
    ArticlePage.objects.filter(pk=pages["scheduled"].pk).update(go_live_at=now + dt.timedelta(hours=3))
    ArticlePage.objects.filter(pk=pages["expired"].pk).update(expire_at=now - dt.timedelta(minutes=1))
    PageViewRestriction.objects.create(page=pages["private"], restriction_type=PageViewRestriction.LOGIN)
    visible = ArticlePageFactory(parent=sahel, title="Visible Mali story", **tags(actors=[mali]))
    return SimpleNamespace(pages=pages, visible=visible)


FILTERS = [
    {},
    {"actor": "mali"},
    {"actor": "mali|mali"},
    {"country": "ML"},
    {"kind": "news"},
    {"lang": "en"},
    {"section": "sahel"},
    {"published_after": "2000-01-01"},
    {"updated_since": "2000-01-01"},
    {"ordering": "updated"},
    {"page_size": "100"},
]


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: ",".join(p) or "none")
def test_a_partner_never_sees_hidden_content_through_any_filter(api, hidden, params):
    assert ids(api.get(URL, params)) == {hidden.visible.pk}


@pytest.mark.parametrize("name", ["other_section", "draft", "scheduled", "expired", "private", "agency"])
def test_hidden_article_detail_is_404(api, hidden, name):
    response = api.get(f"{URL}{hidden.pages[name].pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_another_section_cannot_be_asked_for(api, hidden):
    response = api.get(URL, {"section": "west-africa"})
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "section"


def test_an_all_sections_partner_sees_the_other_section_but_still_nothing_hidden(hidden):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_key(PartnerFactory(all_sections=True)).plaintext}")
    assert ids(client.get(URL)) == {hidden.visible.pk, hidden.pages["other_section"].pk}


def test_rights_restricted_images_are_never_sent(api, desk, sahel):
    own, restricted = (
        make_image("Delegates arrive"),
        make_image("Agency pool shot", rights=ImageRights.RESTRICTED),
    )
    body = [
        paragraph("The delegates arrived late."),
        ("image", {"image": own, "caption": "", "credit": "Pool photo"}),
        ("image", {"image": restricted, "caption": "Not for partners", "credit": ""}),
    ]
    page = ArticlePageFactory(parent=sahel, title="Delegates arrive", hero_image=restricted, body=body)
    data = api.get(f"{URL}{page.pk}/").json()
    assert [(i["id"], i["role"], i["credit"]) for i in data["images"]] == [(own.pk, "body", "Pool photo")]
    assert data["images"][0]["url"].startswith("http://testserver/")
    assert data["images"][0]["alt_text"] == "Photo: delegates arrive"
    assert "Not for partners" not in data["body_html"]


# --- cursor pagination -----------------------------------------------------------------------


@pytest.mark.parametrize("ordering", ["-published", "published", "-updated"])
def test_walking_all_pages_while_articles_are_published_returns_each_once(api, desk, sahel, ordering):
    existing = {ArticlePageFactory(parent=sahel, title=f"Backlog story {n}").pk for n in range(11)}
    seen: list[int] = []
    url = f"{URL}?page_size=3&ordering={ordering}"
    fresh = 0
    for _ in range(20):  # 11 articles in pages of 3: a broken cursor must fail, not loop forever
        if not url:
            break
        body = api.get(url).json()
        seen += [item["id"] for item in body["results"]]
        for _ in range(2):  # the desk keeps publishing between the partner's calls
            ArticlePageFactory(parent=sahel, title=f"Breaking story {fresh}")
            fresh += 1
        url = body["next"]
    assert url is None, "the walk never reached the last page"
    old = [pk for pk in seen if pk in existing]
    assert sorted(old) == sorted(existing)
    assert len(old) == len(set(old))
    assert len(seen) == len(set(seen))


def test_previous_link_returns_the_page_before(api, desk, sahel):
    for n in range(7):
        ArticlePageFactory(parent=sahel, title=f"Story {n}")
    first = api.get(URL, {"page_size": 3}).json()
    second = api.get(first["next"]).json()
    back = api.get(second["previous"]).json()
    assert [i["id"] for i in back["results"]] == [i["id"] for i in first["results"]]
    assert back["previous"] is None


def test_a_cursor_from_another_ordering_is_400(api, desk, sahel):
    for n in range(3):
        ArticlePageFactory(parent=sahel, title=f"Story {n}")
    cursor = api.get(URL, {"page_size": 1}).json()["next"].split("cursor=")[1]
    response = api.get(URL, {"cursor": cursor, "ordering": "updated"})
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "cursor"


# --- query budget ----------------------------------------------------------------------------


@pytest.fixture
def rich_articles(desk, sahel):
    """Twelve articles with everything the representation shows."""
    mali, bamako, summit = ActorFactory(slug="mali"), PlaceFactory(), EventFactory()
    image = make_image("Summit hall")
    target = ArticlePageFactory(parent=sahel, title="Background to the summit")
    pages = []
    for n in range(12):
        body = [
            (
                "paragraph",
                RichText(f'<p>See <a linktype="page" id="{target.pk}">the background</a> {n}.</p>'),
            ),
            ("heading", {"text": "What was agreed", "level": "h2"}),
            ("image", {"image": image, "caption": "", "credit": ""}),
            ("fact_box", {"title": "Key facts", "facts": ["Three states", "One joint force"]}),
            ("related_article", {"article": target, "label": "Background"}),
        ]
        pages.append(
            ArticlePageFactory(
                parent=sahel,
                title=f"Summit day {n}",
                hero_image=image,
                body=body,
                corrections=[(dt.date(2025, 4, 16), "An earlier version misspelt a minister's name.")],
                **tags(actors=[mali], places=[bamako], events=[summit]),
            )
        )
    return pages


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_page_size(api, rich_articles, django_assert_max_num_queries):
    api.get(f"{URL}?page_size=100")  # warm-up: renditions, site root paths
    small, large = _count(api, f"{URL}?page_size=5"), _count(api, f"{URL}?page_size=100")
    assert small == large
    with django_assert_max_num_queries(12):
        body = api.get(f"{URL}?page_size=100").json()
    assert len(body["results"]) == 13
    article = next(item for item in body["results"] if item["title"] == "Summit day 3")
    assert "/sahel/background-to-the-summit/" in article["body_html"]
    assert len(article["tags"]) == 3 and len(article["images"]) == 2 and article["corrections"]


def test_detail_queries_within_budget(api, rich_articles, django_assert_max_num_queries):
    url = f"{URL}{rich_articles[0].pk}/"
    api.get(url)
    with django_assert_max_num_queries(12):
        assert api.get(url).status_code == 200


def test_corrections_are_listed(api, desk, sahel):
    page = ArticlePageFactory(parent=sahel, corrections=[(dt.date(2025, 4, 5), "The summit was on Tuesday.")])
    assert api.get(f"{URL}{page.pk}/").json()["corrections"] == [
        {"date": "2025-04-05", "text": "The summit was on Tuesday."}
    ]
    assert ArticleCorrection.objects.filter(page=page).count() == 1


@pytest.mark.parametrize("name", ["draft", "scheduled", "expired", "private"])
def test_body_links_never_reveal_pages_a_reader_cannot_open(api, hidden, sahel, name):
    target = hidden.pages[name]
    linking = ArticlePageFactory(
        parent=sahel,
        title="Story with links",
        body=[
            (
                "paragraph",
                RichText(
                    f'<p><a linktype="page" id="{target.pk}">hidden</a> and '
                    f'<a linktype="page" id="{hidden.visible.pk}">visible</a></p>'
                ),
            )
        ],
    )
    body = api.get(f"{URL}{linking.pk}/").json()["body_html"]
    assert target.slug not in body
    assert "<a>hidden</a>" in body
    assert f'{hidden.visible.slug}/">visible</a>' in body
