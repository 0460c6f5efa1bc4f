"""Query parameters, declared once per endpoint: validated strictly (an unknown parameter or a bad
value is a 400 naming it, never silently ignored) and documented in the OpenAPI schema."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.http import QueryDict
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from apps.api.exceptions import InvalidParameters

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Param:
    name: str
    parse: Callable[[str], Any]  # raises ValueError with a reason the client can act on
    description: str
    openapi_type: Any = OpenApiTypes.STR
    enum: Sequence[str] | None = None

    def openapi(self) -> OpenApiParameter:
        return OpenApiParameter(
            self.name,
            self.openapi_type,
            OpenApiParameter.QUERY,
            required=False,
            description=self.description,
            enum=self.enum,
        )


def parse_query(query: QueryDict, params: Sequence[Param]) -> dict[str, Any]:
    """The parsed values of the parameters present; InvalidParameters names every bad one."""
    known = {param.name: param for param in params}
    values: dict[str, Any] = {}
    invalid: list[dict[str, str]] = []
    for name in query:
        param = known.get(name)
        if param is None:
            invalid.append(
                {"name": name, "reason": f"Unknown parameter '{name}'; accepted: {', '.join(sorted(known))}."}
            )
            continue
        raw = query.getlist(name)
        if len(raw) > 1:
            invalid.append(
                {"name": name, "reason": f"Give '{name}' once (use ',' for all of, '|' for any of)."}
            )
            continue
        try:
            values[name] = param.parse(raw[0])
        except ValueError as error:
            invalid.append({"name": name, "reason": f"'{name}': {error}"})
    if invalid:
        raise InvalidParameters(invalid)
    return values


# Parsers -------------------------------------------------------------------------------------


def parse_page_size(raw: str) -> int:
    if not raw.isdigit():
        raise ValueError(f"must be a whole number from 1 to {MAX_PAGE_SIZE}.")
    size = int(raw)
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError(f"must be from 1 to {MAX_PAGE_SIZE}, got {size}.")
    return size


def parse_nonempty(raw: str) -> str:
    value = raw.strip()
    if not value:
        raise ValueError("must not be empty.")
    return value


@dataclass(frozen=True)
class Terms:
    """`a,b` = all of the terms, `a|b` = any of them; one term is both."""

    values: tuple[str, ...]
    match_all: bool


def parse_terms(raw: str) -> Terms:
    has_all, has_any = "," in raw, "|" in raw
    if has_all and has_any:
        raise ValueError("use ',' (all of) or '|' (any of), not both in one parameter.")
    values = tuple(part.strip() for part in re.split(r"[,|]", raw))
    if not values or any(not value for value in values):
        raise ValueError("has an empty term.")
    if len(values) > 20:
        raise ValueError("at most 20 terms.")
    return Terms(values=values, match_all=not has_any)


def parse_choice(choices: Sequence[str]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}; got '{raw}'.")
        return raw

    return parse


@dataclass(frozen=True)
class Instant:
    """A date or a date-time from a query parameter, with the day it covers when it is a date."""

    start: datetime  # a date: 00:00:00 UTC of that day
    end: datetime  # a date: the last microsecond of that day (bounds are inclusive)


def parse_instant(raw: str) -> Instant:
    """`2025-04-03` covers that whole UTC day; an ISO 8601 date-time is that instant (UTC if no offset)."""
    raw = raw.strip()
    try:
        day = parse_date(raw)
        moment = None if day else parse_datetime(raw.replace(" ", "+"))  # '+' arrives as a space
    except ValueError:
        day = moment = None
    if day is not None:
        start = datetime.combine(day, time.min, tzinfo=UTC)
        return Instant(start=start, end=start + timedelta(days=1) - timedelta(microseconds=1))
    if moment is None:
        raise ValueError(f"'{raw}' is not a date (YYYY-MM-DD) or an ISO 8601 date-time.")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return Instant(start=moment, end=moment)


def as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
