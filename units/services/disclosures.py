"""The disclosure and service-commitment register, and its publication once the office accepts it."""

from django.forms.models import model_to_dict

from ..models import DisclosureItem, DisclosurePublication

PUBLISHED_FIELDS = [
    "kind",
    "title",
    "content",
    "legal_basis",
    "statutory_days",
    "promised_days",
    "fee_standard",
    "fee_relief",
    "contact",
    "feedback",
]


def disclosures_publish(*, year, unit, by) -> DisclosurePublication:
    """Freeze the unit's current items as the public version; later edits stay private until accepted again."""
    items = [
        model_to_dict(item, fields=PUBLISHED_FIELDS) for item in DisclosureItem.objects.filter(year=year, unit=unit)
    ]
    return DisclosurePublication.objects.create(year=year, unit=unit, items=items, published_by=by)
