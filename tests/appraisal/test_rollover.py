"""新建下一年度: year N+1 from the current year N, with N's settings, the other focus, N's calendar moved into
N+1, N's units with their focus recomputed, and the supervisors' renewal in one step; N itself never changes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.forms.models import model_to_dict

from appraisal.models import AppraisalYear, Deadline, Focus, RateFormula, ReminderSettings
from appraisal.services import SAME_FOCUS_AS_LAST_YEAR, appraisal_year_create
from supervisors.models import Appointment
from units.models import Participation
from units.services.years import NEXT_YEAR_EXISTS, NO_YEAR, year_create_next, year_next_plan

from ..factories import AppointmentFactory, ParticipationFactory, SupervisorFactory, UnitFactory

pytestmark = pytest.mark.django_db

URL = "/units/years/next/"


@pytest.fixture(autouse=True)
def late_in_2028(time_machine):
    time_machine.move_to(datetime.datetime(2028, 11, 20, 9, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def seeded():
    """2028 (a leap year, industries) with its own settings, an edited calendar, reminder texts and units."""
    year = appraisal_year_create(year=2028, focus=Focus.INDUSTRIES, mobilisation_start=datetime.date(2028, 4, 20))
    AppraisalYear.objects.filter(pk=year.pk).update(
        district_team_size=12,
        unit_team_minimum=5,
        district_inspection_quota=8,
        hearing_quorum_representatives=25,
        hearing_rate_formula=RateFormula.INCLUDE_UNKNOWN,
        hearing_weight_fairly=75,
    )
    year.deadlines.filter(code="materials").update(due_date=datetime.date(2028, 7, 8))
    Deadline.objects.create(
        year=year,
        code="training",
        due_date=datetime.date(2028, 2, 29),
        title="监督员培训",
        description="x",
        owner="office",
    )
    ReminderSettings.objects.create(
        year=year, days_before="10,3", bulletin_days=4, before_subject="请报送{{ deliverable }}"
    )
    school = UnitFactory(name="秦淮区实验小学", kind=Focus.INDUSTRIES)
    police = UnitFactory(name="秦淮公安分局", kind=Focus.DEPARTMENTS)
    closed = UnitFactory(name="已撤销单位", kind=Focus.DEPARTMENTS, is_active=False)
    for unit in (school, police, closed):
        ParticipationFactory(year=year, unit=unit, is_focus=unit.kind == Focus.INDUSTRIES)
    UnitFactory(name="未参评单位")
    year.refresh_from_db()
    return year


def snapshot(year):
    """Every row of year N the rollover could touch, as plain values."""
    return {
        "year": model_to_dict(AppraisalYear.objects.get(pk=year.pk)),
        "deadlines": list(year.deadlines.order_by("id").values()),
        "participations": list(Participation.objects.filter(year=year).order_by("id").values()),
        "reminders": list(ReminderSettings.objects.filter(year=year).values()),
        "appointments": list(Appointment.objects.filter(year=year).order_by("id").values()),
    }


def test_the_next_year_copies_the_settings_alternates_the_focus_and_moves_the_calendar(seeded, office_user):
    before = snapshot(seeded)

    year = year_create_next(by=office_user)

    assert year.year == 2029 and year.focus == Focus.DEPARTMENTS
    assert (year.mobilisation_start, year.selfcheck_start, year.evaluation_end) == (
        datetime.date(2029, 4, 20),
        datetime.date(2029, 7, 11),
        datetime.date(2029, 11, 30),
    )
    settings = [
        "district_team_size",
        "unit_team_minimum",
        "district_inspection_quota",
        "hearing_quorum_representatives",
    ]
    assert [getattr(year, name) for name in settings] == [12, 5, 8, 25]
    assert year.hearing_rate_formula == RateFormula.INCLUDE_UNKNOWN and year.hearing_weight_fairly == 75
    deadlines = dict(year.deadlines.values_list("code", "due_date"))
    assert deadlines["materials"] == datetime.date(2029, 7, 8)
    assert deadlines["training"] == datetime.date(2029, 2, 28)  # 29 February in a year without one
    assert len(deadlines) == seeded.deadlines.count()
    assert all(day.year == 2029 for day in deadlines.values())
    reminders = ReminderSettings.objects.get(year=year)
    assert (reminders.days_before, reminders.bulletin_days, reminders.before_subject) == (
        "10,3",
        4,
        "请报送{{ deliverable }}",
    )
    assert reminders.overdue_body == ReminderSettings.objects.get(year=seeded).overdue_body
    participations = dict(Participation.objects.filter(year=year).values_list("unit__name", "is_focus"))
    assert participations == {"秦淮区实验小学": False, "秦淮公安分局": True}
    assert snapshot(seeded) == before


def test_the_next_year_is_refused_when_it_exists(seeded, office_user):
    year_create_next(by=office_user)
    with pytest.raises(ValidationError) as error:
        year_create_next(by=office_user)
    assert error.value.messages == [str(NEXT_YEAR_EXISTS) % {"year": 2029}]
    assert AppraisalYear.objects.count() == 2


def test_there_must_be_a_year_to_start_from(office_user):
    with pytest.raises(ValidationError) as error:
        year_next_plan()
    assert error.value.messages == [str(NO_YEAR)]


def test_keeping_the_same_focus_needs_a_confirmation(seeded, office_user):
    with pytest.raises(ValidationError) as error:
        year_create_next(by=office_user, focus=Focus.INDUSTRIES)
    assert error.value.messages == [str(SAME_FOCUS_AS_LAST_YEAR) % {"year": 2028, "focus": "行业"}]
    assert not AppraisalYear.objects.filter(year=2029).exists()

    year = year_create_next(by=office_user, focus=Focus.INDUSTRIES, confirm_same_focus=True)
    assert year.focus == Focus.INDUSTRIES
    assert Participation.objects.get(year=year, unit__name="秦淮区实验小学").is_focus


def test_the_office_sees_what_will_be_created_and_confirms(client_for, office_user, seeded):
    client = client_for(office_user)
    page = client.get(URL).content.decode()
    assert "创建 2029 年度" in page and "2029年4月20日" in page and "2029年2月28日" in page
    assert "秦淮公安分局" in page.split('id="focus-units"')[1].split("</p>")[0]

    response = client.post(URL, {"focus": Focus.DEPARTMENTS})
    assert response.status_code == 302 and response.url == f"{URL}?year=2029"
    done = client.get(response.url).content.decode()
    assert "2029 年度已创建" in done and 'data-year="2029"' in done
    assert "2029 年度已经存在" in client.get(URL).content.decode()  # a second visit offers nothing to create


def test_the_page_asks_to_confirm_the_same_focus(client_for, office_user, seeded):
    client = client_for(office_user)
    page = client.post(URL, {"focus": Focus.INDUSTRIES}).content.decode()
    assert "评议重点与 2028 年相同" in page and 'type="checkbox" name="confirm_same_focus"' in page
    assert not AppraisalYear.objects.filter(year=2029).exists()

    response = client.post(URL, {"focus": Focus.INDUSTRIES, "confirm_same_focus": "on"})
    assert response.status_code == 302
    assert AppraisalYear.objects.get(year=2029).focus == Focus.INDUSTRIES


def test_only_the_office_creates_a_year(client_for, leader_user, liaison_a, seeded):
    for user in (leader_user, liaison_a):
        assert client_for(user).get(URL).status_code == 403
        assert client_for(user).post(URL, {"focus": Focus.DEPARTMENTS}).status_code == 403
    assert not AppraisalYear.objects.filter(year=2029).exists()


def test_the_supervisors_whose_terms_end_are_listed_and_renewed_in_one_step(client_for, office_user, seeded):
    school = seeded.participations.get(unit__name="秦淮区实验小学").unit
    district = AppointmentFactory(year=seeded, supervisor=SupervisorFactory(name="张国华"))
    team = AppointmentFactory(year=seeded, unit=school, supervisor=SupervisorFactory(name="郭晓燕"))
    ended = AppointmentFactory(
        year=seeded,
        supervisor=SupervisorFactory(name="调离人员"),
        ended_on=datetime.date(2028, 9, 1),
        end_reason="调离",
    )
    client = client_for(office_user)
    client.post(URL, {"focus": Focus.DEPARTMENTS})
    done = client.get(f"{URL}?year=2029").content.decode()
    renewals = done.split('id="renewals"')[1]
    assert f'data-renewal="{district.pk}"' in renewals and f'data-renewal="{team.pk}"' in renewals
    assert f'data-renewal="{ended.pk}"' not in renewals

    response = client.post("/supervisors/renew-all/?year=2029", {"next": f"{URL}?year=2029"})
    assert response.status_code == 302 and response.url == f"{URL}?year=2029"
    renewed = Appointment.objects.filter(year__year=2029)
    assert {a.renewed_from_id for a in renewed} == {district.pk, team.pk}
    assert all(a.starts_on == datetime.date(2029, 4, 20) for a in renewed)  # the day after the term ends
    after = client.get(f"{URL}?year=2029").content.decode()
    assert 'id="renewed-count"' in after and 'id="renewals-none"' in after
    assert not Appointment.objects.filter(renewed_from=ended).exists()


def test_renewing_all_refuses_an_unknown_year(client_for, office_user, seeded):
    response = client_for(office_user).post("/supervisors/renew-all/?year=2031")
    assert response.status_code == 404


def test_the_office_home_offers_the_next_year(client_for, office_user, seeded):
    page = client_for(office_user).get("/office/").content.decode()
    assert f'id="year-next" href="{URL}"' in page and "新建下一年度" in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the audit trail's triggers exist on PostgreSQL only")
def test_the_audit_trail_records_who_created_the_year(client_for, office_user, seeded):
    client_for(office_user).post(URL, {"focus": Focus.DEPARTMENTS})
    year = AppraisalYear.objects.get(year=2029)
    [insert] = AppraisalYear.pgh_event_model.objects.filter(pgh_obj_id=year.pk)
    assert insert.pgh_label == "insert" and insert.pgh_context.metadata["user"] == office_user.pk
