"""A background task used by the SQLite concurrency test: each run is a write transaction."""

from django.contrib.sessions.backends.db import SessionStore
from django_tasks import task


@task(backend="background")
def store_session_row(n: int) -> int:
    # The worker writes its own rows (claim, result) and this session row, while the
    # "web" process keeps inserting tasks: real contention on one SQLite file.
    session = SessionStore()
    session["n"] = n
    session.save()
    return n
