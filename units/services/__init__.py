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
from .deliverables import (  # noqa: E402
    checklist,
    deliverable_file_add,
    deliverable_file_delete,
    deliverable_reopen,
    deliverable_review,
    deliverable_submit,
    deliverable_submit_for_unit,
)

__all__ += [
    "checklist",
    "deliverable_file_add",
    "deliverable_file_delete",
    "deliverable_reopen",
    "deliverable_review",
    "deliverable_submit",
    "deliverable_submit_for_unit",
]
