from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from apps.core.demo import load_demo_desk

# Each later app adds its own idempotent loader here, in dependency order.
# A loader takes no arguments and returns a short summary line (or None).
EXTRA_LOADERS: list[str] = ["apps.registry.demo.load", "apps.articles.demo.load"]


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo desk: site, sections, groups, workflow, users. Idempotent."

    def handle(self, *args, **options):
        report = load_demo_desk()
        for username in report.created_users:
            self.stdout.write(f"created user {username!r}")
        if report.generated_password:
            self.stdout.write(
                self.style.WARNING(
                    f"Demo password for {', '.join(report.created_users)}: {report.generated_password}\n"
                    "(shown once; set DEMO_PASSWORD to choose it)"
                )
            )
        for dotted in EXTRA_LOADERS:
            summary = import_string(dotted)()
            if summary:
                self.stdout.write(str(summary))
        self.stdout.write(self.style.SUCCESS("demo desk ready"))
