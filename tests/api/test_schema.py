"""The OpenAPI document: served for /api/v1/ only, committed as docs/openapi.yaml, deploy-check clean."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parents[2]
COMMITTED = BASE_DIR / "docs" / "openapi.yaml"

pytestmark = pytest.mark.django_db


def test_committed_schema_matches_the_code(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")
    assert generated.read_text() == COMMITTED.read_text(), (
        "docs/openapi.yaml is out of date: run "
        "`.venv/bin/python manage.py spectacular --validate --file docs/openapi.yaml` and commit it."
    )


def test_served_schema_is_the_committed_one_and_only_the_partner_api(anon):
    response = anon.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    served = response.json()
    assert served == yaml.safe_load(COMMITTED.read_text())
    assert served["paths"]
    assert all(path.startswith("/api/v1/") for path in served["paths"])
    assert not any(part in path for path in served["paths"] for part in ("/schema/", "/docs/", "/admin/"))
    assert served["components"]["securitySchemes"]["partnerKey"]["scheme"] == "bearer"


def test_docs_page_is_served_offline_with_a_csp_allowance_on_that_view_only(anon):
    page = anon.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
    assert "<script>" not in html  # the split view: the init script is a separate, same-origin file
    assert "style-src 'self' 'unsafe-inline'" in page["Content-Security-Policy"]
    script = anon.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()
    # Everywhere else the strict policy stays.
    assert "'unsafe-inline'" not in anon.get("/api/v1/sections/")["Content-Security-Policy"]


def test_check_deploy_prints_no_warning():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="newsdesk.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        PUBLIC_BASE_URL="https://example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "no issues" in result.stdout


def _as_json_schema(node):
    """OpenAPI 3.0 schema objects to JSON Schema: `nullable: true` becomes a null type."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _as_json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _validator(component: str):
    from jsonschema import Draft7Validator

    document = yaml.safe_load(COMMITTED.read_text())
    components = _as_json_schema(document["components"])
    return Draft7Validator({"$ref": f"#/components/schemas/{component}", "components": components})


def test_responses_match_the_documented_shapes(api, sahel):
    """The output is built as dicts (apps/api/selectors.py); the document declares it in
    apps/api/serializers.py: every field of a full article must match, and nothing extra."""
    import datetime as dt

    from tests.api.factories import ActorFactory, ArticlePageFactory, PlaceFactory, make_image, tags

    bamako = PlaceFactory(name="Bamako", slug="bamako", country="ML")
    mali = ActorFactory(name="Mali", slug="mali", country="ML", wikidata_qid="Q912")
    ArticlePageFactory(
        parent=sahel,
        title="Bamako hosts the border talks",
        hero_image=make_image(),
        dateline=bamako,
        corrections=[(dt.date(2025, 4, 4), "An earlier version gave the wrong day.")],
        **tags(actors=[mali], places=[bamako]),
    )

    def check(url: str, component: str) -> dict:
        body = api.get(url).json()
        errors = [f"{list(e.path)}: {e.message}" for e in _validator(component).iter_errors(body)]
        assert not errors, errors
        return body

    listing = check("/api/v1/articles/", "PaginatedArticleFacetedList")
    article = listing["results"][0]
    assert article["images"] and article["corrections"] and article["dateline"] and article["tags"]
    documented = yaml.safe_load(COMMITTED.read_text())["components"]["schemas"]["Article"]["properties"]
    assert list(article) == list(documented)
    check(f"/api/v1/articles/{article['id']}/", "Article")
    sections = check("/api/v1/sections/", "PaginatedSectionList")
    check(f"/api/v1/sections/{sections['results'][0]['id']}/", "Section")
