"""Query parameters, declared once per endpoint: validated strictly (an unknown parameter or a bad
value is a 400 naming it, never silently ignored) and documented in the OpenAPI schema."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.http import QueryDict
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from apps.api.exceptions import InvalidParameters

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# The largest id or sequence a database column can hold (a signed 64-bit integer): SQLite
# overflows on anything bigger, so larger numbers never reach a query.
MAX_ID = 2**63 - 1
# No parameter of ours needs more; longer values are refused before any parsing.
MAX_VALUE_LENGTH = 1000
# C0 control characters but tab and line breaks (NUL included: PostgreSQL text cannot hold it), DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Param:
    name: str
    parse: Callable[[str], Any]  # raises ValueError with a reason the client can act on
    description: str
    openapi_type: Any = OpenApiTypes.STR
    enum: Sequence[str] | None = None
    # JSON Schema limits stated in the OpenAPI document (minimum, maximum, maxLength, format ...).
    # A parser states its own through `states` below, so every parameter using it documents them.
    limits: Mapping[str, Any] = field(default_factory=dict)

    def openapi(self) -> OpenApiParameter:
        schema = {**build_basic_type(self.openapi_type), **getattr(self.parse, "limits", {}), **self.limits}
        if "maxLength" not in schema and schema.get("type") == "string" and self.enum is None:
            schema["maxLength"] = MAX_VALUE_LENGTH
        return OpenApiParameter(
            self.name,
            schema,
            OpenApiParameter.QUERY,
            required=False,
            description=self.description,
            enum=self.enum,
        )


def states(**limits: Any) -> Callable[[Callable[[str], Any]], Callable[[str], Any]]:
    """Attach the JSON Schema limits a parser enforces, for the OpenAPI document."""

    def mark(parse: Callable[[str], Any]) -> Callable[[str], Any]:
        parse.limits = limits  # type: ignore[attr-defined]
        return parse

    return mark


def names_pattern(names: Sequence[str]) -> str:
    """`a,b,c` drawn from `names` (the `fields=` and `facets=` lists)."""
    one = "|".join(re.escape(name) for name in names)
    return rf"^\s*({one})\s*(,\s*({one})\s*)*$"


def parse_query(query: QueryDict, params: Sequence[Param]) -> dict[str, Any]:
    """The parsed values of the parameters present; InvalidParameters names every bad one."""
    known = {param.name: param for param in params}
    values: dict[str, Any] = {}
    invalid: list[dict[str, str]] = []
    for name in query:
        if len(name) > 100 or CONTROL.search(name):
            invalid.append({"name": name[:100], "reason": "Unknown parameter (not a parameter name)."})
            continue
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
        if len(raw[0]) > MAX_VALUE_LENGTH:
            invalid.append({"name": name, "reason": f"'{name}': at most {MAX_VALUE_LENGTH} characters."})
            continue
        if CONTROL.search(raw[0]):
            invalid.append({"name": name, "reason": f"'{name}': must not contain control characters."})
            continue
        try:
            values[name] = param.parse(raw[0])
        except ValueError as error:
            invalid.append({"name": name, "reason": f"'{name}': {error}"})
    if invalid:
        raise InvalidParameters(invalid)
    return values


# Parsers -------------------------------------------------------------------------------------


def parse_whole_number(raw: str, *, minimum: int = 0, maximum: int = MAX_ID) -> int:
    """ASCII digits only ("²" and "٣" are digits to str.isdigit, not to us), within the bounds."""
    if not DIGITS.fullmatch(raw) or len(raw) > len(str(maximum)) + 1:
        raise ValueError(f"must be a whole number from {minimum} to {maximum}.")
    number = int(raw)
    if not minimum <= number <= maximum:
        raise ValueError(f"must be from {minimum} to {maximum}, got {raw}.")
    return number


def as_id(term: str) -> int | None:
    """A term that is a storable id, else None (it may be a slug; an id beyond 64 bits names nothing)."""
    if not DIGITS.fullmatch(term) or len(term) > 19:
        return None
    number = int(term)
    return number if number <= MAX_ID else None


def is_numeric(term: str) -> bool:
    return DIGITS.fullmatch(term) is not None


@states(minimum=1, maximum=MAX_PAGE_SIZE)
def parse_page_size(raw: str) -> int:
    return parse_whole_number(raw, minimum=1, maximum=MAX_PAGE_SIZE)


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


MAX_TERMS = 20
# One term, or up to MAX_TERMS joined by ',' (all of) or by '|' (any of), never both.
TERMS_PATTERN = rf"^[^,|]+(,[^,|]+){{0,{MAX_TERMS - 1}}}$|^[^,|]+(\|[^,|]+){{1,{MAX_TERMS - 1}}}$"


@states(pattern=TERMS_PATTERN)
def parse_terms(raw: str) -> Terms:
    has_all, has_any = "," in raw, "|" in raw
    if has_all and has_any:
        raise ValueError("use ',' (all of) or '|' (any of), not both in one parameter.")
    values = tuple(part.strip() for part in re.split(r"[,|]", raw))
    if not values or any(not value for value in values):
        raise ValueError("has an empty term.")
    if len(values) > MAX_TERMS:
        raise ValueError(f"at most {MAX_TERMS} terms.")
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


EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)


def _representable(moment: datetime) -> datetime:
    """The instant as given, or, when it lies beyond year 1 or 9999 in UTC (0001-01-01T00:00+05:00),
    the range's end: every stored time is after (before) it, so the filter means what was asked."""
    try:
        moment.astimezone(UTC)
    except OverflowError:
        return EARLIEST if moment.year == 1 else LATEST
    return moment


@states(anyOf=[{"format": "date"}, {"format": "date-time"}])
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
        end = LATEST if day == date.max else start + timedelta(days=1) - timedelta(microseconds=1)
        return Instant(start=start, end=end)
    if moment is None:
        raise ValueError(f"'{raw}' is not a date (YYYY-MM-DD) or an ISO 8601 date-time.")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = _representable(moment)
    return Instant(start=moment, end=moment)


@states(format="date")
def parse_day(raw: str) -> date:
    """A calendar day, YYYY-MM-DD (0001-01-01 to 9999-12-31)."""
    try:
        day = parse_date(raw.strip())
    except ValueError:
        day = None
    if day is None:
        raise ValueError(f"'{raw}' is not a date (YYYY-MM-DD).")
    return day


def as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
