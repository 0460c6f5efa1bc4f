"""/api/v1/sections/: entitlement, cursor pagination and the query budget."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.core.models import HomePage, SectionPage
from tests.partners.factories import PartnerFactory, issue_key

pytestmark = pytest.mark.django_db

URL = "/api/v1/sections/"


def client_for(partner) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_key(partner).plaintext}")
    return client


def add_section(slug: str, *, live: bool = True) -> SectionPage:
    home = HomePage.objects.get()
    section = SectionPage(title=slug.title(), slug=slug)
    home.add_child(instance=section)
    if live:
        section.save_revision().publish()
    else:
        SectionPage.objects.filter(pk=section.pk).update(live=False)
    return section


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_a_partner_sees_only_its_entitled_sections(api, sahel):
    body = api.get(URL).json()
    assert [item["slug"] for item in body["results"]] == ["sahel"]
    assert body["results"][0]["uri"] == f"urn:newsdesk:section:{sahel.pk}"
    assert body["next"] is None and body["previous"] is None


def test_another_sections_detail_is_404_as_if_it_did_not_exist(api, sahel):
    other = SectionPage.objects.get(slug="analysis")
    assert api.get(f"{URL}{sahel.pk}/").json()["slug"] == "sahel"
    response = api.get(f"{URL}{other.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert api.get(f"{URL}999999/").json()["type"] == response.json()["type"]


def test_all_sections_includes_later_sections_but_never_unpublished_ones(desk):
    client = client_for(PartnerFactory(all_sections=True))
    add_section("coastal")
    add_section("draft-desk", live=False)
    assert slugs(client.get(URL)) == ["sahel", "west-africa", "analysis", "coastal"]


def test_walking_pages_returns_each_section_once_and_previous_links_go_back(desk):
    client = client_for(PartnerFactory(all_sections=True))
    for n in range(4):
        add_section(f"extra-{n}")
    seen, pages, url = [], [], f"{URL}?page_size=2"
    for _ in range(10):
        if not url:
            break
        body = client.get(url).json()
        pages.append(body)
        seen += [item["slug"] for item in body["results"]]
        url = body["next"]
    assert seen == ["sahel", "west-africa", "analysis", "extra-0", "extra-1", "extra-2", "extra-3"]
    assert [len(page["results"]) for page in pages] == [2, 2, 2, 1]
    assert pages[0]["previous"] is None
    back = client.get(pages[2]["previous"]).json()
    assert [item["slug"] for item in back["results"]] == ["analysis", "extra-0"]
    back = client.get(back["previous"]).json()
    assert [item["slug"] for item in back["results"]] == ["sahel", "west-africa"]
    assert back["previous"] is None


def test_list_query_count_does_not_grow_with_page_size(desk, django_assert_max_num_queries):
    client = client_for(PartnerFactory(all_sections=True))
    for n in range(6):
        add_section(f"extra-{n}")
    client.get(URL)  # warm-up: site root paths and content types are cached per process
    with django_assert_max_num_queries(4):
        assert len(slugs(client.get(f"{URL}?page_size=2"))) == 2
    with django_assert_max_num_queries(4):
        assert len(slugs(client.get(f"{URL}?page_size=100"))) == 9
