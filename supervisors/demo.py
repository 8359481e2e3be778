"""Demo district, supervisors part: the 16-member district team, three units' teams (one of them below the
rule on purpose), a training session, the school's request to end one appointment (waiting for the office) and
the `jiandu` login of a district supervisor. The district team served last year too; this year's appointments
renew last year's. Re-running changes nothing: people are matched by name and phone, appointments by supervisor,
year and team."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from units.models import Unit

from .models import Appointment, Supervisor, Training
from .services import appointment_create, end_request_ask, term_end

S = Supervisor.Sector

# (name, sector, employer, evaluated unit that employs them or "", phone, email)
DISTRICT_TEAM = [
    ("张国华", S.NPC_DEPUTY, "秦淮区人大常委会代表联络室", "", "13905141201", "zhangguohua@163.com"),
    ("李秀英", S.NPC_DEPUTY, "南京金陵制药有限公司", "", "13905141202", ""),
    ("王建平", S.CPPCC_MEMBER, "秦淮区政协文史委员会", "", "13905141203", "wangjp@qinhuai.gov.cn"),
    ("刘桂兰", S.CPPCC_MEMBER, "秦淮区第一中学", "秦淮区第一中学", "13905141204", ""),
    ("陈志强", S.DEMOCRATIC_PARTY, "民进秦淮区委员会", "", "13905141205", "chenzq@126.com"),
    ("杨丽华", S.DEMOCRATIC_PARTY, "秦淮区中医医院", "秦淮区中医医院", "13905141206", ""),
    ("赵德明", S.PEOPLES_ORGANISATION, "秦淮区总工会", "", "13905141207", ""),
    ("黄晓梅", S.PEOPLES_ORGANISATION, "秦淮区妇联", "", "13905141208", "huangxm@qinhuai.gov.cn"),
    ("周文斌", S.PEOPLES_ORGANISATION, "共青团秦淮区委", "", "13905141209", ""),
    ("吴海峰", S.ENTERPRISE, "南京夫子庙文化旅游集团", "", "13905141210", "wuhf@fzmtour.com"),
    ("徐美玲", S.ENTERPRISE, "江苏苏宁易购秦淮分公司", "", "13905141211", ""),
    ("孙振东", S.ENTERPRISE, "南京秦淮建设发展有限公司", "", "13905141212", ""),
    ("胡秀珍", S.SERVICE_OBJECT, "大光路街道居民", "", "13905141213", ""),
    ("朱立新", S.SERVICE_OBJECT, "个体工商户", "", "13905141214", "zhulx@qq.com"),
    ("高云", S.OTHER, "区民政局退休干部", "区民政局", "13905141215", ""),
    ("林宏伟", S.OTHER, "江苏秦淮律师事务所", "", "13905141216", "linhw@lawyer.cn"),
]
# Unit teams: the school's and the hospital's meet the rule; the scenic area's does not (3 members, 1 service
# object), so the office's list shows a flag.
UNIT_TEAMS = {
    "秦淮区实验小学": [
        ("马建军", S.NPC_DEPUTY, "秦淮区瑞金路街道", "", "13813901301", ""),
        ("郭晓燕", S.SERVICE_OBJECT, "学生家长", "", "13813901302", ""),
        ("何丽", S.SERVICE_OBJECT, "学生家长", "", "13813901303", "heli@163.com"),
        ("罗志刚", S.ENTERPRISE, "南京新华书店秦淮分店", "", "13813901304", ""),
    ],
    "秦淮区中医医院": [
        ("梁淑芬", S.CPPCC_MEMBER, "秦淮区政协", "", "13813901311", ""),
        ("宋国庆", S.SERVICE_OBJECT, "患者代表", "", "13813901312", ""),
        ("郑小红", S.SERVICE_OBJECT, "患者家属", "", "13813901313", ""),
        ("谢永安", S.SERVICE_OBJECT, "中华门街道居民", "", "13813901314", ""),
        ("韩冰", S.PEOPLES_ORGANISATION, "秦淮区残联", "", "13813901315", ""),
    ],
    "夫子庙—秦淮风光带景区": [
        ("唐明", S.ENTERPRISE, "秦淮河画舫游船公司", "", "13813901321", ""),
        ("冯雪", S.SERVICE_OBJECT, "游客代表", "", "13813901322", ""),
        ("曹建华", S.OTHER, "夫子庙商户协会", "", "13813901323", ""),
    ],
}


def seed(demo):
    year = demo.year
    starts_on = min(timezone.localdate(), year.mobilisation_start)
    units = {unit.name: unit for unit in Unit.objects.all()}
    last = {row[0]: _appoint_last_year(row, units, demo.last_year, starts_on) for row in DISTRICT_TEAM}
    district = [_appoint(row, units, year, None, starts_on, renewed_from=last[row[0]]) for row in DISTRICT_TEAM]
    for unit_name, rows in UNIT_TEAMS.items():
        for row in rows:
            _appoint(row, units, year, units[unit_name], starts_on)
    user = demo.account("jiandu", role=_("Supervisor"), full_name=district[0].name)
    Supervisor.objects.filter(user=user).exclude(pk=district[0].pk).update(user=None)
    Supervisor.objects.filter(pk=district[0].pk).update(user=user)
    training, _created = Training.objects.get_or_create(
        held_on=max(year.mobilisation_start, starts_on) + datetime.timedelta(days=20),
        topic="监督员职责、明查暗访程序与工作纪律",
        defaults={"place": "秦淮区行政服务中心三楼会议室"},
    )
    training.attendees.set(district[:12])
    _ask_to_end(year, units["秦淮区实验小学"], "罗志刚", "本人工作调动至外区，无法继续履职")


def _ask_to_end(year, unit, name, reason):
    """A unit's request waiting in the office's queue, asked once."""
    appointment = Appointment.objects.filter(year=year, unit=unit, supervisor__name=name, ended_on=None).first()
    if appointment is None or appointment.end_requests.exists():
        return
    membership = unit.memberships.select_related("user").order_by("pk").first()
    end_request_ask(appointment=appointment, by=membership.user if membership else None, reason=reason)


def _supervisor(row, units):
    name, sector, employer, employer_unit, phone, email = row
    supervisor, _created = Supervisor.objects.update_or_create(
        name=name,
        phone=phone,
        defaults={"sector": sector, "employer": employer, "employer_unit": units.get(employer_unit), "email": email},
    )
    return supervisor


def _appoint(row, units, year, unit, starts_on, renewed_from=None):
    supervisor = _supervisor(row, units)
    if not Appointment.objects.filter(supervisor=supervisor, year=year, unit=unit, ended_on__isnull=True).exists():
        if renewed_from is not None and Appointment.objects.filter(renewed_from=renewed_from).exists():
            renewed_from = None  # renewed already, by hand in the demo
        appointment_create(supervisor=supervisor, year=year, unit=unit, starts_on=starts_on, renewed_from=renewed_from)
    return supervisor


def _appoint_last_year(row, units, year, this_year_starts_on):
    """Last year's district-team appointment, ending the day before this year's term starts."""
    supervisor = _supervisor(row, units)
    appointment = Appointment.objects.filter(supervisor=supervisor, year=year, unit=None).first()
    if appointment is None:
        later = supervisor.appointments.exclude(year=year).order_by("starts_on").values_list("starts_on", flat=True)
        next_start = min([this_year_starts_on, *later[:1]])
        appointment = appointment_create(
            supervisor=supervisor,
            year=year,
            starts_on=year.mobilisation_start,
            ends_on=min(term_end(year.mobilisation_start), next_start - datetime.timedelta(days=1)),
        )
    return appointment
