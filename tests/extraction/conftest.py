"""Extraction fixtures: the demo registry (the golden sets are annotated against it)."""

from __future__ import annotations

import pytest

from apps.registry import demo


@pytest.fixture
def demo_registry(db):
    demo.load()


@pytest.fixture(autouse=True)
def _fresh_registry_index():
    """Rolled-back tests can meet the same registry version with different registries: start each
    without the process's cached matcher (the tagging app's index, which extraction reads)."""
    from apps.tagging import selectors

    selectors._cached = None
    yield
    selectors._cached = None
