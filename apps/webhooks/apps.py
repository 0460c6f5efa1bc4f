from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "apps.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"


# Granted to Editors through the register_desk_permissions hook (wagtail_hooks.py).
WEBHOOK_EDITOR_PERMISSIONS = [
    "webhooks.add_webhooksubscription",
    "webhooks.change_webhooksubscription",
    "webhooks.delete_webhooksubscription",
    "webhooks.view_webhooksubscription",
    "webhooks.view_webhookdelivery",
]
