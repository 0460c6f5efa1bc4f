"""Partner API v1 views: thin; rules live in selectors, params, pagination and serializers."""

from __future__ import annotations

import hashlib
from contextlib import nullcontext
from datetime import datetime
from typing import Any

from csp.decorators import csp_update
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.api import facets, ninjs, search, serializers
from apps.api.authentication import PartnerKeyAuthentication
from apps.api.exceptions import (
    PROBLEM_CONTENT_TYPE,
    InvalidParameters,
    PreconditionFailed,
    problem_exception_handler,
    problem_response,
    safe_full_path,
)
from apps.api.fields import ARTICLE_REPRESENTATION_FIELDS, FIELDS_PARAM, fields_param, wants
from apps.api.filters import (
    ARTICLE_FILTER_PARAMS,
    DEFAULT_ORDERING,
    ORDERINGS,
    filter_articles,
    plan_depends_on_values,
)
from apps.api.negotiation import JSONFallbackNegotiation
from apps.api.pagination import MAX_CURSOR_LENGTH, BadCursor, Cursor, Ordering, decode_cursor, paginate
from apps.api.params import Param, parse_nonempty, parse_page_size, parse_query
from apps.api.permissions import IsActivePartner
from apps.api.renderers import FastJSONRenderer
from apps.api.selectors import (
    article_json,
    article_rows,
    attach_representations,
    for_representation,
    partner_articles,
    section_json,
)
from apps.api.throttling import PartnerKeyThrottle
from apps.changes import selectors as change_log
from apps.core.plans import generic_plans
from apps.partners.models import ApiKey, Partner
from apps.partners.selectors import entitled_section_ids, entitled_sections
from apps.partners.usage import record_request


def _parse_cursor_param(raw: str) -> Cursor:
    try:
        return decode_cursor(parse_nonempty(raw))
    except BadCursor as error:
        raise ValueError(str(error)) from None


HEAD_HEADER = "X-Newsdesk-Change-Head"


def authenticated_key(request: Request) -> ApiKey | None:
    """The request's key once DRF authenticated it. An error raised before authentication (too many
    query parameters) must not authenticate (and fail) again while the response is finished."""
    if not hasattr(request, "_authenticator"):
        return None
    return request.auth if isinstance(request.auth, ApiKey) else None


PAGE_PARAMS = [
    Param(
        "page_size",
        parse_page_size,
        "Items per page, 1 to 100 (default 20).",
        openapi_type=int,
    ),
    Param(
        "cursor",
        _parse_cursor_param,
        "Opaque position from a previous response's `next` or `previous` link.",
        limits={"maxLength": MAX_CURSOR_LENGTH},
    ),
]


def problem_responses(*codes: int) -> dict:
    descriptions = {
        400: "An unknown query parameter or a bad value; `invalid_params` names each.",
        401: "Missing, unknown, expired or revoked API key.",
        403: "The partner account is not active.",
        404: "No such resource, or not in the partner's entitlement.",
        405: "The API is read-only.",
        429: "Rate limit reached; retry after `Retry-After` seconds.",
    }
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            serializers.ProblemSerializer, description=descriptions[code]
        )
        for code in codes
    }


class ProblemErrors:
    """The API's errors are problem+json and `format` is not a URL override (the global DRF
    settings stay neutral for Wagtail's admin API)."""

    content_negotiation_class = JSONFallbackNegotiation

    def get_exception_handler(self):
        return problem_exception_handler

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if isinstance(response, Response) and response.content_type == PROBLEM_CONTENT_TYPE:
            response.accepted_renderer = JSONRenderer()  # the schema view would render YAML
        return response


class PartnerPolicy(ProblemErrors):
    """Who may call the partner API: a Bearer key of an active partner, throttled per key."""

    authentication_classes = [PartnerKeyAuthentication]
    permission_classes = [IsActivePartner]
    throttle_classes = [PartnerKeyThrottle]
    renderer_classes = [FastJSONRenderer]
    parser_classes = [JSONParser]


class _NotModified(Exception):
    def __init__(self, response: HttpResponse):
        self.response = response


class PartnerAPIView(PartnerPolicy, APIView):
    """The partner API's base view.

    HTTP validators come from the change log: a partner's head (the last change-log row it may
    receive) moves whenever something it can see changes (publish, edit, unpublish, kill, move,
    rights, its entitlements, registry records). The ETag hashes that head, the partner, the full
    path and the Accept header; Last-Modified is the head row's time. They depend on the partner,
    so Django's `condition` decorator (which runs before DRF authenticates) cannot compute them:
    `initial` does, after authentication, and answers 304 through Django's own
    get_conditional_response before any list query runs. Responses are private to the partner.
    Every response also carries the rate-limit headers and is counted per key, errors included.
    """

    http_method_names = ["get", "head", "options"]
    # The change feed's body carries the global head, so its validator must follow it too.
    validators_follow_global_head = False

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # negotiation, key, permission, throttle
        self.validators: tuple[str, datetime | None, int] | None = None
        if request.method not in {"GET", "HEAD"} or not isinstance(request.auth, ApiKey):
            return
        seq, modified, head = self.validator_state(request.user)
        self.conditional(request, partner=request.user, seq=seq, modified=modified, head=head)

    def validator_state(self, partner: Partner) -> tuple[int, datetime | None, int]:
        """The partner's head, its time and the global head. Views that read them in a statement
        of their own (the change feed with its page, the events list) override this."""
        # Entitlement changes write rows for the partner, so its head already follows them. The
        # entitled section ids came with the key (key_for_token, one statement); article views
        # pass the list on to their article queries (as a nested subquery it cost planning time).
        self.section_ids = entitled_section_ids(partner)
        seq, modified, change_head = change_log.validator_state(
            partner_id=partner.pk, section_ids=self.section_ids
        )
        self.change_head = change_head  # the change feed reads it instead of asking again
        return seq, modified, change_head.seq

    def conditional(
        self, request: Request, *, partner: Partner, seq: int, modified: datetime | None, head: int
    ) -> None:
        """The ETag (partner, its head, the global head where the body carries it, full path,
        Accept) and Last-Modified; 304 or 412 through Django's get_conditional_response."""
        basis = [
            str(partner.pk),
            str(seq),
            str(head) if self.validators_follow_global_head else "",
            request.get_full_path(),
            request.META.get("HTTP_ACCEPT", ""),
        ]
        etag = '"' + hashlib.sha256("\n".join(basis).encode()).hexdigest()[:32] + '"'
        self.validators = (etag, modified, head)
        conditional = get_conditional_response(
            request._request,
            etag=etag,
            last_modified=int(modified.timestamp()) if modified is not None else None,
        )
        if conditional is not None:
            if conditional.status_code == 412:
                raise PreconditionFailed
            raise _NotModified(conditional)

    def handle_exception(self, exc: Exception) -> Response | HttpResponse:
        if isinstance(exc, _NotModified):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        validators = getattr(self, "validators", None)
        if validators is not None and response.status_code in {200, 304}:
            etag, modified, current = validators
            response["ETag"] = etag
            if modified is not None:
                response["Last-Modified"] = http_date(modified.timestamp())
            response[HEAD_HEADER] = str(current)
        state = getattr(request, "rate_limit", None)
        if state is not None:
            response["X-RateLimit-Limit"] = str(state.limit)
            response["X-RateLimit-Remaining"] = str(state.remaining)
            response["X-RateLimit-Reset"] = str(state.reset_in)
        key = authenticated_key(request)
        if key is not None:
            response["Cache-Control"] = "private, no-cache"
            patch_vary_headers(response, ["Accept", "Authorization"])
            record_request(key_id=key.pk, status=response.status_code, path=safe_full_path(request))
        return response

    def query(self, params: list[Param]) -> dict[str, Any]:
        return parse_query(self.request.query_params, params)

    def page(self, queryset, *, ordering: Ordering, values: dict[str, Any]):
        try:
            return paginate(
                queryset,
                request=self.request,
                ordering=ordering,
                cursor=values.get("cursor"),
                page_size=values.get("page_size"),
            )
        except BadCursor as error:
            raise InvalidParameters([{"name": "cursor", "reason": f"'cursor' {error}"}]) from None


SECTION_ORDERING = Ordering("path", (("path", False), ("id", False)))
SECTION_FIELDS = fields_param(serializers.SectionSerializer)
SECTION_LIST_PARAMS = [SECTION_FIELDS, *PAGE_PARAMS]


class SectionListView(PartnerAPIView):
    """The desk sections this partner is entitled to, in site order."""

    @extend_schema(
        operation_id="sections_list",
        summary="Sections the partner is entitled to",
        parameters=[param.openapi() for param in SECTION_LIST_PARAMS],
        responses={
            200: OpenApiResponse(
                serializers.paginated(serializers.SectionSerializer), description="A page of sections."
            ),
            **problem_responses(400, 401, 403, 429),
        },
        tags=["sections"],
    )
    def get(self, request: Request) -> Response:
        values = self.query(SECTION_LIST_PARAMS)
        page = self.page(entitled_sections(request.user), ordering=SECTION_ORDERING, values=values)
        fields = values.get(FIELDS_PARAM)
        data = [section_json(section, fields) for section in page.items]
        return Response({"next": page.next, "previous": page.previous, "results": data})


class SectionDetailView(PartnerAPIView):
    """One entitled section; any other id is 404, as if it did not exist."""

    @extend_schema(
        operation_id="sections_retrieve",
        summary="One section",
        parameters=[SECTION_FIELDS.openapi()],
        responses={
            200: OpenApiResponse(serializers.SectionSerializer, description="The section."),
            **problem_responses(400, 401, 403, 404, 429),
        },
        tags=["sections"],
    )
    def get(self, request: Request, pk: int) -> Response:
        values = self.query([SECTION_FIELDS])
        section = entitled_sections(request.user).filter(pk=pk).first()
        if section is None:
            raise Http404
        fields = values.get(FIELDS_PARAM)
        return Response(section_json(section, fields))


ARTICLE_FIELDS = fields_param(serializers.ArticleSerializer)
ARTICLE_PARAMS = [*ARTICLE_FILTER_PARAMS, search.Q_PARAM, facets.FACETS_PARAM, ARTICLE_FIELDS, *PAGE_PARAMS]
ARTICLE_DETAIL_PARAMS = [ninjs.FORMAT_PARAM, ARTICLE_FIELDS]


class ArticleListView(PartnerAPIView):
    """Articles the partner may syndicate, filtered and paged by cursor (no total count)."""

    @extend_schema(
        operation_id="articles_list",
        summary="Search and page through articles",
        parameters=[param.openapi() for param in ARTICLE_PARAMS],
        responses={
            200: OpenApiResponse(
                facets.with_facets(serializers.paginated(serializers.ArticleSerializer)),
                description="A page of articles (and, with `facets=`, counts over all of them).",
            ),
            **problem_responses(400, 401, 403, 429),
        },
        tags=["articles"],
    )
    def get(self, request: Request) -> Response:
        values = self.query(ARTICLE_PARAMS)
        partner = request.user
        visible = partner_articles(partner, section_ids=getattr(self, "section_ids", None))
        qs = article_rows(filter_articles(visible, values, partner=partner))
        ordering = ORDERINGS[values.get("ordering", DEFAULT_ORDERING)]
        with nullcontext() if plan_depends_on_values(values) else generic_plans():
            page, matched = search.page_articles(self, qs, values=values, ordering=ordering)
        if wants(values.get(FIELDS_PARAM), *ARTICLE_REPRESENTATION_FIELDS):
            attach_representations(page.items, visible=visible)
        fields = values.get(FIELDS_PARAM)
        data = [article_json(article, fields) for article in page.items]
        body = {"next": page.next, "previous": page.previous, "results": data}
        if "facets" in values:
            body["facets"] = facets.compute_facets(matched, values["facets"])
        return Response(body)


class ArticleDetailView(PartnerAPIView):
    """One article by id; anything the partner may not see is 404, as if it did not exist."""

    renderer_classes = ninjs.RENDERERS

    @extend_schema(
        operation_id="articles_retrieve",
        summary="One article",
        parameters=[param.openapi() for param in ARTICLE_DETAIL_PARAMS],
        responses={
            200: OpenApiResponse(
                serializers.ArticleSerializer, description="The article (or IPTC ninjs 2.1)."
            ),
            **problem_responses(400, 401, 403, 404, 429),
        },
        tags=["articles"],
    )
    def get(self, request: Request, pk: int) -> Response:
        values = self.query(ARTICLE_DETAIL_PARAMS)
        visible = partner_articles(request.user, section_ids=getattr(self, "section_ids", None))
        article = for_representation(visible).filter(pk=pk).first()
        if article is None:
            raise Http404
        attach_representations([article], visible=visible)
        fields = values.get(FIELDS_PARAM)
        return ninjs.article_response(request, article, values, lambda: article_json(article, fields))


class SchemaView(ProblemErrors, SpectacularAPIView):
    """The OpenAPI 3 document: public, like the docs."""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # drf-spectacular would put `version=` and `lang=` into the download's file name (a
        # header): one document, no parameters.
        parse_query(request.query_params, [])
        return super().get(request, *args, **kwargs)

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []


# Swagger UI (sidecar, offline) in its split form: no inline script. Its stylesheet ships an
# inline <style> and the UI sets style attributes, so this one view allows inline styles.
class DocsView(ProblemErrors, SpectacularSwaggerSplitView):
    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []


docs_view = csp_update({"style-src": ["'unsafe-inline'"]})(DocsView.as_view(url_name="api:schema"))


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any unknown path under /api/: problem+json 404 (or a redirect to the slash form)."""
    path = request.path_info
    if not path.endswith("/"):
        try:
            match = resolve(path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            query = request.META.get("QUERY_STRING", "")
            # 308 keeps the method; the client retries at the canonical URL.
            response = HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
            response.status_code = 308
            return response
    return problem_response(request, 404, f"No API endpoint at {path}. See /api/v1/docs/ for the endpoints.")
