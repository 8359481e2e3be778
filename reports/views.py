from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from appraisal.roles import can_see_all_units

from .selectors import dashboard_figures


@login_required
def dashboard(request):
    if not can_see_all_units(request.user):
        raise PermissionDenied
    return render(request, "reports/dashboard.html", dashboard_figures())
