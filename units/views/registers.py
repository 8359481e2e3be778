"""The unit's disclosure register and service-object list: typed online or uploaded from Excel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from appraisal.excel import template_workbook, xlsx_response
from appraisal.personal_data import personal_data_export_record
from appraisal.roles import require_office
from appraisal.security import upload_ratelimit

from ..access import (
    can_change_unit,
    can_see_personal_data,
    disclosure_get_for_user,
    is_member,
    service_object_get_for_user,
    unit_get_for_user,
)
from ..forms import DisclosureItemForm, ServiceObjectForm, WorkbookUploadForm
from ..models import Deliverable, DisclosureItem, DisclosurePublication, ServiceObject, Unit
from ..services import disclosures as disclosure_services
from ..services import service_objects as service_object_services
from ..services.deliverables import SERVICE_OBJECTS_MINIMUM
from ..services.exports import service_objects_workbook
from ..services.personal_data import SERVICE_OBJECTS_EXPORT, mask_contact
from .deliverables import current_year_or_404, page_year_or_404


def _deliverable(year, unit, kind):
    return Deliverable.objects.filter(year=year, unit=unit, kind=kind).first()


def _form_page(request, *, unit, form, save, title, back_to):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(back_to, unit.pk)
    return render(request, "units/register_form.html", {"form": form, "unit": unit, "title": title, "back_to": back_to})


def _upload_page(request, *, unit, run, title, template_url_name, back_to):
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data["file"])
        except ValidationError as error:
            errors = error.messages
    return render(
        request,
        "units/register_upload.html",
        {
            "form": form,
            "unit": unit,
            "errors": errors,
            "result": result,
            "title": title,
            "template_url_name": template_url_name,
            "back_to": back_to,
        },
    )


# Disclosures ---------------------------------------------------------------------------------------------


@login_required
def disclosure_list(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk)
    shown = page_year_or_404(request)
    year = shown.year
    items = DisclosureItem.objects.filter(year=year, unit=unit)
    deliverable = _deliverable(year, unit, Deliverable.Kind.DISCLOSURES)
    revised = bool(deliverable) and deliverable.status == Deliverable.Status.ACCEPTED
    revised = revised and unit.pk in disclosure_services.disclosures_revised(year=year, unit_ids=[unit.pk])
    return render(
        request,
        "units/disclosure_list.html",
        {
            "unit": unit,
            "year": year,
            "page_year": shown,
            "items": items,
            "can_edit": shown.is_current and can_change_unit(request.user, unit),
            "can_submit": shown.is_current and is_member(request.user, unit),
            "deliverable": deliverable,
            "revised": revised,
            "publication": DisclosurePublication.objects.filter(year=year, unit=unit).first(),
            "kind": Deliverable.Kind.DISCLOSURES,
        },
    )


@login_required
def disclosure_edit(request, unit_pk=None, pk=None):
    if pk is None:
        unit, item = unit_get_for_user(request.user, unit_pk, write=True), None
        year = current_year_or_404()
    else:
        item = disclosure_get_for_user(request.user, pk, write=True)
        unit, year = item.unit, item.year
    form = DisclosureItemForm(request.POST or None, instance=item)

    def save(data):
        disclosure_services.disclosure_save(year=year, unit=unit, data=data, item=item)

    title = _("Edit item") if item else _("Add an item")
    return _form_page(request, unit=unit, form=form, save=save, title=title, back_to="units:disclosures")


@login_required
def disclosure_delete(request, pk):
    item = disclosure_get_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            disclosure_services.disclosure_delete(item=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("“%(name)s” was deleted.") % {"name": item.title})
        return redirect("units:disclosures", item.unit_id)
    return render(
        request,
        "units/confirm_delete.html",
        {
            "object": item,
            "name": item.title,
            "unit": item.unit,
            "cancel_url_name": "units:disclosures",
        },
    )


@login_required
@upload_ratelimit
def disclosure_upload(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk, write=True)
    year = current_year_or_404()
    return _upload_page(
        request,
        unit=unit,
        title=_("Upload disclosure items"),
        template_url_name="units:disclosure_template",
        run=lambda upload: disclosure_services.disclosures_import(year=year, unit=unit, upload=upload),
        back_to="units:disclosures",
    )


@login_required
def disclosure_template(request, unit_pk):
    unit_get_for_user(request.user, unit_pk, write=True)
    workbook = template_workbook(
        [disclosure_services.DISCLOSURE_SHEET], instructions=disclosure_services.DISCLOSURE_INSTRUCTIONS
    )
    return xlsx_response(workbook, "disclosure-template.xlsx")


# Service objects -----------------------------------------------------------------------------------------


@login_required
def service_object_list(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk)
    shown = page_year_or_404(request)
    year = shown.year
    objects = ServiceObject.objects.filter(year=year, unit=unit).order_by("id")
    total = objects.count()
    page = Paginator(objects, 50).get_page(request.GET.get("page"))
    full = can_see_personal_data(request.user, unit)
    if not full:
        for service_object in page:
            mask_contact(service_object)
    return render(
        request,
        "units/service_object_list.html",
        {
            "unit": unit,
            "year": year,
            "page": page,
            "total": total,
            "missing": max(SERVICE_OBJECTS_MINIMUM - total, 0),
            "minimum": SERVICE_OBJECTS_MINIMUM,
            "page_year": shown,
            "can_edit": shown.is_current and can_change_unit(request.user, unit),
            "can_submit": shown.is_current and is_member(request.user, unit),
            "full": full,
            "deliverable": _deliverable(year, unit, Deliverable.Kind.SERVICE_OBJECTS),
            "kind": Deliverable.Kind.SERVICE_OBJECTS,
        },
    )


@login_required
def service_object_edit(request, unit_pk=None, pk=None):
    if pk is None:
        unit, service_object = unit_get_for_user(request.user, unit_pk, write=True), None
        year = current_year_or_404()
    else:
        service_object = service_object_get_for_user(request.user, pk, write=True)
        unit, year = service_object.unit, service_object.year
    form = ServiceObjectForm(request.POST or None, instance=service_object)

    def save(data):
        service_object_services.service_object_save(year=year, unit=unit, data=data, service_object=service_object)

    title = _("Edit service object") if service_object else _("Add a service object")
    return _form_page(request, unit=unit, form=form, save=save, title=title, back_to="units:service_objects")


@login_required
def service_object_delete(request, pk):
    service_object = service_object_get_for_user(request.user, pk, write=True)
    if request.method == "POST":
        service_object_services.service_object_delete(service_object=service_object)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": service_object.name})
        return redirect("units:service_objects", service_object.unit_id)
    return render(
        request,
        "units/confirm_delete.html",
        {
            "object": service_object,
            "name": service_object.name,
            "unit": service_object.unit,
            "cancel_url_name": "units:service_objects",
        },
    )


@login_required
@upload_ratelimit
def service_object_upload(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk, write=True)
    year = current_year_or_404()
    return _upload_page(
        request,
        unit=unit,
        title=_("Upload service objects"),
        template_url_name="units:service_object_template",
        run=lambda upload: service_object_services.service_objects_import(year=year, unit=unit, upload=upload),
        back_to="units:service_objects",
    )


@login_required
def service_object_template(request, unit_pk):
    unit_get_for_user(request.user, unit_pk, write=True)
    workbook = template_workbook(
        [service_object_services.SERVICE_OBJECT_SHEET],
        instructions=service_object_services.SERVICE_OBJECT_INSTRUCTIONS,
    )
    return xlsx_response(workbook, "service-object-template.xlsx")


@login_required
def service_object_export(request, unit_pk):
    """Personal data leaves the system only in the office's hands."""
    unit = unit_get_for_user(request.user, unit_pk)
    require_office(request.user)
    year = page_year_or_404(request).year
    workbook = service_objects_workbook(year=year, unit=unit)
    personal_data_export_record(
        user=request.user,
        kind=SERVICE_OBJECTS_EXPORT,
        description=f"{unit.name} · {year.year}",
        rows=ServiceObject.objects.filter(year=year, unit=unit).count(),
    )
    return xlsx_response(workbook, f"service-objects-{year.year}-{unit.pk}.xlsx")


# Public page ---------------------------------------------------------------------------------------------


def public_index(request):
    year = page_year_or_404(request).year
    units = Unit.objects.filter(publications__year=year, is_active=True).distinct().order_by("kind", "name")
    return render(request, "units/public_index.html", {"year": year, "units": units})


def public_disclosures(request, pk):
    """What citizens and supervisors check the unit against: its last accepted disclosures. No login."""
    year = page_year_or_404(request).year
    unit = get_object_or_404(Unit, pk=pk, is_active=True)
    publication = DisclosurePublication.objects.filter(year=year, unit=unit).first()
    if publication is None:
        return render(request, "units/public_disclosures.html", {"unit": unit, "year": year}, status=404)
    labels = dict(DisclosureItem.Kind.choices)
    groups = {}
    for item in publication.items:
        groups.setdefault(labels.get(item["kind"], item["kind"]), []).append(item)
    return render(
        request,
        "units/public_disclosures.html",
        {
            "unit": unit,
            "year": year,
            "publication": publication,
            "groups": groups,
        },
    )
