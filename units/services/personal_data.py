"""Personal data of a unit's people: what a reader who is not the office or the unit sees, and its retention.

Phones, faxes, emails and postal addresses of contacts and service objects are shown in full to the office and
to the unit itself; leaders and anyone else see them masked (the masks of service_objects). Service objects'
details are anonymised two years (settings.PERSONAL_DATA_RETENTION) after the end of the year they were
listed for; the rows stay, so hearing draws and attendance keep adding up.
"""

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from appraisal.personal_data import ANONYMISED, purge, retention_cutoff

from ..models import ServiceObject
from .service_objects import mask_email, mask_phone

SERVICE_OBJECTS_ANONYMISED = _("Service objects anonymised")
# What the record of an export of the list says it was (appraisal.PersonalDataExport).
SERVICE_OBJECTS_EXPORT = _("Service-object list")

# How much of an address a masked reader sees: the city and district, not the street and number.
ADDRESS_PREFIX = 6


def mask_address(address: str) -> str:
    if not address:
        return ""
    return address[:ADDRESS_PREFIX] + "****"


def mask_contact(person):
    """Mask, in place and for display only, the phone, fax, email and address of a contact, a sub-unit or a
    service object (whichever of these fields it has). Never save the result."""
    for name, mask in (("phone", mask_phone), ("fax", mask_phone), ("email", mask_email), ("address", mask_address)):
        value = getattr(person, name, None)
        if value:
            setattr(person, name, mask(value))
    return person


def service_objects_purge(*, before, dry_run) -> list[tuple[str, int]]:
    """Anonymise the service objects of the years whose retention ended before `before`: the name becomes
    已匿名#<id> (the list's uniqueness holds), contact details and occupation are blanked."""
    expired = ServiceObject.objects.filter(
        year__evaluation_end__lt=retention_cutoff("service_objects", before)
    ).exclude(name__startswith=ANONYMISED)
    count = purge(
        expired,
        dry_run,
        name=Concat(Value(f"{ANONYMISED}#"), Cast("pk", CharField())),
        occupation="",
        address="",
        phone="",
        fax="",
        email="",
    )
    return [(SERVICE_OBJECTS_ANONYMISED, count)]
