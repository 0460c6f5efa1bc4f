"""Tagging fixtures: the demo registry (the golden sets are annotated against it)."""

from __future__ import annotations

import pytest

from apps.registry import demo


@pytest.fixture
def demo_registry(db):
    demo.load()


@pytest.fixture(autouse=True)
def _fresh_registry_index():
    """Each test's transaction is rolled back, so two tests can reach the same registry version
    with different registries: start every test without the process's cached automaton."""
    from apps.tagging import selectors

    selectors._cached = None
    yield
    selectors._cached = None
