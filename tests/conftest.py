"""One user per role, as every test of access needs them."""

import pytest
from django.contrib.auth.models import Group

from appraisal.roles import LEADERS_GROUP, OFFICE_GROUP

from .factories import MembershipFactory, UnitFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Tests create many accounts; a slow password hash is not what they are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def unit_a(db):
    return UnitFactory(name="区民政局", sector="民政")


@pytest.fixture
def unit_b(db):
    return UnitFactory(name="区司法局", sector="司法")


@pytest.fixture
def office_user(db):
    user = UserFactory(username="office", is_staff=True)
    user.groups.add(Group.objects.get(name=OFFICE_GROUP))
    return user


@pytest.fixture
def leader_user(db):
    user = UserFactory(username="leader")
    user.groups.add(Group.objects.get(name=LEADERS_GROUP))
    return user


@pytest.fixture
def liaison_a(unit_a):
    return MembershipFactory(user=UserFactory(username="liaison_a"), unit=unit_a).user


@pytest.fixture
def liaison_b(unit_b):
    return MembershipFactory(user=UserFactory(username="liaison_b"), unit=unit_b).user


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def client_for(client):
    """`client_for(user)`: a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def supervisor_user(db):
    """A user with a supervisor record on the district team of the current year (created when missing)."""
    from appraisal.models import AppraisalYear
    from appraisal.services import appraisal_year_create

    from .factories import AppointmentFactory, SupervisorFactory

    year = AppraisalYear.objects.current() or appraisal_year_create(year=2026)
    user = UserFactory(username="supervisor")
    supervisor = SupervisorFactory(name="张国华", user=user)
    AppointmentFactory(supervisor=supervisor, year=year)
    return user
