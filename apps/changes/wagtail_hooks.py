"""Admin hooks: our admin entry points run Wagtail's page actions inside one transaction with
their change-log rows, and editors get a Kill action.

Wagtail publishes, unpublishes and moves outside a transaction (only workflow approval and
deletion are atomic). ATOMIC_REQUESTS would fix that by serialising every request on SQLite,
so only the POSTs that change a page are wrapped: the `before_*` hook re-dispatches the same
view inside `transaction.atomic()` and returns its response.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path, resolve, reverse
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem

from apps.articles.models import ArticlePage
from apps.changes import jobs, selectors, services, views
from apps.changes.models import Cause, ObjectType
from apps.core.scheduler import PeriodicJob

_WRAPPED = "_changes_in_transaction"


def _run_atomically(request: HttpRequest) -> HttpResponse | None:
    if request.method != "POST" or getattr(request, _WRAPPED, False):
        return None
    setattr(request, _WRAPPED, True)
    match = resolve(request.path_info)
    with transaction.atomic():
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    return response


@hooks.register("before_create_page")
def wrap_create(request: HttpRequest, parent_page: Any, page_class: Any) -> HttpResponse | None:
    return _run_atomically(request)


@hooks.register("before_edit_page")
def wrap_edit(request: HttpRequest, page: Any) -> HttpResponse | None:
    return _run_atomically(request)


@hooks.register("before_unpublish_page")
def wrap_unpublish(request: HttpRequest, page: Any) -> HttpResponse | None:
    return _run_atomically(request)


@hooks.register("before_move_page")
def wrap_move(request: HttpRequest, page: Any, destination: Any) -> HttpResponse | None:
    return _run_atomically(request)


class KillMenuItem(ActionMenuItem):
    label = "Kill (legal/ethical takedown)"
    name = "action-kill"
    icon_name = "warning"
    order = 60

    def is_shown(self, context: dict) -> bool:
        page = context.get("page")
        return (
            context.get("view") == "edit"
            and isinstance(page, ArticlePage)
            and not context.get("locked_for_user")
            and views.can_kill(context["request"].user, page)
        )

    def get_url(self, context: dict) -> str:
        return reverse("changes_kill", args=(context["page"].id,))


@hooks.register("register_page_action_menu_item")
def register_kill_menu_item() -> ActionMenuItem:
    return KillMenuItem()


@hooks.register("register_admin_urls")
def register_kill_url() -> list:
    return [path("changes/kill/<int:page_id>/", views.kill_view, name="changes_kill")]


# Our own writes, recorded through the hooks their services call (docs/adr/0009).


@hooks.register("after_partner_entitlement_change")
def record_entitlement_change(partner: Any, before: set[int], after: set[int]) -> None:
    services.record_entitlement_change(partner=partner, before=before, after=after)


@hooks.register("after_merge_actors")
def record_actor_merge(loser: Any, survivor: Any) -> None:
    services.record_registry_change(
        object_type=ObjectType.ACTOR,
        object_id=loser.pk,
        visible=False,
        cause=Cause.MERGED,
        merged_into=survivor.pk,
    )


@hooks.register("register_log_actions")
def register_kill_log_action(actions: Any) -> None:
    actions.register_action(services.KILL_LOG_ACTION, "Kill", "Killed (legal/ethical takedown)")


@hooks.register("register_periodic_job")
def register_prune_change_log() -> PeriodicJob:
    return PeriodicJob(
        "prune_change_log",
        timedelta(hours=1),
        jobs.prune_changes,
        "Drop change-feed rows older than the retention window (clients behind it get 410 and resync).",
    )


@hooks.register("register_periodic_job")
def register_publish_scheduled() -> PeriodicJob:
    # Wagtail's publish_scheduled logic, one object per transaction with its change-log row.
    return PeriodicJob(
        "publish_scheduled",
        timedelta(minutes=1),
        jobs.publish_scheduled,
        "Publish pages whose go-live time has passed; unpublish expired pages.",
    )


@hooks.register("construct_explorer_page_queryset")
def annotate_kill_status(parent_page: Any, pages: Any, request: HttpRequest) -> Any:
    # The listing's status cell shows KILLED with who and when, from these annotations.
    return selectors.with_kill_status(pages)
