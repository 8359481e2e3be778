"""The supervisor's register (phone-first), the office's review queue and the quota overview."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal.files import protected_file_response
from appraisal.roles import can_see_all_units, is_office, require_office
from appraisal.security import upload_ratelimit
from appraisal.selectors import page_year
from appraisal.uploads import KIND_CONTENT_TYPES, KIND_EXTENSIONS
from supervisors.access import supervisor_of
from supervisors.selectors import units_to_inspect
from units.services.personal_data import mask_contact

from . import services
from .access import evidence_get_for_user, finding_get_for_user, inspection_get_for_user, unit_evidence_get_for_user
from .forms import EvidenceForm, FindingForm, InspectionCreateForm, InspectionForm, ReopenForm, ReturnForm
from .selectors import district_overview, findings_of, inspections_of, review_queue, unit_team_overview

PAGE_SIZE = 30


def _supervisor_or_404(user):
    supervisor = supervisor_of(user)
    if supervisor is None:
        raise Http404
    return supervisor


def _year_of_page(request):
    shown = page_year(request)
    if shown.error:
        messages.warning(request, shown.error)
    return shown.year


def _is_filer(user, inspection):
    return inspection.supervisor.user_id == user.pk


@login_required
def mine(request):
    """The supervisor's own register with their quota progress."""
    supervisor = _supervisor_or_404(request.user)
    year = _year_of_page(request)
    page = Paginator(inspections_of(supervisor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/mine.html", {"page": page, "supervisor": supervisor, "year": year})


@login_required
def inspection_create(request):
    supervisor = _supervisor_or_404(request.user)
    form = InspectionCreateForm(request.POST or None, units=units_to_inspect(supervisor=supervisor))
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(supervisor=supervisor, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft saved. Now enter what you checked and what you found."))
            return redirect("inspections:edit", inspection.pk)
    return render(request, "inspections/create.html", {"form": form})


@login_required
def inspection_edit(request, pk):
    inspection = inspection_get_for_user(request.user, pk, write=True)
    form = InspectionForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_update(inspection=inspection, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("inspections:detail", inspection.pk)
    return render(request, "inspections/edit.html", {"form": form, "inspection": inspection})


@login_required
def inspection_detail(request, pk, finding_form=None, return_form=None, evidence_form=None, reopen_form=None):
    inspection = inspection_get_for_user(request.user, pk)
    can_edit = inspection.is_editable and _is_filer(request.user, inspection)
    if not (is_office(request.user) or _is_filer(request.user, inspection)):
        mask_contact(inspection.supervisor)  # a supervisor's phone: the office's and their own
    can_reopen = is_office(request.user) and inspection.status == inspection.Status.ACCEPTED
    if can_edit:
        finding_form = finding_form or FindingForm(unit=inspection.unit)
        evidence_form = evidence_form or EvidenceForm(inspection=inspection)
    context = {
        "inspection": inspection,
        "findings": findings_of(inspection),
        "evidence": inspection.evidence.select_related("finding__item"),
        "evidence_form": evidence_form if can_edit else None,
        "steps": inspection.steps.select_related("by"),
        "items": inspection.items.all(),
        "commitments": inspection.commitments.all(),
        "can_edit": can_edit,
        "can_review": is_office(request.user) and inspection.status == inspection.Status.SUBMITTED,
        "finding_form": finding_form if can_edit else None,
        "return_form": return_form or ReturnForm(),
        "reopen_form": (reopen_form or ReopenForm()) if can_reopen else None,
    }
    return render(request, "inspections/detail.html", context)


@login_required
@require_POST
def inspection_delete(request, pk):
    inspection = inspection_get_for_user(request.user, pk, write=True)
    try:
        services.inspection_delete(inspection=inspection)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("inspections:detail", pk)
    messages.success(request, _("Draft deleted."))
    return redirect("inspections:mine")


@login_required
@require_POST
def inspection_submit(request, pk):
    inspection = inspection_get_for_user(request.user, pk, write=True)
    try:
        services.inspection_submit(inspection=inspection, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("inspections:edit", pk)
    messages.success(request, _("Submitted to the office."))
    return redirect("inspections:detail", pk)


@login_required
def finding_add(request, pk):
    inspection = inspection_get_for_user(request.user, pk, write=True)
    if request.method != "POST":
        return redirect("inspections:detail", pk)
    form = FindingForm(request.POST, unit=inspection.unit)
    if form.is_valid():
        try:
            services.finding_add(inspection=inspection, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Finding added."))
            return redirect("inspections:detail", pk)
    return inspection_detail(request, pk, finding_form=form)


@login_required
def finding_edit(request, pk):
    finding = finding_get_for_user(request.user, pk, write=True)
    inspection = finding.inspection
    form = FindingForm(request.POST or None, instance=finding, unit=inspection.unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_update(finding=finding, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Finding saved."))
            return redirect("inspections:detail", inspection.pk)
    return render(request, "inspections/finding_form.html", {"form": form, "inspection": inspection})


@login_required
@require_POST
def finding_delete(request, pk):
    finding = finding_get_for_user(request.user, pk, write=True)
    try:
        services.finding_delete(finding=finding)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Finding deleted."))
    return redirect("inspections:detail", finding.inspection_id)


@login_required
@upload_ratelimit
def evidence_add(request, pk):
    inspection = inspection_get_for_user(request.user, pk, write=True)
    if request.method != "POST":
        return redirect("inspections:detail", pk)
    form = EvidenceForm(request.POST, request.FILES, inspection=inspection)
    if form.is_valid():
        try:
            services.evidence_add(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None if hasattr(error, "error_dict") else "upload", error)  # a refused file: at its input
        else:
            messages.success(request, _("File attached."))
            return redirect("inspections:detail", pk)
    return inspection_detail(request, pk, evidence_form=form)


@login_required
@require_POST
def evidence_delete(request, pk):
    evidence = evidence_get_for_user(request.user, pk, write=True)
    try:
        services.evidence_delete(evidence=evidence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("File removed."))
    return redirect("inspections:detail", evidence.inspection_id)


@login_required
def evidence(request, pk):
    """The original, as uploaded: for the supervisor who filed it, the office and leaders. The name keeps the
    person's words with the ending of the type the content proved."""
    evidence = evidence_get_for_user(request.user, pk)
    stem = os.path.splitext(evidence.original_name)[0] or f"evidence-{evidence.pk}"
    return protected_file_response(
        evidence.file,
        filename=f"{stem}{KIND_EXTENSIONS.get(evidence.kind, '')}",
        content_type=KIND_CONTENT_TYPES.get(evidence.kind, "application/octet-stream"),
    )


@login_required
def unit_evidence(request, pk):
    """The unit's copy of a picture: metadata stripped, a neutral name, nothing that says who took it."""
    evidence = unit_evidence_get_for_user(request.user, pk)
    return protected_file_response(
        evidence.unit_copy,
        as_attachment=False,
        filename=f"evidence-{evidence.pk}{os.path.splitext(evidence.unit_copy.name)[1]}",
        content_type=KIND_CONTENT_TYPES.get(evidence.kind, "application/octet-stream"),
    )


# The office --------------------------------------------------------------------------------------------


@login_required
def review(request):
    require_office(request.user)
    page = Paginator(review_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/review.html", {"page": page})


@login_required
@require_POST
def inspection_accept(request, pk):
    inspection = inspection_get_for_user(request.user, pk)
    require_office(request.user)
    try:
        problems = services.inspection_accept(inspection=inspection, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("inspections:detail", pk)
    messages.success(request, _("Accepted: %(count)s problems sent to the unit's register.") % {"count": len(problems)})
    return redirect("inspections:review")


@login_required
@require_POST
def inspection_return(request, pk):
    inspection = inspection_get_for_user(request.user, pk)
    require_office(request.user)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.inspection_return(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Returned to the supervisor."))
            return redirect("inspections:review")
    return inspection_detail(request, pk, return_form=form)


@login_required
@require_POST
def inspection_reopen(request, pk):
    inspection = inspection_get_for_user(request.user, pk)
    require_office(request.user)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            inspection = services.inspection_reopen(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if inspection.status == inspection.Status.RETURNED:
                messages.success(request, _("Acceptance undone: the inspection is back with the supervisor."))
            else:
                messages.success(request, _("Acceptance undone: the inspection is back in the review queue."))
            return redirect("inspections:detail", pk)
    return inspection_detail(request, pk, reopen_form=form)


@login_required
def quotas(request):
    """The office's and the leaders' overview: district supervisors and unit teams against their quotas."""
    if not can_see_all_units(request.user):
        raise PermissionDenied
    year = _year_of_page(request)
    if year is None:
        raise Http404(_("No appraisal year has been created yet."))
    context = {"year": year, "supervisors": district_overview(year=year), "units": unit_team_overview(year=year)}
    return render(request, "inspections/quotas.html", context)
