"""`manage.py partner_key create|list|revoke`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from apps.partners.models import ApiKey, Partner

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("partner_key", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_create_makes_the_partner_and_prints_a_working_key_on_the_last_line(desk):
    lines = run("create", "--partner", "Harmattan Radio", "--sections", "sahel,analysis")
    key = lines[-1]
    partner = Partner.objects.get(name="Harmattan Radio")
    assert sorted(partner.sections.values_list("slug", flat=True)) == ["analysis", "sahel"]
    assert key.startswith("nd_") and " " not in key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert sorted(item["slug"] for item in client.get("/api/v1/sections/").json()["results"]) == [
        "analysis",
        "sahel",
    ]


def test_create_for_an_existing_partner_keeps_it_and_can_widen_it(desk):
    run("create", "--partner", "Harmattan Radio", "--sections", "sahel")
    run("create", "--partner", "Harmattan Radio", "--all-sections", "--expires", "2099-01-31")
    partner = Partner.objects.get(name="Harmattan Radio")
    assert partner.all_sections
    assert partner.keys.count() == 2
    assert partner.keys.get(expires_at__isnull=False).expires_at.isoformat().startswith("2099-01-31T23:59:59")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sections", "sahel,atlantis"], "Unknown section(s): atlantis"),
        (["--expires", "someday"], "--expires"),
        (["--expires", "2001-01-01"], "future"),
        (["--sections", ","], "at least one section"),
    ],
)
def test_create_with_bad_input_fails_with_a_message_and_changes_nothing(desk, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run("create", "--partner", "Harmattan Radio", *args)
    assert not ApiKey.objects.exists()


def test_a_third_key_is_refused(desk):
    run("create", "--partner", "Harmattan Radio", "--all-sections")
    run("create", "--partner", "Harmattan Radio")
    with pytest.raises(CommandError, match="revoke one"):
        run("create", "--partner", "Harmattan Radio")


def test_list_shows_keys_without_secrets_and_revoke_stops_a_key(desk):
    key = run("create", "--partner", "Harmattan Radio", "--sections", "sahel", "--label", "CMS sync")[-1]
    prefix = key[3:15]
    listing = "\n".join(run("list"))
    assert "Harmattan Radio [active, standard] sections: sahel" in listing
    assert prefix in listing and "live" in listing and "CMS sync" in listing
    assert key[16:] not in listing

    assert "Revoked key" in run("revoke", prefix)[0]
    assert "revoked" in "\n".join(run("list"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/sections/").status_code == 401


def test_revoke_unknown_prefix_fails(desk):
    with pytest.raises(CommandError, match="No API key"):
        run("revoke", "ffffffffffff")
