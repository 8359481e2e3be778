import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from appraisal.models import AppraisalYear, Deadline, EvaluationItem, Focus
from appraisal.services import DEFAULT_DEADLINES, YEAR_EXISTS, appraisal_year_create

pytestmark = pytest.mark.django_db


def test_creating_a_year_creates_the_default_calendar():
    year = appraisal_year_create(year=2026, focus=Focus.INDUSTRIES)

    deadlines = {d.code: d for d in year.deadlines.all()}
    assert len(deadlines) == len(DEFAULT_DEADLINES)
    assert deadlines["materials"].due_date == datetime.date(2026, 7, 10)
    assert deadlines["materials"].owner == Deadline.Owner.FOCUS_UNITS
    assert deadlines["selfcheck"].due_date == datetime.date(2026, 7, 31)
    assert deadlines["selfcheck_register"].due_date == datetime.date(2026, 8, 25)
    assert deadlines["district_register"].due_date == datetime.date(2026, 8, 31)
    assert deadlines["district_register"].owner == Deadline.Owner.OFFICE
    assert deadlines["hearing"].due_date == datetime.date(2026, 10, 31)
    assert deadlines["annual_summary"].due_date == datetime.date(2026, 11, 15)
    assert deadlines["district_summary"].due_date == datetime.date(2026, 11, 25)
    assert "自查自纠登记表" in deadlines["selfcheck_register"].description
    assert year.selfcheck_start == datetime.date(2026, 7, 11)


def test_focus_alternates_from_the_previous_year():
    appraisal_year_create(year=2025, focus=Focus.INDUSTRIES)
    assert appraisal_year_create(year=2026).focus == Focus.DEPARTMENTS
    assert appraisal_year_create(year=2027).focus == Focus.INDUSTRIES


def test_a_year_cannot_be_created_twice():
    appraisal_year_create(year=2026)
    with pytest.raises(ValidationError) as error:
        appraisal_year_create(year=2026)
    assert error.value.messages == [str(YEAR_EXISTS) % {"year": 2026}]


def test_phases_out_of_order_are_refused_by_the_database():
    year = appraisal_year_create(year=2026)
    year.selfcheck_start = datetime.date(2026, 7, 1)  # before mobilisation ends
    with pytest.raises(IntegrityError), transaction.atomic():
        year.save()


def test_phases_out_of_order_are_refused_with_a_message():
    with pytest.raises(ValidationError) as error:
        appraisal_year_create(year=2026, evaluation_start=datetime.date(2026, 8, 1))
    assert "自查自纠" in " ".join(error.value.messages)


def test_deadline_codes_are_unique_per_year():
    year = appraisal_year_create(year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.create(
            year=year,
            code="materials",
            due_date=datetime.date(2026, 7, 9),
            title="x",
            description="x",
            owner=Deadline.Owner.OFFICE,
        )


def test_evaluation_items_come_in_the_rules_order():
    industries = list(EvaluationItem.objects.filter(kind=Focus.INDUSTRIES).values_list("name", flat=True))
    departments = list(EvaluationItem.objects.filter(kind=Focus.DEPARTMENTS).values_list("name", flat=True))
    assert industries == ["依法经营", "事务公开", "办事高效", "便民惠民", "践诺守信", "廉洁从业", "文明服务"]
    assert departments == [
        "依法行政",
        "规范执法",
        "政务公开",
        "办事高效",
        "便民惠民",
        "践诺守信",
        "廉洁从政",
        "文明服务",
    ]


def test_phase_on_a_day():
    year = appraisal_year_create(year=2026)
    assert str(year.phase_on(datetime.date(2026, 6, 1))) == "动员部署"
    assert str(year.phase_on(datetime.date(2026, 8, 25))) == "自查自纠"
    assert year.phase_on(datetime.date(2026, 12, 15)) is None


def test_current_year_prefers_the_calendar_year(time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC))
    appraisal_year_create(year=2027)
    this_year = appraisal_year_create(year=2026)
    assert AppraisalYear.objects.current() == this_year


def test_office_adding_a_year_in_the_admin_gets_the_calendar(client, office_user):
    client.force_login(office_user)
    data = {
        "year": 2026,
        "focus": Focus.DEPARTMENTS,
        "mobilisation_start": "2026-05-01",
        "mobilisation_end": "2026-07-10",
        "selfcheck_start": "2026-07-11",
        "selfcheck_end": "2026-08-31",
        "evaluation_start": "2026-09-01",
        "evaluation_end": "2026-11-30",
        "district_team_size": 16,
        "unit_team_minimum": 4,
        "unit_team_service_objects": 2,
        "district_inspection_quota": 6,
        "unit_team_selfcheck_quota": 2,
        "unit_team_inspection_quota": 4,
        "deadlines-TOTAL_FORMS": 1,
        "deadlines-INITIAL_FORMS": 0,
        "deadlines-0-due_date": "2026-06-15",
        "deadlines-0-title": "区级培训",
        "deadlines-0-description": "监督员培训",
        "deadlines-0-owner": "office",
        "deadlines-0-code": "training",
    }
    response = client.post("/admin/appraisal/appraisalyear/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    year = AppraisalYear.objects.get(year=2026)
    assert year.deadlines.count() == len(DEFAULT_DEADLINES) + 1
    assert year.deadlines.filter(code="training").exists()


def year_form(**changes):
    """The admin's add form for 2026 as the office fills it, with `changes` (field: value)."""
    data = {
        "year": 2026,
        "focus": Focus.DEPARTMENTS,
        "mobilisation_start": "2026-05-01",
        "mobilisation_end": "2026-07-10",
        "selfcheck_start": "2026-07-11",
        "selfcheck_end": "2026-08-31",
        "evaluation_start": "2026-09-01",
        "evaluation_end": "2026-11-30",
        "district_team_size": 16,
        "unit_team_minimum": 4,
        "unit_team_service_objects": 2,
        "district_inspection_quota": 6,
        "unit_team_selfcheck_quota": 2,
        "unit_team_inspection_quota": 4,
        "deadlines-TOTAL_FORMS": 0,
        "deadlines-INITIAL_FORMS": 0,
    }
    return data | changes


def admin_errors(response):
    """The form's errors by field, as the admin shows them."""
    errors = dict(response.context["adminform"].form.errors)
    for formset in response.context["inline_admin_formsets"]:
        for form in formset.formset.forms:
            errors |= {f"deadline-{name}": messages for name, messages in form.errors.items()}
    return {name: " ".join(messages) for name, messages in errors.items()}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"selfcheck_start": "2025-07-11"}, "selfcheck_start", "自查自纠开始日期必须在 2026 年内"),
        ({"evaluation_end": "2027-01-15"}, "evaluation_end", "民主评议结束日期必须在 2026 年内"),
        ({"selfcheck_end": "2026-07-05"}, "selfcheck_end", "自查自纠结束日期不能早于自查自纠开始日期"),
        ({"evaluation_start": "2026-08-15"}, "evaluation_start", "民主评议开始日期必须晚于自查自纠结束日期"),
        (
            {"mobilisation_start": "2026-09-01", "mobilisation_end": "2026-09-30"},
            "selfcheck_start",
            "自查自纠开始日期必须晚于动员部署结束日期",
        ),
        (
            {
                "deadlines-TOTAL_FORMS": 1,
                "deadlines-0-due_date": "2027-01-10",
                "deadlines-0-title": "区级培训",
                "deadlines-0-description": "监督员培训",
                "deadlines-0-owner": "office",
                "deadlines-0-code": "training",
            },
            "deadline-due_date",
            "“区级培训”的截止日期必须在 2026 年内",
        ),
    ],
    ids=["phase-before-the-year", "phase-after-the-year", "ends-before-start", "overlap", "out-of-order", "deadline"],
)
def test_the_year_form_refuses_a_bad_calendar_naming_the_field(client, office_user, changes, field, message):
    client.force_login(office_user)
    response = client.post("/admin/appraisal/appraisalyear/add/", year_form(**changes))
    assert response.status_code == 200
    errors = admin_errors(response)
    assert message in errors.pop(field), errors
    assert not AppraisalYear.objects.exists()


def test_the_year_form_asks_to_confirm_a_focus_equal_to_last_years(client, office_user):
    appraisal_year_create(year=2025, focus=Focus.DEPARTMENTS)
    client.force_login(office_user)
    response = client.post("/admin/appraisal/appraisalyear/add/", year_form())
    assert "评议重点与 2025 年相同（部门）" in admin_errors(response)["focus"]
    page = response.content.decode()
    assert 'type="checkbox" name="confirm_same_focus"' in page and "我知道评议重点与上一年度相同" in page
    assert not AppraisalYear.objects.filter(year=2026).exists()

    response = client.post("/admin/appraisal/appraisalyear/add/", year_form(confirm_same_focus="on"))
    assert response.status_code == 302
    assert AppraisalYear.objects.get(year=2026).focus == Focus.DEPARTMENTS


def test_the_confirmation_box_is_hidden_until_the_focus_repeats(client, office_user):
    appraisal_year_create(year=2025, focus=Focus.INDUSTRIES)
    client.force_login(office_user)
    page = client.get("/admin/appraisal/appraisalyear/add/").content.decode()
    assert 'type="hidden" name="confirm_same_focus"' in page
    assert client.post("/admin/appraisal/appraisalyear/add/", year_form()).status_code == 302


def test_editing_a_year_without_touching_the_focus_asks_nothing(client, office_user):
    appraisal_year_create(year=2025, focus=Focus.DEPARTMENTS)
    year = appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)
    client.force_login(office_user)
    data = year_form(district_team_size=14)
    data |= {"deadlines-INITIAL_FORMS": 0, "deadlines-TOTAL_FORMS": 0}
    response = client.post(f"/admin/appraisal/appraisalyear/{year.pk}/change/", data)
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.district_team_size == 14


def test_the_add_form_proposes_the_next_free_year_with_its_own_dates(client, office_user, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC))
    client.force_login(office_user)
    initial = client.get("/admin/appraisal/appraisalyear/add/").context["adminform"].form.initial
    assert initial["year"] == 2026 and initial["mobilisation_start"] == datetime.date(2026, 5, 1)

    appraisal_year_create(year=2026, focus=Focus.INDUSTRIES)
    initial = client.get("/admin/appraisal/appraisalyear/add/").context["adminform"].form.initial
    assert initial["year"] == 2027 and initial["focus"] == Focus.DEPARTMENTS
    assert initial["mobilisation_start"] == datetime.date(2027, 5, 1)
    assert initial["evaluation_end"] == datetime.date(2027, 11, 30)
