import pytest
from django.contrib.auth.models import Group, User
from wagtail.models import Page, Site, Workflow

from apps.core.demo import load_demo_desk
from apps.core.models import HomePage, SectionPage

pytestmark = pytest.mark.django_db


def test_home_and_sections_are_routable_and_render(desk, client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for section in SectionPage.objects.child_of(desk):
        assert section.title in html
        section_response = client.get(section.url)
        assert section_response.status_code == 200
        assert f"<h1>{section.title}</h1>" in section_response.content.decode()


def test_default_site_serves_the_home_page(desk):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == desk.pk
    # Wagtail's placeholder "Welcome" page is gone.
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()


def test_page_type_rules():
    assert HomePage.allowed_parent_page_models() == [Page]
    assert SectionPage.allowed_parent_page_models() == [HomePage]
    assert SectionPage not in SectionPage.allowed_subpage_models()
    assert HomePage not in SectionPage.allowed_subpage_models()


def test_home_only_at_root_and_section_only_under_home(desk):
    root = Page.get_first_root_node()
    assert HomePage.can_create_at(root) is False  # one home per parent: it exists already
    assert SectionPage.can_create_at(desk)
    section = SectionPage.objects.child_of(desk).first()
    assert not SectionPage.can_create_at(section)
    assert not HomePage.can_create_at(section)


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Page.objects.count(),
        User.objects.count(),
        Group.objects.count(),
        Workflow.objects.filter(active=True).count(),
        Site.objects.count(),
    )


def test_load_demo_is_idempotent():
    load_demo_desk()
    first = _counts()
    second_report = load_demo_desk()
    assert _counts() == first
    assert second_report.created_users == []
    assert second_report.generated_password is None


def test_load_demo_command_prints_generated_password_once(db, monkeypatch, capsys):
    from django.core.management import call_command

    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    # A fresh install: the session's desk already made the demo users.
    User.objects.filter(username__in=["reporter", "editor"]).delete()
    call_command("load_demo")
    first = capsys.readouterr().out
    assert "Demo password for reporter, editor:" in first
    password = first.split("Demo password for reporter, editor: ")[1].split()[0]
    assert User.objects.get(username="editor").check_password(password)
    call_command("load_demo")
    assert "Demo password" not in capsys.readouterr().out


def test_demo_password_comes_from_environment(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "sahel-desk-2025")
    User.objects.filter(username__in=["reporter", "editor"]).delete()
    report = load_demo_desk()
    assert report.generated_password is None
    assert User.objects.get(username="reporter").check_password("sahel-desk-2025")
