"""The benchmark's URL configuration: the desk's own URLs, Wagtail's API v2 and v3 for comparison,
and the floor (one SQL statement per scenario). Mounted only by bench/settings.py."""

from django.urls import path
from rest_framework.permissions import AllowAny
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.v3.urls import api as wagtail_v3

from apps.articles.models import ArticlePage
from bench.floor import floor_view
from newsdesk.urls import urlpatterns as desk_urlpatterns


class BenchPagesV2(PagesAPIViewSet):
    """Wagtail's v2 pages endpoint as a site would mount it for anonymous readers: explicit
    classes, so no global DRF default of ours applies to it."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


# The closest fields v2 can return for the comparison (not tags: they are child rows it would need
# serializers for). Declared here, for the benchmark's v2 only: the desk itself exposes no Wagtail API.
ArticlePage.api_fields = [APIField(name) for name in ("standfirst", "body", "published_at", "section")]

v2 = WagtailAPIRouter("bench_wagtail_v2")
v2.register_endpoint("pages", BenchPagesV2)

urlpatterns = [
    path("bench/wagtail/v2/", v2.urls),
    path("bench/wagtail/v3/", wagtail_v3.urls),
    path("bench/floor/<str:scenario>/", floor_view),
    *desk_urlpatterns,
]
