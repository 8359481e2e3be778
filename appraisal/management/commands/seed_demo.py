from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _

from appraisal.demo import Demo
from appraisal.history import recorded


class Command(BaseCommand):
    help = "Load the demo district (idempotent) and print one login per role with a fresh password."

    @recorded(command="seed_demo")
    def handle(self, *args, **options):
        demo = Demo()
        # The demo mails nobody: the notices its hand-offs cause stay on the pages, their emails go nowhere.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            for config in apps.get_app_configs():
                if module_has_submodule(config.module, "demo"):
                    import_module(f"{config.name}.demo").seed(demo)
        self.stdout.write(self.style.SUCCESS(_("Demo district ready: %(year)s") % {"year": demo.year}))
        self.stdout.write(_("Demo logins (passwords are new on every run):"))
        for role, username, password in demo.logins:
            self.stdout.write(f"  {username:<10} {password:<14} {role}")
