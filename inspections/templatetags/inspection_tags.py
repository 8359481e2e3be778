from django import template

from ..models import Notice
from ..selectors import unit_team_quotas

register = template.Library()


@register.simple_tag
def unit_notices(unit, limit=5):
    """The latest feedback notices of a unit, for its home page."""
    return list(Notice.objects.filter(unit=unit)[:limit])


@register.simple_tag
def team_quotas(unit, year):
    """(self-check phase, year) quotas of the unit's own team."""
    return unit_team_quotas(unit=unit, year=year) if year else None
