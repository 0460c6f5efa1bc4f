"""The partner API's JSON renderer: orjson writes it, and the body reads as DRF's renderer writes it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
import uuid

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from apps.api.renderers import FastJSONRenderer
from tests.api.factories import ArticlePageFactory


@dataclasses.dataclass
class Point:
    x: int


def payload() -> dict:
    """Every kind of value a partner body holds, and the ones orjson formats its own way."""
    return {
        "text": "Gao — Ménaka, 北京, emoji 🛰",
        "int": 2**62,
        "float": 0.1,
        "none": None,
        "bools": [True, False],
        "nested": {"list": [1, {"deep": "x"}], "empty": {}},
        "by_id": {7: 3, 12: 1},  # facet counts keyed by record id
        "aware": dt.datetime(2026, 3, 4, 5, 6, 7, 891234, tzinfo=dt.UTC),
        "naive": dt.datetime(2026, 3, 4, 5, 6, 7),
        "day": dt.date(2024, 2, 29),
        "time": dt.time(23, 59, 58, 123456),
        "decimal": decimal.Decimal("12.50"),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "lazy": gettext_lazy("Not found."),
        "tuple": (1, 2),
        "separators": "line\u2028paragraph\u2029end",
    }


def test_the_body_reads_as_drf_writes_it():
    ours, drf = FastJSONRenderer().render(payload()), JSONRenderer().render(payload())
    assert json.loads(ours) == json.loads(drf)
    # Times as DRF formats them (UTC as Z), not as orjson would (+00:00).
    parsed = json.loads(ours)
    assert parsed["aware"] == "2026-03-04T05:06:07.891234Z"
    assert parsed["time"] == "23:59:58.123456"
    assert parsed["by_id"] == {"7": 3, "12": 1}
    # The two line separators escaped, as DRF does, so the body is also valid JavaScript.
    assert b"\\u2028" in ours and b"\\u2029" in ours and "\u2028".encode() not in ours


def test_compact_like_drf():
    assert FastJSONRenderer().render({"a": [1, 2], "b": "c"}) == b'{"a":[1,2],"b":"c"}'
    assert FastJSONRenderer().render(None) == b""


def test_a_dataclass_is_refused_as_drf_refuses_it():
    # orjson would serialise it; DRF does not, and neither do we (nothing in a body is one).
    with pytest.raises(TypeError):
        FastJSONRenderer().render({"p": Point(1)})
    with pytest.raises(TypeError):
        JSONRenderer().render({"p": Point(1)})


@pytest.mark.parametrize("accept", ["application/json; indent=4", "application/json; indent=2"])
def test_indent_asked_for_in_accept_takes_drfs_path(accept):
    assert FastJSONRenderer().render(payload(), accept) == JSONRenderer().render(payload(), accept)


def test_what_orjson_refuses_takes_drfs_path():
    big = {"n": 2**70}
    assert FastJSONRenderer().render(big) == JSONRenderer().render(big) == b'{"n":1180591620717411303424}'


@pytest.mark.django_db
def test_the_list_and_the_detail_use_it(api, sahel):
    article = ArticlePageFactory(parent=sahel, title="Convoy reaches Gao — at last")
    listed = api.get("/api/v1/articles/")
    detail = api.get(f"/api/v1/articles/{article.pk}/")
    for response in (listed, detail):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert isinstance(response.accepted_renderer, FastJSONRenderer)
        assert response.content == FastJSONRenderer().render(response.data)
    assert detail.json()["title"] == "Convoy reaches Gao — at last"
