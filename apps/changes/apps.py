from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "apps.changes"
    label = "changes"
    verbose_name = "Partner sync"

    def ready(self) -> None:
        from apps.changes import signals

        signals.connect()
