from __future__ import annotations

from rest_framework.test import APIClient


def feed(api: APIClient, after: int = 0) -> list[dict]:
    response = api.get("/api/v1/changes/", {"after": after})
    assert response.status_code == 200, response.content
    return response.json()["results"]
