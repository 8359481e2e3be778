"""The one place that decides who may see or change an Excel summary.

The office builds, downloads and sends every summary. Leaders read the reports: they see and download the
summaries, except the inspection register (summary 2), which names the supervisors of covert inspections —
those names are the office's alone, so for leaders that summary does not exist. Anyone else: nothing.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from appraisal.roles import is_leader, is_office

from .models import Report

# The summaries a leader may read.
LEADER_KINDS = [kind for kind in Report.Kind.values if kind != Report.Kind.INSPECTIONS]


def can_read_reports(user) -> bool:
    return is_office(user) or is_leader(user)


def reports_visible_to(user):
    """The summaries a user may see, newest first."""
    reports = Report.objects.select_related("year", "unit", "requested_by")
    if is_office(user):
        return reports
    if is_leader(user):
        return reports.filter(kind__in=LEADER_KINDS)
    return reports.none()


def report_get_for_user(user, pk, *, write=False) -> Report:
    """Office: every summary, to read and to send. Leaders: read the summaries they may see. Others: 404."""
    report = get_object_or_404(Report.objects.select_related("year", "unit", "requested_by"), pk=pk)
    if is_office(user):
        return report
    if is_leader(user) and report.kind in LEADER_KINDS:
        if write:
            raise PermissionDenied
        return report
    raise Http404
