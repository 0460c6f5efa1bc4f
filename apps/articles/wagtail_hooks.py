"""Admin registration: authors as snippets (chosen for bylines)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from apps.articles.models import Author


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "job_title"]
    search_fields = ["name"]


register_snippet(AuthorViewSet)
