"""Demo district, inspections part: a few entries of district supervisors (the `jiandu` login's among them) in
every state, open and covert, the accepted ones turned into register problems through the services; last
year's, all accepted. A (supervisor, unit, year) that already has an inspection is left alone, so re-running
changes nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from appraisal.models import EvaluationItem
from supervisors.models import Supervisor
from units.models import Unit

from .models import Inspection
from .services import finding_add, inspection_accept, inspection_create, inspection_submit, inspection_update

M = Inspection.Method
# (supervisor, unit, days ago, mode, methods, summary, [(item position, what was seen, where, livelihood)], state)
INSPECTIONS = [
    (
        "张国华",
        "秦淮公安分局",
        40,
        "covert",
        [M.ACCOMPANY],
        "陪同群众办理户口迁移，窗口秩序总体良好，发现两处问题。",
        [
            (8, "窗口工作人员对群众询问回答生硬，未做一次性告知", "户政办证大厅3号窗口", True),
            (4, "办事指南公示的材料清单与窗口实际要求不一致", "户政办证大厅", False),
        ],
        "accepted",
    ),
    ("张国华", "区民政局", 10, "open", [M.ASK_USERS], "征询婚姻登记群众意见12人，均表示满意。", [], "submitted"),
    (
        "张国华",
        "秦淮区实验小学",
        1,
        "covert",
        [M.SIMULATED_COMPLAINT],
        "",
        [(7, "模拟投诉收费问题，值班电话无人接听", "学校办公室", True)],
        "draft",
    ),
    (
        "李秀英",
        "区房产局",
        25,
        "covert",
        [M.RECORDING, M.OTHER],
        "录音记录咨询电话接听情况，并查看公示栏。",
        [(5, "物业咨询电话连续三天无人接听", "房产交易大厅", True)],
        "accepted",
    ),
    (
        "王建平",
        "秦淮区中医医院",
        5,
        "open",
        [M.ASK_USERS, M.ACCOMPANY],
        "陪同患者挂号取药，流程顺畅。",
        [],
        "submitted",
    ),
]


# Last year's, in its evaluation phase: (supervisor, unit, month, day, mode, methods, summary, findings).
LAST_YEAR = [
    (
        "张国华",
        "区司法局",
        9,
        12,
        "covert",
        [M.ACCOMPANY],
        "陪同群众到公共法律服务中心咨询法律援助。",
        [(4, "法律援助申请材料清单未在窗口公示", "公共法律服务中心", True)],
    ),
    ("张国华", "区建设局", 9, 26, "open", [M.ASK_USERS], "征询办理施工许可的企业意见8家，总体满意。", []),
    (
        "张国华",
        "秦淮工商分局",
        10,
        10,
        "covert",
        [M.SIMULATED_COMPLAINT],
        "模拟投诉虚假宣传。",
        [(5, "投诉登记后未在承诺时限内回复", "企业登记窗口", False)],
    ),
    (
        "陈志强",
        "区环保局",
        9,
        18,
        "covert",
        [M.RECORDING],
        "录音记录环评审批咨询。",
        [(8, "窗口人员接听咨询电话时态度生硬", "建设项目环评审批窗口", False)],
    ),
    ("赵德明", "区劳动和社会保障局", 10, 15, "open", [M.ASK_USERS], "征询就业服务窗口群众意见15人。", []),
    (
        "黄晓梅",
        "区民政局",
        9,
        20,
        "covert",
        [M.ACCOMPANY],
        "陪同老人办理低保申请。",
        [(3, "低保审批公示信息更新不及时", "社会救助管理所", True)],
    ),
]


def seed(demo):
    office = get_user_model().objects.get(username="office")
    _seed_last_year(demo.last_year, office)
    now = timezone.localtime()
    for name, unit_name, days, mode, methods, summary, findings, state in INSPECTIONS:
        supervisor = Supervisor.objects.filter(name=name).first()
        unit = Unit.objects.filter(name=unit_name).first()
        if supervisor is None or unit is None or _inspected(name, unit, demo.year):
            continue
        start = supervisor.appointments.filter(year=demo.year).order_by("starts_on").first().starts_on
        day = max(now.date() - datetime.timedelta(days=days), start, datetime.date(now.year, 1, 1))
        occurred_at = min(now, now.replace(year=day.year, month=day.month, day=day.day, hour=10, minute=0))
        inspection = _file(supervisor, unit, occurred_at, mode, methods, summary, findings)
        if state != "draft":
            inspection_submit(inspection=inspection, by=supervisor.user)
        if state == "accepted":
            inspection_accept(inspection=inspection, by=office)


def _inspected(name, unit, year):
    return Inspection.objects.filter(supervisor__name=name, unit=unit, year=year).exists()


def _seed_last_year(year, office):
    for name, unit_name, month, day, mode, methods, summary, findings in LAST_YEAR:
        supervisor = Supervisor.objects.filter(name=name).first()
        unit = Unit.objects.filter(name=unit_name).first()
        if supervisor is None or unit is None or _inspected(name, unit, year):
            continue
        occurred_at = timezone.make_aware(datetime.datetime(year.year, month, day, 10))
        inspection = _file(supervisor, unit, occurred_at, mode, methods, summary, findings)
        inspection_submit(inspection=inspection, by=supervisor.user)
        inspection_accept(inspection=inspection, by=office)


def _file(supervisor, unit, occurred_at, mode, methods, summary, findings):
    """A draft inspection with its findings, as the supervisor would file it."""
    inspection = inspection_create(
        supervisor=supervisor,
        unit=unit,
        occurred_at=occurred_at,
        mode=mode,
        methods=methods,
        other_method="查看公示栏" if M.OTHER in methods else "",
    )
    items = {item.position: item for item in EvaluationItem.objects.filter(kind=unit.kind)}
    inspection_update(
        inspection=inspection,
        summary=summary,
        subunit=unit.subunits.order_by("id").first(),
        items=[items[position] for position, *_rest in findings],
    )
    for position, observed, place, livelihood in findings:
        finding_add(inspection=inspection, item=items[position], observed=observed, place=place, livelihood=livelihood)
    return inspection
