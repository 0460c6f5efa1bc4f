from django.db import connection
from django.http import HttpRequest, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from wagtail import hooks

# Each registered function returns a dict merged into the answer (e.g. the webhooks' worker
# heartbeat and queue depth); a failing check reports itself without failing the others.
HEALTH_CHECK_HOOK = "register_health_check"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and `make run` smoke tests."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse(
            {"status": "error", "database": "unavailable", "detail": exc.__class__.__name__},
            status=503,
        )
    body = {"status": "ok", "database": "ok", "engine": connection.vendor}
    for check in hooks.get_hooks(HEALTH_CHECK_HOOK):
        try:
            body.update(check())
        except Exception as exc:  # one broken check must not hide the database status
            body[check.__name__] = {"status": "error", "detail": exc.__class__.__name__}
    return JsonResponse(body)


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers and feed readers ask for /favicon.ico whatever the page says: send them to the
    static file (hashed and cached by whitenoise in production)."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
