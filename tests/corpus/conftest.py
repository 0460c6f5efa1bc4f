"""A tiny corpus from the real generator (PostgreSQL only: it writes with COPY)."""

from __future__ import annotations

import pytest

from apps.corpus.generator import corpus_sections, generate


@pytest.fixture
def corpus(desk, partner):
    """300 articles, entitled to the API fixtures' partner like the bench partner (all corpus
    sections but the last)."""
    report = generate(articles=300, actors=80, events=40, seed=7)
    sections = corpus_sections()
    partner.sections.add(*sections[:-1])
    return report
