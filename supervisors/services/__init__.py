"""Writes of the supervisors app, and the rule check other apps call (`may_inspect`)."""

from .appointments import (
    RenewalResult,
    appointment_create,
    appointment_end,
    appointment_reinstate,
    appointment_renew,
    appointment_rule_errors,
    appointments_renew_all,
    may_inspect,
    term_end,
)
from .end_requests import end_request_approve, end_request_ask, end_request_decline, end_request_withdraw
from .imports import SupervisorImportResult, supervisors_import
from .supervisors import supervisor_save, team_member_add, training_save

__all__ = [
    "RenewalResult",
    "SupervisorImportResult",
    "appointment_create",
    "appointment_end",
    "appointment_reinstate",
    "appointment_renew",
    "appointment_rule_errors",
    "appointments_renew_all",
    "end_request_approve",
    "end_request_ask",
    "end_request_decline",
    "end_request_withdraw",
    "may_inspect",
    "supervisor_save",
    "supervisors_import",
    "team_member_add",
    "term_end",
    "training_save",
]
