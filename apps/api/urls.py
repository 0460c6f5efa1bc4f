from django.urls import path, re_path

from apps.api import registry_views, views
from apps.api.changes import ChangeFeedView

app_name = "api"

urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("sections/", views.SectionListView.as_view(), name="section-list"),
    path("sections/<int:pk>/", views.SectionDetailView.as_view(), name="section-detail"),
    path("changes/", ChangeFeedView.as_view(), name="change-list"),
    path("actors/", registry_views.ActorListView.as_view(), name="actor-list"),
    path("actors/<int:pk>/", registry_views.ActorDetailView.as_view(), name="actor-detail"),
    path("events/", registry_views.EventListView.as_view(), name="event-list"),
    path("events/<int:pk>/", registry_views.EventDetailView.as_view(), name="event-detail"),
    path("places/", registry_views.PlaceListView.as_view(), name="place-list"),
    path("places/<int:pk>/", registry_views.PlaceDetailView.as_view(), name="place-detail"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.docs_view, name="docs"),
    re_path(r"^", views.api_not_found),
]
