"""Editing the registry in Wagtail: create/edit, form errors that save nothing, permissions, merge view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from apps.registry.models import Actor, ActorRelation, Alias, Event, Place, ReviewStatus
from tests.registry.factories import ActorFactory, AliasFactory, PlaceFactory

pytestmark = pytest.mark.django_db

ADD_ACTOR = "wagtailsnippets_registry_actor:add"


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def editor_client(client, desk):
    return login(client, "editor")


@pytest.fixture
def reporter_client(client, desk):
    return login(client, "reporter")


def actor_data(*, aliases=(), relations=(), **fields):
    base = {
        "name": "Alliance of Sahel States",
        "slug": "",
        "kind": "alliance",
        "country": "",
        "description": "Three Sahel states in one confederation.",
        "wikidata_qid": "",
        "review_status": "approved",
        "image": "",
    }
    base.update(fields)
    base["aliases"] = inline_formset(list(aliases))
    base["relations"] = inline_formset(list(relations))
    return nested_form_data(base)


def alias(text, language="", kind="name", case_sensitive=False):
    row = {"text": text, "language": language, "kind": kind}
    if case_sensitive:
        row["case_sensitive"] = "on"
    return row


def relation(
    obj, *, predicate="member_of", start="", start_precision="day", end="", end_precision="day", title=""
):
    return {
        "predicate": predicate,
        "object": obj.pk,
        "position_title": title,
        "start": start,
        "start_precision": start_precision,
        "end": end,
        "end_precision": end_precision,
        "source_note": "",
    }


def test_editor_creates_an_actor_with_aliases_and_a_relation(editor_client):
    ecowas = ActorFactory(name="ECOWAS")
    response = editor_client.post(
        reverse(ADD_ACTOR),
        actor_data(
            aliases=[
                alias("AES", kind="acronym", case_sensitive=True),
                alias("Alliance des États du Sahel", "fr"),
            ],
            relations=[relation(ecowas, predicate="hostile_to", start="2024-01-01", start_precision="year")],
        ),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    actor = Actor.objects.get(name="Alliance of Sahel States")
    assert actor.slug == "alliance-of-sahel-states"
    assert set(actor.aliases.values_list("normalized", flat=True)) == {"aes", "alliance des etats du sahel"}
    assert actor.relations.get().object == ecowas


def test_editor_edits_an_actor_and_ends_a_relation(editor_client):
    mali = ActorFactory(name="Mali")
    ecowas = ActorFactory(name="ECOWAS")
    membership = ActorRelation.objects.create(
        subject=mali, object=ecowas, predicate="member_of", start=dt.date(1975, 1, 1), start_precision="year"
    )
    data = actor_data(
        name="Mali",
        slug=mali.slug,
        kind="state",
        relations=[
            {
                **relation(
                    ecowas,
                    start="1975-01-01",
                    start_precision="year",
                    end="2025-01-01",
                    end_precision="month",
                ),
                "id": membership.pk,
            }
        ],
    )
    data["relations-INITIAL_FORMS"] = "1"
    response = editor_client.post(reverse("wagtailsnippets_registry_actor:edit", args=[mali.pk]), data)
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.end, membership.end_precision, membership.end_upper) == (
        dt.date(2025, 1, 1),
        "month",
        dt.date(2025, 1, 31),
    )


@pytest.mark.parametrize("qid", ["12345", "Q", "Q12a", "P31", "Q0123"])
def test_bad_qid_is_a_form_error_and_saves_nothing(editor_client, qid):
    response = editor_client.post(reverse(ADD_ACTOR), actor_data(wikidata_qid=qid))
    assert response.status_code == 200
    assert "wikidata_qid" in response.context["form"].errors
    assert not Actor.objects.exists()


def test_duplicate_qid_is_a_form_error(editor_client):
    ActorFactory(wikidata_qid="Q912")
    response = editor_client.post(reverse(ADD_ACTOR), actor_data(wikidata_qid="Q912"))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Actor.objects.count() == 1


def test_relation_ending_before_it_starts_is_a_form_error_and_saves_nothing(editor_client):
    ecowas = ActorFactory(name="ECOWAS")
    response = editor_client.post(
        reverse(ADD_ACTOR),
        actor_data(relations=[relation(ecowas, start="2025-03-05", end="2024-12-31")]),
    )
    assert response.status_code == 200
    relation_errors = response.context["form"].formsets["relations"].forms[0].errors
    assert "end" in relation_errors
    assert not Actor.objects.filter(name="Alliance of Sahel States").exists()
    assert not ActorRelation.objects.exists()


def test_partial_end_in_the_start_year_is_accepted(editor_client):
    ecowas = ActorFactory(name="ECOWAS")
    response = editor_client.post(
        reverse(ADD_ACTOR),
        actor_data(relations=[relation(ecowas, start="2025-03-05", end="2025-01-01", end_precision="year")]),
    )
    assert response.status_code == 302


def test_duplicate_alias_is_a_form_error_and_saves_nothing(editor_client):
    response = editor_client.post(
        reverse(ADD_ACTOR), actor_data(aliases=[alias("Sahel Alliance"), alias("SAHEL alliance")])
    )
    assert response.status_code == 200
    assert response.context["form"].formsets["aliases"].non_form_errors()
    assert not Actor.objects.exists()
    assert not Alias.objects.exists()


def test_same_alias_in_two_languages_is_allowed(editor_client):
    response = editor_client.post(
        reverse(ADD_ACTOR), actor_data(aliases=[alias("Sahel", "en"), alias("Sahel", "fr")])
    )
    assert response.status_code == 302


def test_duplicate_relation_rows_are_a_form_error(editor_client):
    ecowas = ActorFactory(name="ECOWAS")
    response = editor_client.post(
        reverse(ADD_ACTOR),
        actor_data(
            relations=[
                relation(ecowas, start="2023-02-01", start_precision="year"),
                relation(ecowas, start="2023-09-01", start_precision="year"),  # same year once normalised
            ]
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].formsets["relations"].non_form_errors()
    assert not Actor.objects.filter(name="Alliance of Sahel States").exists()


def test_relation_to_itself_is_a_form_error(editor_client):
    mali = ActorFactory(name="Mali")
    data = actor_data(
        name="Mali", slug=mali.slug, kind="state", relations=[relation(mali, predicate="allied_with")]
    )
    response = editor_client.post(reverse("wagtailsnippets_registry_actor:edit", args=[mali.pk]), data)
    assert response.status_code == 200
    assert "object" in response.context["form"].formsets["relations"].forms[0].errors
    assert not ActorRelation.objects.exists()


def test_reporter_can_propose_but_not_approve(reporter_client):
    response = reporter_client.post(reverse(ADD_ACTOR), actor_data(review_status="approved"))
    assert response.status_code == 200
    assert "review_status" in response.context["form"].errors
    assert not Actor.objects.exists()

    response = reporter_client.post(reverse(ADD_ACTOR), actor_data(review_status="proposed"))
    assert response.status_code == 302
    assert Actor.objects.get().review_status == ReviewStatus.PROPOSED


def test_reporter_cannot_edit_approved_actors(reporter_client):
    actor = ActorFactory()
    response = reporter_client.get(reverse("wagtailsnippets_registry_actor:edit", args=[actor.pk]))
    assert response.status_code in (302, 403)


def test_editor_creates_a_place_with_an_alias(editor_client):
    mali = PlaceFactory(name="Mali", kind="country", country="ML")
    data = nested_form_data(
        {
            "name": "Bamako",
            "slug": "",
            "kind": "city",
            "country": "ML",
            "parent": mali.pk,
            "latitude": "12.6392",
            "longitude": "-8.0029",
            "geonames_id": "2460596",
            "description": "",
            "review_status": "approved",
            "aliases": inline_formset([alias("Bamakó")]),
        }
    )
    response = editor_client.post(reverse("wagtailsnippets_registry_place:add"), data)
    assert response.status_code == 302
    place = Place.objects.get(name="Bamako")
    assert place.parent == mali
    assert place.aliases.get().normalized == "bamako"


def test_place_with_latitude_out_of_range_is_refused(editor_client):
    data = nested_form_data(
        {
            "name": "Nowhere",
            "slug": "",
            "kind": "site",
            "country": "",
            "parent": "",
            "latitude": "95",
            "longitude": "0",
            "geonames_id": "",
            "description": "",
            "review_status": "approved",
            "aliases": inline_formset([]),
        }
    )
    response = editor_client.post(reverse("wagtailsnippets_registry_place:add"), data)
    assert response.status_code == 200
    assert "latitude" in response.context["form"].errors
    assert not Place.objects.exists()


def event_data(**fields):
    base = {
        "title": "AES foreign ministers in Moscow",
        "slug": "",
        "event_type": "bilateral_meeting",
        "status": "occurred",
        "review_status": "approved",
        "start": "2025-04-03",
        "start_precision": "day",
        "end": "",
        "end_precision": "day",
        "place": "",
        "parent": "",
        "summary": "",
        "sources": "",
        "participants": inline_formset([]),
        "date_claims": inline_formset([]),
    }
    base.update(fields)
    return nested_form_data(base)


def test_editor_creates_an_event_with_participants_and_a_date_claim(editor_client):
    russia, mali = ActorFactory(name="Russia"), ActorFactory(name="Mali")
    response = editor_client.post(
        reverse("wagtailsnippets_registry_event:add"),
        event_data(
            participants=inline_formset(
                [
                    {"actor": russia.pk, "role": "host", "note": ""},
                    {"actor": mali.pk, "role": "attendee", "note": ""},
                ]
            ),
            date_claims=inline_formset(
                [
                    {
                        "date": "2025-04-04",
                        "precision": "day",
                        "source": "A wire report",
                        "source_url": "",
                        "note": "",
                    }
                ]
            ),
        ),
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert set(event.participants.values_list("actor__name", "role")) == {
        ("Russia", "host"),
        ("Mali", "attendee"),
    }
    assert event.date_claims.get().source == "A wire report"


def test_event_ending_before_it_starts_is_a_form_error(editor_client):
    response = editor_client.post(
        reverse("wagtailsnippets_registry_event:add"), event_data(start="2025-04-16", end="2025-04-15")
    )
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assert not Event.objects.exists()


def test_listing_filters_and_search_work(editor_client):
    mali = ActorFactory(name="Mali", country="ML")
    AliasFactory(actor=mali, text="Malian", kind="demonym")
    ActorFactory(name="ECOWAS", kind="alliance")
    url = reverse("wagtailsnippets_registry_actor:list")
    names = lambda response: {a.name for a in response.context["object_list"]}  # noqa: E731
    assert names(editor_client.get(url, {"kind": "alliance"})) == {"ECOWAS"}
    assert names(editor_client.get(url, {"country": "ML"})) == {"Mali"}
    assert names(editor_client.get(url, {"q": "Malian"})) == {"Mali"}
    assert (
        editor_client.get(
            reverse("wagtailsnippets_registry_event:list"), {"event_type": "summit"}
        ).status_code
        == 200
    )


def test_choosers_exist_for_actors_events_and_places(editor_client):
    ActorFactory(name="Mali")
    for model in ("actor", "event", "place"):
        response = editor_client.get(reverse(f"wagtailsnippetchoosers_registry_{model}:choose"))
        assert response.status_code == 200


def test_editor_merges_from_the_admin(editor_client):
    survivor, loser = ActorFactory(name="Sergey Lavrov"), ActorFactory(name="Sergei Lavrov")
    url = reverse("wagtailsnippets_registry_actor:merge", args=[loser.pk])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, {"survivor": survivor.pk})
    assert response.status_code == 302
    loser.refresh_from_db()
    assert loser.merged_into == survivor
    history = editor_client.get(reverse("wagtailsnippets_registry_actor:history", args=[survivor.pk]))
    assert b"Merge" in history.content


def test_merge_form_refuses_a_missing_survivor(editor_client):
    loser = ActorFactory()
    response = editor_client.post(
        reverse("wagtailsnippets_registry_actor:merge", args=[loser.pk]), {"survivor": ""}
    )
    assert response.status_code == 400
    loser.refresh_from_db()
    assert loser.merged_into is None


def test_reporter_may_not_merge(reporter_client):
    survivor, loser = ActorFactory(), ActorFactory()
    response = reporter_client.post(
        reverse("wagtailsnippets_registry_actor:merge", args=[loser.pk]), {"survivor": survivor.pk}
    )
    # Wagtail turns PermissionDenied in admin views into a redirect with an error message.
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home")
    loser.refresh_from_db()
    assert loser.merged_into is None


def test_several_different_aliases_in_the_same_language_are_accepted(editor_client):
    response = editor_client.post(
        reverse(ADD_ACTOR),
        actor_data(aliases=[alias("AES", kind="acronym"), alias("Sahel Alliance"), alias("Sahel")]),
    )
    assert response.status_code == 302
    assert Alias.objects.count() == 3


def test_chooser_search_finds_an_actor_by_an_alias_added_after_it(editor_client):
    mali = ActorFactory(name="Mali")  # indexed now, with no aliases yet
    ActorFactory(name="Niger")
    AliasFactory(actor=mali, text="Malian", kind="demonym")  # must refresh Mali's search entry
    response = editor_client.get(
        reverse("wagtailsnippetchoosers_registry_actor:choose_results"), {"q": "Malian"}
    )
    assert response.status_code == 200
    assert b"There is 1 match" in response.content
    assert f"/{mali.pk}/".encode() in response.content or b"Mali" in response.content


def test_merge_button_is_offered_to_editors_only(editor_client, client):
    actor = ActorFactory()
    merge_url = reverse("wagtailsnippets_registry_actor:merge", args=[actor.pk]).encode()
    listing = reverse("wagtailsnippets_registry_actor:list")
    assert merge_url in editor_client.get(listing).content
    login(client, "reporter")
    assert merge_url not in client.get(listing).content


def test_merge_form_uses_the_actor_chooser_and_refuses_the_loser_itself(editor_client):
    loser = ActorFactory()
    url = reverse("wagtailsnippets_registry_actor:merge", args=[loser.pk])
    page = editor_client.get(url).content.decode()
    assert reverse("wagtailsnippetchoosers_registry_actor:choose") in page
    response = editor_client.post(url, {"survivor": loser.pk})
    assert response.status_code == 400
    assert "survivor" in response.context["form"].errors
    loser.refresh_from_db()
    assert loser.merged_into is None


def test_add_and_edit_forms_render(editor_client):
    mali = ActorFactory(name="Mali")
    AliasFactory(actor=mali, text="Malian")
    ActorRelation.objects.create(subject=mali, object=ActorFactory(name="AES"), predicate="member_of")
    place = PlaceFactory()
    event = Event.objects.create(title="Summit", event_type="summit", review_status="approved")
    for model, obj in (("actor", mali), ("place", place), ("event", event)):
        assert editor_client.get(reverse(f"wagtailsnippets_registry_{model}:add")).status_code == 200
        edit = editor_client.get(reverse(f"wagtailsnippets_registry_{model}:edit", args=[obj.pk]))
        assert edit.status_code == 200
    assert (
        b"Malian" in editor_client.get(reverse("wagtailsnippets_registry_actor:edit", args=[mali.pk])).content
    )
