from django.db import transaction

from appraisal.models import AppraisalYear

from ..models import Contact, Participation, SubUnit, Unit


def _save(instance, data):
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def subunit_save(*, unit: Unit, data: dict, subunit: SubUnit | None = None) -> SubUnit:
    """Add a sub-unit to `unit`, or change `subunit`; refuses a second sub-unit of the same name."""
    return _save(subunit or SubUnit(unit=unit), data)


def subunit_delete(*, subunit: SubUnit) -> None:
    subunit.delete()


@transaction.atomic
def contact_save(*, unit: Unit, data: dict, contact: Contact | None = None) -> Contact:
    return _save(contact or Contact(unit=unit), data)


def contact_delete(*, contact: Contact) -> None:
    contact.delete()


@transaction.atomic
def participations_enrol(*, year: AppraisalYear, units, focus: dict | None = None) -> int:
    """Enrol units in a year's campaign. Focus is taken from `focus` (unit id -> bool) or, by default,
    from whether the unit's kind is the year's focus. Returns how many participations were created."""
    focus = focus or {}
    existing = {p.unit_id: p for p in Participation.objects.filter(year=year)}
    created = 0
    for unit in units:
        is_focus = focus.get(unit.pk, unit.kind == year.focus)
        participation = existing.get(unit.pk)
        if participation is None:
            Participation.objects.create(year=year, unit=unit, is_focus=is_focus)
            created += 1
        elif unit.pk in focus and participation.is_focus != is_focus:
            participation.is_focus = is_focus
            participation.save(update_fields=["is_focus"])
    return created
