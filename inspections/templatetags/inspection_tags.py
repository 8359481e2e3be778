from django import template

from ..models import Evidence, Inspection
from ..selectors import supervisor_quotas, unit_team_quotas

register = template.Library()


@register.simple_tag
def team_quotas(unit, year):
    """(self-check phase, year) quotas of the unit's own team."""
    return unit_team_quotas(unit=unit, year=year) if year else None


@register.inclusion_tag("inspections/_my_quotas.html")
def my_quotas(supervisor, year):
    """A supervisor's progress against their quotas of the year: their own count, their unit teams' counts."""
    return {"quotas": supervisor_quotas(supervisor=supervisor, year=year) if year else [], "year": year}


@register.inclusion_tag("inspections/_problem_evidence.html")
def problem_evidence(problem):
    """The pictures of the finding that became this problem, as the unit may see them: the stripped copies of an
    accepted inspection, under neutral names. Problems from other channels have none."""
    pictures = Evidence.objects.filter(finding__problem=problem, inspection__status=Inspection.Status.ACCEPTED).exclude(
        unit_copy=""
    )
    return {"pictures": list(pictures)}
