"""Nothing proposed is public until an editor accepts it (acceptance 4): proposals, their
participants and evidence appear on no public page, API response or feed."""

from __future__ import annotations

import pytest

from apps.extraction import services
from apps.registry.models import Actor, Event
from tests.extraction.conftest import write_article

pytestmark = pytest.mark.django_db

EVIDENCE = "Chad banned French relief organisations from the Lake Chad basin on Tuesday."


def public_surfaces(client, api, chad: Actor) -> dict[str, str]:
    urls = {
        "event index": "/events/",
        "actor page": f"/actors/{chad.slug}/",
        "actor feed": f"/feeds/actors/{chad.slug}/rss.xml",
        "site feed": "/feeds/rss.xml",
        "search": "/search/?q=relief+organisations",
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = response.content.decode()
    for name, url in {
        "api events": "/api/v1/events/?page_size=100",
        "api events csv": "/api/v1/events/?page_size=100&format=csv",
        "api actor": f"/api/v1/actors/{chad.pk}/",
        "api actors": "/api/v1/actors/?page_size=100",
    }.items():
        response = api.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = response.content.decode()
    return pages


def test_proposals_and_their_evidence_stay_out_of_public_surfaces_until_accepted(demo_registry, client, api):
    chad = Actor.objects.get(slug="chad")
    page = write_article(title="Lake Chad aid", paragraphs=[EVIDENCE], on="2025-03-13", publish=False)
    events_before = set(Event.objects.values_list("pk", flat=True))
    proposal = services.extract_for_article(page).created[0]
    assert proposal.event_type == "ban"

    pages = public_surfaces(client, api, chad)
    assert set(Event.objects.values_list("pk", flat=True)) == events_before  # no registry row yet
    for name, body in pages.items():
        assert "Lake Chad basin" not in body, name
        assert "Ban: Chad" not in body, name

    services.accept(proposal, title="Chad bans French relief groups")
    pages = public_surfaces(client, api, chad)
    assert "Chad bans French relief groups" in pages["api events"]
    assert "Chad bans French relief groups" in pages["api events csv"]
    assert "Chad bans French relief groups" in pages["event index"]
    # The event is public now; the draft it came from is not, so nothing cites it publicly.
    for name, body in pages.items():
        assert page.url_path not in body and "Lake Chad aid" not in body, name
