from django.apps import AppConfig


class TaggingConfig(AppConfig):
    name = "apps.tagging"
    label = "tagging"
    verbose_name = "Tagging"

    def ready(self) -> None:
        from apps.tagging import signals

        signals.connect()
