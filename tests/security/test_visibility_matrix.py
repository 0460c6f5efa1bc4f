"""The visibility matrix, property-based: articles in every state x every public surface.

Hypothesis draws a newsroom (a list of articles, each in one state, with a kind and language
drawn from the model's own fields by `hypothesis.extra.django.from_field`), builds it, reads
every surface, and compares which of those articles each surface shows with the set this file
computes from the drawn states alone (`ON_SITE`, `TO_PARTNERS`), never from our selectors.

Surfaces: home, both section pages, every article page (and its JSON-LD and related boxes),
site/section/actor/event RSS and Atom, the sitemap, search, actor, event and place pages; the
partner API list, detail, ninjs, each filter, `q`, facets, `fields=`, the change feed from
after=0, the registry's article lists and webhook bodies. Words that only a newer draft carries (a headline and
a tagged actor) must appear nowhere.

CI draws VISIBILITY_EXAMPLES newsrooms (default 2) plus the explicit one holding every state;
`make fuzz` draws hundreds.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_field
from rest_framework.test import APIClient
from wagtail.models import PageViewRestriction

from apps.articles.models import ArticleActor, ArticlePage
from apps.changes.services import kill_article
from apps.webhooks.models import WebhookDelivery, WebhookSubscription
from apps.webhooks.services import build_body
from tests.api.factories import ActorFactory, ArticlePageFactory, tags
from tests.partners.factories import issue_key
from tests.security.conftest import bearer

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("VISIBILITY_EXAMPLES", "2"))
MARKER = "Quokkafeld"  # in every generated headline: what `q` and search look for
DRAFT_WORD = "Sequesterly"  # only in newer drafts' headlines: never public
DRAFT_ACTOR = "Tamesna Watch"  # tagged only in newer drafts: never shown with a story
# Surfaces that may name them: the actor's own page, feed and record, and the search echo.
NAMES_THEM = {
    "draft actor page",
    "draft actor rss",
    "registry actors tamesna-watch",
    "search for a draft's words",
}
TOKENS = [
    "amber",
    "birch",
    "cedar",
    "dune",
    "ember",
    "fjord",
    "grove",
    "heath",
    "inlet",
    "juniper",
    "kestrel",
]
TOKENS += ["lagoon", "mesa", "nectar", "orchid"]

STATES = [
    "draft",
    "live",
    "live_newer_draft",
    "private_password",
    "private_login",
    "private_group",
    "scheduled",
    "expired",
    "unpublished",
    "killed",
    "agency",
    "unentitled",
]
# The rule, stated here and nowhere else in this file: readers see these states...
ON_SITE = {"live", "live_newer_draft", "agency", "unentitled"}
# ...and a partner entitled to Sahel only (not agency copy, not West Africa) sees these.
TO_PARTNERS = {"live", "live_newer_draft"}
# How a hidden article's own URL answers an anonymous reader.
HIDDEN_PAGE_STATUS = {"private_login": 302, "private_group": 302, "private_password": 200}


@dataclass
class Spec:
    state: str
    kind: str
    language: str


@dataclass
class Built:
    spec: Spec
    page: ArticlePage

    @property
    def on_site(self) -> bool:
        return self.spec.state in ON_SITE

    @property
    def to_partner(self) -> bool:
        return self.spec.state in TO_PARTNERS


specs = st.builds(
    Spec,
    state=st.sampled_from(STATES),
    kind=from_field(ArticlePage._meta.get_field("kind")),
    language=from_field(ArticlePage._meta.get_field("language")),
)
# Every state, with every kind and both languages among them.
EVERY_STATE = [
    Spec(state, ["news", "analysis", "opinion", "explainer"][i % 4], ["en", "fr"][i % 2])
    for i, state in enumerate(STATES)
]


def build(spec: Spec, token: str, *, world: dict, related_to: list[ArticlePage] = ()) -> ArticlePage:
    now = timezone.now()
    state = spec.state
    section = world["west_africa"] if state == "unentitled" else world["sahel"]
    body = [("related_article", {"article": target, "label": "Related"}) for target in related_to]
    fields = {
        "parent": section,
        "title": f"{MARKER} story {token}",
        "slug": f"quokkafeld-story-{token}",
        "kind": spec.kind,
        "language": spec.language,
        **tags(actors=[world["actor"]], events=[world["event"]], places=[world["place"]]),
    }
    if body:
        fields["body"] = body
    if state == "agency":
        fields["syndication_rights"] = "agency"
    if state in {"draft", "scheduled"}:
        page = ArticlePageFactory(publish=False, **fields)
        if state == "scheduled":
            page.go_live_at = now + timedelta(hours=2)
            page.save_revision().publish()  # with go_live_at ahead this schedules it
        return ArticlePage.objects.get(pk=page.pk)
    page = ArticlePageFactory(**fields)
    if state == "live_newer_draft":
        page.title = f"{MARKER} {DRAFT_WORD} headline {token}"
        page.actor_tags.add(ArticleActor(actor=world["draft_actor"], confirmed=True))
        page.save_revision()
    elif state.startswith("private_"):
        kind = {
            "private_password": PageViewRestriction.PASSWORD,
            "private_login": PageViewRestriction.LOGIN,
            "private_group": PageViewRestriction.GROUPS,
        }[state]
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, password="s3cret")
        if kind == PageViewRestriction.GROUPS:
            restriction.groups.set([Group.objects.get(name="Editors")])
    elif state == "expired":
        # The scheduler has not run yet: the page is still `live`.
        ArticlePage.objects.filter(pk=page.pk).update(expire_at=now - timedelta(minutes=1))
    elif state == "unpublished":
        page.unpublish()
    elif state == "killed":
        kill_article(page=page, category="legal", reason="Court order naming a witness.")
    return ArticlePage.objects.get(pk=page.pk)


def build_newsroom(drawn: list[Spec], world: dict) -> list[Built]:
    built = [Built(spec, build(spec, TOKENS[i], world=world)) for i, spec in enumerate(drawn)]
    # A live West Africa story linking to every other: its related boxes are a surface too.
    host = Spec("unentitled", "news", "en")
    others = [b.page for b in built]
    built.append(Built(host, build(host, TOKENS[len(drawn)], world=world, related_to=others)))
    return built


def shown(text: str, built: list[Built]) -> set[int]:
    """Which of the generated articles a page mentions (their slugs are unique, prefix-free)."""
    return {b.page.pk for b in built if f"quokkafeld-story-{TOKENS_OF[b.page.pk]}/" in text}


TOKENS_OF: dict[int, str] = {}


def site_surfaces(world: dict) -> dict[str, str]:
    actor, event, place = world["actor"], world["event"], world["place"]
    return {
        "home": "/",
        "sahel section": world["sahel"].url,
        "site rss": "/feeds/rss.xml",
        "site atom": "/feeds/atom.xml",
        "sahel rss": "/feeds/sections/sahel/rss.xml",
        "sahel atom": "/feeds/sections/sahel/atom.xml",
        "west africa rss": "/feeds/sections/west-africa/rss.xml",
        "west africa atom": "/feeds/sections/west-africa/atom.xml",
        "west africa section": world["west_africa"].url,
        "sitemap": "/sitemap.xml",
        "search": f"/search/?q={MARKER}",
        "search for a draft's words": f"/search/?q={DRAFT_WORD}",
        "actor page": actor.get_absolute_url(),
        "actor rss": f"/feeds/actors/{actor.slug}/rss.xml",
        "actor atom": f"/feeds/actors/{actor.slug}/atom.xml",
        "event page": event.get_absolute_url(),
        "event rss": f"/feeds/events/{event.slug}/rss.xml",
        "event atom": f"/feeds/events/{event.slug}/atom.xml",
        "place page": place.get_absolute_url(),
        "draft actor page": world["draft_actor"].get_absolute_url(),
        "draft actor rss": f"/feeds/actors/{world['draft_actor'].slug}/rss.xml",
    }


def expected_on_site(surface: str, built: list[Built]) -> set[int]:
    visible = [b for b in built if b.on_site]
    if surface.startswith("sahel"):
        visible = [b for b in visible if b.spec.state != "unentitled"]
    elif surface.startswith("west africa"):
        visible = [b for b in visible if b.spec.state == "unentitled"]
    elif surface.startswith(("place", "draft actor", "search for a draft")):
        visible = []  # a place page lists no stories; nothing public is tagged with a draft's actor
    return {b.page.pk for b in visible}


JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def check_site(client, built: list[Built], world: dict, texts: list[tuple[str, str]]) -> list:
    wrong = []
    for name, url in site_surfaces(world).items():
        response = client.get(url)
        text = response.content.decode()
        texts.append((name, text))
        got = shown(text, built)
        if response.status_code != 200 or got != expected_on_site(name, built):
            wrong.append((name, response.status_code, sorted(got), sorted(expected_on_site(name, built))))
    visible_ids = {b.page.pk for b in built if b.on_site}
    for b in built:
        response = client.get(f"/{b.page.url_path.split('/', 2)[2]}")
        text = response.content.decode()
        texts.append((f"article page ({b.spec.state})", text))
        if b.on_site:
            ld = [json.loads(block) for block in JSON_LD.findall(text)]
            # NewsArticle, or its Analysis/Opinion/Background kinds.
            headlines = [
                item.get("headline") for item in ld if str(item.get("@type")).endswith("NewsArticle")
            ]
            if response.status_code != 200 or headlines != [b.page.title]:
                wrong.append((b.spec.state, "article page", response.status_code, headlines))
            # Related boxes (inline related links, "more in this section") show visible stories only.
            others = shown(text, built) - {b.page.pk}
            if not others <= visible_ids:
                wrong.append((b.spec.state, "related boxes", sorted(others - visible_ids)))
        else:
            status = HIDDEN_PAGE_STATUS.get(b.spec.state, 404)
            if response.status_code != status or b.page.title in text:
                wrong.append((b.spec.state, "article page", response.status_code))
    # The host story links to every generated article: exactly the visible ones are linked.
    host = built[-1]
    text = client.get(f"/{host.page.url_path.split('/', 2)[2]}").content.decode()
    if shown(text, built) - {host.page.pk} != visible_ids - {host.page.pk}:
        wrong.append(("related links", sorted(shown(text, built)), sorted(visible_ids)))
    return wrong


def walk(client: APIClient, url: str, params: dict) -> list[dict]:
    results, params = [], {**params}
    while True:
        body = client.get(url, params).json()
        results += body["results"]
        if url.endswith("/changes/"):
            if not body["more"]:
                return results
            params["after"] = body["next_after"]
        else:
            if not body.get("next"):
                return results
            url, params = body["next"], {}


def check_api(client: APIClient, built: list[Built], world: dict, texts: list[tuple[str, str]]) -> list:
    wrong = []
    mine = {b.page.pk for b in built}
    partner_ids = {b.page.pk for b in built if b.to_partner}
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    filters = {
        "list": {},
        "actor": {"actor": world["actor"].pk},
        "event": {"event": world["event"].pk},
        "place": {"place": world["place"].pk},
        "country": {"country": world["place"].country},
        "section": {"section": "sahel"},
        "published_after": {"published_after": since},
        "updated_since": {"updated_since": since},
        "q": {"q": MARKER},
        "fields": {"fields": "id,title"},
        "q on a draft's words": {"q": DRAFT_WORD},
        "draft actor": {"actor": world["draft_actor"].pk},
    }
    for kind in {b.spec.kind for b in built}:
        filters[f"kind={kind}"] = {"kind": kind}
    for lang in {b.spec.language for b in built}:
        filters[f"lang={lang}"] = {"lang": lang}
    for name, params in filters.items():
        rows = walk(client, "/api/v1/articles/", {"page_size": 100, **params})
        texts.append(("api " + name, json.dumps(rows)))
        got = {row["id"] for row in rows} & mine
        expected = {
            b.page.pk
            for b in built
            if b.to_partner
            and name not in {"draft actor", "q on a draft's words"}
            and (not name.startswith("kind=") or b.spec.kind == params["kind"])
            and (not name.startswith("lang=") or b.spec.language == params["lang"])
        }
        if got != expected:
            wrong.append(("api " + name, sorted(got), sorted(expected)))
    # Facets count only what the partner may see; a draft's actor is not among them.
    body = client.get(
        "/api/v1/articles/", {"actor": world["actor"].pk, "facets": "actor,section,kind"}
    ).json()
    texts.append(("api facets", json.dumps(body["facets"])))
    actors = {row["id"]: row["count"] for row in body["facets"]["actor"]}
    sahel = {row["id"]: row["count"] for row in body["facets"]["section"]}
    if actors.get(world["actor"].pk, 0) != len(partner_ids) or world["draft_actor"].pk in actors:
        wrong.append(("api facets: actor", actors, len(partner_ids)))
    if sahel.get(world["sahel"].pk, 0) != len(partner_ids) or set(sahel) - {world["sahel"].pk}:
        wrong.append(("api facets: section", sahel, len(partner_ids)))
    for b in built:
        for accept, params in [("application/json", {}), ("application/vnd.iptc.ninjs+json", {})]:
            response = client.get(f"/api/v1/articles/{b.page.pk}/", params, HTTP_ACCEPT=accept)
            texts.append(("api detail", response.content.decode()))
            if response.status_code != (200 if b.to_partner else 404):
                wrong.append((b.spec.state, "api detail", accept, response.status_code))
    # The change feed from zero: one upsert for each article the partner may see, none for the
    # rest; tombstones are allowed (a client ignores unknown ids) but carry no content.
    entries = walk(client, "/api/v1/changes/", {"after": 0, "limit": 500})
    texts.append(("change feed", json.dumps(entries)))
    upserts = [e["id"] for e in entries if e["type"] == "article" and e["action"] == "upsert"]
    got = [pk for pk in upserts if pk in mine]
    if sorted(got) != sorted(partner_ids):
        wrong.append(("change feed upserts", sorted(got), sorted(partner_ids)))
    # Webhook bodies as they would be sent now: an article's content only while the partner may
    # see it, and for every article it may see (each was published).
    bodies = [
        json.loads(build_body(d)) for d in WebhookDelivery.objects.filter(subscription=world["webhook"])
    ]
    texts.append(("webhook bodies", json.dumps(bodies)))
    got = {body["object"]["id"] for body in bodies if body.get("article")} & mine
    if got != partner_ids:
        wrong.append(("webhook bodies", sorted(got), sorted(partner_ids)))
    # The registry's article lists.
    for kind, record in [
        ("actors", world["actor"]),
        ("events", world["event"]),
        ("actors", world["draft_actor"]),
    ]:
        body = client.get(f"/api/v1/{kind}/{record.pk}/").json()
        texts.append((f"registry {kind} {record.slug}", json.dumps(body)))
        got = {row["id"] for row in body["articles"]} & mine
        expected = set() if record is world["draft_actor"] else partner_ids
        if got != expected:
            wrong.append((f"registry {kind} articles", sorted(got), sorted(expected)))
    return wrong


@pytest.fixture
def world(sahel, west_africa, registry_records, partner, unthrottled):
    client = bearer(issue_key(partner).plaintext)
    draft_actor = ActorFactory(name=DRAFT_ACTOR, slug="tamesna-watch", country="NE")
    webhook = WebhookSubscription.objects.create(
        partner=partner, url="https://hooks.partner.example/in", secret="k"
    )
    return {
        "webhook": webhook,
        "sahel": sahel,
        "west_africa": west_africa,
        "draft_actor": draft_actor,
        "api": client,
        **registry_records,
    }


def test_every_article_appears_exactly_where_the_rule_says(world, client):
    runs = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(st.lists(specs, min_size=1, max_size=6))
    @example(EVERY_STATE)
    def newsroom(drawn):
        cache.clear()  # ETags and throttle windows from a rolled-back example must not answer
        with transaction.atomic():
            built = build_newsroom(drawn, world)
            TOKENS_OF.clear()
            TOKENS_OF.update({b.page.pk: b.page.slug.rsplit("-", 1)[1] for b in built})
            texts: list[tuple[str, str]] = []
            wrong = check_site(client, built, world, texts) + check_api(world["api"], built, world, texts)
            leaked = [
                name
                for name, text in texts
                if name not in NAMES_THEM and (DRAFT_WORD in text or DRAFT_ACTOR in text)
            ]
            runs.append(sorted(b.spec.state for b in built))
            transaction.set_rollback(True)
        assert wrong == [], [b.spec.state for b in built]
        assert leaked == [], "a newer draft's words reached a public surface"

    newsroom()
    assert set().union(*map(set, runs)) == set(STATES)
