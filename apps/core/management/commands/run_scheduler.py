import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from apps.core import scheduler

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run the desk's periodic jobs (publish_scheduled, ...) when due: once, or forever every tick. "
        "Several schedulers may run at once; each due run happens on one of them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every due job once and exit (for cron).")
        parser.add_argument(
            "--tick", type=int, default=settings.SCHEDULER_TICK_SECONDS, help="Seconds between checks."
        )

    def handle(self, *args, once: bool, tick: int, **options):
        if tick < 1:
            raise CommandError(f"--tick must be at least 1 second, not {tick}")
        jobs = scheduler.registered_jobs()
        owner = scheduler.scheduler_id()
        if once:
            outcome = scheduler.run_due_jobs(jobs, owner=owner)
            self.report(outcome)
            if "failed" in outcome.values():
                raise CommandError("one or more periodic jobs failed; see the log above")
            return

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"scheduler {owner}: {len(jobs)} job(s), checking every {tick}s")
        while not stopping:
            # A long-lived process: drop connections that died or aged out between ticks.
            close_old_connections()
            try:
                self.report(scheduler.run_due_jobs(jobs, owner=owner))
            except DatabaseError:
                # The database is away (failover, restart): keep the loop, try again next tick.
                logger.exception("scheduler: could not reach the database; retrying in %ss", tick)
            for _ in range(tick):
                if stopping:
                    break
                time.sleep(1)
        self.stdout.write("scheduler: stopped")

    def report(self, outcome: dict[str, str]) -> None:
        for name, status in outcome.items():
            self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} {name}: {status}")
            self.stdout.flush()
