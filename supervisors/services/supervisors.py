"""Supervisor records and the training sessions of the office."""

from django.db import transaction

from ..models import Supervisor, Training
from .appointments import appointment_create

SUPERVISOR_FIELDS = ["name", "sector", "employer", "employer_unit", "phone", "email"]


def supervisor_save(*, data: dict, supervisor: Supervisor | None = None) -> Supervisor:
    supervisor = supervisor or Supervisor()
    for name in SUPERVISOR_FIELDS:
        if name in data:
            setattr(supervisor, name, data[name])
    supervisor.full_clean()
    supervisor.save()
    return supervisor


@transaction.atomic
def team_member_add(*, year, unit, data: dict, starts_on=None):
    """Appoint a person to a team: the supervisor with this name and phone, or a new record when there is none.
    An existing record is not changed here, so a unit cannot rewrite another team's supervisor."""
    supervisor = Supervisor.objects.filter(name=data["name"], phone=data["phone"]).first()
    if supervisor is None:
        supervisor = supervisor_save(data=data)
    return appointment_create(supervisor=supervisor, year=year, unit=unit, starts_on=starts_on)


@transaction.atomic
def training_save(*, data: dict, attendees, training: Training | None = None) -> Training:
    training = training or Training()
    for name in ("held_on", "topic", "place"):
        setattr(training, name, data[name])
    training.full_clean()
    training.save()
    training.attendees.set(attendees)
    return training
