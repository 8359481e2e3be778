import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from appraisal.history import track
from appraisal.models import AppraisalYear
from supervisors.models import Supervisor
from units.models import ServiceObject, SubUnit, Unit


class Answer(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    FAIRLY_SATISFIED = "fairly", _("Fairly satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    UNKNOWN = "unknown", _("Don't know")


# The ballot counters move with every vote: only their totals, kept in the snapshots of the status changes,
# are recorded, so the trail says nothing about when any one ballot was cast.
@track(exclude_updates_of=["web_ballots", "paper_ballots"], model_name="HearingChangeEvent")
class Hearing(models.Model):
    """A unit's hearing (述职评议大会): attendance, quorum, the vote and its frozen results.

    `voters` is the number checked in when voting opened (one token each); `web_ballots` and `paper_ballots`
    count what was cast. The database refuses more ballots than voters."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CHECK_IN = "check_in", _("Check-in")
        VOTING = "voting", _("Voting")
        CLOSED = "closed", _("Closed")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("unit"))
    year = models.ForeignKey(AppraisalYear, on_delete=models.PROTECT, related_name="+", verbose_name=_("year"))
    held_on = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    draw_seed = models.BigIntegerField(_("seed of the draw"), null=True, blank=True)
    draw_count = models.PositiveSmallIntegerField(_("representatives drawn"), default=0)
    voters = models.PositiveIntegerField(_("voters checked in"), default=0)
    web_ballots = models.PositiveIntegerField(_("ballots from phones"), default=0)
    paper_ballots = models.PositiveIntegerField(_("paper ballots"), default=0)
    ballot_items = models.JSONField(_("items on the ballot, frozen when voting opens"), default=list, editable=False)
    results = models.JSONField(_("results frozen at closing"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(web_ballots__lte=F("voters") - F("paper_ballots")),
                name="hearing_ballots_within_voters",
                violation_error_message=_("There cannot be more ballots than voters checked in."),
            ),
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.unit}"

    @property
    def ballots(self):
        return self.web_ballots + self.paper_ballots


class HearingEvent(models.Model):
    """One status change of a hearing: who moved it, and when."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="events", verbose_name=_("hearing"))
    status = models.CharField(_("new status"), max_length=10, choices=Hearing.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hearing status change")
        verbose_name_plural = _("hearing status changes")
        ordering = ["hearing", "at", "id"]

    def __str__(self):
        return f"{self.hearing}: {self.get_status_display()}"


class Attendee(models.Model):
    """A service-object representative (drawn or added) or a supervisor invited to a hearing."""

    class Kind(models.TextChoices):
        REPRESENTATIVE = "representative", _("Service-object representative")
        SUPERVISOR = "supervisor", _("Supervisor")

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("hearing"))
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    service_object = models.ForeignKey(
        ServiceObject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service object"),
    )
    supervisor = models.ForeignKey(
        Supervisor, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("supervisor")
    )
    drawn = models.BooleanField(_("drawn by lot"), default=False)
    checked_in = models.BooleanField(_("present"), default=False)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("hearing attendees")
        ordering = ["hearing", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="representative", service_object__isnull=False, supervisor__isnull=True)
                | Q(kind="supervisor", supervisor__isnull=False, service_object__isnull=True, drawn=False),
                name="attendee_kind_matches_person",
            ),
            models.UniqueConstraint(
                fields=["hearing", "service_object"],
                name="attendee_unique_service_object",
                violation_error_message=_("This service object is already on the list."),
            ),
            models.UniqueConstraint(
                fields=["hearing", "supervisor"],
                name="attendee_unique_supervisor",
                violation_error_message=_("This supervisor is already on the list."),
            ),
        ]

    def __str__(self):
        return str(self.service_object or self.supervisor)


class BallotToken(models.Model):
    """A one-time ballot token. Handed out at random from the printed sheet: nothing links it to a person.

    Only the SHA-256 digest identifies it. The plain secret is kept solely so the office can reprint the sheet
    while voting is open; closing the hearing wipes it."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("hearing"))
    digest = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    secret = models.CharField(_("token (until closing)"), max_length=64, blank=True)
    used = models.BooleanField(_("used"), default=False)

    class Meta:
        verbose_name = _("ballot token")
        verbose_name_plural = _("ballot tokens")
        ordering = ["hearing", "id"]

    def __str__(self):
        return self.digest[:12]


class Ballot(models.Model):
    """One cast ballot: the answer per evaluation item (by position) and an optional comment.

    Secret by design. No foreign key to a token or person and no timestamp; the primary key is a random UUID,
    so neither a column nor the order of the ids says which token (issued in order) or which voter cast it.
    The token is marked used in the same transaction by a conditional update that only one submission wins."""

    class Origin(models.TextChoices):
        WEB = "web", _("Mobile phone")
        PAPER = "paper", _("Paper")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, related_name="+", verbose_name=_("hearing"))
    origin = models.CharField(_("origin"), max_length=5, choices=Origin.choices)
    answers = models.JSONField(_("answers"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["hearing", "id"]

    def __str__(self):
        return str(self.id)


class SurveyResult(models.Model):
    """A unit's figures in the city's 万人评议 survey (every two years), imported from the city's workbook.

    The counts use the hearing's four answers, one field per `Answer` value, and add up to the respondents."""

    year = models.ForeignKey(AppraisalYear, on_delete=models.PROTECT, related_name="+", verbose_name=_("year"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="survey_results", verbose_name=_("unit"))
    respondents = models.PositiveIntegerField(_("respondents"))
    satisfied = models.PositiveIntegerField(Answer.SATISFIED.label)
    fairly = models.PositiveIntegerField(Answer.FAIRLY_SATISFIED.label)
    dissatisfied = models.PositiveIntegerField(Answer.DISSATISFIED.label)
    unknown = models.PositiveIntegerField(Answer.UNKNOWN.label)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("survey result")
        verbose_name_plural = _("survey results")
        ordering = ["-year__year", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit"],
                name="survey_result_unique_unit",
                violation_error_message=_("This unit already has a survey result for that year."),
            ),
            models.CheckConstraint(
                condition=Q(respondents=F("satisfied") + F("fairly") + F("dissatisfied") + F("unknown")),
                name="survey_result_counts_add_up",
                violation_error_message=_("The four answers must add up to the respondents."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.unit}"

    def counts(self) -> dict:
        return {answer: getattr(self, answer) for answer in Answer.values}


class WindowNomination(models.Model):
    """A sub-unit put forward for a model-window award: the city's top ten, or one of the district's two titles."""

    class Award(models.TextChoices):
        CITY_TOP_TEN = "city_top_ten", _("City top-ten model window")
        DISTRICT_WINDOW = "district_window", _("District model window of conduct")
        DISTRICT_ENFORCEMENT = "district_enforcement", _("District model grassroots law-enforcement (service) unit")

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")

    year = models.ForeignKey(AppraisalYear, on_delete=models.PROTECT, related_name="+", verbose_name=_("year"))
    subunit = models.ForeignKey(
        SubUnit, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("sub-unit")
    )
    award = models.CharField(_("award"), max_length=20, choices=Award.choices)
    reasons = models.TextField(_("reasons"))
    commitments = models.TextField(_("public commitments"))
    satisfaction_evidence = models.TextField(_("satisfaction evidence"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOMINATED)
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("model-window nomination")
        verbose_name_plural = _("model-window nominations")
        ordering = ["-year__year", "award", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "subunit", "award"],
                name="window_nomination_unique",
                violation_error_message=_("This sub-unit is already nominated for that award this year."),
            ),
            models.CheckConstraint(
                condition=Q(status="nominated", decided_at__isnull=True)
                | (~Q(status="nominated") & Q(decided_at__isnull=False)),
                name="window_nomination_decided_when_decided",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.subunit} {self.get_award_display()}"
