"""One HTTP POST to a receiver, behind the SSRF guard.

The host is resolved once, every address it resolves to is checked, and the request goes to
the checked address (the URL's host stays in the Host header and the TLS SNI, so certificates
are verified against the name): a DNS answer that changes between check and connect cannot
redirect us to an internal address. No proxies from the environment, no redirects followed.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

# host, port -> the addresses it resolves to
Resolver = Callable[[str, int], list[str]]
EXCERPT_BYTES = 500


class Refused(Exception):
    """The URL may not be called (scheme, or an address that is not public)."""


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise Refused(f"{host} does not resolve ({error.strerror})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _address(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    address = ipaddress.ip_address(raw.split("%", 1)[0])  # drop an IPv6 zone
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def check_scheme(url: str, *, allow_loopback: bool) -> None:
    """What can be said without DNS (the admin form uses it): https, or plain http where
    loopback receivers are allowed (the address is checked to be loopback at each attempt)."""
    parts = urlsplit(url)
    if not parts.hostname or parts.scheme not in {"https", "http"}:
        raise Refused("the URL must be https://<host>/...")
    if parts.scheme == "http":
        host = parts.hostname
        if not allow_loopback or (_is_ip_literal(host) and not _address(host).is_loopback):
            raise Refused("the URL must be https (plain http only for a loopback receiver in development)")


def checked_address(url: str, *, resolver: Resolver, allow_loopback: bool) -> str:
    """The address to connect to; Refused unless every address the host resolves to is public
    (loopback passes only where allowed: tests and the demo)."""
    check_scheme(url, allow_loopback=allow_loopback)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    raw = [host] if _is_ip_literal(host) else resolver(host, port)
    if not raw:
        raise Refused(f"{host} does not resolve")
    addresses = [_address(item) for item in raw]
    for address in addresses:
        if address.is_loopback:
            if not allow_loopback:
                raise Refused(f"{host} resolves to a loopback address ({address})")
        elif not address.is_global or address.is_multicast:
            # private, link-local (cloud metadata at 169.254.169.254), shared, reserved, ...
            raise Refused(f"{host} resolves to a non-public address ({address})")
    if parts.scheme == "http" and not all(address.is_loopback for address in addresses):
        raise Refused("plain http is allowed only to a loopback receiver")
    return str(addresses[0])


@dataclass(frozen=True)
class Response:
    status_code: int
    excerpt: str


def post(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str],
    resolver: Resolver,
    allow_loopback: bool,
    connect_timeout: float,
    read_timeout: float,
    transport: httpx.BaseTransport | None = None,
) -> Response:
    """POST `body`; Refused before any connection, httpx.HTTPError on network trouble."""
    address = checked_address(url, resolver=resolver, allow_loopback=allow_loopback)
    target = httpx.URL(url)
    pinned = target.copy_with(host=address)
    host_header = target.host if target.port is None else f"{target.host}:{target.port}"
    if ":" in target.host:  # an IPv6 literal
        host_header = f"[{target.host}]" if target.port is None else f"[{target.host}]:{target.port}"
    extensions = {}
    if target.scheme == "https" and not _is_ip_literal(target.host):
        extensions["sni_hostname"] = target.host
    timeout = httpx.Timeout(
        connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout
    )
    with httpx.Client(
        transport=transport, timeout=timeout, follow_redirects=False, trust_env=False
    ) as client:
        request = client.build_request(
            "POST", pinned, content=body, headers={**headers, "Host": host_header}, extensions=extensions
        )
        response = client.send(request, stream=True)
        try:
            excerpt = b""
            for chunk in response.iter_bytes():
                excerpt += chunk
                if len(excerpt) >= EXCERPT_BYTES:
                    break
        finally:
            response.close()
    return Response(
        status_code=response.status_code, excerpt=excerpt[:EXCERPT_BYTES].decode("utf-8", "replace")
    )
