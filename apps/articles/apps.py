from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "apps.articles"
    label = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from apps.articles import signals, views
        from apps.registry import views as registry_views

        signals.connect_registry_signals()
        # The registry's actor and event pages list the visible articles tagged with them.
        if views.actor_page_articles not in registry_views.actor_context_providers:
            registry_views.actor_context_providers.append(views.actor_page_articles)
        if views.event_page_articles not in registry_views.event_context_providers:
            registry_views.event_context_providers.append(views.event_page_articles)
