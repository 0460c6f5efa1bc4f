"""RFC 9457 problem details (`application/problem+json`) for every error the partner API returns."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import TooManyFieldsSent
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.api.urns import URN_BASE

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = URN_BASE + "problem:"


def problem_type(slug: str) -> str:
    """`urn:newsdesk:problem:<slug>`, the `type` of every problem the API answers."""
    return PROBLEM_BASE + slug


# A partner key (`nd_<12 hex>_<secret>`) anywhere in a text, and query parameters that name a
# credential: a key sent in the wrong place must never come back in a response or a log line.
KEY_LIKE = re.compile(r"nd_[0-9A-Fa-f]{12}_[^\s&#'\"]*")
CREDENTIAL_PARAMS = frozenset(
    {"key", "api_key", "apikey", "api-key", "token", "access_token", "auth", "authorization", "bearer"}
)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return KEY_LIKE.sub(REDACTED, text)


def safe_full_path(request: HttpRequest) -> str:
    """The request's path and query with credentials replaced: for `instance` and usage logs."""
    path = redact(request.path)
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return path
    pairs = [
        (redact(name), REDACTED if name.lower() in CREDENTIAL_PARAMS else redact(value))
        for name, value in parse_qsl(query, keep_blank_values=True)
    ]
    return f"{path}?{urlencode(pairs)}" if pairs else path


# HTTP status -> (problem type slug, title). Titles are fixed per type, as RFC 9457 asks.
PROBLEM_TYPES: dict[int, tuple[str, str]] = {
    400: ("invalid-request", "Invalid request parameters"),
    401: ("unauthenticated", "Missing or invalid API key"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    412: ("precondition-failed", "Precondition failed"),
    415: ("unsupported-media-type", "Unsupported media type"),
    429: ("rate-limited", "Too many requests"),
}


class InvalidParameters(exceptions.APIException):
    """One or more query parameters are unknown or have a bad value; each is named."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_parameters"

    def __init__(self, invalid: list[dict[str, str]]):
        self.invalid_params = invalid
        names = ", ".join(item["name"] for item in invalid)
        super().__init__(f"Invalid query parameter(s): {names}. " + " ".join(i["reason"] for i in invalid))


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "If-Match or If-Unmodified-Since does not hold for the current version."
    default_code = "precondition_failed"


def problem(status_code: int, detail: str, *, instance: str = "", **extra: Any) -> dict[str, Any]:
    slug, title = PROBLEM_TYPES.get(status_code, ("about:blank", "Error"))
    body: dict[str, Any] = {
        "type": slug if slug == "about:blank" else problem_type(slug),
        "title": title,
        "status": status_code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return _redacted(body)


def _redacted(value: Any) -> Any:
    # Details and reasons quote what the client sent (an unknown name, a bad value).
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    return value


def _detail_text(detail: Any) -> str:
    if isinstance(detail, list):
        return " ".join(_detail_text(item) for item in detail)
    if isinstance(detail, dict):
        return " ".join(f"{key}: {_detail_text(value)}" for key, value in detail.items())
    return str(detail)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every APIException (and Http404/PermissionDenied) as problem+json."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("No such resource, or not available to this partner.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, TooManyFieldsSent):
        # Raised when DRF first reads the query (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS guard).
        exc = InvalidParameters(
            [
                {
                    "name": "query",
                    "reason": f"At most {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} query parameters.",
                }
            ]
        )
    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: let Django log it and answer 500

    request = context.get("request")
    instance = safe_full_path(request) if request is not None else ""
    extra: dict[str, Any] = {}
    if isinstance(exc, InvalidParameters):
        extra["invalid_params"] = exc.invalid_params
    elif isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        extra["invalid_params"] = [
            {"name": name, "reason": _detail_text(reason)} for name, reason in exc.detail.items()
        ]
    body = problem(exc.status_code, _detail_text(exc.detail), instance=instance, **extra)

    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None) is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    return Response(body, status=exc.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_response(request: HttpRequest, status_code: int, detail: str) -> JsonResponse:
    """A problem+json response for plain Django views (the /api/ catch-all)."""
    return JsonResponse(
        problem(status_code, detail, instance=safe_full_path(request)),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )
