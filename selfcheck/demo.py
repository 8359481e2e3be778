"""Demo district, self-check part: each focus unit's register with problems from several channels in every
state of rectification, and a few public complaints; last year's registers, handed in and mostly rectified.
Units that already have problems in a year are left alone."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from appraisal.models import EvaluationItem
from units.demo import record_deliverable_steps, seed_reminders
from units.models import Deliverable, Unit

from .models import Problem
from .services import complaints, problem_create, problem_explain, problem_rectify, problem_start, problem_verify

# (source, description, cause, measure, disposition)
PROBLEMS = [
    (
        "self_check",
        "窗口工作人员午休时段无人值守，群众需等候",
        "排班不合理，未落实午间轮岗",
        "实行午间轮岗值班制度",
        "immediate",
    ),
    (
        "self_check",
        "办事指南与实际要求的材料不一致",
        "政策调整后未及时更新办事指南",
        "每月核对并更新办事指南",
        "deadline",
    ),
    ("visit", "服务对象反映电话咨询经常无人接听", "咨询电话仅设一部，占线严重", "增设咨询专线并公布", "deadline"),
    ("forum", "企业代表反映审批环节多、时间长", "部分环节可并联办理但仍串联", "梳理流程，推行并联审批", "plan"),
    ("letter", "来信反映收费公示牌内容陈旧", "收费标准调整后未更换公示牌", "更换公示牌并在网站同步公开", "immediate"),
    ("inspection", "暗访发现工作人员服务态度生硬", "文明服务培训不到位", "开展文明服务专题培训并纳入考核", "immediate"),
    ("media", "媒体报道窗口排队时间过长", "高峰时段窗口开设不足", "高峰时段增开窗口，推行预约办理", "deadline"),
    (
        "self_check",
        "老旧档案室无法满足档案数字化要求",
        "场地和经费暂不具备条件",
        "向区政府报告，争取列入明年预算",
        "explain",
    ),
]
COMPLAINTS = [
    (
        "demo-complaint-1",
        "秦淮公安分局",
        "户政办证大厅取号后等了两个多小时，中间有窗口一直空着不办理。",
        "户政办证大厅",
    ),
    ("demo-complaint-2", "夫子庙—秦淮风光带景区", "画舫售票处不找零钱，只让扫码付款，老人不会用。", "泮池码头售票处"),
    ("demo-complaint-3", "区房产局", "想咨询小区物业费的问题，打了一周电话都没人接。", ""),
]


def seed(demo):
    office = get_user_model().objects.get(username="office")
    _seed_registers(demo.last_year, office, random.Random(2012), finished=True)
    _seed_registers(demo.year, office, random.Random(2011))
    _seed_complaints(office)
    seed_reminders(demo.year, ["selfcheck_register"])
    record_deliverable_steps()  # the units' and the registers' deliverables


def _seed_registers(year, office, rng, finished=False):
    focus_units = [
        p.unit for p in year.participations.filter(is_focus=True).select_related("unit").order_by("unit__name")
    ]
    for unit in focus_units:
        if Problem.objects.filter(year=year, unit=unit).exists():
            continue
        _seed_register(year, unit, office, rng, finished)


def _seed_register(year, unit, office, rng, finished=False):
    items = list(EvaluationItem.objects.filter(kind=unit.kind))
    subunits = list(unit.subunits.all())
    for source, description, cause, measure, disposition in rng.sample(
        PROBLEMS, rng.randint(2, 4) if finished else rng.randint(3, 6)
    ):
        found_on = min(datetime.date(year.year, 7, rng.randint(12, 31)), timezone.localdate())
        problem = problem_create(
            year=year,
            unit=unit,
            source=source,
            found_on=found_on,
            item=rng.choice(items),
            by=office,
            subunit=rng.choice(subunits) if subunits and rng.random() < 0.6 else None,
            description=description,
            cause=cause,
            measure=measure,
            disposition=disposition,
            responsible=rng.choice(["李明", "王芳", "张建华", "周静", "陈立新"]),
            due_on=datetime.date(year.year, 12, 31) if disposition in ("deadline", "plan") else None,
        )
        _advance(problem, office, rng, finished)
    if finished or rng.random() < 0.7:
        Deliverable.objects.update_or_create(
            year=year,
            unit=unit,
            kind="selfcheck_register",
            defaults={
                "status": "accepted",
                "submitted_by": office,
                "reviewed_by": office,
                "submitted_at": _at(year.year, 8, rng.randint(18, 25)),
                "reviewed_at": _at(year.year, 8, 28),
            },
        )


def _advance(problem, office, rng, finished=False):
    """Carry a problem some way along its rectification, as the months since July would have (in a finished
    year, most of the way)."""
    if problem.disposition == "explain":
        problem_explain(problem=problem, by=office, note="场地和经费暂不具备条件，已向区政府书面报告。")
        return
    steps = ["in_progress", "rectified", "verified", "verified", "verified", "verified"] if finished else None
    step = rng.choice(steps or ["open", "in_progress", "rectified", "verified", "verified"])
    if step == "open":
        return
    problem = problem_start(problem=problem, by=office)
    if step == "in_progress":
        return
    problem = problem_rectify(problem=problem, by=office, note="已按整改措施落实，并建立长效制度。")
    if step == "verified":
        problem_verify(problem=problem, by=office)


def _at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def _seed_complaints(office):
    for key, unit_name, what, place in COMPLAINTS:
        unit = Unit.objects.get(name=unit_name)
        complaint = complaints.complaint_submit(unit=unit, what=what, place=place, submission_key=key)
        if complaint.status != complaint.Status.RECEIVED or key == "demo-complaint-3":
            continue
        if key == "demo-complaint-1":
            item = EvaluationItem.objects.get(kind=unit.kind, name="办事高效")
            complaints.complaint_accept(
                complaint=complaint,
                by=office,
                item=item,
                due_on=complaints.default_due_on(complaint.submitted_at.date()),
            )
        else:
            complaints.complaint_reject(
                complaint=complaint, by=office, reason="景区已开通现金找零，请向景区游客服务中心反映，我们将持续关注。"
            )
