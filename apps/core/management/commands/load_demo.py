from django.core.management.base import BaseCommand, CommandError

from apps.core.demo import load_demo


class Command(BaseCommand):
    help = (
        "Create (or bring up to date) the demo desk: site, sections, groups, workflow, users, "
        "registry and stories. Idempotent; one transaction, so a failure changes nothing."
    )

    def handle(self, *args, **options):
        try:
            summaries = load_demo()
        except Exception as exc:  # any failure: one line, non-zero exit, nothing written
            raise CommandError(
                f"load_demo failed, nothing was changed: {exc.__class__.__name__}: {exc}"
            ) from exc
        for summary in summaries:
            self.stdout.write(summary)
        self.stdout.write(self.style.SUCCESS("demo desk ready"))
