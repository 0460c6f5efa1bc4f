"""Deny by default: only an authenticated, active partner gets in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from apps.partners.models import Partner

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class IsActivePartner(BasePermission):
    message = "This partner account is not active."

    def has_permission(self, request: Request, view: APIView) -> bool:
        partner = request.user
        if not isinstance(partner, Partner):
            return False  # no key: DRF turns this into 401 with WWW-Authenticate
        if not partner.active:
            raise PermissionDenied(self.message)
        return True
