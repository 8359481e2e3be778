"""Who a user is in the campaign. Every app asks these; no view tests group names on its own."""

from django.apps import apps
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

OFFICE_GROUP = "office"
LEADERS_GROUP = "leaders"
# The groups keep the names the code relies on; people read these instead wherever a group is shown.
GROUP_LABELS = {OFFICE_GROUP: _("Appraisal office staff"), LEADERS_GROUP: _("District leaders")}


def group_label(group) -> str:
    """What a role group is called on screen (a Group or its name); a group the code does not know keeps its name."""
    name = getattr(group, "name", group)
    return str(GROUP_LABELS.get(name, name))


def _in_group(user, name):
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_group_names", None)
    if cache is None:
        cache = user._group_names = set(user.groups.values_list("name", flat=True))
    return name in cache


def is_office(user) -> bool:
    """Office staff: staff accounts of the office group (and superusers)."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or (user.is_staff and _in_group(user, OFFICE_GROUP)))
    )


def is_leader(user) -> bool:
    return user.is_authenticated and user.is_active and _in_group(user, LEADERS_GROUP)


def can_see_all_units(user) -> bool:
    """Office and leaders see every unit; the office alone may change them."""
    return is_office(user) or is_leader(user)


def home_url(user) -> str | None:
    """Where a user lands after login. Apps add their own roles with a `home_url_for(user)` on their AppConfig."""
    if is_office(user):
        return reverse("office_home")
    if is_leader(user):
        return reverse("reports:dashboard")
    for config in apps.get_app_configs():
        resolver = getattr(config, "home_url_for", None)
        url = resolver(user) if resolver else None
        if url:
            return url
    return None


def require_office(user):
    if not is_office(user):
        raise PermissionDenied


class OfficeRequiredMixin(AccessMixin):
    """Office-only pages: login first, then 403 for anyone else."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require_office(request.user)
        return super().dispatch(request, *args, **kwargs)
