from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from appraisal.files import protected_file_response
from appraisal.models import AppraisalYear
from appraisal.roles import can_see_all_units, is_office, require_office
from appraisal.security import upload_ratelimit

from .. import services
from ..access import (
    can_change_unit,
    deliverable_file_get_for_user,
    deliverable_get_for_user,
    unit_get_for_user,
)
from ..forms import DeliverableFileForm, ReviewForm
from ..models import Deliverable
from ..selectors import deliverables_matrix
from ..services.deliverables import FILE_KINDS

Kind = Deliverable.Kind

# Where the content of each deliverable is kept up to date; the deliverable page links there.
CONTENT_PAGES = {
    Kind.CONTACTS: ("units:detail", gettext_lazy("Edit the contacts on the unit page")),
    Kind.SUBUNITS: ("units:detail", gettext_lazy("Edit the sub-units on the unit page")),
    Kind.SERVICE_OBJECTS: ("units:service_objects", gettext_lazy("Open the service-object list")),
    Kind.DISCLOSURES: ("units:disclosures", gettext_lazy("Open the disclosure register")),
    Kind.SELFCHECK_REGISTER: ("selfcheck:register", gettext_lazy("Open the self-check register")),
}


def current_year_or_404():
    year = AppraisalYear.objects.current()
    if year is None:
        raise Http404(_("No appraisal year has been created yet."))
    return year


def owed_or_404(year, unit, kind):
    for owed in services.checklist(year=year, unit=unit):
        if owed.kind == kind:
            return owed
    raise Http404


def back(request, *fallback):
    """Return to the page the form was posted from, when it is one of ours; else to `fallback`."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(*fallback)


@login_required
def deliverable_page(request, unit_pk, kind):
    unit = unit_get_for_user(request.user, unit_pk)
    year = current_year_or_404()
    owed = owed_or_404(year, unit, kind)
    can_edit = can_change_unit(request.user, unit) and owed.editable
    content_page = CONTENT_PAGES.get(kind)
    return render(
        request,
        "units/deliverable.html",
        {
            "unit": unit,
            "year": year,
            "owed": owed,
            "files": owed.deliverable.files.all() if owed.deliverable else [],
            "is_file_kind": kind in FILE_KINDS,
            "can_edit": can_edit,
            "file_form": DeliverableFileForm() if can_edit and kind in FILE_KINDS else None,
            "review_form": ReviewForm()
            if is_office(request.user) and owed.status == Deliverable.Status.SUBMITTED
            else None,
            "content_url": _content_url(content_page[0], unit) if content_page else None,
            "content_label": content_page[1] if content_page else "",
            "submit_here": kind != Kind.SELFCHECK_REGISTER,
        },
    )


def _content_url(name, unit):
    try:
        return reverse(name, args=[unit.pk])
    except NoReverseMatch:
        return None


@login_required
@require_POST
@upload_ratelimit
def deliverable_file_upload(request, unit_pk, kind):
    unit = unit_get_for_user(request.user, unit_pk, write=True)
    year = current_year_or_404()
    form = DeliverableFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.deliverable_file_add(
                year=year, unit=unit, kind=kind, upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Uploaded. Submit when every document is there."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect("units:deliverable", unit.pk, kind)


@login_required
@require_POST
def deliverable_file_delete(request, pk):
    attachment = deliverable_file_get_for_user(request.user, pk, write=True)
    deliverable = attachment.deliverable
    try:
        services.deliverable_file_delete(attachment=attachment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” was deleted.") % {"name": attachment.original_name})
    return redirect("units:deliverable", deliverable.unit_id, deliverable.kind)


@login_required
def deliverable_file_download(request, pk):
    attachment = deliverable_file_get_for_user(request.user, pk)
    return protected_file_response(attachment.file, filename=attachment.original_name)


@login_required
@require_POST
def deliverable_submit(request, unit_pk, kind):
    unit = unit_get_for_user(request.user, unit_pk, write=True)
    year = current_year_or_404()
    try:
        services.deliverable_submit(year=year, unit=unit, kind=kind, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Submitted to the district appraisal office."))
    return back(request, "units:deliverable", unit.pk, kind)


@login_required
@require_POST
def deliverable_review(request, pk):
    deliverable = deliverable_get_for_user(request.user, pk)
    require_office(request.user)
    form = ReviewForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.deliverable_review(
                deliverable=deliverable, by=request.user, accept=accept, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Accepted.") if accept else _("Returned to the unit with your comment."))
    else:
        messages.error(request, _("Choose accept or return."))
    return back(request, "units:deliverable", deliverable.unit_id, deliverable.kind)


@login_required
def deliverable_matrix(request):
    if not can_see_all_units(request.user):
        raise Http404
    year = current_year_or_404()
    filters = {key: request.GET.get(key, "") for key in ("unit_kind", "status", "focus", "q")}
    matrix = deliverables_matrix(year=year, **filters)
    return render(
        request,
        "units/deliverable_matrix.html",
        {
            "year": year,
            "matrix": matrix,
            "filters": filters,
            "kinds": Kind.choices,
            "statuses": Deliverable.Status.choices,
        },
    )
