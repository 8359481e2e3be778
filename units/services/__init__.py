from .roster import (
    contact_delete,
    contact_save,
    participations_enrol,
    subunit_delete,
    subunit_save,
)
from .roster_import import RosterImportResult, roster_import

__all__ = [
    "RosterImportResult",
    "contact_delete",
    "contact_save",
    "participations_enrol",
    "roster_import",
    "subunit_delete",
    "subunit_save",
]
