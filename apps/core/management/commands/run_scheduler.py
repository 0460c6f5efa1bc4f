import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from apps.core import scheduler


class Command(BaseCommand):
    help = "Run the desk's periodic jobs (publish_scheduled, ...): once, or forever every tick."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit (for cron).")
        parser.add_argument(
            "--tick", type=int, default=settings.SCHEDULER_TICK_SECONDS, help="Seconds between checks."
        )

    def handle(self, *args, once: bool, tick: int, **options):
        jobs = scheduler.registered_jobs()
        if once:
            outcome = scheduler.run_jobs(jobs)
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
        self.stdout.write(f"scheduler: {len(jobs)} job(s), checking every {tick}s")
        last_run: dict = {}
        while not stopping:
            now = timezone.now()
            due = scheduler.due_jobs(now, last_run, jobs)
            if due:
                # A long-lived process: drop connections that died or aged out between ticks.
                close_old_connections()
                self.report(scheduler.run_jobs(due))
                for job in due:
                    last_run[job.name] = now
            for _ in range(tick):
                if stopping:
                    break
                time.sleep(1)
        self.stdout.write("scheduler: stopped")

    def report(self, outcome: dict[str, str]) -> None:
        for name, status in outcome.items():
            self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} {name}: {status}")
