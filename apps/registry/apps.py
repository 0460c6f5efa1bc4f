from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "apps.registry"
    label = "registry"
    verbose_name = "Registry"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        # Models and what imports them can be imported only once the app registry is ready.
        from apps.registry.models import Alias
        from apps.registry.signals import reindex_alias_owner

        post_save.connect(reindex_alias_owner, sender=Alias, dispatch_uid="registry_alias_reindex_save")
        post_delete.connect(reindex_alias_owner, sender=Alias, dispatch_uid="registry_alias_reindex_delete")
