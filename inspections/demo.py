"""Demo district, inspections part: a few entries of district supervisors (the `jiandu` login's among them) in
every state, open and covert, the accepted ones turned into register problems through the services. A
(supervisor, unit) pair that already has an inspection is left alone, so re-running changes nothing."""

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


def seed(demo):
    office = get_user_model().objects.get(username="office")
    now = timezone.localtime()
    for name, unit_name, days, mode, methods, summary, findings, state in INSPECTIONS:
        supervisor = Supervisor.objects.filter(name=name).first()
        unit = Unit.objects.filter(name=unit_name).first()
        if supervisor is None or unit is None or Inspection.objects.filter(supervisor__name=name, unit=unit).exists():
            continue
        start = supervisor.appointments.filter(year=demo.year).order_by("starts_on").first().starts_on
        day = max(now.date() - datetime.timedelta(days=days), start, datetime.date(now.year, 1, 1))
        occurred_at = min(now, now.replace(year=day.year, month=day.month, day=day.day, hour=10, minute=0))
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
            finding_add(
                inspection=inspection, item=items[position], observed=observed, place=place, livelihood=livelihood
            )
        if state != "draft":
            inspection_submit(inspection=inspection, by=supervisor.user)
        if state == "accepted":
            inspection_accept(inspection=inspection, by=office)
