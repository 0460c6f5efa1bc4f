"""Production settings for a deployment on this machine's loopback (the two-node test and
`make loadtest`): everything from the environment as in production, with two differences that
keep the measurement on the servers, not on the set-up:

- static files are served from the finders, so the nodes start without `collectstatic`;
- the `premium` partner tier is unthrottled, so the load generator's key measures throughput
  rather than the rate limit (throttling has its own tests).
"""

from newsdesk.settings.production import *  # noqa: F403
from newsdesk.settings.production import PARTNER_API_RATE_LIMITS

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # nothing collected: whitenoise serves from the finders
PARTNER_API_RATE_LIMITS = {**PARTNER_API_RATE_LIMITS, "premium": "1000000/s"}
