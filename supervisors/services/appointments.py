"""Appointments to the district team or a unit's team, and the district's rules on who may serve where."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from appraisal.models import AppraisalYear
from units.services.notifications import notification_send

from ..models import DISTRICT_TEAM, Appointment, AppointmentChange, AppointmentEndRequest

# Each message names the rule it enforces, so a user knows why and what to do instead.
EMPLOYER_TEAM = _(
    "Nobody may supervise the unit that employs them: %(supervisor)s works for %(unit)s and cannot join its team."
)
NO_CONCURRENT_ROLES = _(
    "No concurrent roles (不得兼任): during the term a district supervisor may not serve on a unit's team and "
    "vice versa. %(supervisor)s is on %(team)s until %(last_day)s; end that appointment first."
)
ALREADY_ON_TEAM = _("%(supervisor)s is already on %(team)s for this term (until %(last_day)s).")
DISTRICT_TEAM_FULL = _(
    "The district team has %(size)s members, the number set for %(year)s; end an appointment before adding another."
)
TERM_TOO_LONG = _("An appointment lasts one year: it must end by %(latest)s. Renew it for the following year.")
ENDS_BEFORE_START = _("An appointment must start before it ends.")
ALREADY_RENEWED = _("This appointment has already been renewed.")
ALREADY_ENDED = _("This appointment has already ended.")
END_OUTSIDE_TERM = _("The end date must fall within the term, from %(start)s to %(end)s.")
END_REASON_REQUIRED = _("Give the reason for ending the appointment early.")
NOT_ENDED = _("This appointment has not been ended: there is nothing to undo.")
REINSTATE_REASON_REQUIRED = _("Give the reason for undoing the end of this appointment.")
ENDED_TITLE = _("Your appointment to %(team)s ends on %(date)s")
ENDED_BODY = _("The office ended the appointment of %(name)s to %(team)s from %(date)s. Reason: %(reason)s")
REINSTATED_TITLE = _("The appointment of %(name)s to %(team)s is in force again")
REINSTATED_BODY = _("The office undid the early end of the appointment of %(name)s to %(team)s. Reason: %(reason)s")
NOT_APPOINTED = _("%(supervisor)s holds no appointment on %(date)s to the district team or to the team of %(unit)s.")
NO_NEXT_YEAR = _("Create the %(year)s appraisal year first: a renewal is an appointment for the following year.")
INSPECT_EMPLOYER = _("Nobody may supervise the unit that employs them: %(supervisor)s works for %(unit)s.")


def term_end(starts_on: datetime.date) -> datetime.date:
    """The last day of a one-year term (a term starting on 29 February ends on 28 February)."""
    try:
        anniversary = starts_on.replace(year=starts_on.year + 1)
    except ValueError:
        anniversary = starts_on.replace(year=starts_on.year + 1, day=28) + datetime.timedelta(days=1)
    return anniversary - datetime.timedelta(days=1)


def _team(unit):
    return str(unit) if unit else str(DISTRICT_TEAM)


def appointment_rule_errors(*, supervisor, year, unit, starts_on, ends_on, exclude=None) -> list[str]:
    """Every rule a new appointment would break, as messages; empty when it may be made."""
    if ends_on < starts_on:
        return [str(ENDS_BEFORE_START)]
    errors = []
    if ends_on > term_end(starts_on):
        errors.append(TERM_TOO_LONG % {"latest": term_end(starts_on)})
    if unit is not None and supervisor.employer_unit_id == unit.pk:
        errors.append(EMPLOYER_TEAM % {"supervisor": supervisor, "unit": unit})
    others = Appointment.objects.none()
    if supervisor.pk is not None:  # a supervisor the import has not written yet holds no appointment
        others = supervisor.appointments.overlapping(starts_on, ends_on).select_related("unit")
    for other in others.exclude(pk=getattr(exclude, "pk", None)):
        params = {"supervisor": supervisor, "team": other.team_name, "last_day": other.last_day}
        if other.unit_id == getattr(unit, "pk", None):
            errors.append(ALREADY_ON_TEAM % params)
        elif other.unit_id is None or unit is None:
            errors.append(NO_CONCURRENT_ROLES % params)
    if unit is None:
        district = Appointment.objects.filter(year=year, unit=None).overlapping(starts_on, ends_on)
        if supervisor.pk is not None:
            district = district.exclude(supervisor=supervisor)
        if district.count() >= year.district_team_size:
            errors.append(DISTRICT_TEAM_FULL % {"size": year.district_team_size, "year": year.year})
    return errors


@transaction.atomic
def appointment_create(*, supervisor, year, unit=None, starts_on=None, ends_on=None, renewed_from=None):
    """Appoint a supervisor to the district team (unit None) or to a unit's team, for one year by default."""
    starts_on = starts_on or timezone.localdate()
    ends_on = ends_on or term_end(starts_on)
    errors = appointment_rule_errors(supervisor=supervisor, year=year, unit=unit, starts_on=starts_on, ends_on=ends_on)
    if errors:
        raise ValidationError(errors)
    appointment = Appointment(
        supervisor=supervisor, year=year, unit=unit, starts_on=starts_on, ends_on=ends_on, renewed_from=renewed_from
    )
    appointment.full_clean()
    appointment.save()
    return appointment


def appointment_renew(*, appointment, year=None):
    """Appoint the same supervisor to the same team in `year` (the following year by default), from the day
    after the previous term ends (or today, when it has lapsed). An appointment is renewed once only."""
    if Appointment.objects.filter(renewed_from=appointment).exists():
        raise ValidationError(ALREADY_RENEWED)
    if year is None:
        year = AppraisalYear.objects.filter(year=appointment.year.year + 1).first()
        if year is None:
            raise ValidationError(NO_NEXT_YEAR % {"year": appointment.year.year + 1})
    starts_on = max(appointment.ends_on + datetime.timedelta(days=1), timezone.localdate())
    return appointment_create(
        supervisor=appointment.supervisor,
        year=year,
        unit=appointment.unit,
        starts_on=starts_on,
        renewed_from=appointment,
    )


@dataclass
class RenewalResult:
    renewed: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (appointment, messages)


def appointments_renew_all(*, from_year, to_year, unit=None, district_only=False) -> RenewalResult:
    """Renew every appointment of `from_year` that was not ended early and not renewed yet; each renewal is
    checked on its own, so one refused appointment does not hold up the others."""
    previous = Appointment.objects.filter(year=from_year, ended_on__isnull=True, renewal__isnull=True)
    if unit is not None:
        previous = previous.filter(unit=unit)
    elif district_only:
        previous = previous.filter(unit=None)
    result = RenewalResult()
    for appointment in previous.select_related("supervisor", "unit").order_by("unit", "supervisor__name"):
        try:
            result.renewed.append(appointment_renew(appointment=appointment, year=to_year))
        except ValidationError as error:
            result.refused.append((appointment, error.messages))
    return result


@transaction.atomic
def appointment_end(*, appointment, ended_on=None, reason: str, by=None) -> Appointment:
    """End an appointment early: from `ended_on` (today by default) the supervisor no longer serves. The office's
    decision; recorded with who and why, and undone by `appointment_reinstate`."""
    ended_on = ended_on or timezone.localdate()
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.ended_on is not None:
        raise ValidationError(ALREADY_ENDED)
    if not reason.strip():
        raise ValidationError(END_REASON_REQUIRED)
    if not appointment.starts_on <= ended_on <= appointment.ends_on:
        raise ValidationError(END_OUTSIDE_TERM % {"start": appointment.starts_on, "end": appointment.ends_on})
    appointment.ended_on, appointment.end_reason = ended_on, reason.strip()
    appointment.save(update_fields=["ended_on", "end_reason"])
    AppointmentChange.objects.create(
        appointment=appointment, kind=AppointmentChange.Kind.ENDED, effective_on=ended_on, reason=reason.strip(), by=by
    )
    # The office ended it directly while the unit's request waited: that request is answered too.
    appointment.end_requests.filter(status=AppointmentEndRequest.Status.PENDING).update(
        status=AppointmentEndRequest.Status.APPROVED, decided_by=by, decided_at=timezone.now()
    )
    _tell_supervisor(appointment, _g(ENDED_TITLE), _g(ENDED_BODY), by)
    return appointment


@transaction.atomic
def appointment_reinstate(*, appointment, by, reason: str) -> Appointment:
    """Undo an early end (ended by mistake): the supervisor serves again for the rest of the term, if the rules
    still allow it (no other appointment taken since, room on the district team). The end stays on record."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("supervisor", "year", "unit")
        .get(pk=appointment.pk)
    )
    if appointment.ended_on is None:
        raise ValidationError(NOT_ENDED)
    if not reason.strip():
        raise ValidationError(REINSTATE_REASON_REQUIRED)
    errors = appointment_rule_errors(
        supervisor=appointment.supervisor,
        year=appointment.year,
        unit=appointment.unit,
        starts_on=appointment.starts_on,
        ends_on=appointment.ends_on,
        exclude=appointment,
    )
    if errors:
        raise ValidationError(errors)
    appointment.ended_on, appointment.end_reason = None, ""
    appointment.save(update_fields=["ended_on", "end_reason"])
    change = AppointmentChange.objects.create(
        appointment=appointment,
        kind=AppointmentChange.Kind.REINSTATED,
        effective_on=timezone.localdate(),
        reason=reason.strip(),
        by=by,
    )
    _tell_supervisor(appointment, _g(REINSTATED_TITLE), _g(REINSTATED_BODY), by, reason=change.reason)
    if appointment.unit_id:
        params = {"name": appointment.supervisor.name, "team": appointment.team_name, "reason": change.reason}
        notification_send(
            unit=appointment.unit,
            title=_g(REINSTATED_TITLE) % params,
            body=_g(REINSTATED_BODY) % params,
            url=reverse("supervisors:unit_team", args=[appointment.unit_id]),
            by=by,
        )
    return appointment


def _tell_supervisor(appointment, title, body, by, reason=None):
    """The supervisor learns of a change to their appointment on their home (and by email)."""
    user = appointment.supervisor.user
    if user is None:
        return
    params = {
        "name": appointment.supervisor.name,
        "team": appointment.team_name,
        "reason": reason or appointment.end_reason,
        "date": f"{appointment.ended_on:%Y-%m-%d}" if appointment.ended_on else "",
    }
    notification_send(user=user, title=title % params, body=body % params, url=reverse("supervisors:home"), by=by)


def may_inspect(supervisor, unit, on_date: datetime.date):
    """None when the supervisor may inspect the unit on that date, else the message that says why not:
    an appointment in force to the district team (any unit but their employer) or to that unit's team."""
    if supervisor.employer_unit_id == unit.pk:
        return INSPECT_EMPLOYER % {"supervisor": supervisor, "unit": unit}
    active = supervisor.appointments.active_on(on_date)
    if active.filter(unit=None).exists() or active.filter(unit=unit).exists():
        return None
    return NOT_APPOINTED % {"supervisor": supervisor, "date": on_date, "unit": unit}
