from django.db.models import Count, Prefetch

from appraisal.roles import can_see_all_units

from .models import Contact, SubUnit, Unit


def units_of_member(user):
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.filter(memberships__user=user).order_by("name")


def units_visible_to(user):
    """Every unit for the office and leaders; a liaison's own units for them; nothing for anyone else."""
    units = Unit.objects.all() if can_see_all_units(user) else units_of_member(user)
    return units.annotate(
        subunit_count=Count("subunits", distinct=True), contact_count=Count("contacts", distinct=True)
    )


def unit_with_roster(unit_id):
    """A unit with its sub-units and contacts loaded in three queries."""
    return Unit.objects.prefetch_related(
        Prefetch("subunits", queryset=SubUnit.objects.order_by("kind", "name")),
        Prefetch("contacts", queryset=Contact.objects.order_by("role", "name")),
    ).get(pk=unit_id)
