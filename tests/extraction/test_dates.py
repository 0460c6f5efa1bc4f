"""Dates keep their precision and resolve against the article's own date (acceptance 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.extraction.dates import PartialDate, first_date, overlaps, with_span
from apps.extraction.lexicon import language

EN, FR = language("en"), language("fr")
THURSDAY_4_APRIL = dt.date(2025, 4, 4)  # a Friday


@pytest.mark.parametrize(
    ("text", "base", "expected", "precision"),
    [
        ("The ministers met on Thursday (April 3) in Moscow.", THURSDAY_4_APRIL, dt.date(2025, 4, 3), "day"),
        ("They met on Thursday.", THURSDAY_4_APRIL, dt.date(2025, 4, 3), "day"),
        ("They met on Friday.", THURSDAY_4_APRIL, dt.date(2025, 4, 4), "day"),  # the article's own day
        ("They met on Saturday.", THURSDAY_4_APRIL, dt.date(2025, 3, 29), "day"),  # never a future day
        ("Mali expelled the ambassador in early 2022.", THURSDAY_4_APRIL, dt.date(2022, 1, 1), "year"),
        ("It happened in 2022.", THURSDAY_4_APRIL, dt.date(2022, 1, 1), "year"),
        ("The charter was dated to December 2023.", THURSDAY_4_APRIL, dt.date(2023, 12, 1), "month"),
        ("The base closed last year.", THURSDAY_4_APRIL, dt.date(2024, 1, 1), "year"),
        ("Soldiers seized power last week.", dt.date(2023, 8, 1), dt.date(2023, 7, 1), "month"),
        ("The talks took place on 3 April 2025.", dt.date(2025, 6, 1), dt.date(2025, 4, 3), "day"),
        ("The talks took place on April 3, 2025.", dt.date(2025, 6, 1), dt.date(2025, 4, 3), "day"),
        ("Rebels ambushed soldiers in July.", dt.date(2024, 8, 6), dt.date(2024, 7, 1), "month"),
        ("The last troops left on 28 December.", dt.date(2024, 1, 3), dt.date(2023, 12, 28), "day"),
    ],
)
def test_english_expressions(text, base, expected, precision):
    found = first_date(text, EN, base)
    assert (found.date, found.precision) == (expected, precision)


def test_a_month_in_a_clause_about_the_future_is_the_next_such_month():
    found = first_date("Goita will visit Moscow in March.", EN, dt.date(2025, 5, 20), future=True)
    assert (found.date, found.precision) == (dt.date(2026, 3, 1), "month")
    found = first_date("He will go on Monday.", EN, dt.date(2025, 5, 20), future=True)  # a Tuesday
    assert found.date == dt.date(2025, 5, 26)


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("Le Niger a rompu mardi ses relations avec l'Ukraine.", dt.date(2024, 8, 6), "day"),
        ("La charte a été signée le 16 septembre 2023.", dt.date(2023, 9, 16), "day"),
        ("Le retrait date de décembre 2023.", dt.date(2023, 12, 1), "month"),
        ("La base a fermé l'année dernière.", dt.date(2023, 1, 1), "year"),
    ],
)
def test_french_expressions(text, expected, precision):
    found = first_date(text, FR, dt.date(2024, 8, 7))
    assert (found.date, found.precision) == (expected, precision)


def test_no_date_is_none_and_numbers_are_not_years():
    assert first_date("About 1,000 soldiers and 72 hours.", EN, THURSDAY_4_APRIL) is None


def test_compatibility_is_overlap_at_the_coarser_precision():
    year = PartialDate(dt.date(2022, 1, 1), "year")
    assert overlaps(year, PartialDate(dt.date(2022, 1, 31), "day"))
    assert not overlaps(PartialDate(dt.date(2022, 1, 1), "month"), PartialDate(dt.date(2022, 3, 1), "month"))
    assert overlaps(None, year)


def test_a_two_day_summit_that_ended_on_a_day_spans_both_days():
    span = with_span(PartialDate(dt.date(2025, 4, 16), "day"), 2)
    assert (span.date, span.end) == (dt.date(2025, 4, 15), dt.date(2025, 4, 16))
    assert with_span(PartialDate(dt.date(2025, 4, 1), "month"), 2).end is None
