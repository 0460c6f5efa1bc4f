"""Date expressions in a clause, resolved against the article's own date, with their precision.

dateparser reads the calendar expressions ("3 April 2025", "December 2023", "3 avril 2025") in
either language; this module finds them, and resolves what dateparser would guess differently
from a news desk: a bare weekday is the latest such day on or before the article's date (or the
next one in a clause about the future), a month without a year is the nearest such month, "in
early 2022" is the year 2022, "last week" the month that week fell in. The precision is always
ours: a year stays a year ("2022" is never 1 January 2022), stored the registry's way (first
day of the period plus a precision, ``apps.registry.dates``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import dateparser

from apps.extraction.lexicon import Language
from apps.registry.dates import DatePrecision, normalize, period_end


@dataclass(frozen=True)
class PartialDate:
    date: dt.date
    precision: str
    end: dt.date | None = None  # a span ("a two-day summit that ended on Wednesday")
    end_precision: str = DatePrecision.DAY

    @property
    def first_day(self) -> dt.date:
        return normalize(self.date, self.precision)

    @property
    def last_day(self) -> dt.date:
        if self.end is not None:
            return period_end(self.end, self.end_precision)
        return period_end(self.date, self.precision)


@dataclass(frozen=True)
class Expression:
    start: int
    end: int
    text: str
    kind: str  # weekday | full | day_month | month_year | year | month | relative


def overlaps(a: PartialDate | None, b: PartialDate | None) -> bool:
    """Compatible at their precisions: the two periods share at least one day ("2022" and
    "31 January 2022" do; "January 2022" and "March 2022" do not). Unknown fits anything."""
    if a is None or b is None:
        return True
    return a.first_day <= b.last_day and b.first_day <= a.last_day


@cache
def _patterns(lang: Language) -> list[tuple[str, re.Pattern]]:
    months = "|".join(re.escape(m) for m in lang.months)
    days = "|".join(re.escape(d) for d in lang.weekdays)
    ordinal = r"(?:st|nd|rd|th|er)?"
    relative = "|".join(re.escape(r) for r in sorted(lang.relative, key=len, reverse=True))
    flags = re.IGNORECASE
    return [
        ("weekday_dated", re.compile(rf"\b(?:{days})\s*\((?P<inner>[^)]{{3,30}})\)", flags)),
        ("full", re.compile(rf"\b\d{{1,2}}{ordinal}\s+(?:{months})\s+\d{{4}}\b", flags)),
        ("full", re.compile(rf"\b(?:{months})\s+\d{{1,2}}{ordinal},?\s+\d{{4}}\b", flags)),
        ("month_year", re.compile(rf"\b(?:{months})\s+(?:de\s+)?\d{{4}}\b", flags)),
        ("day_month", re.compile(rf"\b\d{{1,2}}{ordinal}\s+(?:{months})\b", flags)),
        ("day_month", re.compile(rf"\b(?:{months})\s+\d{{1,2}}{ordinal}\b(?!\d)", flags)),
        ("relative", re.compile(rf"(?<!\w)(?:{relative})(?!\w)", flags)),
        ("year", re.compile(r"(?<![\d,.])(?:19[5-9]\d|20\d\d)(?![\d,.]\d)")),
        (
            "month",
            re.compile(
                rf"\b(?:in|since|by|until|from|en|depuis|d'ici|jusqu'en)\s+(?P<inner>{months})\b", flags
            ),
        ),
        ("weekday", re.compile(rf"\b(?:{days})\b", flags)),
    ]


def find_expressions(text: str, lang: Language) -> list[Expression]:
    """Date expressions in ``text``, longest first where they overlap, in text order."""
    found: list[Expression] = []
    for kind, pattern in _patterns(lang):
        for m in pattern.finditer(text):
            if any(m.start() < e.end and e.start < m.end() for e in found):
                continue
            inner = m.groupdict().get("inner")
            found.append(Expression(m.start(), m.end(), inner or m.group(0), kind))
    return sorted(found, key=lambda e: e.start)


def _parse(text: str, lang: Language, base: dt.date) -> tuple[dt.date, str] | None:
    parser = dateparser.date.DateDataParser(
        languages=[lang.code],
        settings={
            "RELATIVE_BASE": dt.datetime.combine(base, dt.time()),
            "PREFER_DAY_OF_MONTH": "first",
        },
    )
    data = parser.get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    precision = {"year": DatePrecision.YEAR, "month": DatePrecision.MONTH}.get(data.period, DatePrecision.DAY)
    return data.date_obj.date(), precision


def _nearest_year(month: int, day: int, base: dt.date, *, future: bool) -> dt.date:
    options = [dt.date(base.year + delta, month, min(day, 28)) for delta in (-1, 0, 1)]
    if future:
        ahead = [o for o in options if o >= base.replace(day=1)]
        return min(ahead, key=lambda o: o - base)
    return min(options, key=lambda o: abs((o - base).days))


def _weekday(index: int, base: dt.date, *, future: bool) -> dt.date:
    if future:
        return base + dt.timedelta(days=(index - base.weekday()) % 7)
    return base - dt.timedelta(days=(base.weekday() - index) % 7)


def _shift_month(value: dt.date, months: int) -> dt.date:
    total = value.year * 12 + value.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def resolve(expr: Expression, lang: Language, base: dt.date, *, future: bool = False) -> PartialDate | None:
    text = expr.text.strip()
    lowered = text.casefold()
    if expr.kind == "weekday":
        return PartialDate(_weekday(lang.weekdays.index(lowered), base, future=future), DatePrecision.DAY)
    if expr.kind == "relative":
        unit, offset = lang.relative[lowered]
        if unit == "year":
            return PartialDate(dt.date(base.year + offset, 1, 1), DatePrecision.YEAR)
        if unit == "month":
            return PartialDate(_shift_month(base, offset), DatePrecision.MONTH)
        if unit == "week":
            # Registry dates have no week precision: the month the middle of that week fell in.
            return PartialDate(_shift_month(base + dt.timedelta(days=7 * offset), 0), DatePrecision.MONTH)
        return PartialDate(base + dt.timedelta(days=offset), DatePrecision.DAY)
    if expr.kind == "year":
        return PartialDate(dt.date(int(text), 1, 1), DatePrecision.YEAR)
    if expr.kind == "month":
        month = lang.months.index(lowered) + 1
        return PartialDate(_nearest_year(month, 1, base, future=future), DatePrecision.MONTH)
    parsed = _parse(text, lang, base)
    if parsed is None:
        return None
    value, precision = parsed
    if expr.kind in ("day_month", "weekday_dated"):
        # No year written: the nearest such day to the article, not dateparser's current year.
        value = _nearest_year(value.month, value.day, base, future=future).replace(day=value.day)
        return PartialDate(value, DatePrecision.DAY)
    if expr.kind == "month_year":
        return PartialDate(value.replace(day=1), DatePrecision.MONTH)
    return PartialDate(value, precision)


def first_date(text: str, lang: Language, base: dt.date, *, future: bool = False) -> PartialDate | None:
    for expr in find_expressions(text, lang):
        resolved = resolve(expr, lang, base, future=future)
        if resolved is not None:
            return resolved
    return None


def with_span(value: PartialDate, days: int) -> PartialDate:
    """An event of ``days`` days that ended on ``value`` (day precision only)."""
    if value.precision != DatePrecision.DAY or days < 2:
        return value
    return PartialDate(
        value.date - dt.timedelta(days=days - 1), DatePrecision.DAY, value.date, DatePrecision.DAY
    )
