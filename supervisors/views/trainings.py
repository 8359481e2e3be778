"""Training sessions and the import of supervisors from Excel: the office's pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from appraisal.excel import template_workbook, xlsx_response
from appraisal.roles import is_office, require_office
from appraisal.security import upload_ratelimit

from .. import services
from ..forms import SupervisorUploadForm, TrainingForm
from ..models import Training
from ..services.imports import SUPERVISOR_INSTRUCTIONS, SUPERVISOR_SHEET
from .teams import require_reader


@login_required
def training_list(request):
    require_reader(request.user)
    trainings = Training.objects.annotate(attendee_count=Count("attendees")).order_by("-held_on", "-id")
    page = Paginator(trainings, 50).get_page(request.GET.get("page"))
    return render(request, "supervisors/training_list.html", {"page": page, "can_edit": is_office(request.user)})


@login_required
def training_create(request):
    require_office(request.user)
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.training_save(data=data, attendees=data.pop("attendees"))
        messages.success(request, _("Saved."))
        return redirect("supervisors:trainings")
    context = {"form": form, "title": _("Record a training session"), "back": reverse("supervisors:trainings")}
    return render(request, "supervisors/form.html", context)


@login_required
@upload_ratelimit
def supervisor_import(request):
    require_office(request.user)
    form = SupervisorUploadForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.supervisors_import(upload=form.cleaned_data["file"])
        except ValidationError as error:
            errors = error.messages
    return render(request, "supervisors/import.html", {"form": form, "errors": errors, "result": result})


@login_required
def supervisor_template(request):
    require_office(request.user)
    workbook = template_workbook([SUPERVISOR_SHEET], instructions=SUPERVISOR_INSTRUCTIONS)
    return xlsx_response(workbook, "supervisor-template.xlsx")
