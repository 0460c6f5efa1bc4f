"""HTTP validators for the partner API, derived from the change log.

A partner's head (the last change-log row it may receive) moves whenever something it can see
changes: publish, edit, unpublish, kill, move, rights, its entitlements, registry records. So a
response's ETag is a hash of that head, the partner, its entitled sections, the full path and
the Accept header; Last-Modified is the head row's time. A matching If-None-Match (or, without
it, If-Modified-Since) answers 304 before any list query runs. Responses are private to the
partner (`Cache-Control: private, no-cache`, `Vary: Accept, Authorization`): never shared.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from rest_framework.request import Request
from rest_framework.response import Response

from apps.changes.selectors import partner_validator_state
from apps.partners.models import ApiKey
from apps.partners.selectors import entitled_sections

HEAD_HEADER = "X-Newsdesk-Change-Head"


class ConditionalPartnerMixin:
    """Mix into the partner API's base view: ETag, Last-Modified, 304s and the head header."""

    # The change feed's body carries the global head, so its validator must follow it too.
    validators_follow_global_head = False

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self._validators: tuple[str, datetime | None, int] | None = None
        if request.method not in {"GET", "HEAD"} or not isinstance(request.auth, ApiKey):
            return
        partner = request.user
        # Entitlement changes write rows for the partner, so its head already follows them;
        # the sections go in as a subquery and the validators cost one query.
        sections = entitled_sections(partner).values("pk")
        seq, modified, change_head = partner_validator_state(partner_id=partner.pk, section_ids=sections)
        self.change_head = change_head  # the change feed reads it instead of asking again
        current = change_head.seq
        basis = [
            str(partner.pk),
            str(seq),
            str(current) if self.validators_follow_global_head else "",
            request.get_full_path(),
            request.META.get("HTTP_ACCEPT", ""),
        ]
        etag = '"' + hashlib.sha256("\n".join(basis).encode()).hexdigest()[:32] + '"'
        self._validators = (etag, modified, current)
        if self._not_modified(request, etag, modified):
            not_modified = _not_modified_response
            self.get = not_modified  # type: ignore[method-assign]
            self.head = not_modified  # type: ignore[method-assign]

    @staticmethod
    def _not_modified(request: Request, etag: str, modified: datetime | None) -> bool:
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match:
            tags = parse_etags(if_none_match)
            return "*" in tags or etag in tags or f"W/{etag}" in tags
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        return since is not None and modified is not None and int(modified.timestamp()) <= since

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        validators = getattr(self, "_validators", None)
        if validators is not None and response.status_code in {200, 304}:
            etag, modified, current = validators
            response["ETag"] = etag
            if modified is not None:
                response["Last-Modified"] = http_date(modified.timestamp())
            response[HEAD_HEADER] = str(current)
        if isinstance(request.auth, ApiKey):
            response["Cache-Control"] = "private, no-cache"
            patch_vary_headers(response, ["Accept", "Authorization"])
        return response


def _not_modified_response(*args: Any, **kwargs: Any) -> Response:
    return Response(status=304)
