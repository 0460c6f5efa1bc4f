"""Partners, API keys and key usage in the Wagtail admin (one "Partners" menu)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.log_actions import log

from apps.core.scheduler import PeriodicJob
from apps.core.services import EDITORS
from apps.partners import services
from apps.partners.apps import PARTNER_EDITOR_PERMISSIONS
from apps.partners.forms import ApiKeyCreateForm, ApiKeyEditForm, PartnerForm
from apps.partners.models import ApiKey, ApiKeyUsage, Partner


class PartnerCreateView(generic.CreateView):
    def save_instance(self):
        with services.changing_entitlements(self.form.instance):
            return super().save_instance()


class PartnerEditView(generic.EditView):
    def save_instance(self):
        with services.changing_entitlements(self.form.instance):
            return super().save_instance()


class PartnerViewSet(ModelViewSet):
    model = Partner
    icon = "group"
    add_view_class = PartnerCreateView
    edit_view_class = PartnerEditView
    menu_label = "Partners"
    form_fields = PartnerForm._meta.fields
    list_display = ["name", "active", "rate_tier", "all_sections", "contact_email"]
    list_filter = ["active", "rate_tier"]
    search_fields = ["name", "contact_name", "contact_email"]
    copy_view_enabled = False

    def get_form_class(self, for_update: bool = False):
        return PartnerForm


class ApiKeyIndexView(generic.IndexView):
    def get_base_queryset(self):
        # Last 7 days of flushed usage, one aggregate query for the whole listing.
        since = timezone.now().date() - timedelta(days=6)
        recent = Q(usage__day__gte=since)
        return (
            super()
            .get_base_queryset()
            .select_related("partner")
            .annotate(
                requests_7d=Sum("usage__requests", filter=recent, default=0),
                errors_7d=Sum("usage__errors", filter=recent, default=0),
            )
        )


class ApiKeyCreateView(generic.CreateView):
    def form_valid(self, form):
        self.form = form
        try:
            new = services.create_api_key(
                partner=form.cleaned_data["partner"],
                label=form.cleaned_data.get("label", ""),
                expires_at=form.cleaned_data.get("expires_at"),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        self.object = new.key
        log(instance=new.key, action="wagtail.create", user=self.request.user)
        # Shown once, in this response only; never stored or put in a message cookie.
        response = TemplateResponse(
            self.request,
            "partners/key_created.html",
            {
                "key": new.key,
                "plaintext": new.plaintext,
                "index_url": self.get_success_url(),
                "header_title": "API key created",
                "page_title": "API key created",
                "header_icon": "key",
            },
        )
        response["Cache-Control"] = "no-store"
        return response


class ApiKeyEditView(generic.EditView):
    def save_instance(self):
        instance = super().save_instance()
        if self.form.cleaned_data.get("revoke"):
            instance = services.revoke_api_key(prefix=instance.prefix)
            log(instance=instance, action="wagtail.edit", user=self.request.user, data={"revoked": True})
        return instance


class ApiKeyViewSet(ModelViewSet):
    model = ApiKey
    icon = "key"
    menu_label = "API keys"
    index_view_class = ApiKeyIndexView
    add_view_class = ApiKeyCreateView
    edit_view_class = ApiKeyEditView
    list_display = [
        "partner",
        "prefix",
        "label",
        "status",
        "created_at",
        "last_used_at",
        "expires_at",
        Column("requests_7d", label="Requests (7 days)"),
        Column("errors_7d", label="Errors (7 days)"),
    ]
    list_filter = ["partner"]
    search_fields = ["prefix", "label", "partner__name"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "partner",
        "prefix",
        "label",
        "status",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
        "recent_errors",
    ]

    def get_form_class(self, for_update: bool = False):
        return ApiKeyEditForm if for_update else ApiKeyCreateForm


class ApiKeyUsageIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("key__partner")


class ApiKeyUsageViewSet(ModelViewSet):
    model = ApiKeyUsage
    icon = "table"
    menu_label = "API usage"
    form_fields = ["key", "day", "requests", "errors"]
    list_display = ["key", "day", "requests", "errors"]
    list_filter = ["key__partner", "day"]
    index_view_class = ApiKeyUsageIndexView
    copy_view_enabled = False


class PartnersGroup(ModelViewSetGroup):
    menu_label = "Partners"
    menu_icon = "group"
    menu_order = 400
    items = (PartnerViewSet("partners"), ApiKeyViewSet("api_keys"), ApiKeyUsageViewSet("api_usage"))


@hooks.register("register_admin_viewset")
def register_partner_viewsets():
    return PartnersGroup()


@hooks.register("register_desk_permissions")
def partner_desk_permissions() -> dict[str, list[str]]:
    # Editors manage partners and keys and see their usage.
    return {EDITORS: PARTNER_EDITOR_PERMISSIONS}


@hooks.register("register_periodic_job")
def register_flush_api_key_usage() -> PeriodicJob:
    return PeriodicJob(
        "flush_api_key_usage",
        timedelta(minutes=1),
        services.flush_key_usage,
        "Move per-key API usage counters from the cache to the database (shown in the admin).",
    )
