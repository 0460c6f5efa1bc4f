"""Bad input is a 400 that names the parameter; unknown paths under /api/ are problem+json 404s."""

from __future__ import annotations

import pytest

from apps.api.params import Terms, parse_instant, parse_terms

pytestmark = pytest.mark.django_db

URL = "/api/v1/sections/"


def invalid_names(response) -> list[str]:
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:newsdesk:problem:invalid-request"
    return [item["name"] for item in body["invalid_params"]]


def test_unknown_parameter_is_400_naming_it(api):
    response = api.get(URL, {"sectoin": "sahel"})
    assert invalid_names(response) == ["sectoin"]
    assert "sectoin" in response.json()["detail"]


def test_every_bad_parameter_is_named(api):
    assert invalid_names(api.get(URL, {"format": "xml", "page_size": "0"})) == ["format", "page_size"]


@pytest.mark.parametrize("size", ["0", "101", "-1", "ten", ""])
def test_page_size_outside_1_to_100_is_400(api, size):
    assert invalid_names(api.get(URL, {"page_size": size})) == ["page_size"]


@pytest.mark.parametrize("size", ["1", "100"])
def test_page_size_bounds_are_accepted(api, size):
    assert api.get(URL, {"page_size": size}).status_code == 200


def test_repeated_parameter_is_400(api):
    assert invalid_names(api.get(f"{URL}?page_size=1&page_size=2")) == ["page_size"]


@pytest.mark.parametrize("cursor", ["garbage", "eyJvIjoicGF0aCJ9", ""])
def test_a_damaged_cursor_is_400(api, cursor):
    assert invalid_names(api.get(URL, {"cursor": cursor})) == ["cursor"]


def test_detail_rejects_parameters_too(api, sahel):
    assert invalid_names(api.get(f"{URL}{sahel.pk}/", {"colour": "red"})) == ["colour"]


def test_unknown_path_under_api_is_problem_404(api, anon):
    for client in (api, anon):
        for path in ("/api/v1/nothing-here/", "/api/v2/articles/", "/api/"):
            response = client.get(path)
            assert response.status_code == 404
            assert response["Content-Type"] == "application/problem+json"
            assert response.json()["type"] == "urn:newsdesk:problem:not-found"


def test_missing_trailing_slash_redirects_keeping_the_query(api):
    response = api.get("/api/v1/sections?page_size=2")
    assert response.status_code == 308
    assert response["Location"] == "/api/v1/sections/?page_size=2"


def test_a_browser_accept_header_still_gets_json(api):
    response = api.get(URL, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_terms_comma_means_all_and_pipe_means_any():
    assert parse_terms("mali,niger") == Terms(values=("mali", "niger"), match_all=True)
    assert parse_terms("mali|niger") == Terms(values=("mali", "niger"), match_all=False)
    assert parse_terms("mali") == Terms(values=("mali",), match_all=True)


@pytest.mark.parametrize("raw", ["mali,niger|chad", "mali,", "|mali", ""])
def test_mixed_or_empty_terms_are_rejected(raw):
    with pytest.raises(ValueError):
        parse_terms(raw)


def test_a_date_covers_the_whole_utc_day():
    instant = parse_instant("2025-04-03")
    assert instant.start.isoformat() == "2025-04-03T00:00:00+00:00"
    assert instant.end.isoformat() == "2025-04-03T23:59:59.999999+00:00"


def test_a_datetime_is_an_instant_and_naive_means_utc():
    assert parse_instant("2025-04-03T10:30:00+02:00").start.isoformat() == "2025-04-03T10:30:00+02:00"
    assert parse_instant("2025-04-03T10:30:00").end.isoformat() == "2025-04-03T10:30:00+00:00"
    # A '+' in a query string arrives as a space.
    assert parse_instant("2025-04-03T10:30:00 02:00").start.isoformat() == "2025-04-03T10:30:00+02:00"


@pytest.mark.parametrize("raw", ["2025-13-01", "yesterday", "2025-04-03T25:00"])
def test_bad_dates_are_rejected(raw):
    with pytest.raises(ValueError):
        parse_instant(raw)
