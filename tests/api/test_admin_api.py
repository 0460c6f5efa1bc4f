"""The partner API's policy stays on the partner API: Wagtail's admin API (the sidebar page
explorer, the image and document choosers) answers desk users by their session."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from apps.core.models import SectionPage

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["editor", "reporter"])
def desk_user_client(request, desk) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=request.param))
    return client


def test_page_explorer_lists_the_root_and_the_home_pages_children(desk_user_client, desk):
    response = desk_user_client.get("/admin/api/main/pages/?child_of=root&for_explorer=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert [item["id"] for item in response.json()["items"]] == [desk.pk]

    children = desk_user_client.get(f"/admin/api/main/pages/?child_of={desk.pk}&for_explorer=1")
    assert children.status_code == 200
    sections = set(SectionPage.objects.child_of(desk).values_list("pk", flat=True))
    assert sections
    assert {item["id"] for item in children.json()["items"]} == sections


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_image_and_document_listings_answer_desk_users(desk_user_client, endpoint):
    response = desk_user_client.get(f"/admin/api/main/{endpoint}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "items" in response.json()


def test_the_admin_api_refuses_anonymous_callers_without_the_partner_policy():
    response = Client().get("/admin/api/main/pages/?child_of=root&for_explorer=1")
    # Wagtail's own rule (a login), not the partner API's 401 problem.
    assert response.status_code in {302, 403}
    assert response.get("Content-Type") != "application/problem+json"
