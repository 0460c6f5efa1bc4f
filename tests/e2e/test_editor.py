"""Scenario 2: an editor's day: approve a submission, schedule, unpublish and kill stories.
Each test makes its own articles; autosave is off (the reporter scenario keeps it on)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from apps.articles.models import ArticlePage
from tests.e2e.helpers import Person
from tests.factories import ArticlePageFactory


@pytest.fixture(autouse=True)
def autosave_off(settings):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


def sign_in(page) -> Person:
    """The editor signs in once the test's own articles exist (the dashboard lists them)."""
    me = Person(page)
    me.login("editor")
    return me


def action_menu(me: Person):
    """Open the editor's action menu (the arrow beside the main button)."""
    me.click(me.page.locator("footer .w-dropdown__toggle"))
    return me.page.locator("footer")


def submitted(title: str) -> ArticlePage:
    article = ArticlePageFactory(title=title, publish=False)
    reporter = get_user_model().objects.get(username="reporter")
    article.get_workflow().start(article, reporter)
    return article


def approve_from_dashboard(editor: Person, article: ArticlePage) -> None:
    review = editor.page.locator("section, .w-panel").filter(has_text="Awaiting your review").first
    expect(review).to_contain_text(article.title)
    editor.click(review.get_by_role("link", name=article.title))
    editor.click(action_menu(editor).get_by_role("button", name="Approve and Publish", exact=True))


def test_editor_approves_a_submission_awaiting_review(page, shots, console):
    article = submitted("Ministers agree on a border commission")
    editor = sign_in(page)
    shots("dashboard")
    approve_from_dashboard(editor, article)
    expect(page.locator(".messages")).to_contain_text(re.compile("approved", re.IGNORECASE))
    shots("approved")
    article.refresh_from_db()
    assert article.live
    assert article.current_workflow_state is None
    assert console.errors == []
    print(f"editor actions to approve: {editor.actions}")


def open_schedule_dialog(editor: Person, article: ArticlePage):
    editor.goto(f"/admin/pages/{article.pk}/edit/")
    editor.click(editor.page.get_by_role("button", name="Toggle status"))
    editor.click(editor.page.get_by_role("button", name="Set schedule"))
    return editor.page.locator("#schedule-publishing-dialog")


def test_editor_schedules_an_article_a_minute_ahead(page, shots, console):
    article = ArticlePageFactory(title="Election commission sets the date", publish=False)
    # A minute ahead at least once the seconds the dialog cannot take are dropped.
    go_live = (timezone.localtime() + dt.timedelta(minutes=2)).replace(second=0, microsecond=0)
    editor = sign_in(page)
    dialog = open_schedule_dialog(editor, article)
    editor.fill(dialog.get_by_label("Go live date/time"), go_live.strftime("%Y-%m-%d %H:%M"))
    shots("date-picker")
    # The date picker covers the dialog's Save button until one clicks beside it, as people do.
    editor.click(dialog.get_by_role("heading", name="Set publishing schedule"))
    save = dialog.get_by_role("button", name="Save schedule")
    expect(save).to_be_in_viewport()
    shots("schedule-dialog")
    editor.click(save)
    expect(page.locator(".messages")).to_be_visible()
    editor.click(action_menu(editor).get_by_role("button", name=re.compile("Schedule to publish")))
    expect(page.locator(".messages")).to_contain_text("scheduled")
    shots("scheduled")

    article.refresh_from_db()
    assert not article.live
    revision = article.scheduled_revision
    assert revision is not None
    assert revision.approved_go_live_at == go_live
    assert console.errors == []


def test_schedule_dialog_names_its_timezone(page, settings):
    article = ArticlePageFactory(title="Parliament returns next week", publish=False)
    editor = sign_in(page)
    dialog = open_schedule_dialog(editor, article)
    expect(dialog).to_contain_text(settings.TIME_ZONE, timeout=3_000)


def test_editor_unpublishes_an_article(page, shots, console):
    article = ArticlePageFactory(title="Rail link opening postponed")
    editor = sign_in(page)
    editor.goto(f"/admin/pages/{article.pk}/edit/")
    editor.click(action_menu(editor).get_by_role("link", name="Unpublish"))
    shots("unpublish-confirm")
    editor.click(page.get_by_role("button", name=re.compile("Yes, unpublish")))
    expect(page.locator(".messages")).to_contain_text("unpublished")
    article.refresh_from_db()
    assert not article.live
    assert console.errors == []


def kill(editor: Person, article: ArticlePage) -> None:
    editor.goto(f"/admin/pages/{article.pk}/edit/")
    editor.click(action_menu(editor).get_by_role("link", name=re.compile("Kill")))
    page = editor.page
    editor.click(page.get_by_role("radio").first)
    editor.fill(page.get_by_label("Reason"), "A court ordered the story withdrawn today.")
    editor.click(page.get_by_role("button", name="Kill this story"))
    expect(page.locator(".messages")).to_contain_text("was killed")


def test_editor_kills_a_story(page, shots, console):
    article = ArticlePageFactory(title="Named suspect in the bank case")
    editor = sign_in(page)
    kill(editor, article)
    shots("killed")
    article.refresh_from_db()
    assert not article.live
    assert console.errors == []


def test_killed_story_is_listed_as_killed(page, sahel):
    article = ArticlePageFactory(title="Leaked memo on the mine contract", parent=sahel)
    editor = sign_in(page)
    kill(editor, article)
    editor.goto(f"/admin/pages/{sahel.pk}/")
    row = page.locator("tr").filter(has_text=article.title)
    expect(row).to_contain_text("KILLED", ignore_case=False, timeout=3_000)
