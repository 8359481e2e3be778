from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfcheckConfig(AppConfig):
    name = "selfcheck"
    verbose_name = _("Self-check and correction")

    def purge_personal_data(self, *, before, dry_run):
        """Complainants past their retention period (appraisal.personal_data)."""
        from .services.personal_data import complaints_purge

        return complaints_purge(before=before, dry_run=dry_run)

    def office_queue(self, year):
        """Complaints waiting for triage; the year's rectifications waiting for verification, and overdue ones."""
        from django.urls import reverse

        from appraisal.queue import QueueEntry

        from .models import Complaint, Problem
        from .selectors import overdue_q

        complaints = Complaint.objects.filter(status=Complaint.Status.RECEIVED).count()
        entries = [
            QueueEntry(
                _("Public complaints waiting for triage"),
                complaints,
                f"{reverse('complaints:list')}?status={Complaint.Status.RECEIVED}",
                order=20,
            )
        ]
        if year is None:
            return entries
        problems = Problem.objects.filter(year=year)
        register = f"{reverse('selfcheck:office_list')}?year={year.year}"
        return [
            *entries,
            QueueEntry(
                _("Rectifications waiting for verification"),
                problems.filter(status=Problem.Status.RECTIFIED).count(),
                f"{register}&status={Problem.Status.RECTIFIED}",
                order=21,
            ),
            QueueEntry(
                _("Rectifications overdue"),
                problems.filter(overdue_q()).count(),
                f"{register}&overdue=on",
                order=22,
                overdue=True,
            ),
        ]
