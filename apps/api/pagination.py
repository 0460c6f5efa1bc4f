"""Keyset (cursor) pagination: opaque `next`/`previous` links, no COUNT(*), stable while content is
being published (docs/adr/0006-partner-api-keys-throttling-pagination.md)."""

from __future__ import annotations

import base64
import binascii
import json
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce
from typing import Any

from django.db.models import F, Model, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.lookups import Lookup
from django.utils.dateparse import parse_datetime
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

from apps.api.params import DEFAULT_PAGE_SIZE, MAX_ID

CURSOR_PARAM = "cursor"
# Our cursors are a few dozen characters; anything much longer was not made by us.
MAX_CURSOR_LENGTH = 500


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Ordering:
    """A named sort order; the last field must be unique (the id) so every row has one place."""

    name: str
    fields: tuple[tuple[str, bool], ...]  # (field, descending)

    def order_by(self, *, reverse: bool = False) -> list[str]:
        return [("-" if desc != reverse else "") + field for field, desc in self.fields]


@dataclass(frozen=True)
class Cursor:
    ordering: str
    backwards: bool
    values: tuple[Any, ...]


def encode_cursor(cursor: Cursor) -> str:
    values = [value.isoformat() if isinstance(value, datetime) else value for value in cursor.values]
    payload = json.dumps({"o": cursor.ordering, "b": cursor.backwards, "v": values}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(raw: str) -> Cursor:
    try:
        if len(raw) > MAX_CURSOR_LENGTH:
            raise ValueError
        payload = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        ordering, backwards, values = payload["o"], payload["b"], payload["v"]
        if not isinstance(ordering, str) or not isinstance(backwards, bool) or not isinstance(values, list):
            raise TypeError
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise BadCursor("is not a cursor from a previous response (copy the 'next' link as it is).") from None
    return Cursor(ordering=ordering, backwards=backwards, values=tuple(values))


def _coerce(model: type[Model], field: str, value: Any) -> Any:
    is_key = field in {"id", "pk"} or field.endswith("_id")
    internal = "BigAutoField" if is_key else model._meta.get_field(field).get_internal_type()
    if internal == "DateTimeField":
        try:  # month 13, hour 25 ... raise ValueError; years 1 and 9999 may overflow in UTC
            parsed = parse_datetime(value) if isinstance(value, str) else None
            if parsed is not None and parsed.tzinfo is not None:
                parsed.astimezone(UTC)
        except (ValueError, OverflowError):
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            raise BadCursor("is damaged (bad position value).")
        return parsed
    if internal in {"AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "PositiveIntegerField"}:
        if not isinstance(value, int) or isinstance(value, bool) or not -MAX_ID <= value <= MAX_ID:
            raise BadCursor("is damaged (bad position value).")
        return value
    if not isinstance(value, str):
        raise BadCursor("is damaged (bad position value).")
    return value


def _after(ordering: Ordering, values: Sequence[Any], *, reverse: bool) -> Q | Lookup:
    """Rows strictly after `values` in the ordering (before them when reverse).

    When every field runs the same way (all our article orderings), one row comparison
    `(published_at, id) < (x, y)`: PostgreSQL bounds the index scan with it, where the equivalent
    `published_at < x OR (published_at = x AND id < y)` walks the index from the top and discards
    every row before the position (208 ms against 13.7 ms, 40k rows in; docs/adr/0016). Mixed
    directions cannot be one row comparison and keep the OR form.
    """
    directions = {desc for _, desc in ordering.fields}
    if len(ordering.fields) > 1 and len(directions) == 1:
        columns = Tuple(*(F(field) for field, _ in ordering.fields))
        lookup = TupleLessThan if directions.pop() != reverse else TupleGreaterThan
        return lookup(columns, tuple(values))
    return _after_or(ordering, values, reverse=reverse)


def _after_or(ordering: Ordering, values: Sequence[Any], *, reverse: bool) -> Q:
    """The same position as an OR chain, for orderings whose fields run both ways."""
    branches = []
    equal = Q()
    for (field, desc), value in zip(ordering.fields, values, strict=True):
        lookup = "lt" if desc != reverse else "gt"
        branches.append(equal & Q(**{f"{field}__{lookup}": value}))
        equal &= Q(**{field: value})
    return reduce(operator.or_, branches)


@dataclass
class Page:
    items: list[Any]
    next: str | None
    previous: str | None


def paginate(
    queryset: QuerySet,
    *,
    request: Request,
    ordering: Ordering,
    cursor: Cursor | None,
    page_size: int | None,
) -> Page:
    """One page of `queryset` in `ordering`, starting at `cursor`; fetches page_size + 1 rows."""
    size = page_size or DEFAULT_PAGE_SIZE
    if cursor is not None and (
        cursor.ordering != ordering.name or len(cursor.values) != len(ordering.fields)
    ):
        raise BadCursor("belongs to another ordering; start again without a cursor.")
    backwards = cursor is not None and cursor.backwards
    qs = queryset.order_by(*ordering.order_by(reverse=backwards))
    if cursor is not None:
        values = [
            _coerce(queryset.model, field, value)
            for (field, _), value in zip(ordering.fields, cursor.values, strict=True)
        ]
        qs = qs.filter(_after(ordering, values, reverse=backwards))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    has_next = more if not backwards else True
    has_previous = more if backwards else cursor is not None

    def link(row: Any, back: bool) -> str:
        position = tuple(_value(row, field) for field, _ in ordering.fields)
        token = encode_cursor(Cursor(ordering=ordering.name, backwards=back, values=position))
        return replace_query_param(request.build_absolute_uri(), CURSOR_PARAM, token)

    next_link = link(rows[-1], False) if rows and has_next else None
    previous_link = link(rows[0], True) if rows and has_previous else None
    if not rows and backwards:  # nothing before: the first page is the previous one
        next_link = remove_query_param(request.build_absolute_uri(), CURSOR_PARAM)
    return Page(items=rows, next=next_link, previous=previous_link)


def _value(row: Any, field: str) -> Any:
    if isinstance(row, dict):  # a .values() page
        return row["id" if field == "pk" else field]
    return row.pk if field in {"pk", "id"} else getattr(row, field)
