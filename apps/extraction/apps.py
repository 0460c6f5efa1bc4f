from django.apps import AppConfig


class ExtractionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.extraction"
    verbose_name = "Event extraction"

    def ready(self) -> None:
        from apps.extraction import signals

        signals.connect()
