from django.urls import path, re_path

from apps.api import views
from apps.api.changes import ChangeFeedView

app_name = "api"

urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("sections/", views.SectionListView.as_view(), name="section-list"),
    path("sections/<int:pk>/", views.SectionDetailView.as_view(), name="section-detail"),
    path("changes/", ChangeFeedView.as_view(), name="change-list"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.docs_view, name="docs"),
    re_path(r"^", views.api_not_found),
]
