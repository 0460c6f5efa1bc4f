"""Settings for the worker and scheduler processes the slow webhook tests start: the test
settings with a short backoff and lease, so a retry and an expired lease come within seconds."""

from newsdesk.settings.test import *  # noqa: F403

WEBHOOKS_RETRY_BASE_SECONDS = 1
WEBHOOKS_LEASE_SECONDS = 3
WEBHOOKS_SWEEP_SECONDS = 1
