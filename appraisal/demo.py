"""Demo district, core part: the current year, last year (the other focus, its campaign over) and the office
and leader logins.

`manage.py seed_demo` calls `seed(demo)` of every installed app that has a `demo` module, in the order of
INSTALLED_APPS, so each app seeds its own data without the core importing the apps built on it.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AppraisalYear, Focus
from .roles import LEADERS_GROUP, OFFICE_GROUP
from .services import appraisal_year_create


class Demo:
    """What the apps' seeders share: the year being seeded, last year (seeded too, so the dashboard compares the
    two) and the logins to print at the end."""

    def __init__(self):
        self.year = None
        self.last_year = None
        self.logins = []

    def account(self, username, *, role, full_name, is_staff=False, groups=()):
        """Create or reset a demo login with a fresh random password, remembered for printing."""
        password = secrets.token_urlsafe(9)
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.first_name = full_name
        user.is_staff = is_staff
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.set(Group.objects.filter(name__in=groups))
        self.logins.append((role, username, password))
        return user


def seed(demo):
    today = timezone.localdate()
    demo.year = AppraisalYear.objects.filter(year=today.year).first() or appraisal_year_create(
        year=today.year, focus=Focus.INDUSTRIES
    )
    other = Focus.DEPARTMENTS if demo.year.focus == Focus.INDUSTRIES else Focus.INDUSTRIES
    demo.last_year = AppraisalYear.objects.filter(year=today.year - 1).first() or appraisal_year_create(
        year=today.year - 1, focus=other
    )
    demo.account("office", role=_("Office staff"), full_name="王晓燕", is_staff=True, groups=[OFFICE_GROUP])
    demo.account("leader", role=_("District leader"), full_name="陈建国", groups=[LEADERS_GROUP])
