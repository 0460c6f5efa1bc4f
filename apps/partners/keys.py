"""Key material: generation, parsing and the peppered HMAC. No database access here."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

KEY_PREFIX = "nd_"


def _pepper() -> bytes:
    return (settings.API_KEY_PEPPER or settings.SECRET_KEY).encode()


def hash_secret(prefix: str, secret: str) -> str:
    # HMAC-SHA256, not a password hasher: the secret has 256 bits of entropy, so a slow hash
    # buys nothing and would cost ~0.4 s per request.
    return hmac.new(_pepper(), f"{prefix}:{secret}".encode(), hashlib.sha256).hexdigest()


def new_key_material() -> tuple[str, str]:
    """A fresh (prefix, secret): 12 hex characters of public prefix, 43 characters of secret."""
    return secrets.token_hex(6), secrets.token_urlsafe(32)


def format_key(prefix: str, secret: str) -> str:
    return f"{KEY_PREFIX}{prefix}_{secret}"


def parse_key(raw: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed key, else None."""
    if not raw.startswith(KEY_PREFIX):
        return None
    prefix, sep, secret = raw[len(KEY_PREFIX) :].partition("_")
    if not sep or len(prefix) != 12 or len(secret) < 32 or len(raw) > 200:
        return None
    try:
        int(prefix, 16)
    except ValueError:
        return None
    return prefix, secret


def secret_matches(stored_hash: str, prefix: str, secret: str) -> bool:
    return hmac.compare_digest(stored_hash, hash_secret(prefix, secret))
