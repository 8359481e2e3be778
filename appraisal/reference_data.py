from django.conf import settings
from django.contrib.auth.models import Group, Permission

from .models import EVALUATION_ITEMS, EvaluationItem
from .roles import LEADERS_GROUP, OFFICE_GROUP

# The office works in the admin site on every model of the project and manages user accounts (not groups:
# the roles are fixed by the code).
OFFICE_ACCOUNT_MODELS = ["user"]
# Login lockouts (django-axes): the office sees failed logins and unlocks an account by deleting its attempts.
OFFICE_LOCKOUT_PERMISSIONS = ["view_accessattempt", "delete_accessattempt", "view_accesslog", "view_accessfailurelog"]
# Third-party apps whose models are not the campaign's: no role gets their permissions wholesale.
LIBRARY_APPS = ("django.", "crispy", "axes", "csp", "pgtrigger", "pghistory")


def project_apps():
    return list(dict.fromkeys(app.split(".")[0] for app in settings.INSTALLED_APPS if not app.startswith(LIBRARY_APPS)))


def ensure_evaluation_items():
    """The evaluation items the district's rules list; created by a migration, restored here after a flush."""
    for kind, names in EVALUATION_ITEMS.items():
        for position, name in enumerate(names, start=1):
            EvaluationItem.objects.get_or_create(kind=kind, position=position, defaults={"name": name})


def ensure_reference_data(**kwargs):
    """After every migrate (and every flush of a test database): the evaluation items and the role groups."""
    ensure_evaluation_items()
    ensure_groups()


def ensure_groups():
    """Create the role groups and give them their permissions; safe to run again."""
    office, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    leaders, _ = Group.objects.get_or_create(name=LEADERS_GROUP)
    office.permissions.set(
        Permission.objects.filter(content_type__app_label__in=project_apps())
        | Permission.objects.filter(content_type__app_label="auth", content_type__model__in=OFFICE_ACCOUNT_MODELS)
        | Permission.objects.filter(content_type__app_label="axes", codename__in=OFFICE_LOCKOUT_PERMISSIONS)
    )
    leaders.permissions.set(
        Permission.objects.filter(content_type__app_label__in=project_apps(), codename__startswith="view_")
    )
