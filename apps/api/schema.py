"""OpenAPI generation hooks."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

API_PREFIX = "/api/v1/"


def only_partner_api(endpoints: list, **kwargs) -> list:
    """Keep the partner API only (drf-spectacular's PREPROCESSING_HOOKS), minus the schema/docs views."""
    return [
        endpoint
        for endpoint in endpoints
        if endpoint[0].startswith(API_PREFIX)
        and not endpoint[0].startswith((f"{API_PREFIX}schema", f"{API_PREFIX}docs"))
    ]


class PartnerKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "apps.api.authentication.PartnerKeyAuthentication"
    name = "partnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A partner API key, `nd_<prefix>_<secret>`, sent as `Authorization: Bearer <key>`.",
        }
