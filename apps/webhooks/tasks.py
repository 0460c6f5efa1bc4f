"""Background tasks (the `background` backend, whichever queue runs it). They carry only ids:
the delivery row is the truth, and a lost task is queued again by the sweep."""

from __future__ import annotations

from django_tasks import task

from apps.webhooks import services


@task(backend="background")
def attempt_delivery(delivery_id: str) -> str | None:
    return services.attempt(delivery_id)


@task(backend="background")
def heartbeat() -> None:
    """Queued by each sweep; when a worker runs it, /healthz sees that workers are alive."""
    services.beat()
