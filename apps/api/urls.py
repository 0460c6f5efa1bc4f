from django.urls import path, re_path, register_converter

from apps.api import registry_views, views
from apps.api.changes import ChangeFeedView
from apps.api.params import MAX_ID

app_name = "api"


class IdConverter:
    """A stored id: digits up to 64 bits. A longer number matches no route (a 404 problem) instead
    of overflowing the database driver (SQLite) in a query."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    path("articles/<id:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("sections/", views.SectionListView.as_view(), name="section-list"),
    path("sections/<id:pk>/", views.SectionDetailView.as_view(), name="section-detail"),
    path("changes/", ChangeFeedView.as_view(), name="change-list"),
    path("actors/", registry_views.ActorListView.as_view(), name="actor-list"),
    path("actors/<id:pk>/", registry_views.ActorDetailView.as_view(), name="actor-detail"),
    path("events/", registry_views.EventListView.as_view(), name="event-list"),
    path("events/<id:pk>/", registry_views.EventDetailView.as_view(), name="event-detail"),
    path("places/", registry_views.PlaceListView.as_view(), name="place-list"),
    path("places/<id:pk>/", registry_views.PlaceDetailView.as_view(), name="place-detail"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.docs_view, name="docs"),
    re_path(r"^", views.api_not_found),
]
