"""Demo district, hearings part: a closed hearing with results for 秦淮区实验小学 (drawn from its 100 service
objects, its team and the district team, voted through the services) and a planned one for 区民政局; last year,
a closed hearing of 区民政局 (a focus department then) and the city's survey figures. A unit that already has a
hearing in a year is left alone, so re-running changes nothing."""

import datetime
import random

from appraisal.models import EvaluationItem
from units.models import SubUnit, Unit

from . import services
from .models import Answer, Attendee, Hearing, SurveyResult, WindowNomination

SCHOOL, PLANNED_UNIT = "秦淮区实验小学", "区民政局"
LAST_YEAR_UNIT = "区民政局"  # it has last year's service objects (units.demo)
ANSWER_WEIGHTS = [(Answer.SATISFIED, 60), (Answer.FAIRLY_SATISFIED, 25), (Answer.DISSATISFIED, 8), (Answer.UNKNOWN, 7)]


def seed(demo):
    year = demo.year
    office = _office_user()
    _seed_last_year(demo.last_year, office)
    school = Unit.objects.filter(name=SCHOOL).first()
    if school and not Hearing.objects.filter(unit=school, year=year).exists():
        _closed_hearing(school, year, office)
    _survey_and_windows(year, office)
    unit = Unit.objects.filter(name=PLANNED_UNIT).first()
    if unit and not Hearing.objects.filter(unit=unit, year=year).exists():
        services.hearing_create(
            unit=unit, year=year, held_on=datetime.date(year.year, 10, 28), venue="区民政局二楼会议室", by=office
        )


def _office_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username="office").first()


def _seed_last_year(year, office):
    unit = Unit.objects.filter(name=LAST_YEAR_UNIT).first()
    if unit and not Hearing.objects.filter(unit=unit, year=year).exists():
        _closed_hearing(
            unit, year, office, venue="区民政局二楼会议室", seed=20241020, comment="希望低保审核进度能在网上查询"
        )
    school = Unit.objects.filter(name=SCHOOL).first()
    if school:
        SurveyResult.objects.get_or_create(
            year=year,
            unit=school,
            defaults={"respondents": 400, "satisfied": 268, "fairly": 92, "dissatisfied": 26, "unknown": 14},
        )


def _closed_hearing(unit, year, office, *, venue="学校报告厅", seed=20251015, comment="希望课后服务时间更灵活"):
    hearing = services.hearing_create(
        unit=unit, year=year, held_on=datetime.date(year.year, 10, 15), venue=venue, by=office
    )
    services.representatives_draw(hearing=hearing, count=36, seed=seed)
    for appointment in services.eligible_supervisors(hearing).select_related("supervisor")[:6]:
        services.supervisor_add(hearing=hearing, supervisor=appointment.supervisor)
    services.hearing_open_check_in(hearing=hearing, by=office)
    for attendee in hearing.attendees.all()[:32]:
        services.attendee_check_in(attendee=attendee)
    for attendee in hearing.attendees.filter(kind=Attendee.Kind.SUPERVISOR):
        services.attendee_check_in(attendee=attendee)
    tokens = services.hearing_open_voting(hearing=hearing, by=office)
    chooser = random.Random(1015)
    positions = EvaluationItem.objects.filter(kind=unit.kind).values_list("position", flat=True)
    answers, weights = zip(*ANSWER_WEIGHTS, strict=True)
    for n, token in enumerate(tokens[:-3]):
        choice = {str(p): chooser.choices(answers, weights)[0] for p in positions}
        add = services.paper_ballot_add if n % 10 == 0 else None
        if add:
            add(hearing=hearing, answers=choice)
        else:
            services.ballot_cast(secret=token, answers=choice, comment=comment if n == 5 else "")
    services.hearing_close(hearing=hearing, by=office)


def _survey_and_windows(year, office):
    """The city's survey figures for the school and two model-window nominations, one of them decided."""
    school = Unit.objects.filter(name=SCHOOL).first()
    if school:
        SurveyResult.objects.get_or_create(
            year=year,
            unit=school,
            defaults={
                "respondents": 420,
                "satisfied": 301,
                "fairly": 86,
                "dissatisfied": 19,
                "unknown": 14,
            },
        )
    for unit_name, window_name, award, decide in [
        (SCHOOL, "招生咨询窗口", WindowNomination.Award.CITY_TOP_TEN, True),
        ("秦淮公安分局", "户政办证大厅", WindowNomination.Award.DISTRICT_WINDOW, False),
    ]:
        subunit = SubUnit.objects.filter(unit__name=unit_name, name=window_name).first()
        if subunit is None or WindowNomination.objects.filter(year=year, subunit=subunit, award=award).exists():
            continue
        nomination = services.window_nomination_create(
            year=year,
            subunit=subunit,
            award=award,
            reasons="窗口推行预约办理和延时服务，群众满意度连续两年位居全区前列。",
            commitments="一次告知、限时办结、首问负责。",
            satisfaction_evidence="2026年万人评议满意率92%。",
        )
        if decide:
            services.window_nomination_decide(
                nomination=nomination, selected=True, note="经区评议领导小组研究，同意推荐。", by=office
            )
