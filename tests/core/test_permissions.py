import pytest
from django.contrib.auth.models import User
from wagtail.models import Workflow, WorkflowPage

from apps.core import services
from apps.core.models import SectionPage

pytestmark = pytest.mark.django_db


def _section(home) -> SectionPage:
    return SectionPage.objects.child_of(home).first()


def test_reporter_can_edit_but_not_publish(desk):
    reporter = User.objects.get(username="reporter")
    assert desk.permissions_for_user(reporter).can_add_subpage()
    perms = _section(desk).permissions_for_user(reporter)
    assert perms.can_edit()
    assert not perms.can_publish()
    assert not perms.can_unpublish()
    assert not perms.can_lock()


def test_editor_can_publish_unpublish_and_lock(desk):
    editor = User.objects.get(username="editor")
    perms = _section(desk).permissions_for_user(editor)
    assert perms.can_edit()
    assert perms.can_publish()
    assert perms.can_unpublish()
    assert perms.can_lock()


def test_desk_review_workflow_replaces_moderators_approval(desk):
    active = list(Workflow.objects.filter(active=True).values_list("name", flat=True))
    assert active == [services.DESK_WORKFLOW]
    assert WorkflowPage.objects.get().page_id == desk.pk
    section = _section(desk)
    workflow = section.get_workflow()
    assert workflow.name == services.DESK_WORKFLOW
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [services.EDITORS]


def test_editor_can_approve_a_reporter_submission(desk):
    reporter = User.objects.get(username="reporter")
    editor = User.objects.get(username="editor")
    section = _section(desk)
    section.title = "Sahel desk"
    revision = section.save_revision(user=reporter)
    workflow_state = section.get_workflow().start(section, reporter)
    task_state = workflow_state.current_task_state
    task = task_state.task.specific
    assert not task.user_can_access_editor(section, reporter) or not task.get_actions(section, reporter)
    assert ("approve", "Approve", False) in [tuple(a) for a in task.get_actions(section, editor)]
    task.on_action(task_state, editor, "approve")
    section.refresh_from_db()
    assert section.live_revision_id == revision.pk
    assert section.title == "Sahel desk"
