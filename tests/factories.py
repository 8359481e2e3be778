import datetime

import factory
from django.contrib.auth import get_user_model

from appraisal.models import AppraisalYear, Focus
from units.models import Contact, Membership, SubUnit, Unit


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")


class YearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppraisalYear
        django_get_or_create = ["year"]

    year = 2026
    focus = Focus.INDUSTRIES
    mobilisation_start = factory.LazyAttribute(lambda o: datetime.date(o.year, 5, 1))
    mobilisation_end = factory.LazyAttribute(lambda o: datetime.date(o.year, 7, 10))
    selfcheck_start = factory.LazyAttribute(lambda o: datetime.date(o.year, 7, 11))
    selfcheck_end = factory.LazyAttribute(lambda o: datetime.date(o.year, 8, 31))
    evaluation_start = factory.LazyAttribute(lambda o: datetime.date(o.year, 9, 1))
    evaluation_end = factory.LazyAttribute(lambda o: datetime.date(o.year, 11, 30))


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = Focus.DEPARTMENTS
    sector = "民政"


class SubUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubUnit

    unit = factory.SubFactory(UnitFactory)
    kind = SubUnit.Kind.WINDOW
    name = factory.Sequence(lambda n: f"服务窗口{n}")
    address = "秦淮区瑞金路1号"
    phone = "025-84561234"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    unit = factory.SubFactory(UnitFactory)
    role = Contact.Role.LIAISON
    name = factory.Sequence(lambda n: f"联络员{n}")
    phone = "025-84560000"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "units.Participation"

    year = factory.SubFactory(YearFactory)
    unit = factory.SubFactory(UnitFactory)
    is_focus = True


class DisclosureItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "units.DisclosureItem"

    year = factory.SubFactory(YearFactory)
    unit = factory.SubFactory(UnitFactory)
    kind = "time_limit"
    title = factory.Sequence(lambda n: f"婚姻登记{n}")
    statutory_days = 20
    promised_days = 5


class ServiceObjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "units.ServiceObject"

    year = factory.SubFactory(YearFactory)
    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"服务对象{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    email = factory.Sequence(lambda n: f"user{n}@example.cn")


def first_item_of(unit):
    from appraisal.models import EvaluationItem

    return EvaluationItem.objects.filter(kind=unit.kind).order_by("position").first()


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "selfcheck.Problem"

    year = factory.SubFactory(YearFactory)
    unit = factory.SubFactory(UnitFactory)
    source = "self_check"
    found_on = datetime.date(2026, 7, 20)
    item = factory.LazyAttribute(lambda o: first_item_of(o.unit))
    description = factory.Sequence(lambda n: f"办事窗口午间无人值守，群众反映等候时间长（{n}）")
    cause = "值班制度执行不到位"
    measure = "实行午间轮班，公布值班电话"
    disposition = "immediate"
    responsible = "王芳"


class SupervisorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "supervisors.Supervisor"

    name = factory.Sequence(lambda n: f"监督员{n}")
    sector = "enterprise"
    employer = "南京某有限公司"
    phone = factory.Sequence(lambda n: f"137{n:08d}")
    email = factory.Sequence(lambda n: f"supervisor{n}@example.cn")


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A one-year appointment to the district team (unit None) from the year's mobilisation start."""

    class Meta:
        model = "supervisors.Appointment"

    supervisor = factory.SubFactory(SupervisorFactory)
    year = factory.SubFactory(YearFactory)
    unit = None
    starts_on = factory.LazyAttribute(lambda o: o.year.mobilisation_start)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on.replace(year=o.starts_on.year + 1) - datetime.timedelta(1))


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "supervisors.Training"

    held_on = datetime.date(2026, 6, 1)
    topic = factory.Sequence(lambda n: f"监督员业务培训{n}")
    place = "区行政服务中心三楼会议室"


class InspectionFactory(factory.django.DjangoModelFactory):
    """A draft inspection of a district supervisor; create through the services where a rule matters."""

    class Meta:
        model = "inspections.Inspection"

    supervisor = factory.SubFactory(SupervisorFactory)
    year = factory.SubFactory(YearFactory)
    unit = factory.SubFactory(UnitFactory)
    occurred_at = factory.LazyFunction(lambda: datetime.datetime(2026, 7, 20, 10, tzinfo=datetime.UTC))
    mode = "covert"
    methods = factory.LazyFunction(lambda: ["accompany"])
    summary = "陪同群众办理业务"


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inspections.Finding"

    inspection = factory.SubFactory(InspectionFactory)
    item = factory.LazyAttribute(lambda o: first_item_of(o.inspection.unit))
    observed = factory.Sequence(lambda n: f"窗口工作人员态度生硬（{n}）")
    place = "办事大厅"


class HearingFactory(factory.django.DjangoModelFactory):
    """A planned hearing; move it on through the services where a rule matters."""

    class Meta:
        model = "hearings.Hearing"

    unit = factory.SubFactory(UnitFactory)
    year = factory.SubFactory(YearFactory)
    held_on = datetime.date(2026, 10, 20)
    venue = "区行政服务中心三楼会议室"


class SurveyResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hearings.SurveyResult"

    year = factory.SubFactory(YearFactory)
    unit = factory.SubFactory(UnitFactory)
    respondents = 100
    satisfied = 70
    fairly = 20
    dissatisfied = 5
    unknown = 5


class WindowNominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hearings.WindowNomination"

    year = factory.SubFactory(YearFactory)
    subunit = factory.SubFactory(SubUnitFactory)
    award = "district_window"
    reasons = "群众满意度高，办事效率高"
    commitments = "一次告知、限时办结"
    satisfaction_evidence = "2026年窗口满意度测评98%"
