"""RFC 9457 problem details (`application/problem+json`) for every error the partner API returns."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "urn:newsdesk:problem:"

# HTTP status -> (problem type slug, title). Titles are fixed per type, as RFC 9457 asks.
PROBLEM_TYPES: dict[int, tuple[str, str]] = {
    400: ("invalid-request", "Invalid request parameters"),
    401: ("unauthenticated", "Missing or invalid API key"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
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


def problem(status_code: int, detail: str, *, instance: str = "", **extra: Any) -> dict[str, Any]:
    slug, title = PROBLEM_TYPES.get(status_code, ("about:blank", "Error"))
    body: dict[str, Any] = {
        "type": slug if slug == "about:blank" else PROBLEM_BASE + slug,
        "title": title,
        "status": status_code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


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
    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: let Django log it and answer 500

    request = context.get("request")
    instance = request.get_full_path() if request is not None else ""
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
        problem(status_code, detail, instance=request.get_full_path()),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )
