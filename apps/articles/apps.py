from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "apps.articles"
    label = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from apps.articles import signals  # noqa: F401  (connects the receivers)
