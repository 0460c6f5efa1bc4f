"""Bearer partner keys: the only way into the partner API (no session, no basic auth)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from apps.partners.models import ApiKey, Partner
from apps.partners.selectors import KeyRejected, key_for_token

if TYPE_CHECKING:
    from rest_framework.request import Request

REALM = "newsdesk-partner-api"


class PartnerKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer nd_<prefix>_<secret>`; request.user is the Partner, request.auth the key."""

    def authenticate(self, request: Request) -> tuple[Partner, ApiKey] | None:
        header = get_authorization_header(request).split()
        if not header:
            return None  # no credentials: the permission check answers 401
        if header[0].lower() != b"bearer":
            raise AuthenticationFailed("Use 'Authorization: Bearer <key>'; other schemes are not accepted.")
        if len(header) != 2:
            raise AuthenticationFailed("The Authorization header must be 'Bearer <key>' with one key.")
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("The API key is malformed.") from None
        try:
            key = key_for_token(token)
        except KeyRejected as rejected:
            raise AuthenticationFailed(str(rejected)) from None
        return key.partner, key

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) and tells the client which scheme to use.
        return f'Bearer realm="{REALM}"'
