from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from apps.webhooks import sender, services
from apps.webhooks.models import WebhookSubscription


class SubscriptionForm(WagtailAdminModelForm):
    class Meta:
        model = WebhookSubscription
        fields = ["partner", "url", "on_publish", "on_update", "on_takedown", "active"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            # Addresses are checked again at every attempt, after DNS: this catches the obvious.
            sender.check_scheme(url, allow_loopback=services.setting("WEBHOOKS_ALLOW_LOOPBACK"))
        except sender.Refused as refused:
            raise ValidationError(str(refused)) from None
        return url

    def clean(self):
        cleaned = super().clean()
        wanted = [cleaned.get(name) for name in ("on_publish", "on_update", "on_takedown")]
        if not any(wanted):
            raise ValidationError("Choose at least one kind of change to receive.")
        return cleaned


class SubscriptionEditForm(SubscriptionForm):
    rotate_secret = forms.BooleanField(
        required=False,
        help_text="Issue a new signing secret (shown once after saving); the old one stops working at once.",
    )
