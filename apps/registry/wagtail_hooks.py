"""The registry in the Wagtail admin: snippet viewsets (with choosers), the merge action, log actions."""

from __future__ import annotations

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from apps.registry import demo
from apps.registry.admin_views import MERGE_PERMISSION, merge_actor_view
from apps.registry.forms import ActorAdminForm, RegistryAdminForm, RegistryInlinePanel
from apps.registry.models import Actor, Event, Place
from apps.registry.services import MERGE_ACTION, MERGED_AWAY_ACTION


class _ChooserColumns:
    """Chooser listings show what tells two records apart (kind, country, dates), not names only."""

    extra_columns: tuple[Column, ...] = ()

    @property
    def columns(self):
        return [*super().columns, *self.extra_columns]


def registry_chooser(model_columns: tuple[Column, ...]) -> type[SnippetChooserViewSet]:
    """A snippet chooser with extra columns. Its search goes through the search index, which
    carries the aliases (``search_fields``) and is refreshed when an alias changes (signals)."""

    class Choose(_ChooserColumns, ChooseView):
        extra_columns = model_columns

    class Results(_ChooserColumns, ChooseResultsView):
        extra_columns = model_columns

    class Chooser(SnippetChooserViewSet):
        choose_view_class = Choose
        choose_results_view_class = Results

    return Chooser


ACTOR_CHOOSER = registry_chooser(
    (
        Column("kind", label="Kind", accessor="get_kind_display"),
        Column("country", label="Country", accessor="country_name"),
        Column("review_status", label="Status", accessor="get_review_status_display"),
    ),
)
PLACE_CHOOSER = registry_chooser(
    (
        Column("kind", label="Kind", accessor="get_kind_display"),
        Column("country", label="Country", accessor="country_name"),
    ),
)
EVENT_CHOOSER = registry_chooser(
    (
        Column("event_type", label="Type", accessor="get_event_type_display"),
        Column("start", label="Date", accessor="start_display"),
        Column("place", label="Place", accessor="place"),
    ),
)


class ActorViewSet(SnippetViewSet):
    model = Actor
    icon = "group"
    menu_label = "Actors"
    list_display = ["name", "kind", "country", "review_status", "merged_into", "updated_at"]
    list_filter = ["kind", "country", "review_status"]
    search_fields = ["name", "description", "aliases__text"]
    search_backend_name = None  # the ORM search reaches aliases without a search-index rebuild
    ordering = ["name"]
    chooser_viewset_class = ACTOR_CHOOSER
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldPanel("slug"),
                    FieldRowPanel([FieldPanel("kind"), FieldPanel("country")]),
                    FieldPanel("description"),
                    FieldRowPanel([FieldPanel("wikidata_qid"), FieldPanel("review_status")]),
                    FieldPanel("image"),
                ],
                heading="Profile",
            ),
            RegistryInlinePanel("aliases", heading="Aliases", label="Alias"),
            RegistryInlinePanel(
                "relations", heading="Relations (this actor is the subject)", label="Relation"
            ),
        ],
        base_form_class=ActorAdminForm,
    )

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("merge/<int:pk>/", merge_actor_view, name="merge")]


class PlaceViewSet(SnippetViewSet):
    model = Place
    icon = "site"
    menu_label = "Places"
    list_display = ["name", "kind", "country", "parent", "review_status"]
    list_filter = ["kind", "country", "review_status"]
    search_fields = ["name", "aliases__text"]
    search_backend_name = None
    ordering = ["name"]
    chooser_viewset_class = PLACE_CHOOSER
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("country")]),
            FieldPanel("parent"),
            FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude"), FieldPanel("geonames_id")]),
            FieldPanel("description"),
            FieldPanel("review_status"),
            RegistryInlinePanel("aliases", heading="Aliases", label="Alias"),
        ],
        base_form_class=RegistryAdminForm,
    )


class EventViewSet(SnippetViewSet):
    model = Event
    icon = "date"
    menu_label = "Events"
    list_display = ["title", "event_type", "start", "status", "place", "review_status"]
    list_filter = ["event_type", "status", "review_status", "place__country"]
    search_fields = ["title", "summary"]
    search_backend_name = None
    ordering = ["-start", "title"]
    chooser_viewset_class = EVENT_CHOOSER
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("slug"),
            FieldRowPanel([FieldPanel("event_type"), FieldPanel("status"), FieldPanel("review_status")]),
            FieldRowPanel([FieldPanel("start"), FieldPanel("start_precision")]),
            FieldRowPanel([FieldPanel("end"), FieldPanel("end_precision")]),
            FieldPanel("place"),
            FieldPanel("parent"),
            FieldPanel("summary"),
            FieldPanel("sources"),
            RegistryInlinePanel("participants", heading="Participants", label="Participant"),
            RegistryInlinePanel(
                "date_claims", heading="Date claims (when sources disagree)", label="Date claim"
            ),
        ],
        base_form_class=RegistryAdminForm,
    )


class RegistryViewSetGroup(SnippetViewSetGroup):
    items = (ActorViewSet, PlaceViewSet, EventViewSet)
    menu_icon = "list-ul"
    menu_label = "Registry"
    menu_name = "registry"


register_snippet(RegistryViewSetGroup)


@hooks.register("register_snippet_listing_buttons")
def merge_listing_button(snippet, user, next_url=None):
    if isinstance(snippet, Actor) and snippet.merged_into_id is None and user.has_perm(MERGE_PERMISSION):
        yield Button(
            "Merge into…",
            url=reverse("wagtailsnippets_registry_actor:merge", args=[snippet.pk]),
            icon_name="resubmit",
            priority=90,
        )


@hooks.register("register_log_actions")
def registry_log_actions(actions):
    actions.register_action(MERGE_ACTION, "Merge actors", "Merged a duplicate actor into this one")
    actions.register_action(MERGED_AWAY_ACTION, "Merged away", "Merged into another actor")
    actions.register_action("registry.approve", "Approve", "Approved for the public registry")


# The registry sits beside core and imports none of it (docs/adr/0008): the desk groups are
# named by their strings and the demo loader is a plain (order, name, load) tuple.
@hooks.register("register_desk_permissions")
def registry_desk_permissions() -> dict[str, list[str]]:
    # Reporters propose actors/places/events (saved as "proposed") and see them; editors
    # maintain the registry, approve proposals and merge duplicates.
    records = ("actor", "place", "event")
    return {
        "Reporters": [f"registry.{action}_{model}" for model in records for action in ("add", "view")],
        "Editors": [
            *(
                f"registry.{action}_{model}"
                for model in records
                for action in ("add", "change", "delete", "view", "approve")
            ),
            "registry.merge_actor",
        ],
    }


@hooks.register("register_demo_loader")
def registry_demo_loader() -> tuple:
    return (10, "registry", demo.load)
