from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "apps.changes"
    label = "changes"
    verbose_name = "Partner sync"

    def ready(self) -> None:
        # Connecting needs the models loaded: ready() is the first moment they are.
        from apps.changes import signals

        signals.connect()
