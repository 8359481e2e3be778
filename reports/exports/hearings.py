"""Summary 3: the hearings' satisfaction votes and the city's 万人评议 survey.

Sheet one: per closed hearing and evaluation item the four counts, the satisfaction rate and the composite
score as frozen at closing, then the hearing's total. Sheet two: each unit's survey figures, rated with the
year's formula and answer weights (the hearings' own).
"""

from decimal import Decimal

from appraisal.excel import titled_sheet
from appraisal.models import Focus
from hearings.models import Answer, Hearing, SurveyResult
from hearings.selectors import composite_score, satisfaction_rate

from .common import CHUNK_SIZE, heading, labels, stream

TITLE = "述职评议大会和万人评议满意度测评结果"
HEARING_SHEET = "述职评议大会测评结果"
SURVEY_SHEET = "万人评议测评结果"
COUNT_COLUMNS = [("满意", 8), ("基本满意", 10), ("不满意", 8), ("不了解", 8), ("满意率(%)", 10), ("综合得分", 10)]
HEARING_COLUMNS = [("序号", 6), ("单位", 20), ("类别", 8), ("评议日期", 12), ("评议内容", 12), *COUNT_COLUMNS]
SURVEY_COLUMNS = [("序号", 6), ("单位", 20), ("类别", 8), ("参评人数", 10), *COUNT_COLUMNS]
TOTAL = "合计"


def _number(text):
    return None if text is None else Decimal(text)


def _counts(counts):
    return [counts.get(answer, 0) for answer in Answer.values]


def closed_hearings(scope):
    found = Hearing.objects.filter(year=scope.year, status=Hearing.Status.CLOSED, results__isnull=False)
    return found.filter(unit=scope.unit) if scope.unit else found


def surveys(scope):
    found = SurveyResult.objects.filter(year=scope.year)
    return found.filter(unit=scope.unit) if scope.unit else found


def total(scope) -> int:
    hearings = closed_hearings(scope).values_list("results", flat=True)
    return sum(len(results.get("items", [])) + 1 for results in hearings.iterator()) + surveys(scope).count()


def hearing_rows(scope):
    kinds = labels(Focus.choices)
    ordered = closed_hearings(scope).order_by("unit__name", "held_on", "id")
    values = ordered.values_list("unit__name", "unit__kind", "held_on", "results").iterator(chunk_size=CHUNK_SIZE)
    seq = 0
    for unit, kind, held_on, results in values:
        lines = [(item["name"], item) for item in results.get("items", [])] + [(TOTAL, results["overall"])]
        for name, line in lines:
            seq += 1
            counts = _counts(line["counts"])
            yield (
                seq,
                unit,
                kinds.get(kind, kind),
                held_on,
                name,
                *counts,
                _number(line["rate"]),
                _number(line["score"]),
            )


def survey_rows(scope):
    year = scope.year
    weights = {
        Answer.SATISFIED: year.hearing_weight_satisfied,
        Answer.FAIRLY_SATISFIED: year.hearing_weight_fairly,
        Answer.DISSATISFIED: year.hearing_weight_dissatisfied,
    }
    kinds = labels(Focus.choices)
    ordered = surveys(scope).select_related("unit").order_by("unit__name")
    for seq, survey in enumerate(ordered.iterator(chunk_size=CHUNK_SIZE), start=1):
        counts = survey.counts()
        rate = satisfaction_rate(counts, year.hearing_rate_formula)
        score = composite_score(counts, weights)
        yield (seq, survey.unit.name, kinds.get(survey.unit.kind), survey.respondents, *_counts(counts), rate, score)


def write(workbook, scope, progress) -> int:
    sheet = titled_sheet(workbook, HEARING_SHEET, heading=heading(scope, HEARING_SHEET), columns=HEARING_COLUMNS)
    written = stream(sheet, hearing_rows(scope), progress)
    sheet = titled_sheet(workbook, SURVEY_SHEET, heading=heading(scope, SURVEY_SHEET), columns=SURVEY_COLUMNS)
    return written + stream(sheet, survey_rows(scope), progress)
