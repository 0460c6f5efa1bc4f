from django.urls import path

from apps.tagging import views

app_name = "tagging"
urlpatterns = [
    path("suggest/", views.suggest, name="suggest"),
    path("pages/<int:page_id>/reject/", views.reject, name="reject"),
    path("actors/propose/", views.propose_actor, name="propose_actor"),
    path("inbox/", views.inbox, name="inbox"),
]
