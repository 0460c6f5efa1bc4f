"""Tagging fixtures: the demo registry (the golden sets are annotated against it)."""

from __future__ import annotations

import pytest

from apps.registry import demo


@pytest.fixture
def demo_registry(db):
    demo.load()
