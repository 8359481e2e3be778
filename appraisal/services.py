import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AppraisalYear, Deadline, Focus

YEAR_EXISTS = _("The %(year)s appraisal year already exists; edit it instead of creating it again.")
# The calendar's rules, each naming the field it is about (the field's name in the form, e.g. 自查自纠开始).
DATE_OUTSIDE_YEAR = _("The date “%(field)s” must fall within %(year)s.")
PHASE_ENDS_BEFORE_START = _("The date “%(end)s” must not be before “%(start)s”.")
PHASE_BEFORE_PREVIOUS = _(
    "The date “%(start)s” must come after “%(previous)s”: the three phases follow one another without overlapping."
)
DEADLINE_OUTSIDE_YEAR = _("The due date of “%(title)s” must fall within %(year)s.")
SAME_FOCUS_AS_LAST_YEAR = _(
    "The focus is the same as in %(year)s (%(focus)s), but it alternates between industries and departments. "
    "Change it, or tick “I know the focus is the same as last year's” to keep it."
)

# The phases in their order, each as (start field, end field).
PHASES = [
    ("mobilisation_start", "mobilisation_end"),
    ("selfcheck_start", "selfcheck_end"),
    ("evaluation_start", "evaluation_end"),
]

Owner = Deadline.Owner

# The district's calendar as its implementing opinions set it: (code, month, day, owner, title, what is due,
# submitted to). Dates are defaults; the office edits them per year. Texts are the rules' own words.
DEFAULT_DEADLINES = [
    (
        "hotline",
        6,
        30,
        Owner.OFFICE,
        "参加《政风行风热线》联动活动",
        "区行评办、依法治区办会同区有关部门参加市《政风行风热线》联动活动。",
        "",
    ),
    (
        "materials",
        7,
        10,
        Owner.FOCUS_UNITS,
        "报送实施方案及有关资料",
        "重点评议部门和行业（单位）以电子表格和纸质件报送：（1）实施方案；（2）领导小组及办公室负责人、联络员、"
        "监督员名单和联系方式；（3）所属站、所、院、校和服务（办事）窗口名称、地址、负责人、联络员及联系方式；"
        "（4）重点评议行业（单位）服务对象资料100份（重点评议部门于次年报送）；（5）公开政务（事务）和承诺服务事项。",
        "区行评办、依法治区办",
    ),
    (
        "mobilisation",
        7,
        10,
        Owner.OFFICE,
        "召开动员大会，公开承诺事项，推荐十佳示范窗口",
        "召开全区民主评议工作动员大会；组织公开政务（事务）和承诺服务事项；向市行风办推荐1—2个“十佳”示范窗口"
        "并报送推荐表。",
        "市行风办",
    ),
    (
        "selfcheck",
        7,
        31,
        Owner.FOCUS_UNITS,
        "完成自查并征求社会各界意见",
        "对所属业务科（室）和基层站、所、院、校、服务（办事）窗口进行自查；走访、座谈、发函、公布投诉电话等"
        "征求意见；将问题、意见和建议逐项录入自查自纠登记表。",
        "",
    ),
    (
        "selfcheck_register",
        8,
        25,
        Owner.FOCUS_UNITS,
        "报送自查自纠登记表",
        "将《被评议部门和行业（单位）自查自纠登记表》电子版报送区行评办、依法治区办。",
        "区行评办、依法治区办",
    ),
    (
        "district_register",
        8,
        31,
        Owner.OFFICE,
        "报送区县自查自纠登记表汇总",
        "区行评办将汇总的《区县被评议部门和行业（单位）自查自纠登记表》报送市行风办。",
        "市行风办",
    ),
    (
        "hearing",
        10,
        31,
        Owner.FOCUS_UNITS,
        "召开述职评议大会",
        "重点评议行业（单位）召开“向服务对象述职，接受群众评议”大会（重点评议部门自行决定），服务对象代表不少于"
        "30名、监督员不少于4名，现场满意度测评；迎接市行风办对“十佳”示范窗口的评议；评选区“行风建设示范窗口”"
        "及“基层执法（服务）示范单位”。",
        "",
    ),
    (
        "annual_summary",
        11,
        15,
        Owner.FOCUS_UNITS,
        "报送年度总结报告及长效管理制度",
        "形成有数据、有做法、有实例、有具体整改措施的年度书面总结报告，附长效管理制度，纸质件和电子版报送。",
        "区行评办、依法治区办",
    ),
    (
        "district_summary",
        11,
        25,
        Owner.OFFICE,
        "完成全区工作总结",
        "区行评办完成全区政风行风建设和民主评议工作总结，报送区委、区政府和市行风办。",
        "区委、区政府、市行风办",
    ),
]


def default_phases(year):
    d = datetime.date
    return {
        "mobilisation_start": d(year, 5, 1),
        "mobilisation_end": d(year, 7, 10),
        "selfcheck_start": d(year, 7, 11),
        "selfcheck_end": d(year, 8, 31),
        "evaluation_start": d(year, 9, 1),
        "evaluation_end": d(year, 11, 30),
    }


def _label(name):
    return AppraisalYear._meta.get_field(name).verbose_name


def calendar_errors(*, year: int, dates: dict) -> dict[str, ValidationError]:
    """What is wrong with a year's phases, by field: a date outside the year, a phase that ends before it
    starts, a phase that starts before the previous one ends. Dates that are missing (None) are skipped."""
    errors = {}
    for name in [name for phase in PHASES for name in phase]:
        day = dates.get(name)
        if day is not None and day.year != year:
            errors[name] = ValidationError(DATE_OUTSIDE_YEAR, params={"field": _label(name), "year": year})
    previous_end = None
    for start, end in PHASES:
        begins, ends = dates.get(start), dates.get(end)
        if begins and ends and ends < begins and end not in errors:
            errors[end] = ValidationError(PHASE_ENDS_BEFORE_START, params={"end": _label(end), "start": _label(start)})
        if begins and previous_end and begins <= dates[previous_end] and start not in errors:
            errors[start] = ValidationError(
                PHASE_BEFORE_PREVIOUS, params={"start": _label(start), "previous": _label(previous_end)}
            )
        previous_end = end if ends else None
    return errors


def deadline_error(*, year: int, due_date, title: str) -> ValidationError | None:
    """A deadline belongs to its year: its due date falls within it."""
    if due_date is not None and due_date.year != year:
        return ValidationError(DEADLINE_OUTSIDE_YEAR, params={"title": title, "year": year})
    return None


def previous_year(year: int) -> AppraisalYear | None:
    return AppraisalYear.objects.filter(year__lt=year).order_by("-year").first()


def same_focus_error(*, year: int, focus: str) -> ValidationError | None:
    """Focus alternates: keeping last year's needs the office's confirmation, asked with this message."""
    previous = previous_year(year)
    if previous is not None and previous.focus == focus:
        return ValidationError(
            SAME_FOCUS_AS_LAST_YEAR,
            code="same_focus",
            params={"year": previous.year, "focus": previous.get_focus_display()},
        )
    return None


def next_free_year() -> int:
    """The year the office most likely creates next: the one after the latest, or this year when there is none."""
    latest = AppraisalYear.objects.order_by("-year").values_list("year", flat=True).first()
    return latest + 1 if latest else timezone.localdate().year


def default_focus(year):
    """Focus alternates: the opposite of the previous year's, industries when there is none."""
    previous = previous_year(year)
    if previous is None:
        return Focus.INDUSTRIES
    return Focus.DEPARTMENTS if previous.focus == Focus.INDUSTRIES else Focus.INDUSTRIES


@transaction.atomic
def appraisal_year_create(*, year: int, focus: str | None = None, **phase_dates) -> AppraisalYear:
    """Create a campaign year with the default phases and the default deadline calendar."""
    if AppraisalYear.objects.filter(year=year).exists():
        raise ValidationError(YEAR_EXISTS, params={"year": year})
    dates = default_phases(year) | phase_dates
    errors = calendar_errors(year=year, dates=dates)
    if errors:
        raise ValidationError(errors)
    appraisal_year = AppraisalYear(year=year, focus=focus or default_focus(year), **dates)
    appraisal_year.full_clean()
    appraisal_year.save()
    deadlines_create_defaults(appraisal_year=appraisal_year)
    return appraisal_year


def deadlines_create_defaults(*, appraisal_year: AppraisalYear) -> list[Deadline]:
    """Add the calendar's default deadlines that the year does not have yet (by code)."""
    existing = set(appraisal_year.deadlines.values_list("code", flat=True))
    return Deadline.objects.bulk_create(
        Deadline(
            year=appraisal_year,
            code=code,
            due_date=datetime.date(appraisal_year.year, month, day),
            owner=owner,
            title=title,
            description=description,
            recipient=recipient,
        )
        for code, month, day, owner, title, description, recipient in DEFAULT_DEADLINES
        if code not in existing
    )
