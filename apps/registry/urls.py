from django.urls import path

from apps.registry import views

app_name = "registry"

urlpatterns = [
    path("actors/", views.actor_index, name="actor_index"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor_detail"),
    path("events/", views.event_index, name="event_index"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("places/<slug:slug>/", views.place_detail, name="place_detail"),
]
