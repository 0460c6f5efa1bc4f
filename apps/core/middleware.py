"""Pick the Content-Security-Policy by path (docs/adr/0003-csp-per-path.md).

django-csp's EXCLUDE_URL_PREFIXES would drop the header for /admin/ entirely; the Wagtail
admin instead gets its own, looser policy, and the public site keeps the strict one.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(settings.ADMIN_URL_PREFIXES))


class PathAwareCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and is_admin_path(request.path_info):
            # No nonce in the admin: a nonce would make browsers ignore 'unsafe-inline'.
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
            parts.nonce = None
        return parts
