"""Summary 5: the year's statistics per unit — problems found by channel, rectified, verified, overdue;
inspections and the unit team's quotas; deliverables; satisfaction; the composite score and rank.

The figures are reports.statistics.annual_statistics', the same the leaders' dashboard shows.
"""

from appraisal.excel import titled_sheet
from appraisal.models import Focus
from selfcheck.models import Problem
from units.models import Participation

from ..statistics import annual_statistics
from .common import heading, labels, stream, yes_no

TITLE = "政风行风民主评议年度统计表"
# In the rank column of a unit that is no focus unit this year: it was not evaluated, so it has no score.
NOT_EVALUATED = "本年度未评议"
SHEET = "年度统计"


def columns():
    channels = [(f"问题来源：{label}", 10) for _value, label in Problem.Source.choices]
    return [
        ("排名", 6),
        ("单位", 20),
        ("类别", 8),
        ("重点评议", 8),
        ("发现问题", 10),
        *channels,
        ("已整改", 8),
        ("已验证", 8),
        ("已说明", 8),
        ("未整改", 8),
        ("逾期未整改", 10),
        ("整改率(%)", 10),
        ("明查暗访（已采纳）", 12),
        ("自查自纠阶段监督员检查", 12),
        ("自查自纠阶段应查", 10),
        ("全年监督员检查", 10),
        ("全年应查", 8),
        ("应报送材料", 10),
        ("按时报送", 8),
        ("逾期报送", 8),
        ("逾期未报送", 10),
        ("述职评议满意率(%)", 12),
        ("述职评议得分", 12),
        ("万人评议满意率(%)", 12),
        ("综合得分", 10),
    ]


def statistics(scope):
    rows = annual_statistics(scope.year)
    return [row for row in rows if row["unit"]["id"] == scope.unit.pk] if scope.unit else rows


def total(scope) -> int:
    # Counting the units is cheap; the statistics themselves are computed once, while writing.
    found = Participation.objects.filter(year=scope.year, unit__is_active=True)
    return found.filter(unit=scope.unit).count() if scope.unit else found.count()


def _quota(quota):
    return (quota.done, quota.target) if quota is not None else (None, None)


def rows(scope):
    kinds = labels(Focus.choices)
    for row in statistics(scope):
        unit = row["unit"]
        yield (
            row["rank"] if row["is_focus"] else NOT_EVALUATED,
            unit["name"],
            kinds.get(unit["kind"], unit["kind"]),
            yes_no(row["is_focus"]),
            row["problems"],
            *(row["problems_by_channel"].get(source, 0) for source in Problem.Source.values),
            row["rectified"],
            row["verified"],
            row["explained"],
            row["open"],
            row["overdue"],
            row["rectification_rate"],
            row["inspections_accepted"],
            *_quota(row["team_quota_selfcheck"]),
            *_quota(row["team_quota_year"]),
            row["deliverables_owed"],
            row["deliverables_on_time"],
            row["deliverables_late"],
            row["deliverables_missing"],
            row["hearing_rate"],
            row["hearing_score"],
            row["survey_rate"],
            row["score"],
        )


def write(workbook, scope, progress) -> int:
    sheet = titled_sheet(workbook, SHEET, heading=heading(scope, TITLE), columns=columns())
    return stream(sheet, rows(scope), progress)
