"""IPTC ninjs 2.x rendition of an article: negotiation, and the ninjs rules checked two ways (IPTC's
own 2.1 schema, and the rules spelled out here so a failure says which one broke)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from apps.api.ninjs import NINJS_MEDIA_TYPE
from apps.articles.models import ArticleActor, ArticleEvent, ArticlePlace, TagRole
from apps.core.models import SectionPage
from apps.registry.models import ActorKind
from tests.api.factories import (
    ActorFactory,
    ArticlePageFactory,
    EventFactory,
    PlaceFactory,
    make_image,
    paragraph,
)

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "apps/api/schemas/ninjs-schema_2.1.json").read_text()
)
VALIDATOR = Draft202012Validator(SCHEMA)
ENTRY_KEYS = {"name", "rel", "uri", "literal"}  # what we may send in people/organisations/places/events
SUBJECT_KEYS = ENTRY_KEYS | {"relevance"}


@pytest.fixture
def story(sahel):
    diop = ActorFactory(name="Abdoulaye Diop", kind=ActorKind.PERSON)
    aes = ActorFactory(name="Alliance of Sahel States", kind=ActorKind.ALLIANCE)
    russia = ActorFactory(name="Russia", kind=ActorKind.STATE)
    moscow = PlaceFactory(name="Moscow", country="RU")
    talks = EventFactory(title="AES ministers' talks in Moscow")
    hero = make_image("Ministers at the table")
    return ArticlePageFactory(
        title="Sahel ministers seek Russian help for a joint force",
        standfirst="The alliance's three foreign ministers asked Moscow to back a common army.",
        body=[paragraph("The delegation discussed drones, training and a headquarters in Niamey.")],
        parent=sahel,
        hero_image=hero,
        dateline=moscow,
        corrections=[(dt.date(2025, 4, 5), "An earlier version misspelt the minister's name.")],
        actor_tags=[
            ArticleActor(actor=diop, relevance=0.9),
            ArticleActor(actor=aes, relevance=0.75),
            ArticleActor(actor=russia, role=TagRole.MENTIONED, relevance=0.333),
        ],
        event_tags=[ArticleEvent(event=talks, relevance=1.0)],
        place_tags=[ArticlePlace(place=moscow, relevance=0.5)],
    )


def ninjs(api, article, **kwargs) -> dict:
    response = api.get(f"/api/v1/articles/{article.pk}/", **kwargs)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith(NINJS_MEDIA_TYPE)
    return json.loads(response.content)


def test_accept_header_selects_ninjs_and_responses_vary_on_accept_and_authorization(api, story):
    response = api.get(f"/api/v1/articles/{story.pk}/", HTTP_ACCEPT=NINJS_MEDIA_TYPE)
    assert response["Content-Type"].startswith(NINJS_MEDIA_TYPE)
    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"accept", "authorization"} <= vary
    plain = api.get(f"/api/v1/articles/{story.pk}/")
    assert plain["Content-Type"] == "application/json"
    assert "title" in plain.json() and "headlines" not in plain.json()
    assert {"accept", "authorization"} <= {part.strip().lower() for part in plain["Vary"].split(",")}


def test_format_parameter_selects_ninjs_and_bad_formats_are_400(api, story):
    assert ninjs(api, story, data={"format": "ninjs"})["uri"] == f"urn:newsdesk:article:{story.pk}"
    assert api.get(f"/api/v1/articles/{story.pk}/", {"format": "json"})["Content-Type"] == "application/json"
    response = api.get(f"/api/v1/articles/{story.pk}/", {"format": "xml"})
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "format"


def test_the_rendition_is_valid_against_iptcs_ninjs_2_1_schema(api, story):
    item = ninjs(api, story, HTTP_ACCEPT=NINJS_MEDIA_TYPE)
    errors = sorted(VALIDATOR.iter_errors(item), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_the_schema_copy_really_rejects_what_ninjs_forbids():
    # Guards the test above: the validator must catch the mistakes we guard against.
    assert not VALIDATOR.is_valid({"headlines": [{"value": "No uri"}]})
    assert not VALIDATOR.is_valid({"uri": "urn:x:1", "people": [{"name": "A", "relevance": 50}]})
    assert not VALIDATOR.is_valid({"uri": "urn:x:1", "subjects": [{"name": "A", "relevance": 0.5}]})
    assert not VALIDATOR.is_valid({"uri": "urn:x:1", "mystery": True})
    assert VALIDATOR.is_valid({"uri": "urn:x:1", "subjects": [{"name": "A", "relevance": 50}]})


def test_required_uri_names_and_types(api, story):
    item = ninjs(api, story, HTTP_ACCEPT=NINJS_MEDIA_TYPE)
    assert item["uri"] == f"urn:newsdesk:article:{story.pk}"
    assert item["type"] == "text" and item["pubstatus"] == "usable" and item["language"] == "en"
    assert item["headlines"] == [{"role": "main", "value": story.title}]
    assert item["standard"]["name"] == "ninjs" and item["standard"]["version"].startswith("2.")
    html, text = item["bodies"]
    assert html["contenttype"] == "text/html" and "<p>" in html["value"]
    assert text["contenttype"] == "text/plain" and "headquarters in Niamey" in text["value"]
    assert isinstance(text["wordcount"], int) and text["wordcount"] == len(text["value"].split())
    assert item["located"] == "Moscow"
    assert {d["role"] for d in item["descriptions"]} == {"summary", "correction"}
    assert item["associations"][0]["type"] == "picture"
    assert item["associations"][0]["renditions"][0]["href"].startswith("http")


def test_people_organisations_places_and_events_carry_only_name_uri_rel(api, story):
    item = ninjs(api, story, HTTP_ACCEPT=NINJS_MEDIA_TYPE)
    assert [p["name"] for p in item["people"]] == ["Abdoulaye Diop"]
    assert {o["name"] for o in item["organisations"]} == {"Alliance of Sahel States", "Russia"}
    assert [p["name"] for p in item["places"]] == ["Moscow"]
    assert [e["name"] for e in item["events"]] == ["AES ministers' talks in Moscow"]
    for key in ("people", "organisations", "places", "events"):
        for entry in item[key]:
            assert set(entry) <= ENTRY_KEYS, (key, entry)
            assert entry["uri"].startswith("urn:newsdesk:")
            assert entry["rel"] in {"subject", "mentioned"}
    russia = next(o for o in item["organisations"] if o["name"] == "Russia")
    assert russia["rel"] == "mentioned"


def test_every_tag_is_a_subject_and_only_subjects_carry_a_0_to_100_relevance(api, story):
    item = ninjs(api, story, HTTP_ACCEPT=NINJS_MEDIA_TYPE)
    tagged = {e["uri"] for key in ("people", "organisations", "places", "events") for e in item[key]}
    subjects = {s["uri"]: s for s in item["subjects"]}
    assert set(subjects) == tagged
    for subject in item["subjects"]:
        assert set(subject) <= SUBJECT_KEYS
        assert isinstance(subject["relevance"], int) and 0 <= subject["relevance"] <= 100
    by_name = {s["name"]: s["relevance"] for s in item["subjects"]}
    assert by_name == {
        "Abdoulaye Diop": 90,
        "Alliance of Sahel States": 75,
        "Russia": 33,
        "AES ministers' talks in Moscow": 100,
        "Moscow": 50,
    }

    def relevance_paths(node, path=()):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "relevance":
                    yield path
                yield from relevance_paths(value, (*path, key))
        elif isinstance(node, list):
            for value in node:
                yield from relevance_paths(value, path)

    assert set(relevance_paths(item)) == {("subjects",)}


def test_corrections_are_descriptions_for_readers_not_ednotes(api, story):
    item = ninjs(api, story, HTTP_ACCEPT=NINJS_MEDIA_TYPE)
    corrections = [d for d in item["descriptions"] if d["role"] == "correction"]
    assert corrections == [
        {
            "role": "correction",
            "contenttype": "text/plain",
            "value": "2025-04-05: An earlier version misspelt the minister's name.",
        }
    ]
    assert "ednote" not in item


def test_an_article_the_partner_may_not_see_is_404_in_ninjs_too(api, story):
    elsewhere = ArticlePageFactory(parent=SectionPage.objects.get(slug="analysis"))
    response = api.get(f"/api/v1/articles/{elsewhere.pk}/", HTTP_ACCEPT=NINJS_MEDIA_TYPE)
    assert response.status_code == 404


def test_fields_does_not_apply_to_ninjs(api, story):
    response = api.get(f"/api/v1/articles/{story.pk}/", {"format": "ninjs", "fields": "title"})
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "fields"
    assert api.get(f"/api/v1/articles/{story.pk}/", {"format": "json", "fields": "title"}).json() == {
        "title": story.title
    }
