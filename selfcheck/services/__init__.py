"""Writes of the self-check register. Views, the command and other apps import from here."""

from .imports import RegisterImportResult, register_import
from .problems import (
    problem_create,
    problem_explain,
    problem_rectify,
    problem_reopen,
    problem_send_back,
    problem_start,
    problem_update,
    problem_verify,
    problem_withdraw,
)
from .submission import register_submit
from .workbook import register_problems_for_export, register_workbook

__all__ = [
    "RegisterImportResult",
    "problem_create",
    "problem_explain",
    "problem_rectify",
    "problem_reopen",
    "problem_send_back",
    "problem_start",
    "problem_update",
    "problem_verify",
    "problem_withdraw",
    "register_import",
    "register_problems_for_export",
    "register_submit",
    "register_workbook",
]
