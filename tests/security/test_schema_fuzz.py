"""Schemathesis against the served OpenAPI document, in-process (WSGI), with a valid key: for
every operation, generated requests get no 5xx, and every response conforms to the document
(status code listed, content type, headers, body schema).

CI sends SCHEMATHESIS_EXAMPLES requests per operation (default 10, 11 operations); `make fuzz`
sends 200 per operation (2,200 requests) and prints the count.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app():
    """Django's real WSGI handler in this thread, on the test's connection and transaction: as
    Django's own test client does, the handler must not close that connection per request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_generated_requests_get_no_server_error_and_conform_to_the_schema(two_partners, keys, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    headers = {"Authorization": f"Bearer {keys['valid']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11
    sent: dict[str, int] = {}
    statuses: set[int] = set()

    def fuzz(operation) -> None:
        label = f"{operation.method.upper()} {operation.path}"
        sent[label] = 0

        @settings(
            max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(case=operation.as_strategy())
        def one(case):
            sent[label] += 1
            response = case.call(headers=headers)
            statuses.add(response.status_code)
            case.validate_response(response, checks=CHECKS, headers=headers)

        one()

    for operation in operations:
        fuzz(operation)

    total = sum(sent.values())
    # Both the happy path and the refusals were exercised, not only one of them.
    assert 200 in statuses and any(400 <= status < 500 for status in statuses)
    assert all(count >= 1 for count in sent.values()), sent
    print(f"\nschemathesis: {total} requests over {len(sent)} operations, 0 server errors, all conforming")
