"""Webhooks in the admin (subscriptions, the delivery log, redeliver), and the hooks through
which the lower apps reach it: change-log rows, periodic jobs, /healthz (docs/adr/0008)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from apps.core.scheduler import PeriodicJob
from apps.core.services import EDITORS
from apps.webhooks import selectors, services, signing
from apps.webhooks.apps import WEBHOOK_EDITOR_PERMISSIONS
from apps.webhooks.forms import SubscriptionEditForm, SubscriptionForm
from apps.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription


def _secret_response(view, subscription: WebhookSubscription):
    # Shown in this response only: not stored in a message cookie, not cached.
    response = TemplateResponse(
        view.request,
        "webhooks/secret.html",
        {
            "subscription": subscription,
            "index_url": reverse("webhook_subscriptions:index"),
            "header_title": "Webhook signing secret",
            "page_title": "Webhook signing secret",
            "header_icon": "key",
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def partner_contact(subscription: WebhookSubscription) -> str:
    partner = subscription.partner
    contact = " ".join(
        part for part in (partner.contact_name, f"<{partner.contact_email}>") if part.strip("<>")
    )
    return contact or "no contact on file"


class SubscriptionCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.secret = signing.new_secret()
        return super().save_instance()

    def save_action(self):
        return _secret_response(self, self.object)


class SubscriptionEditView(generic.EditView):
    def get(self, request, *args, **kwargs):
        subscription = self.get_object()
        if not subscription.active and subscription.disabled_at:
            messages.warning(
                request,
                f"Disabled on {subscription.disabled_at:%Y-%m-%d %H:%M} UTC: {subscription.disabled_reason} "
                f"Contact {subscription.partner.name}: {partner_contact(subscription)}. "
                "Tick Active to resume the pending deliveries.",
            )
        return super().get(request, *args, **kwargs)

    def save_instance(self):
        instance = self.form.instance
        self.rotated = bool(self.form.cleaned_data.get("rotate_secret"))
        if self.rotated:
            instance.secret = signing.new_secret()
        if instance.active and instance.disabled_at:
            services.reactivate(instance)
        return super().save_instance()

    def save_action(self):
        return _secret_response(self, self.object) if self.rotated else super().save_action()


class SubscriptionViewSet(ModelViewSet):
    model = WebhookSubscription
    icon = "link-external"
    menu_label = "Webhooks"
    add_view_class = SubscriptionCreateView
    edit_view_class = SubscriptionEditView
    form_fields = SubscriptionForm._meta.fields
    list_display = [
        "partner",
        "url",
        "active",
        Column("disabled_at", label="Disabled"),
        Column("contact", label="Partner contact", accessor=partner_contact),
    ]
    list_filter = ["active", "partner"]
    search_fields = ["url", "partner__name"]
    copy_view_enabled = False

    def get_form_class(self, for_update: bool = False):
        return SubscriptionEditForm if for_update else SubscriptionForm

    def get_queryset(self, request):
        return WebhookSubscription.objects.select_related("partner")


class ReadOnlyPolicy(ModelPermissionPolicy):
    """The delivery log is written by the system only: anyone may at most view it."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


register_permission_policy(WebhookDelivery, ReadOnlyPolicy(WebhookDelivery))


class DeliveryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("subscription__partner")


class DeliveryInspectView(generic.InspectView):
    template_name = "webhooks/delivery_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["attempts"] = WebhookAttempt.objects.filter(delivery=self.object).order_by("number")
        context["can_redeliver"] = self.object.subscription.active and can_redeliver(self.request.user)
        context["redeliver_url"] = reverse("webhook_deliveries:redeliver", args=[self.object.pk])
        return context


def can_redeliver(user) -> bool:
    return user.has_perm("webhooks.change_webhooksubscription")


@require_POST
def redeliver_view(request, pk):
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    if not can_redeliver(request.user):
        raise PermissionDenied
    if services.redeliver(delivery):
        log(
            instance=delivery.subscription,
            action="wagtail.edit",
            user=request.user,
            data={"redeliver": str(pk)},
        )
        messages.success(request, f"Delivery {pk} queued again.")
    else:
        messages.error(request, "Not queued: the subscription is inactive or an attempt is running.")
    return redirect(reverse("webhook_deliveries:inspect", args=[pk]))


class DeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "list-ul"
    menu_label = "Delivery log"
    index_view_class = DeliveryIndexView
    inspect_view_class = DeliveryInspectView
    inspect_view_enabled = True
    form_fields = ["status"]  # never shown: the read-only policy denies add and edit
    list_display = [
        Column("seq", label="Seq"),
        "change",
        "reason",
        Column("object", label="Object", accessor=lambda d: f"{d.object_type}:{d.object_id}"),
        "subscription",
        "status",
        Column("attempts", label="Attempts"),
        Column("last_status_code", label="Last status"),
        "created_at",
    ]
    list_filter = ["status", "change", "subscription__partner"]
    search_fields = ["subscription__url", "subscription__partner__name"]
    inspect_view_fields = [
        "id",
        "subscription",
        "seq",
        "change",
        "reason",
        "object_type",
        "object_id",
        "changed_at",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "created_at",
        "finished_at",
        "body",
    ]
    copy_view_enabled = False

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("redeliver/<uuid:pk>/", redeliver_view, name="redeliver"),
        ]


class WebhooksGroup(ModelViewSetGroup):
    menu_label = "Webhooks"
    menu_icon = "link-external"
    menu_order = 410
    items = (SubscriptionViewSet("webhook_subscriptions"), DeliveryViewSet("webhook_deliveries"))


@hooks.register("register_admin_viewset")
def register_webhook_viewsets():
    return WebhooksGroup()


@hooks.register("register_desk_permissions")
def webhook_desk_permissions() -> dict[str, list[str]]:
    return {EDITORS: WEBHOOK_EDITOR_PERMISSIONS}


@hooks.register("after_change_logged")
def deliveries_for_changes(rows: Any) -> None:
    services.record_deliveries(rows)


@hooks.register("register_periodic_job")
def register_sweep() -> PeriodicJob:
    return PeriodicJob(
        "webhooks_sweep",
        timedelta(seconds=services.setting("WEBHOOKS_SWEEP_SECONDS")),
        services.sweep,
        "Queue due webhook deliveries again (retries, lost tasks, expired leases) and a worker heartbeat.",
    )


@hooks.register("register_periodic_job")
def register_prune() -> PeriodicJob:
    return PeriodicJob(
        "webhooks_prune",
        timedelta(hours=1),
        services.prune,
        "Drop finished webhook deliveries and task results older than their retention.",
    )


@hooks.register("register_health_check")
def webhooks_health() -> dict:
    # Stale once three sweeps have passed without a worker running the heartbeat they queue.
    return selectors.health(stale_after_seconds=3 * services.setting("WEBHOOKS_SWEEP_SECONDS") + 30)
