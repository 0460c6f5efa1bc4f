"""Exports for researchers (acceptance 5 and 2): one row per event with the documented columns,
re-read with Python's csv module; dates at their precision; source articles only where visible."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.extraction import services
from apps.registry.selectors import public_events
from tests.extraction.conftest import write_article

pytestmark = pytest.mark.django_db

DOCUMENTED_COLUMNS = [
    "event_id",
    "event_slug",
    "title",
    "event_date",
    "time_precision",
    "end_date",
    "end_precision",
    "event_type",
    "event_type_label",
    "status",
    "actor1",
    "actor1_role",
    "actor2",
    "actor2_role",
    "assoc_actors",
    "participants",
    "location",
    "location_kind",
    "country",
    "iso",
    "latitude",
    "longitude",
    "geo_precision",
    "source_articles",
    "sources",
    "notes",
]


def read_csv(content: bytes) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(content.decode("utf-8"), newline=""))
    return reader.fieldnames, list(reader)


def test_admin_csv_export_of_the_demo_registry_has_one_row_per_event(demo_registry, client, editor):
    client.force_login(editor)
    response = client.get("/admin/extraction/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    columns, rows = read_csv(response.content)
    assert columns == DOCUMENTED_COLUMNS
    assert sorted(int(r["event_id"]) for r in rows) == sorted(public_events().values_list("pk", flat=True))
    by_slug = {r["event_slug"]: r for r in rows}
    # "in early 2022" stays a year: never 2022-01-01.
    expulsion = by_slug["mali-expels-french-ambassador"]
    assert (expulsion["event_date"], expulsion["time_precision"]) == ("2022", "year")
    assert (expulsion["actor1"], expulsion["actor1_role"]) == ("Mali", "initiator")
    assert (expulsion["actor2"], expulsion["actor2_role"]) == ("France", "target")
    assert (expulsion["location"], expulsion["iso"], expulsion["geo_precision"]) == ("Bamako", "ML", "1")
    assert by_slug["aes-ecowas-exit"]["event_date"] == "2025-01"
    assert by_slug["aes-ecowas-exit"]["time_precision"] == "month"
    meeting = by_slug["aes-moscow-meeting-2025"]
    assert (meeting["event_date"], meeting["time_precision"]) == ("2025-04-03", "day")
    assert "sergey-lavrov:host" in meeting["participants"].split(" | ")
    assert "2022-01-01" not in response.content.decode()


def test_admin_json_export_and_who_may_download(demo_registry, client, editor, reporter):
    client.force_login(editor)
    data = json.loads(client.get("/admin/extraction/export.json").content)
    assert data["columns"] == DOCUMENTED_COLUMNS
    row = next(e for e in data["events"] if e["event_slug"] == "mali-expels-french-ambassador")
    assert (row["event_date"], row["time_precision"], row["actor1"]["slug"]) == ("2022", "year", "mali")
    client.logout()
    assert client.get("/admin/extraction/export.csv").status_code == 302  # to the login page


def test_api_csv_is_the_same_page_with_entitled_sources_only(demo_registry, api, west_africa):
    text = "Mali's military government expelled France's ambassador on Monday."
    entitled = write_article(title="Envoy expelled", paragraphs=[text], on="2022-02-01")
    other = write_article(title="Envoy expelled elsewhere", paragraphs=[text], on="2022-02-01")
    from apps.articles.models import ArticlePage

    ArticlePage.objects.filter(pk=other.pk).update(section=west_africa)
    for page in (entitled, other):
        services.accept(services.extract_for_article(page).created[0])

    response = api.get("/api/v1/events/?format=csv&type=diplomatic_expulsion&page_size=1")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    columns, rows = read_csv(response.content)
    assert columns == DOCUMENTED_COLUMNS and len(rows) == 1
    assert 'rel="next"' in response["Link"]
    response = api.get("/api/v1/events/?format=csv&type=diplomatic_expulsion&page_size=100")
    _, rows = read_csv(response.content)
    expulsion = next(r for r in rows if r["event_slug"] == "mali-expels-french-ambassador")
    assert "envoy-expelled" in expulsion["source_articles"]
    assert "envoy-expelled-elsewhere" not in expulsion["source_articles"]  # not entitled
    assert {r["event_type"] for r in rows} == {"diplomatic_expulsion"}


def test_api_csv_refuses_an_unknown_format_and_keeps_errors_as_problem_json(api, anon):
    response = api.get("/api/v1/events/?format=xml")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "format" in response.content.decode()
    assert anon.get("/api/v1/events/?format=csv").status_code == 401


def test_api_csv_costs_the_same_queries_for_a_small_and_a_full_page(demo_registry, api):
    with CaptureQueriesContext(connection) as small:
        assert api.get("/api/v1/events/?format=csv&page_size=2").status_code == 200
    with CaptureQueriesContext(connection) as full:
        assert api.get("/api/v1/events/?format=csv&page_size=100").status_code == 200
    assert len(full) == len(small)
