from django.conf import settings
from django.contrib.auth.models import Group, Permission

from .roles import LEADERS_GROUP, OFFICE_GROUP

# The office works in the admin site on every model of the project and manages user accounts (not groups:
# the roles are fixed by the code).
OFFICE_ACCOUNT_MODELS = ["user"]


def project_apps():
    return [app.split(".")[0] for app in settings.INSTALLED_APPS if not app.startswith(("django.", "crispy"))]


def ensure_groups(**kwargs):
    """Create the role groups and give them their permissions; safe to run after every migrate."""
    office, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    leaders, _ = Group.objects.get_or_create(name=LEADERS_GROUP)
    office.permissions.set(
        Permission.objects.filter(content_type__app_label__in=project_apps())
        | Permission.objects.filter(content_type__app_label="auth", content_type__model__in=OFFICE_ACCOUNT_MODELS)
    )
    leaders.permissions.set(
        Permission.objects.filter(content_type__app_label__in=project_apps(), codename__startswith="view_")
    )
