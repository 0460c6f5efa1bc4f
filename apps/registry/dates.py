"""Partial dates: a date plus the precision it is known to (year, month or day).

The rules (documented for readers in docs/registry.md):

* A partial date is stored as the *first day* of its period: "2023" is 2023-01-01 with precision
  year, "January 2025" is 2025-01-01 with precision month. ``normalize`` enforces this.
* Its period runs from that first day to the last day of the year / month (``period_bounds``).
* Sorting puts a partial date at the start of its period; for the same first day the coarser
  date comes first ("2023" before "January 2023" before "1 January 2023").
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import models


class DatePrecision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


# Coarser precisions sort first when two dates share their first day.
PRECISION_RANK = {DatePrecision.YEAR: 0, DatePrecision.MONTH: 1, DatePrecision.DAY: 2}


def normalize(value: dt.date | None, precision: str) -> dt.date | None:
    """Move a date to the first day of its period, so equal partial dates compare equal."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def period_end(value: dt.date | None, precision: str) -> dt.date | None:
    """The last day of the period a partial date stands for."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return value.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


def period_bounds(value: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    first = normalize(value, precision)
    return first, period_end(first, precision)


def sort_key(value: dt.date | None, precision: str) -> tuple:
    """Order partial dates: by first day of the period, coarser first; unknown dates last."""
    if value is None:
        return (dt.date.max, 9)
    return (normalize(value, precision), PRECISION_RANK.get(precision, 2))


def format_partial(value: dt.date | None, precision: str) -> str:
    """Render as "2022", "January 2022" or "3 April 2025"."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return f"{calendar.month_name[value.month]} {value.year}"
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


def iso_partial(value: dt.date | None, precision: str) -> str:
    """Machine-readable form for <time datetime>: "2022", "2022-01" or "2025-04-03"."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def parse_partial(text: str) -> tuple[dt.date, str]:
    """The inverse of ``iso_partial``: "2022" → (2022-01-01, year), "2022-01", "2025-04-03"."""
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), DatePrecision.YEAR
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 1), DatePrecision.MONTH
    return dt.date(*parts), DatePrecision.DAY


# The display and machine forms of a record's partial date: one definition for every record
# with one (relations, events, date claims, timeline entries), e.g.
# ``start_display = display_property("start", "start_precision")``.


def display_property(date_attr: str, precision_attr: str) -> property:
    return property(
        lambda record: format_partial(getattr(record, date_attr), getattr(record, precision_attr))
    )


def iso_property(date_attr: str, precision_attr: str) -> property:
    return property(lambda record: iso_partial(getattr(record, date_attr), getattr(record, precision_attr)))
