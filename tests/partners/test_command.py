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


def snapshot() -> dict:
    """Everything a partner_key run may write: partners, their sections, keys, the change log."""
    from apps.changes.models import Change, ChangeCounter, ObjectState

    return {
        "partners": list(Partner.objects.order_by("pk").values()),
        "sections": list(
            Partner.sections.through.objects.order_by("pk").values_list("partner", "sectionpage")
        ),
        "keys": list(ApiKey.objects.order_by("pk").values()),
        "changes": list(Change.objects.order_by("seq").values()),
        "states": list(ObjectState.objects.order_by("pk").values()),
        "counter": list(ChangeCounter.objects.values()),
    }


def test_a_refused_third_key_leaves_sections_tier_and_change_log_as_they_were(desk):
    run("create", "--partner", "Harmattan Radio", "--sections", "sahel", "--tier", "basic")
    run("create", "--partner", "Harmattan Radio")
    before = snapshot()
    with pytest.raises(CommandError, match="revoke one") as refused:
        run(
            "create",
            "--partner",
            "Harmattan Radio",
            "--sections",
            "analysis,west-africa",
            "--tier",
            "premium",
        )
    assert "\n" not in str(refused.value)
    after = snapshot()
    assert after == before
    partner = Partner.objects.get(name="Harmattan Radio")
    assert partner.rate_tier == "basic"
    assert list(partner.sections.values_list("slug", flat=True)) == ["sahel"]


def test_a_refused_expiry_leaves_no_new_partner(desk):
    before = snapshot()
    with pytest.raises(CommandError, match="future"):
        run("create", "--partner", "Harmattan Radio", "--all-sections", "--expires", "2001-01-01")
    assert snapshot() == before
    assert not Partner.objects.filter(name="Harmattan Radio").exists()


@pytest.mark.parametrize("raw", ["2025-02-30", "2025-13-01", "2025-01-01T25:00:00", "2025-02-30T10:00:00Z"])
def test_an_impossible_expiry_date_is_a_one_line_error(desk, raw):
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        run("create", "--partner", "Harmattan Radio", "--expires", raw)
    assert str(refused.value) == f"--expires: '{raw}' is not a date (YYYY-MM-DD) or an ISO 8601 date-time."
    assert snapshot() == before


def test_a_refused_revoke_changes_nothing(desk):
    run("create", "--partner", "Harmattan Radio", "--sections", "sahel")
    before = snapshot()
    with pytest.raises(CommandError, match="No API key"):
        run("revoke", "nd_ffffffffffff_whatever")
    assert snapshot() == before
