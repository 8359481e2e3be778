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
from appraisal.roles import can_see_all_units, is_office, require_office
from appraisal.security import upload_ratelimit
from appraisal.selectors import current_year, page_year

from .. import services
from ..access import (
    can_change_unit,
    can_see_personal_data,
    deliverable_file_get_for_user,
    deliverable_get_for_user,
    is_member,
    unit_get_for_user,
)
from ..forms import DeliverableFileForm, ReopenForm, ReviewForm, SubmitForUnitForm
from ..models import Deliverable, DeliverableStep, DisclosureItem, ServiceObject
from ..selectors import deliverables_matrix
from ..services.deliverables import FILE_KINDS, SERVICE_OBJECTS_MINIMUM
from ..services.personal_data import mask_contact

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
    """The year a form acts on: always the current one."""
    year = current_year()
    if year is None:
        raise Http404(_("No appraisal year has been created yet."))
    return year


def page_year_or_404(request):
    """The year a page shows (`?year=`, else the current one); a page has nothing to show before the first year."""
    shown = page_year(request)
    if shown.year is None:
        raise Http404(_("No appraisal year has been created yet."))
    if shown.error:
        messages.warning(request, shown.error)
    return shown


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
    shown = page_year_or_404(request)
    year = shown.year
    owed = owed_or_404(year, unit, kind)
    office, deliverable = is_office(request.user), owed.deliverable
    # Forms act on the current year only; an earlier year's page is its record.
    acting = shown.is_current
    can_edit = acting and can_change_unit(request.user, unit) and owed.editable
    content_page = CONTENT_PAGES.get(kind)
    steps = list(deliverable.steps.select_related("by")) if deliverable else []
    return render(
        request,
        "units/deliverable.html",
        {
            "unit": unit,
            "year": year,
            "page_year": shown,
            "owed": owed,
            "files": deliverable.files.all() if deliverable else [],
            "is_file_kind": kind in FILE_KINDS,
            "can_edit": can_edit,
            "can_submit": acting and is_member(request.user, unit) and owed.submittable,
            "file_form": DeliverableFileForm() if can_edit and kind in FILE_KINDS else None,
            "review_form": ReviewForm() if office and owed.status == Deliverable.Status.SUBMITTED else None,
            "reopen_form": ReopenForm() if office and owed.status == Deliverable.Status.ACCEPTED else None,
            "submit_for_unit_form": SubmitForUnitForm()
            if acting and office and owed.submittable and kind != Kind.SELFCHECK_REGISTER
            else None,
            "steps": steps,
            # The office's decision on the current state; once resubmitted, earlier ones are in the history.
            "decision": steps[-1] if steps and steps[-1].action in DeliverableStep.DECISIONS else None,
            "last_submission": next((step for step in reversed(steps) if step.action in SUBMISSIONS), None),
            "content_url": _content_url(content_page[0], unit) if content_page else None,
            "content_label": content_page[1] if content_page else "",
            "submit_here": kind != Kind.SELFCHECK_REGISTER,
            "reviewed": _under_review(request.user, unit, year, kind),
        },
    )


SUBMISSIONS = (DeliverableStep.Action.SUBMITTED, DeliverableStep.Action.SUBMITTED_FOR_UNIT)
CONTACT_LIMIT = 50


def _under_review(user, unit, year, kind):
    """What the deliverable consists of, shown on its page so the office reviews it there."""
    masked = not can_see_personal_data(user, unit)
    if kind in (Kind.CONTACTS, Kind.SUBUNITS):
        rows = list(unit.contacts.all() if kind == Kind.CONTACTS else unit.subunits.filter(is_active=True))
        if masked:
            for row in rows:
                mask_contact(row)
        return {"rows": rows, "masked": masked}
    if kind == Kind.SERVICE_OBJECTS:
        count = ServiceObject.objects.filter(year=year, unit=unit).count()
        return {"count": count, "missing": max(SERVICE_OBJECTS_MINIMUM - count, 0), "minimum": SERVICE_OBJECTS_MINIMUM}
    if kind == Kind.DISCLOSURES:
        return {"items": list(DisclosureItem.objects.filter(year=year, unit=unit))}
    return {}


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
def deliverable_submit_for_unit(request, unit_pk, kind):
    """代为报送: only the office, only by saying so, with a reason."""
    unit = unit_get_for_user(request.user, unit_pk, write=True)
    require_office(request.user)
    if kind == Kind.SELFCHECK_REGISTER:  # its own rules are checked where it is submitted (selfcheck)
        raise Http404
    year = current_year_or_404()
    form = SubmitForUnitForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(services.deliverables.SUBMIT_FOR_UNIT_NEEDS_REASON)
        services.deliverable_submit_for_unit(
            year=year, unit=unit, kind=kind, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Submitted for the unit; the unit has been told."))
    return redirect("units:deliverable", unit.pk, kind)


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
    return back(request, *_page_of(deliverable))


@login_required
@require_POST
def deliverable_reopen(request, pk):
    deliverable = deliverable_get_for_user(request.user, pk)
    require_office(request.user)
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(services.deliverables.REOPEN_NEEDS_REASON)
        services.deliverable_reopen(
            deliverable=deliverable,
            by=request.user,
            reason=form.cleaned_data["reason"],
            review_again=form.cleaned_data["then"] == ReopenForm.REVIEW_AGAIN,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Reopened; the unit has been told."))
    return redirect(*_page_of(deliverable))


def _page_of(deliverable):
    url = reverse("units:deliverable", args=[deliverable.unit_id, deliverable.kind])
    return (f"{url}?year={deliverable.year.year}",)


@login_required
def deliverable_matrix(request):
    if not can_see_all_units(request.user):
        raise Http404
    shown = page_year_or_404(request)
    filters = {key: request.GET.get(key, "") for key in ("unit_kind", "status", "focus", "q")}
    matrix = deliverables_matrix(year=shown.year, **filters)
    return render(
        request,
        "units/deliverable_matrix.html",
        {
            "year": shown.year,
            "page_year": shown,
            "matrix": matrix,
            "filters": filters,
            "kinds": Kind.choices,
            "statuses": Deliverable.Status.choices,
        },
    )
