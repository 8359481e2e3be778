"""Demo district, unit part: the 15 departments named in the district's rules, schools, health and tourism
units, their sub-units and contacts, and two liaison logins. Re-running updates rows in place."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.models import Focus

from .models import Contact, Membership, ServiceObject, SubUnit, Unit
from .services import participations_enrol

K = SubUnit.Kind
DEPT, IND = Focus.DEPARTMENTS, Focus.INDUSTRIES

# (name, short name, kind, sector, code for emails, [(sub-unit kind, name, address)])
UNITS = [
    (
        "区建设局",
        "建设局",
        DEPT,
        "建设",
        "jsj",
        [
            (K.OFFICE, "建设工程质量安全监督站", "秦淮区长乐路238号"),
            (K.OFFICE, "建筑市场管理办公室", "秦淮区长乐路238号"),
            (K.WINDOW, "区行政服务中心建设窗口", "秦淮区瑞金路1号区行政服务中心二楼"),
        ],
    ),
    (
        "区科技局",
        "科技局",
        DEPT,
        "科技",
        "kjj",
        [
            (K.OFFICE, "科技项目管理科", "秦淮区洪武路156号"),
            (K.OFFICE, "高新技术企业服务站", "秦淮区白下高新区永智路6号"),
            (K.WINDOW, "区行政服务中心科技窗口", "秦淮区瑞金路1号区行政服务中心二楼"),
        ],
    ),
    (
        "秦淮公安分局",
        "公安分局",
        DEPT,
        "公安",
        "gaj",
        [
            (K.STATION, "夫子庙派出所", "秦淮区贡院街100号"),
            (K.STATION, "中华门派出所", "秦淮区雨花路8号"),
            (K.STATION, "月牙湖派出所", "秦淮区月牙湖街道苜蓿园大街66号"),
            (K.STATION, "大光路派出所", "秦淮区大光路168号"),
            (K.WINDOW, "户政办证大厅", "秦淮区瑞金路1号区行政服务中心一楼"),
            (K.WINDOW, "出入境接待大厅", "秦淮区龙蟠中路329号"),
        ],
    ),
    (
        "区民政局",
        "民政局",
        DEPT,
        "民政",
        "mzj",
        [
            (K.OFFICE, "婚姻登记处", "秦淮区石鼓路32号"),
            (K.OFFICE, "社会救助管理所", "秦淮区瑞金路1号"),
            (K.STATION, "夫子庙街道社区服务站", "秦淮区平江府路16号"),
            (K.WINDOW, "区行政服务中心民政窗口", "秦淮区瑞金路1号区行政服务中心二楼"),
        ],
    ),
    (
        "区司法局",
        "司法局",
        DEPT,
        "司法",
        "sfj",
        [
            (K.OFFICE, "夫子庙司法所", "秦淮区平江府路22号"),
            (K.OFFICE, "双塘司法所", "秦淮区集庆门大街28号"),
            (K.OFFICE, "红花司法所", "秦淮区红花街道宏运大道90号"),
            (K.WINDOW, "公共法律服务中心", "秦淮区瑞金路1号区行政服务中心三楼"),
        ],
    ),
    (
        "区劳动和社会保障局",
        "劳动保障局",
        DEPT,
        "人社",
        "ldj",
        [
            (K.OFFICE, "劳动保障监察大队", "秦淮区中山南路318号"),
            (K.OFFICE, "社会保险管理中心", "秦淮区中山南路318号"),
            (K.OFFICE, "劳动人事争议仲裁院", "秦淮区中山南路320号"),
            (K.WINDOW, "就业服务窗口", "秦淮区瑞金路1号区行政服务中心一楼"),
        ],
    ),
    (
        "区物价局",
        "物价局",
        DEPT,
        "物价",
        "wjj",
        [
            (K.OFFICE, "价格监督检查所", "秦淮区洪武路156号"),
            (K.OFFICE, "价格认证中心", "秦淮区洪武路156号"),
            (K.WINDOW, "12358价格举报受理窗口", "秦淮区洪武路156号一楼"),
        ],
    ),
    (
        "秦淮工商分局",
        "工商分局",
        DEPT,
        "工商",
        "gsj",
        [
            (K.OFFICE, "夫子庙工商所", "秦淮区贡院西街55号"),
            (K.OFFICE, "中华门工商所", "秦淮区中华路426号"),
            (K.OFFICE, "光华路工商所", "秦淮区光华路1号"),
            (K.WINDOW, "企业登记窗口", "秦淮区瑞金路1号区行政服务中心一楼"),
        ],
    ),
    (
        "秦淮质量技术监督分局",
        "质监分局",
        DEPT,
        "质监",
        "zjj",
        [
            (K.OFFICE, "特种设备安全监察科", "秦淮区龙蟠中路218号"),
            (K.OFFICE, "计量标准化科", "秦淮区龙蟠中路218号"),
            (K.WINDOW, "组织机构代码窗口", "秦淮区瑞金路1号区行政服务中心二楼"),
        ],
    ),
    (
        "秦淮食品药品监督管理分局",
        "食药监分局",
        DEPT,
        "食药监",
        "syj",
        [
            (K.OFFICE, "夫子庙食品药品监管所", "秦淮区贡院街88号"),
            (K.OFFICE, "瑞金路食品药品监管所", "秦淮区瑞金北村12号"),
            (K.OFFICE, "红花食品药品监管所", "秦淮区红花街道机场路2号"),
            (K.WINDOW, "食品经营许可窗口", "秦淮区瑞金路1号区行政服务中心二楼"),
        ],
    ),
    (
        "区环保局",
        "环保局",
        DEPT,
        "环保",
        "hbj",
        [
            (K.STATION, "环境监测站", "秦淮区中山东路359号"),
            (K.OFFICE, "环境监察大队", "秦淮区中山东路359号"),
            (K.WINDOW, "建设项目环评审批窗口", "秦淮区瑞金路1号区行政服务中心三楼"),
        ],
    ),
    (
        "区市容局（行政执法局）",
        "市容局",
        DEPT,
        "城管",
        "srj",
        [
            (K.OFFICE, "夫子庙城管执法中队", "秦淮区来燕路18号"),
            (K.OFFICE, "洪武路城管执法中队", "秦淮区洪武路200号"),
            (K.OFFICE, "月牙湖城管执法中队", "秦淮区月牙湖花园8号"),
            (K.STATION, "环境卫生管理所", "秦淮区应天大街388号"),
            (K.WINDOW, "户外广告审批窗口", "秦淮区瑞金路1号区行政服务中心三楼"),
        ],
    ),
    (
        "区房产局",
        "房产局",
        DEPT,
        "房产",
        "fcj",
        [
            (K.OFFICE, "房屋安全鉴定所", "秦淮区白下路273号"),
            (K.OFFICE, "物业管理办公室", "秦淮区白下路273号"),
            (K.WINDOW, "住房保障受理窗口", "秦淮区瑞金路1号区行政服务中心二楼"),
        ],
    ),
    (
        "秦淮国税局",
        "国税局",
        DEPT,
        "税务",
        "gsw",
        [
            (K.OFFICE, "第一税务分局", "秦淮区太平南路301号"),
            (K.OFFICE, "第二税务分局", "秦淮区中山南路501号"),
            (K.WINDOW, "办税服务厅", "秦淮区太平南路301号一楼"),
        ],
    ),
    (
        "秦淮地税分局",
        "地税分局",
        DEPT,
        "税务",
        "dsw",
        [
            (K.OFFICE, "夫子庙税务所", "秦淮区建康路188号"),
            (K.OFFICE, "光华路税务所", "秦淮区光华路128号"),
            (K.WINDOW, "地税办税服务厅", "秦淮区建康路188号一楼"),
        ],
    ),
    (
        "秦淮区实验小学",
        "实验小学",
        IND,
        "教育",
        "syxx",
        [
            (K.SCHOOL, "实验小学本部", "秦淮区长白街301号"),
            (K.SCHOOL, "实验小学御道街分校", "秦淮区御道街55号"),
            (K.WINDOW, "招生咨询窗口", "秦淮区长白街301号传达室东侧"),
            (K.OFFICE, "学籍管理办公室", "秦淮区长白街301号行政楼"),
        ],
    ),
    (
        "秦淮区夫子庙小学",
        "夫子庙小学",
        IND,
        "教育",
        "fzmxx",
        [
            (K.SCHOOL, "夫子庙小学本部", "秦淮区瞻园路60号"),
            (K.WINDOW, "招生咨询窗口", "秦淮区瞻园路60号"),
            (K.OFFICE, "校外托管服务点", "秦淮区大石坝街20号"),
        ],
    ),
    (
        "秦淮区第一中学",
        "一中",
        IND,
        "教育",
        "yz",
        [
            (K.SCHOOL, "初中部", "秦淮区中华路156号"),
            (K.SCHOOL, "高中部", "秦淮区中华路158号"),
            (K.WINDOW, "招生办公室", "秦淮区中华路156号行政楼一楼"),
            (K.OFFICE, "学生资助管理中心", "秦淮区中华路156号行政楼二楼"),
            (K.OFFICE, "食堂", "秦淮区中华路156号"),
        ],
    ),
    (
        "秦淮区第四中学",
        "四中",
        IND,
        "教育",
        "sz",
        [
            (K.SCHOOL, "四中本部", "秦淮区双塘路21号"),
            (K.WINDOW, "招生咨询窗口", "秦淮区双塘路21号"),
            (K.OFFICE, "学籍管理办公室", "秦淮区双塘路21号"),
        ],
    ),
    (
        "秦淮区中医医院",
        "区中医院",
        IND,
        "卫生",
        "zyy",
        [
            (K.WINDOW, "门诊挂号收费窗口", "秦淮区中山南路321号门诊楼一楼"),
            (K.WINDOW, "住院处", "秦淮区中山南路321号住院楼一楼"),
            (K.HOSPITAL, "急诊科", "秦淮区中山南路321号急诊楼"),
            (K.OFFICE, "医患关系办公室", "秦淮区中山南路321号行政楼"),
            (K.WINDOW, "药房", "秦淮区中山南路321号门诊楼一楼"),
        ],
    ),
    (
        "秦淮区妇幼保健所",
        "妇幼保健所",
        IND,
        "卫生",
        "fybj",
        [
            (K.WINDOW, "儿童保健门诊", "秦淮区建邺路68号"),
            (K.WINDOW, "孕产妇保健门诊", "秦淮区建邺路68号"),
            (K.WINDOW, "出生医学证明办理窗口", "秦淮区建邺路68号一楼"),
        ],
    ),
    (
        "夫子庙社区卫生服务中心",
        "夫子庙卫生中心",
        IND,
        "卫生",
        "fzmws",
        [
            (K.WINDOW, "全科门诊", "秦淮区平江府路32号"),
            (K.WINDOW, "预防接种门诊", "秦淮区平江府路32号二楼"),
            (K.STATION, "钞库街社区卫生服务站", "秦淮区钞库街40号"),
            (K.STATION, "大石坝街社区卫生服务站", "秦淮区大石坝街56号"),
        ],
    ),
    (
        "中华门社区卫生服务中心",
        "中华门卫生中心",
        IND,
        "卫生",
        "zhmws",
        [
            (K.WINDOW, "全科门诊", "秦淮区雨花路120号"),
            (K.WINDOW, "预防接种门诊", "秦淮区雨花路120号二楼"),
            (K.STATION, "饮马巷社区卫生服务站", "秦淮区饮马巷12号"),
            (K.STATION, "长干里社区卫生服务站", "秦淮区长干街38号"),
            (K.STATION, "中华门东社区卫生服务站", "秦淮区马道街6号"),
        ],
    ),
    (
        "夫子庙—秦淮风光带景区",
        "夫子庙景区",
        IND,
        "旅游",
        "fzmjq",
        [
            (K.WINDOW, "游客服务中心", "秦淮区贡院街152号"),
            (K.WINDOW, "秦淮河画舫售票处", "秦淮区贡院街泮池码头"),
            (K.WINDOW, "旅游投诉受理点", "秦淮区贡院街152号"),
            (K.STATION, "景区治安岗亭", "秦淮区大石坝街口"),
        ],
    ),
    (
        "中华门城堡景区",
        "中华门城堡",
        IND,
        "旅游",
        "zhmcb",
        [
            (K.WINDOW, "售票处", "秦淮区中华门城堡北门"),
            (K.WINDOW, "游客服务中心", "秦淮区中华门城堡瓮城内"),
            (K.WINDOW, "讲解服务台", "秦淮区中华门城堡瓮城内"),
        ],
    ),
    (
        "白鹭洲公园",
        "白鹭洲公园",
        IND,
        "旅游",
        "blz",
        [
            (K.WINDOW, "东门售票处", "秦淮区长乐路2号"),
            (K.WINDOW, "游客服务中心", "秦淮区长乐路2号"),
            (K.STATION, "游船码头", "秦淮区白鹭洲公园内"),
        ],
    ),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
GIVEN = [
    "建华",
    "晓燕",
    "文斌",
    "丽娟",
    "志强",
    "海燕",
    "国平",
    "雪梅",
    "卫东",
    "秀英",
    "明",
    "静",
    "勇",
    "敏",
    "军",
    "芳",
    "磊",
    "婷",
    "涛",
    "红霞",
    "伟",
    "玉兰",
    "俊杰",
    "慧",
    "立新",
    "春梅",
    "宏伟",
    "玲",
]
TITLES = {Contact.Role.GROUP_HEAD: "局长", Contact.Role.OFFICE_HEAD: "办公室主任", Contact.Role.LIAISON: "科员"}
HEAD_TITLES = {"教育": "校长", "卫生": "院长", "旅游": "总经理"}

# The two unit logins: one department liaison and one school liaison.
LIAISON_LOGINS = [("区民政局", "minzheng", "刘海燕"), ("秦淮区实验小学", "school", "周静")]


def _person(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng):
    return f"025-{rng.randint(5000, 8999)}{rng.randint(1000, 9999)}"


def seed(demo):
    rng = random.Random(2009)  # fixed: the same names and numbers on every run
    for name, short_name, kind, sector, code, subunits in UNITS:
        unit, _created = Unit.objects.update_or_create(
            name=name, defaults={"short_name": short_name, "kind": kind, "sector": sector, "is_active": True}
        )
        address = subunits[0][2]
        for sub_kind, sub_name, sub_address in subunits:
            SubUnit.objects.update_or_create(
                unit=unit,
                name=sub_name,
                defaults={
                    "kind": sub_kind,
                    "address": sub_address,
                    "head": _person(rng),
                    "liaison": _person(rng),
                    "phone": _phone(rng),
                },
            )
        titles = TITLES | {Contact.Role.GROUP_HEAD: HEAD_TITLES.get(sector, "局长")}
        for index, role in enumerate(Contact.Role.values, start=1):
            Contact.objects.update_or_create(
                unit=unit,
                role=role,
                name=_person(rng),
                defaults={
                    "title": titles[role],
                    "phone": _phone(rng),
                    "fax": _phone(rng),
                    "address": address,
                    "email": f"{code}{index}@qinhuai.gov.cn",
                },
            )
    # Last year first: this year's checklist and reminders depend on who was a focus unit last year.
    participations_enrol(year=demo.last_year, units=Unit.objects.filter(is_active=True))
    _seed_last_year(demo)
    participations_enrol(year=demo.year, units=Unit.objects.filter(is_active=True))
    for unit_name, username, full_name in LIAISON_LOGINS:
        user = demo.account(username, role=_("Unit liaison"), full_name=full_name)
        Membership.objects.get_or_create(user=user, unit=Unit.objects.get(name=unit_name))
    _seed_portal(demo)
    seed_reminders(demo.year, ["materials", "annual_summary"])


# Disclosure items of the demo school and of the district hospital, as a liaison would type them.
DISCLOSURES = {
    "秦淮区实验小学": [
        ("approval", "义务教育入学登记", {"legal_basis": "《中华人民共和国义务教育法》第十二条"}),
        (
            "conditions",
            "新生入学报名",
            {
                "content": "适龄儿童户口簿、房产证明、预防接种证",
                "legal_basis": "《江苏省实施〈中华人民共和国义务教育法〉办法》",
            },
        ),
        (
            "time_limit",
            "学籍转入办理",
            {"legal_basis": "《中小学生学籍管理办法》", "statutory_days": 15, "promised_days": 5},
        ),
        (
            "fee",
            "课后服务收费",
            {
                "fee_standard": "每生每月120元",
                "fee_relief": "低保家庭学生全免",
                "legal_basis": "市物价局课后服务收费标准文件",
            },
        ),
        (
            "channel",
            "招生咨询和投诉电话",
            {"contact": "025-84561234，xiaoban@qinhuai.edu.cn", "feedback": "3个工作日内电话回复"},
        ),
        ("sanbang", "帮困助学", {"content": "家庭经济困难学生免收课后服务费，每学期两次家访"}),
    ],
    "秦淮区中医医院": [
        ("time_limit", "出院结算", {"legal_basis": "《医疗机构管理条例》", "statutory_days": 3, "promised_days": 1}),
        (
            "fee",
            "普通门诊诊查费",
            {
                "fee_standard": "按《江苏省医疗服务价格》执行",
                "fee_relief": "70岁以上老人减半",
                "legal_basis": "《江苏省医疗服务价格》",
            },
        ),
        ("channel", "医患关系投诉", {"contact": "025-84562222", "feedback": "5个工作日内书面答复"}),
        ("sanbang", "便民门诊", {"content": "每周六上午开设便民配药门诊，老年人优先"}),
    ],
}
OCCUPATIONS = ["教师", "个体工商户", "企业职工", "退休职工", "社区工作者", "医生", "自由职业", "公务员"]
STREETS = ["长乐路", "中华路", "瑞金路", "大光路", "龙蟠中路", "集庆门大街", "御道街", "长白街"]


def _seed_portal(demo):
    """Disclosures, 100 service objects and deliverables in every state, so each page has something to show."""
    from .models import Deliverable, DisclosureItem, DisclosurePublication
    from .services.disclosures import disclosures_publish

    year, office = demo.year, get_user_model().objects.get(username="office")
    rng = random.Random(2010)
    for unit_name, items in DISCLOSURES.items():
        unit = Unit.objects.get(name=unit_name)
        for kind, title, fields in items:
            DisclosureItem.objects.update_or_create(year=year, unit=unit, kind=kind, title=title, defaults=fields)
        if not DisclosurePublication.objects.filter(year=year, unit=unit).exists():
            disclosures_publish(year=year, unit=unit, by=office)
        Deliverable.objects.update_or_create(
            year=year,
            unit=unit,
            kind="disclosures",
            defaults={
                "status": "accepted",
                "submitted_at": _at(datetime.date(year.year, 7, 8), hour=10),
                "reviewed_at": _at(datetime.date(year.year, 7, 9), hour=15),
                "reviewed_by": office,
            },
        )
    school = Unit.objects.get(name="秦淮区实验小学")
    for index in range(100):
        name = _person(rng) if index % 5 else f"南京市秦淮区某某商贸有限公司{index}"
        ServiceObject.objects.get_or_create(
            year=year,
            unit=school,
            phone=f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
            defaults={
                "name": name,
                "occupation": rng.choice(OCCUPATIONS),
                "address": f"秦淮区{rng.choice(STREETS)}{rng.randint(1, 300)}号",
            },
        )
    _seed_deliverables(year, office, rng)


RETURN_COMMENTS = {
    "plan": "实施方案缺少工作进度安排和责任分工，请补充后重新报送。",
    "contacts": "缺少办公室负责人的传真和电子信箱，请补充后重新报送。",
    "subunits": "基层站所的负责人联系电话不全，请补充。",
    "service_objects": "部分服务对象缺少联系电话，请补齐100份有效资料。",
    "annual_summary": "总结报告缺少整改数据和实例，请补充后重新报送。",
}
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _seed_last_year(demo):
    """Last year's campaign is over: its focus units handed everything in (a few late), and the unit that held
    a hearing had its list of service objects."""
    year, office = demo.last_year, get_user_model().objects.get(username="office")
    rng = random.Random(2008)
    _seed_deliverables(year, office, rng, finished=True)
    unit = Unit.objects.get(name=LAST_YEAR_HEARING_UNIT)
    for index in range(40):
        ServiceObject.objects.get_or_create(
            year=year,
            unit=unit,
            phone=f"139{index:08d}",
            defaults={
                "name": _person(rng),
                "occupation": rng.choice(OCCUPATIONS),
                "address": f"秦淮区{rng.choice(STREETS)}{rng.randint(1, 300)}号",
            },
        )


# The focus department that held a hearing last year (the hearings demo closes it with results).
LAST_YEAR_HEARING_UNIT = "区民政局"


def _seed_deliverables(year, office, rng, finished=False):
    """Most focus units have handed most things in; a few are returned, waiting or missing. In a `finished`
    year everything was handed in and accepted, a few days late at times."""
    from django.core.files.base import ContentFile

    from .models import Deliverable, DeliverableFile
    from .services.deliverables import FILE_KINDS, checklist

    for participation in year.participations.filter(is_focus=True).select_related("unit").order_by("unit__name"):
        unit = participation.unit
        for owed in checklist(year=year, unit=unit):
            status = rng.choices(["accepted", "submitted", "returned", "missing"], weights=[6, 2, 1, 1])[0]
            early = rng.randint(0, 6)
            if finished:
                status, early = "accepted", rng.choice([early, early, early, -rng.randint(1, 5)])
            submitted_at = _at(owed.due_date - datetime.timedelta(days=early), hour=rng.randint(9, 17))
            reviewed_at = submitted_at + datetime.timedelta(days=rng.randint(1, 4))
            # Disclosures come only with their items (above); the register is the self-check app's to seed.
            if (
                (owed.kind == "disclosures" and not finished)
                or owed.kind == "selfcheck_register"
                or status == "missing"
            ):
                continue
            deliverable, _created = Deliverable.objects.update_or_create(
                year=year,
                unit=unit,
                kind=owed.kind,
                defaults={
                    "status": status,
                    "submitted_at": submitted_at,
                    "comment": RETURN_COMMENTS.get(owed.kind, "") if status == "returned" else "",
                    "reviewed_at": reviewed_at if status != "submitted" else None,
                    "reviewed_by": office if status != "submitted" else None,
                },
            )
            if owed.kind in FILE_KINDS and not deliverable.files.exists():
                attachment = DeliverableFile(
                    deliverable=deliverable,
                    original_name=f"{unit.short_name}{owed.label}.pdf",
                    file_kind="pdf",
                    size=len(DEMO_PDF),
                    uploaded_by=office,
                )
                attachment.file.save("demo.pdf", ContentFile(DEMO_PDF), save=False)
                attachment.save()


def seed_reminders(year, codes):
    """The notices the daily job would have sent so far this year for the deadlines with these codes, recorded
    as sent; the demo mails nobody. Each app calls it once it has seeded the deliverables of its deadlines, so
    the notices agree with what the units handed in."""
    from appraisal.models import ReminderSettings

    from .models import Reminder
    from .services.reminders import reminders_due

    offsets, today = ReminderSettings.objects.for_year(year).offsets, timezone.localdate()
    for deadline in year.deadlines.filter(code__in=codes):
        due = deadline.due_date
        days = [due - datetime.timedelta(offset) for offset in offsets] + [due + datetime.timedelta(1)]
        for day in [day for day in days if day <= today]:
            for notice in reminders_due(day=day):
                if notice.deadline != deadline:
                    continue
                Reminder.objects.get_or_create(
                    deadline=deadline,
                    unit=notice.unit,
                    kind=notice.kind,
                    days_before=notice.days_before,
                    defaults={
                        "status": Reminder.Status.SENT,
                        "claimed_at": _at(day, hour=8),
                        "sent_at": _at(day, hour=8),
                        "recipients": notice.to,
                        "cc": notice.cc,
                        "subject": notice.subject,
                        "body": notice.body,
                    },
                )


def record_deliverable_steps():
    """The demo writes its deliverables directly; each one handed in gets the history the services would have
    written (its submission, then the office's decision), once."""
    from .models import Deliverable, DeliverableStep

    steps = []
    for deliverable in Deliverable.objects.exclude(status=Deliverable.Status.MISSING).filter(steps__isnull=True):
        if deliverable.submitted_at:
            steps.append(
                DeliverableStep(
                    deliverable=deliverable,
                    action=DeliverableStep.Action.SUBMITTED,
                    status=Deliverable.Status.SUBMITTED,
                    by=deliverable.submitted_by,
                    at=deliverable.submitted_at,
                )
            )
        if deliverable.status in (Deliverable.Status.RETURNED, Deliverable.Status.ACCEPTED) and deliverable.reviewed_at:
            steps.append(
                DeliverableStep(
                    deliverable=deliverable,
                    action=deliverable.status,
                    status=deliverable.status,
                    note=deliverable.comment,
                    by=deliverable.reviewed_by,
                    at=deliverable.reviewed_at,
                )
            )
    DeliverableStep.objects.bulk_create(steps)
