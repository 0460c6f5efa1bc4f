"""apps.core.compiled: a queryset compiled once with stand-ins, its slots filled per call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from apps.core.compiled import compile_statement, once_per_process, sql_of
from apps.partners.models import ApiKey, Partner
from tests.partners.factories import PartnerFactory, issue_key

pytestmark = pytest.mark.django_db

_PARTNER = 2_077_000_003
_SINCE = datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


def _keys(partner_id, since):
    return (
        ApiKey.objects.filter(partner_id=partner_id, created_at__gte=since)
        .order_by("pk")
        .values_list("pk", "prefix", "created_at", "partner__active", "recent_errors")
    )


def test_results_equal_the_orms_for_every_value():
    partners = [PartnerFactory(), PartnerFactory(active=False)]
    keys = [issue_key(partner) for partner in partners for _ in range(2)]
    ApiKey.objects.filter(pk=keys[0].key.pk).update(recent_errors=[{"status": 500}])
    statement = compile_statement([_keys(_PARTNER, _SINCE)], {"partner": _PARTNER, "since": _SINCE})
    for partner in [*partners, PartnerFactory()]:
        for since in [timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)]:
            assert statement.fetchall({"partner": partner.pk, "since": since}) == list(
                _keys(partner.pk, since)
            )
    assert statement.fetchall({"partner": partners[0].pk, "since": _SINCE})[0][4] == [{"status": 500}]


def test_a_stand_in_inlined_into_the_sql_raises():
    sliced = Partner.objects.order_by("pk").values_list("pk")[: _PARTNER - 2_000_000_000]
    with pytest.raises(RuntimeError, match="not compiled to parameters"):
        compile_statement([sliced], {"limit": _PARTNER - 2_000_000_000})


def test_a_stand_in_compiled_away_or_found_too_often_raises():
    by_name = Partner.objects.filter(name="~stand-in~").values_list("pk")
    with pytest.raises(RuntimeError, match="not compiled to parameters"):
        compile_statement([by_name], {"name": "~stand-in~", "id": _PARTNER})  # "id" is not used
    twice = Partner.objects.filter(pk=_PARTNER).exclude(pk=F("pk") + _PARTNER).values_list("pk")
    with pytest.raises(RuntimeError, match="not compiled to parameters"):
        compile_statement([twice], {"id": _PARTNER}, expect={"id": 1})
    statement = compile_statement([twice], {"id": _PARTNER}, expect={"id": 2})
    partner = PartnerFactory()
    assert statement.fetchall({"id": partner.pk}) == [(partner.pk,)]


def test_parts_are_combined_in_order_with_their_slots():
    first, second = PartnerFactory(name="First"), PartnerFactory(name="Second")
    parts = [
        Partner.objects.filter(pk=_PARTNER).values_list("name"),
        Partner.objects.filter(pk=_PARTNER + 1).values_list("name"),
    ]
    statement = compile_statement(
        parts,
        {"a": _PARTNER, "b": _PARTNER + 1},
        combine=lambda sql: f"SELECT a.name, b.name FROM ({sql[0]}) a, ({sql[1]}) b",  # noqa: S608 - test
    )
    assert statement.fetchall({"a": first.pk, "b": second.pk}) == [("First", "Second")]
    sql, params = sql_of(parts[0])
    assert params == (_PARTNER,) and "%s" in sql


def test_statements_are_built_once_per_shape():
    built = []

    @once_per_process
    def statement(n: int):
        built.append(n)
        return compile_statement(
            [Partner.objects.filter(pk__in=[_PARTNER + i for i in range(n)]).values_list("pk")],
            {i: _PARTNER + i for i in range(n)},
        )

    assert statement(2) is statement(2)
    assert statement(3) is not statement(2)
    assert built == [2, 3]
