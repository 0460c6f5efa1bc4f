"""Writes that set up a desk: site tree, groups and permissions, the review workflow.

Every function is idempotent: running it again changes nothing that is already right.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail import hooks
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from apps.core.models import HomePage, SectionPage

REPORTERS = "Reporters"
EDITORS = "Editors"
DESK_WORKFLOW = "Desk review"
DESK_APPROVAL_TASK = "Editor approval"

# Page permissions per group on the home page (and so on every section and article).
REPORTER_PAGE_PERMISSIONS = ["add_page", "change_page"]
EDITOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
    "bulk_delete_page",
]
# Collection permissions (images, documents) on the root collection.
REPORTER_COLLECTION_PERMISSIONS = [
    "add_image",
    "change_image",
    "choose_image",
    "add_document",
    "change_document",
    "choose_document",
]
EDITOR_COLLECTION_PERMISSIONS = [*REPORTER_COLLECTION_PERMISSIONS, "delete_image", "delete_document"]
# Model permissions ("app_label.codename") come from every app's `register_desk_permissions`
# hook: fn() -> {group name: [permissions]} (core's own are in apps/core/wagtail_hooks.py).
DESK_PERMISSIONS_HOOK = "register_desk_permissions"


def desk_model_permissions() -> dict[str, list[str]]:
    """Each desk group's model permissions, gathered from the hooks in registration order."""
    wanted: dict[str, list[str]] = {REPORTERS: [], EDITORS: []}
    for register in hooks.get_hooks(DESK_PERMISSIONS_HOOK):
        for group_name, names in register().items():
            if group_name not in wanted:
                raise ValueError(f"{register.__qualname__}: unknown desk group {group_name!r}")
            wanted[group_name].extend(name for name in names if name not in wanted[group_name])
    return wanted


DEFAULT_SECTIONS = [
    ("Sahel", "sahel", "Mali, Burkina Faso, Niger and the Alliance of Sahel States."),
    ("West Africa", "west-africa", "ECOWAS, the coastal states and the region's diplomacy."),
    ("Analysis", "analysis", "Explainers and analysis from the desk."),
]


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".", 1)
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def _page_permissions(codenames: list[str]) -> list[Permission]:
    page_type = ContentType.objects.get_for_model(Page)
    return list(Permission.objects.filter(content_type=page_type, codename__in=codenames))


@transaction.atomic
def ensure_site_tree(*, site_name: str = "Newsdesk", hostname: str = "localhost", port: int = 80) -> HomePage:
    """One HomePage under the root, served by the default site, with the default sections."""
    root = Page.get_first_root_node()
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.child_of(root).first()
    if home is None:
        placeholder = site.root_page if site else None
        if (
            placeholder
            and type(placeholder.specific) is Page
            and placeholder.depth == 2
            and placeholder.is_leaf()
        ):
            # Wagtail's migrations leave a "Welcome" page at slug "home"; the site's
            # root_page cascades on delete, so park the site on the tree root first.
            site.root_page = root
            site.save(update_fields=["root_page"])
            placeholder.delete()
        home = HomePage(
            title=site_name,
            slug="home",
            intro="<p>News from the desk, tagged to the people, places and events it is about.</p>",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    if site is None:
        Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=site_name
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site_name
        site.save()
    for title, slug, intro in DEFAULT_SECTIONS:
        if not SectionPage.objects.child_of(home).filter(slug=slug).exists():
            section = SectionPage(title=title, slug=slug, intro=intro)
            home.add_child(instance=section)
            section.save_revision().publish()
    return home


def _set_group_permissions(
    group: Group,
    *,
    home: Page,
    page_codenames: list[str],
    collection_codenames: list[str],
    model_perms: list[str],
) -> None:
    GroupPagePermission.objects.filter(group=group).exclude(page=home).delete()
    wanted_page = _page_permissions(page_codenames)
    GroupPagePermission.objects.filter(group=group, page=home).exclude(permission__in=wanted_page).delete()
    for permission in wanted_page:
        GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)

    root_collection = Collection.get_first_root_node()
    wanted_collection = list(
        Permission.objects.filter(
            codename__in=collection_codenames, content_type__app_label__in=["core", "wagtaildocs"]
        )
    )
    GroupCollectionPermission.objects.filter(group=group).exclude(permission__in=wanted_collection).delete()
    for permission in wanted_collection:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=permission
        )

    group.permissions.set(_permissions(model_perms))


@transaction.atomic
def ensure_desk_groups(home: Page) -> tuple[Group, Group]:
    """Reporters write and submit; Editors also publish, unpublish, schedule and lock."""
    reporters, _ = Group.objects.get_or_create(name=REPORTERS)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    model_perms = desk_model_permissions()
    _set_group_permissions(
        reporters,
        home=home,
        page_codenames=REPORTER_PAGE_PERMISSIONS,
        collection_codenames=REPORTER_COLLECTION_PERMISSIONS,
        model_perms=model_perms[REPORTERS],
    )
    _set_group_permissions(
        editors,
        home=home,
        page_codenames=EDITOR_PAGE_PERMISSIONS,
        collection_codenames=EDITOR_COLLECTION_PERMISSIONS,
        model_perms=model_perms[EDITORS],
    )
    return reporters, editors


@transaction.atomic
def ensure_desk_workflow(home: Page, editors: Group) -> Workflow:
    """Replace Wagtail's "Moderators approval" with the desk's review: Editors approve."""
    task, _ = GroupApprovalTask.objects.get_or_create(name=DESK_APPROVAL_TASK)
    task.groups.set([editors])
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    workflow, _ = Workflow.objects.get_or_create(name=DESK_WORKFLOW)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for other in Workflow.objects.filter(active=True).exclude(pk=workflow.pk):
        other.deactivate()
    WorkflowPage.objects.exclude(workflow=workflow).delete()
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow
