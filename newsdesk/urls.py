from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from apps.api.views import api_not_found
from apps.articles.sitemap import DeskSitemap
from apps.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Wagtail's sitemap ignores expire_at/go_live_at; ours filters articles by the visibility rule.
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": DeskSitemap}}, name="sitemap"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    path("api/v1/", include("apps.api.urls")),
    # Anything else under /api/ is a problem+json 404, not a Wagtail HTML page.
    re_path(r"^api/", api_not_found),
]

# Feeds and the search page (apps/articles/urls.py).
urlpatterns += [path("", include("apps.articles.urls"))]

# Public registry pages: /actors/, /events/, /places/ (apps/registry/urls.py).
urlpatterns += [path("", include("apps.registry.urls"))]

# Wagtail's page serving catches everything else, so it goes last.
urlpatterns += [path("", include(wagtail_urls))]
