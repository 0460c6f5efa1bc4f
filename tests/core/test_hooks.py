"""Core asks the apps above it through Wagtail hooks (docs/adr/0008): jobs, permissions, demo
loaders, page listings and the page types under a section all come from the apps that own them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from apps.articles.models import ArticlePage
from apps.core import scheduler
from apps.core.demo import registered_loaders
from apps.core.models import HomePage, SectionPage
from apps.core.services import EDITORS, REPORTERS, desk_model_permissions

pytestmark = pytest.mark.django_db


def test_the_scheduler_runs_the_jobs_the_apps_register():
    names = [job.name for job in scheduler.registered_jobs()]
    assert {"prune_change_log", "publish_scheduled", "flush_api_key_usage"} <= set(names)
    assert len(names) == len(set(names))


def test_demo_loaders_run_core_then_registry_then_articles():
    loaders = registered_loaders()
    names = [loader.name for loader in loaders]
    assert names[:3] == ["core", "registry", "articles"]
    assert [loader.order for loader in loaders] == sorted(loader.order for loader in loaders)


def test_group_permissions_come_from_every_app(desk):
    wanted = desk_model_permissions()
    assert "registry.add_actor" in wanted[REPORTERS]
    assert "articles.view_author" in wanted[REPORTERS]
    assert "partners.add_partner" not in wanted[REPORTERS]
    for name in (
        "core.change_desksettings",
        "registry.merge_actor",
        "articles.set_editorial_fields",
        "partners.add_apikey",
    ):
        assert name in wanted[EDITORS]
    editors = Group.objects.get(name=EDITORS)
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in editors.permissions.all()}
    assert granted == set(wanted[EDITORS])


def test_a_section_offers_articles_and_nothing_else():
    assert SectionPage.creatable_subpage_models() == [ArticlePage]
    assert HomePage.creatable_subpage_models() == [SectionPage]
    assert ArticlePage.allowed_parent_page_models() == [SectionPage]


@pytest.mark.parametrize("username", ["reporter", "editor"])
def test_add_child_of_a_section_goes_straight_to_the_article_form(desk, client, username):
    client.force_login(get_user_model().objects.get(username=username))
    section = SectionPage.objects.child_of(desk).get(slug="sahel")
    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=[section.pk]))
    # Wagtail skips the type chooser when exactly one page type may be added here.
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:add", args=["articles", "articlepage", section.pk]
    )


def test_home_and_section_listings_come_from_the_articles_hooks(desk, client, rf):
    section = SectionPage.objects.child_of(desk).get(slug="sahel")
    home_context = desk.get_context(rf.get("/"))
    assert [s.slug for s in home_context["sections"]] == ["sahel", "west-africa", "analysis"]
    assert "latest_articles" in home_context
    section_context = section.get_context(rf.get("/sahel/", {"page": "2"}))
    assert section_context["articles"].number == 1
