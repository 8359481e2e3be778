from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from appraisal.models import ReminderSettings
from appraisal.roles import can_see_all_units

from ..services.reminders import overdue_bulletin
from .deliverables import page_year_or_404


@login_required
def bulletin(request):
    """The office's overdue bulletin; leaders may read it. Nobody else knows it exists."""
    if not can_see_all_units(request.user):
        raise Http404
    year = page_year_or_404(request).year
    reminder_settings = ReminderSettings.objects.filter(year=year).first() or ReminderSettings(year=year)
    return render(
        request,
        "units/overdue_bulletin.html",
        {"year": year, "rows": overdue_bulletin(year=year), "bulletin_days": reminder_settings.bulletin_days},
    )
