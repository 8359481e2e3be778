"""A unit asks the office to end the appointment of a member of its team; the office decides.

pending → approved (the appointment ends with the request's reason), declined (with the office's reason) or
withdrawn (by the unit, while it waits). Each decision is recorded with who and when, and the unit is told.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from units.services.notifications import notification_send

from ..models import Appointment, AppointmentEndRequest
from .appointments import ALREADY_ENDED, appointment_end

Status = AppointmentEndRequest.Status

ASK_REASON_REQUIRED = _("Say why the appointment should end: the office decides on your reason.")
NOT_A_UNIT_TEAM = _("Only an appointment to a unit's team can be asked to end by the unit.")
ALREADY_ASKED = _("The office already has a request to end this appointment; wait for its decision or withdraw it.")
NOT_PENDING = _("This request is “%(status)s”: it has already been decided or withdrawn.")
DECLINE_REASON_REQUIRED = _("Say why the appointment stays, so the unit knows.")
APPROVED_TITLE = _("The office ended the appointment of %(name)s")
DECLINED_TITLE = _("The office kept the appointment of %(name)s")
APPROVED_BODY = _("%(name)s no longer serves on the team of %(unit)s from %(date)s. Your reason: %(reason)s")
DECLINED_BODY = _("%(name)s stays on the team of %(unit)s. The office's reason: %(note)s")


@transaction.atomic
def end_request_ask(*, appointment, by, reason: str) -> AppointmentEndRequest:
    """The unit asks the office to end an appointment to its team, saying why. One waiting request at a time."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [str(ASK_REASON_REQUIRED)]})
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.unit_id is None:
        raise ValidationError(NOT_A_UNIT_TEAM)
    if appointment.ended_on is not None:
        raise ValidationError(ALREADY_ENDED)
    if appointment.end_requests.filter(status=Status.PENDING).exists():
        raise ValidationError(ALREADY_ASKED)
    try:
        with transaction.atomic():
            return AppointmentEndRequest.objects.create(appointment=appointment, reason=reason, asked_by=by)
    except IntegrityError:  # asked at the same moment from two tabs: the constraint keeps one
        raise ValidationError(ALREADY_ASKED) from None


def _claim(end_request, **changes) -> AppointmentEndRequest:
    """Move a waiting request on, once: a conditional UPDATE, so two decisions at the same moment cannot both win."""
    claimed = AppointmentEndRequest.objects.filter(pk=end_request.pk, status=Status.PENDING).update(**changes)
    end_request.refresh_from_db()
    if not claimed:
        raise ValidationError(NOT_PENDING % {"status": end_request.get_status_display()})
    return end_request


@transaction.atomic
def end_request_withdraw(*, end_request, by) -> AppointmentEndRequest:
    """The unit takes its request back while the office has not decided; nothing else changes."""
    return _claim(end_request, status=Status.WITHDRAWN, decided_by=by, decided_at=timezone.now())


def _tell_unit(end_request, title, body):
    appointment = end_request.appointment
    notification_send(
        unit=appointment.unit,
        title=title % {"name": appointment.supervisor.name},
        body=body,
        url=reverse("supervisors:unit_team", args=[appointment.unit_id]),
        by=end_request.decided_by,
    )


@transaction.atomic
def end_request_approve(*, end_request, by, ended_on=None) -> AppointmentEndRequest:
    """The office agrees: the appointment ends (today by default) with the unit's reason, and the unit is told."""
    end_request = _claim(end_request, status=Status.APPROVED, decided_by=by, decided_at=timezone.now())
    appointment = appointment_end(
        appointment=end_request.appointment,
        ended_on=ended_on or max(timezone.localdate(), end_request.appointment.starts_on),
        reason=end_request.reason,
        by=by,
    )
    params = {
        "name": appointment.supervisor.name,
        "unit": appointment.unit.name,
        "date": f"{appointment.ended_on:%Y-%m-%d}",
        "reason": end_request.reason,
    }
    _tell_unit(end_request, _g(APPROVED_TITLE), _g(APPROVED_BODY) % params)
    return end_request


@transaction.atomic
def end_request_decline(*, end_request, by, note: str) -> AppointmentEndRequest:
    """The office keeps the appointment and says why; the unit is told and may ask again."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": [str(DECLINE_REASON_REQUIRED)]})
    end_request = _claim(
        end_request, status=Status.DECLINED, decided_by=by, decided_at=timezone.now(), decision_note=note
    )
    appointment = end_request.appointment
    params = {"name": appointment.supervisor.name, "unit": appointment.unit.name, "note": note}
    _tell_unit(end_request, _g(DECLINED_TITLE), _g(DECLINED_BODY) % params)
    return end_request
