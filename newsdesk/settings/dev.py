"""Local development: `make run`. Debug on, a fixed insecure key, everything embedded."""

import os

from newsdesk.settings.base import *  # noqa: F403
from newsdesk.settings.base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
# The demo's webhook receivers run on 127.0.0.1 (docs/webhooks.md).
WEBHOOKS_ALLOW_LOOPBACK = env_bool("WEBHOOKS_ALLOW_LOOPBACK", True)
