"""A real HTTP receiver on 127.0.0.1 (port 0), subscriptions, and a transport that refuses any
address but loopback, so these tests never send traffic anywhere else."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from apps.webhooks import signing
from apps.webhooks.models import WebhookSubscription


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers each POST with the next scripted status (the last one repeats), or with what
    `decide(request)` returns (it may block, to hold a request open)."""

    statuses: list[int] = field(default_factory=lambda: [200])
    requests: list[Received] = field(default_factory=list)
    answered: list[tuple[str, int]] = field(default_factory=list)  # (Newsdesk-Delivery, status)
    decide: Callable[[Received], int] | None = None
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, received: Received) -> int:
        if self.decide is not None:
            return self.decide(received)
        with self.lock:
            index = min(len(self.requests), len(self.statuses) - 1)
            return self.statuses[index]


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a sender killed mid-request leaves a broken pipe: expected in these tests


def start_receiver(receiver: Receiver) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received = Received(self.path, dict(self.headers.items()), body)
            status = receiver.answer(received)
            with receiver.lock:
                receiver.requests.append(received)
            payload = b'{"ok": true}' if status < 300 else b"receiver says no"
            self.send_response(status)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            with receiver.lock:
                receiver.answered.append((received.headers.get("Newsdesk-Delivery", ""), status))

        def log_message(self, *args) -> None:
            pass

    server = QuietServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    return server


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    server = start_receiver(receiver)
    yield receiver
    server.shutdown()
    server.server_close()


class LoopbackOnlyTransport(httpx.HTTPTransport):
    """Raises on any connection to an address other than 127.0.0.1, before connecting."""

    def __init__(self) -> None:
        super().__init__()
        self.hosts: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        if request.url.host != "127.0.0.1":
            raise AssertionError(f"connection to {request.url.host} attempted")
        return super().handle_request(request)


@pytest.fixture
def loopback_only() -> LoopbackOnlyTransport:
    return LoopbackOnlyTransport()


@pytest.fixture
def subscribe(partner):
    def make(url: str, **kwargs) -> WebhookSubscription:
        return WebhookSubscription.objects.create(
            partner=kwargs.pop("partner", partner), url=url, secret=signing.new_secret(), **kwargs
        )

    return make
