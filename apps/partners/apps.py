from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "apps.partners"
    label = "partners"
    verbose_name = "Partners"

    def ready(self) -> None:
        from apps.core import services as desk

        # Editors manage partners and keys and see their usage (desk.ensure_desk_groups grants these).
        for perm in PARTNER_EDITOR_PERMISSIONS:
            if perm not in desk.EDITOR_MODEL_PERMISSIONS:
                desk.EDITOR_MODEL_PERMISSIONS.append(perm)


PARTNER_EDITOR_PERMISSIONS = [
    "partners.add_partner",
    "partners.change_partner",
    "partners.view_partner",
    "partners.add_apikey",
    "partners.change_apikey",
    "partners.view_apikey",
    "partners.view_apikeyusage",
]
