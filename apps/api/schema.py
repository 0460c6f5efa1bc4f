"""OpenAPI generation hooks."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from apps.api.fields import SelectableFieldsMixin

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


def fields_are_optional(result: dict, generator, request, public) -> dict:
    """drf-spectacular POSTPROCESSING_HOOKS: an item whose serializer honours `fields=` may lack
    any of its fields (`?fields=url` gives only `url`), so none of them is `required` in the
    document; schemathesis found responses the document called invalid."""

    def subclasses(cls: type) -> list[type]:
        return [cls, *(sub for child in cls.__subclasses__() for sub in subclasses(child))]

    names = {cls.__name__.removesuffix("Serializer") for cls in subclasses(SelectableFieldsMixin)}
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name in names:
            component.pop("required", None)
    return result
