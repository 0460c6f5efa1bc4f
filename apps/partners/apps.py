from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "apps.partners"
    label = "partners"
    verbose_name = "Partners"


# Granted to Editors through the register_desk_permissions hook (wagtail_hooks.py).
PARTNER_EDITOR_PERMISSIONS = [
    "partners.add_partner",
    "partners.change_partner",
    "partners.view_partner",
    "partners.add_apikey",
    "partners.change_apikey",
    "partners.view_apikey",
    "partners.view_apikeyusage",
]
