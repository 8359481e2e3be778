"""The inspections' tests run on 2026-07-20 at 10:00, in the self-check phase of the 2026 campaign
(departments in focus); unit_a is a department with a window, a leadership group head and a liaison."""

import datetime

import pytest
from django.utils import timezone

from appraisal.models import AppraisalYear, Focus
from appraisal.services import appraisal_year_create
from inspections import services
from units.models import Contact

from ..factories import AppointmentFactory, ContactFactory, DisclosureItemFactory, SubUnitFactory, first_item_of


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-07-20 10:00 +0800", tick=False)


@pytest.fixture
def year(db):
    return AppraisalYear.objects.filter(year=2026).first() or appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)


@pytest.fixture
def supervisor(year, supervisor_user):
    return supervisor_user.supervisor


@pytest.fixture
def window(unit_a):
    return SubUnitFactory(unit=unit_a, name="婚姻登记窗口")


@pytest.fixture
def contacts(unit_a):
    ContactFactory(unit=unit_a, role=Contact.Role.GROUP_HEAD, name="李局长", email="head@minzheng.gov.cn")
    ContactFactory(unit=unit_a, role=Contact.Role.LIAISON, name="王联络", email="liaison@minzheng.gov.cn")
    ContactFactory(unit=unit_a, role=Contact.Role.OFFICE_HEAD, name="赵主任", email="office@minzheng.gov.cn")


@pytest.fixture
def commitment(year, unit_a):
    return DisclosureItemFactory(year=year, unit=unit_a, title="婚姻登记当场办结")


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=timezone.get_current_timezone())


@pytest.fixture
def make_inspection(supervisor, unit_a, window):
    """`make_inspection(findings=1, submit=False)`: a covert inspection of unit_a by the supervisor, filed
    through the services."""

    def make(findings=1, submit=False, who=None, unit=None, occurred_at=None):
        inspection = services.inspection_create(
            supervisor=who or supervisor,
            unit=unit or unit_a,
            occurred_at=occurred_at or at("2026-07-20 09:00"),
            mode="covert",
            methods=["accompany"],
        )
        services.inspection_update(inspection=inspection, summary="陪同群众办理婚姻登记", subunit=window)
        for n in range(findings):
            services.finding_add(
                inspection=inspection, item=first_item_of(inspection.unit), observed=f"窗口态度生硬{n}", place="大厅"
            )
        if submit:
            services.inspection_submit(inspection=inspection, by=None)
        inspection.refresh_from_db()
        return inspection

    return make


@pytest.fixture
def other_supervisor_user(year):
    from ..factories import SupervisorFactory, UserFactory

    user = UserFactory(username="other_supervisor")
    AppointmentFactory(supervisor=SupervisorFactory(name="钱多多", user=user), year=year)
    return user
