"""Registry work in the admin: an editor adds an alias and merges a duplicate actor."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.registry.models import Actor
from tests.e2e.helpers import Person
from tests.registry.factories import ActorFactory


@pytest.fixture(autouse=True)
def autosave_off(settings):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


def test_editor_adds_an_alias_to_an_actor(page, shots, console, e2e_desk):
    actor = ActorFactory(name="Republic of Lakeland")
    editor = Person(page)
    editor.login("editor")
    editor.goto(f"/admin/snippets/registry/actor/edit/{actor.pk}/")
    editor.click(page.get_by_role("button", name="Add Alias"))
    editor.fill(page.locator("input[name='aliases-0-text']"), "Lakeland")
    shots("alias")
    editor.click(page.get_by_role("button", name="Save"))
    expect(page.locator(".messages")).to_contain_text("updated")
    assert list(actor.aliases.values_list("text", flat=True)) == ["Lakeland"]
    assert console.errors == []


def test_editor_merges_a_duplicate_actor_with_the_chooser(page, shots, console, e2e_desk):
    survivor = ActorFactory(name="Union of River States")
    duplicate = ActorFactory(name="River States Union")
    editor = Person(page)
    editor.login("editor")
    editor.goto("/admin/snippets/registry/actor/")
    row = page.locator("tr").filter(has_text=duplicate.name)
    editor.click(row.get_by_role("button", name="More options"))
    editor.click(row.get_by_role("link", name="Merge into…"))
    editor.choose(page.get_by_role("button", name="Choose actor"), survivor.name)
    shots("merge", full_page=True)
    editor.click(page.get_by_role("button", name="Merge", exact=True))
    expect(page.locator(".messages")).to_contain_text(f"Merged “{duplicate.name}” into “{survivor.name}”")
    shots("merged")
    assert Actor.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk
    assert console.errors == []
