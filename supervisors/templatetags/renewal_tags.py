"""The renewal step of a new year, for pages of other apps (the office's 新建下一年度 page): the appointments of
the previous year still to renew, with one button that renews them all into the new year."""

from django import template
from django.db.models import F

from ..models import Appointment

register = template.Library()


@register.inclusion_tag("supervisors/_renewals.html", takes_context=True)
def renewals_due(context, *, from_year, to_year, back=""):
    """Appointments of `from_year` not ended early and not renewed yet (their terms end with that year), and how
    many have been renewed into `to_year` already. The renewal returns to `back` (this page)."""
    due = (
        Appointment.objects.filter(year=from_year, ended_on__isnull=True, renewal__isnull=True)
        .select_related("supervisor", "unit")
        .order_by(F("unit__name").asc(nulls_first=True), "supervisor__name")
    )
    renewed = Appointment.objects.filter(year=to_year, renewed_from__year=from_year).count()
    return {
        "due": list(due),
        "renewed": renewed,
        "from_year": from_year,
        "to_year": to_year,
        "back": back,
        "csrf_token": context.get("csrf_token"),
    }
