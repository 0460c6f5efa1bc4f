"""Smoke: an editor opens Pages in the sidebar and sees the section tree (issue #11, point 2)."""

from __future__ import annotations

from playwright.sync_api import expect

from apps.core.models import SectionPage
from tests.e2e.helpers import login, open_explorer


def test_editor_sees_the_section_tree_in_the_sidebar_explorer(page, shots, console, e2e_desk):
    sections = list(SectionPage.objects.child_of(e2e_desk).order_by("path").values_list("title", flat=True))
    assert len(sections) == 3

    login(page, "editor")
    explorer = open_explorer(page)

    items = explorer.locator(".c-page-explorer__item__title")
    expect(items).to_have_text(sections)
    expect(explorer).not_to_contain_text("Server Error")
    shots("explorer")
    assert console.errors == []
