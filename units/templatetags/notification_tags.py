from django import template

from ..selectors import notifications_for

register = template.Library()


@register.inclusion_tag("units/_notifications.html")
def notifications(*, unit=None, user=None):
    """The hand-offs told to a unit (its page) or a person (their home), latest first."""
    return {"notifications": notifications_for(unit=unit, user=user)}
