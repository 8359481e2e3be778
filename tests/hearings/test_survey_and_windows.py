import pytest
from django.core.exceptions import ValidationError

from appraisal.excel import NOT_A_NUMBER, cell_error
from hearings import services
from hearings.models import SurveyResult, WindowNomination
from hearings.selectors import satisfaction_rate
from hearings.survey_import import COUNTS_DO_NOT_ADD_UP, SURVEY_SHEET, UNKNOWN_UNIT, survey_results_import

from ..excel_files import workbook_bytes
from ..factories import SubUnitFactory, SurveyResultFactory, WindowNominationFactory
from .conftest import all_answers

HEADERS = ["单位名称", "参评人数", "满意", "基本满意", "不满意", "不了解"]
CITY = WindowNomination.Award.CITY_TOP_TEN


def survey_file(*rows):
    return workbook_bytes({"万人评议": [HEADERS, *rows]})


def test_a_valid_file_is_imported(year, unit_a, unit_b):
    result = survey_results_import(
        upload=survey_file([unit_a.name, 100, 60, 30, 6, 4], [unit_b.name, 50, 40, 5, 5, 0]), year=year
    )
    assert (result.created, result.updated) == (2, 0)
    stored = SurveyResult.objects.get(year=year, unit=unit_a)
    assert stored.counts() == {"satisfied": 60, "fairly": 30, "dissatisfied": 6, "unknown": 4}


def test_every_wrong_row_is_reported_and_nothing_written(year, unit_a):
    upload = survey_file(
        [unit_a.name, 100, 60, 30, 6, 4],
        ["无此单位", 10, 10, 0, 0, 0],
        [unit_a.name, "很多", 1, 0, 0, 0],
        [unit_a.name, 10, 5, 0, 0, 0],
    )
    with pytest.raises(ValidationError) as raised:
        survey_results_import(upload=upload, year=year)
    messages = raised.value.messages
    assert cell_error(SURVEY_SHEET, 3, "unit", UNKNOWN_UNIT % {"name": "无此单位"}) in messages
    assert cell_error(SURVEY_SHEET, 4, "respondents", NOT_A_NUMBER % {"value": "很多"}) in messages
    too_few = COUNTS_DO_NOT_ADD_UP % {"total": 5, "respondents": 10}
    assert cell_error(SURVEY_SHEET, 5, "respondents", too_few) in messages
    assert not SurveyResult.objects.exists()


def test_counts_that_do_not_add_up_are_refused(year, unit_a):
    with pytest.raises(ValidationError) as raised:
        survey_results_import(upload=survey_file([unit_a.name, 100, 60, 30, 6, 5]), year=year)
    message = COUNTS_DO_NOT_ADD_UP % {"total": 101, "respondents": 100}
    assert raised.value.messages == [cell_error(SURVEY_SHEET, 2, "respondents", message)]
    assert not SurveyResult.objects.exists()


def test_the_database_refuses_counts_that_do_not_add_up(year, unit_a):
    with pytest.raises(ValidationError):
        SurveyResult(
            year=year, unit=unit_a, respondents=9, satisfied=1, fairly=1, dissatisfied=1, unknown=1
        ).full_clean()


def test_importing_again_updates(year, unit_a):
    survey_results_import(upload=survey_file([unit_a.name, 100, 60, 30, 6, 4]), year=year)
    result = survey_results_import(upload=survey_file([unit_a.name, 80, 80, 0, 0, 0]), year=year)
    assert (result.created, result.updated) == (0, 1)
    assert SurveyResult.objects.get().respondents == 80


def test_the_import_page_reports_the_errors(client_for, office_user, year, unit_a):
    client = client_for(office_user)
    assert client.get("/hearings/survey/template/")["Content-Type"].startswith("application/vnd.openxml")
    response = client.post("/hearings/survey/", {"year": year.pk, "file": survey_file([unit_a.name, 2, 1, 0, 0, 0])})
    assert len(response.context["errors"]) == 1 and not SurveyResult.objects.exists()
    response = client.post("/hearings/survey/", {"year": year.pk, "file": survey_file([unit_a.name, 1, 1, 0, 0, 0])})
    assert response.context["result"].created == 1


def test_the_survey_rate_is_shown_beside_the_hearing_results(client_for, office_user, hearing, voting):
    tokens = voting()
    services.ballot_cast(secret=tokens[0], answers=all_answers(hearing))
    services.hearing_close(hearing=hearing, by=office_user)
    survey = SurveyResultFactory(
        year=hearing.year, unit=hearing.unit, satisfied=60, fairly=30, dissatisfied=6, unknown=4
    )
    response = client_for(office_user).get(f"/hearings/{hearing.pk}/results/")
    expected = satisfaction_rate(survey.counts(), hearing.year.hearing_rate_formula)
    assert response.context["survey_rate"] == expected
    assert f'id="survey-rate">{expected}%' in response.content.decode()


def nominate(year, award=CITY, subunit=None):
    return services.window_nomination_create(
        year=year,
        subunit=subunit or SubUnitFactory(),
        award=award,
        reasons="办事效率高",
        commitments="限时办结",
        satisfaction_evidence="满意度98%",
    )


def test_at_most_two_city_nominations_a_year(year):
    nominate(year)
    nominate(year)
    with pytest.raises(ValidationError) as raised:
        nominate(year)
    assert raised.value.messages == [str(services.CITY_NOMINATIONS_FULL % {"limit": 2, "year": 2026})]
    nominate(year, award=WindowNomination.Award.DISTRICT_WINDOW)
    assert WindowNomination.objects.filter(award=CITY).count() == 2


def test_a_decision_is_recorded_once(year, office_user):
    nomination = nominate(year)
    services.window_nomination_decide(nomination=nomination, selected=True, note="市评为十佳", by=office_user)
    nomination.refresh_from_db()
    assert (nomination.status, nomination.decision_note, nomination.decided_by) == (
        "selected",
        "市评为十佳",
        office_user,
    )
    assert nomination.decided_at is not None
    with pytest.raises(ValidationError):
        services.window_nomination_decide(nomination=nomination, selected=False, by=office_user)


def test_the_office_adds_and_decides_on_the_page(client_for, office_user, year):
    client = client_for(office_user)
    subunit = SubUnitFactory()
    data = {
        "subunit": subunit.pk,
        "award": CITY,
        "reasons": "好",
        "commitments": "承诺",
        "satisfaction_evidence": "98%",
    }
    client.post("/hearings/windows/?year=2026", data)
    nomination = WindowNomination.objects.get()
    client.post(f"/hearings/windows/{nomination.pk}/decide/", {"selected": "0", "note": "未入选"})
    nomination.refresh_from_db()
    assert (nomination.status, nomination.decided_by) == ("not_selected", office_user)
    page = client.get("/hearings/windows/?year=2026")
    assert list(page.context["nominations"]) == [nomination]


@pytest.mark.parametrize("url", ["/hearings/survey/", "/hearings/survey/template/", "/hearings/windows/?year=2026"])
def test_only_the_office_sees_the_pages(client, client_for, year, url, liaison_a, leader_user, outsider):
    assert client.get(url).status_code == 302
    for user in (liaison_a, leader_user, outsider):
        assert client_for(user).get(url).status_code == 403


def test_only_the_office_decides(client_for, year, liaison_a):
    nomination = WindowNominationFactory(year=year)
    assert (
        client_for(liaison_a).post(f"/hearings/windows/{nomination.pk}/decide/", {"selected": "1"}).status_code == 403
    )
    nomination.refresh_from_db()
    assert nomination.status == "nominated"
