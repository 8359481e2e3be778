from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from appraisal.models import AppraisalYear, Focus


class Unit(models.Model):
    """An evaluated government department (部门) or public-service industry unit (行业单位)."""

    name = models.CharField(
        _("name"), max_length=100, unique=True, error_messages={"unique": _("A unit of this name already exists.")}
    )
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Focus.choices)
    sector = models.CharField(_("sector"), max_length=30, help_text=_("For example 教育, 卫生, 旅游, 公安."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("evaluated unit")
        verbose_name_plural = _("evaluated units")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name


class SubUnit(models.Model):
    """A grassroots station, office, hospital, school or service window of a unit."""

    class Kind(models.TextChoices):
        STATION = "station", _("Station")
        OFFICE = "office", _("Office")
        HOSPITAL = "hospital", _("Hospital")
        SCHOOL = "school", _("School")
        WINDOW = "window", _("Service window")
        SERVICE_CENTRE = "service_centre", _("District administrative service centre")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="subunits", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    head = models.CharField(_("head"), max_length=50, blank=True)
    liaison = models.CharField(_("liaison"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("sub-unit")
        verbose_name_plural = _("sub-units")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="subunit_name_unique_per_unit",
                violation_error_message=_("This unit already has a sub-unit of this name."),
            )
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    """A person the office reaches at a unit: its leadership group head, office head or liaison."""

    class Role(models.TextChoices):
        GROUP_HEAD = "group_head", _("Leadership group head")
        OFFICE_HEAD = "office_head", _("Office head")
        LIAISON = "liaison", _("Liaison")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    name = models.CharField(_("full name"), max_length=50)
    title = models.CharField(_("job title"), max_length=50, blank=True)
    phone = models.CharField(_("usual phone"), max_length=40)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["unit", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "role", "name"],
                name="contact_unique_per_unit_role",
                violation_error_message=_("This unit already has a contact of this name in this role."),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"


class Membership(models.Model):
    """A user account that acts for a unit: the unit's liaison in the system."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit account")
        verbose_name_plural = _("unit accounts")
        ordering = ["unit", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit"],
                name="membership_unique",
                violation_error_message=_("This account already acts for this unit."),
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.unit}"


class Participation(models.Model):
    """A unit's part in one year's campaign; focus units carry the extra duties of that year."""

    year = models.ForeignKey(
        AppraisalYear, on_delete=models.CASCADE, related_name="participations", verbose_name=_("year")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="participations", verbose_name=_("unit"))
    is_focus = models.BooleanField(_("focus unit"), default=False)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["year", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit"],
                name="participation_unique",
                violation_error_message=_("This unit already takes part in this year."),
            )
        ]

    def __str__(self):
        return f"{self.year.year} {self.unit}"
