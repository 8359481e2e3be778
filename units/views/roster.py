from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from appraisal.excel import template_workbook, xlsx_response
from appraisal.roles import require_office
from appraisal.security import upload_ratelimit
from appraisal.selectors import page_year

from .. import services
from ..access import (
    can_change_unit,
    can_see_personal_data,
    contact_get_for_user,
    subunit_get_for_user,
    unit_get_for_user,
)
from ..forms import ContactForm, RosterImportForm, SubUnitForm
from ..selectors import unit_with_roster, units_visible_to
from ..services.personal_data import mask_contact
from ..services.reminders import unit_reminders
from ..services.roster_import import ROSTER_INSTRUCTIONS, ROSTER_SHEETS


@login_required
def unit_list(request):
    units = units_visible_to(request.user).order_by("kind", "name")
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    return render(request, "units/unit_list.html", {"page": page})


@login_required
def unit_detail(request, pk):
    unit = unit_get_for_user(request.user, pk)
    shown = page_year(request)
    if shown.error:
        messages.warning(request, shown.error)
    year = shown.year
    roster = unit_with_roster(unit.pk)
    masked = not can_see_personal_data(request.user, unit)
    if masked:
        for person in [*roster.contacts.all(), *roster.subunits.all()]:
            mask_contact(person)
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": roster,
            "masked": masked,
            "can_edit": can_change_unit(request.user, unit),
            "year": year,
            "page_year": shown,
            "checklist": services.checklist(year=year, unit=unit) if year else [],
            "reminders": unit_reminders(unit=unit, year=year) if year else [],
        },
    )


def _edit(request, *, unit, instance, form_class, save, title):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            save(unit=unit, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("units:detail", unit.pk)
    return render(request, "units/part_form.html", {"form": form, "unit": unit, "title": title})


@login_required
def subunit_edit(request, unit_pk=None, pk=None):
    if pk is None:
        unit, subunit = unit_get_for_user(request.user, unit_pk, write=True), None
    else:
        subunit = subunit_get_for_user(request.user, pk, write=True)
        unit = subunit.unit

    def save(**kwargs):
        return services.subunit_save(subunit=subunit, **kwargs)

    title = _("Edit sub-unit") if subunit else _("Add a sub-unit")
    return _edit(request, unit=unit, instance=subunit, form_class=SubUnitForm, save=save, title=title)


@login_required
def contact_edit(request, unit_pk=None, pk=None):
    if pk is None:
        unit, contact = unit_get_for_user(request.user, unit_pk, write=True), None
    else:
        contact = contact_get_for_user(request.user, pk, write=True)
        unit = contact.unit

    def save(**kwargs):
        return services.contact_save(contact=contact, **kwargs)

    title = _("Edit contact") if contact else _("Add a contact")
    return _edit(request, unit=unit, instance=contact, form_class=ContactForm, save=save, title=title)


def _delete(request, *, obj, delete):
    if request.method == "POST":
        delete()
        messages.success(request, _("“%(name)s” was deleted.") % {"name": obj.name})
        return redirect("units:detail", obj.unit_id)
    return render(request, "units/confirm_delete.html", {"object": obj, "unit": obj.unit})


@login_required
def subunit_delete(request, pk):
    subunit = subunit_get_for_user(request.user, pk, write=True)
    return _delete(request, obj=subunit, delete=lambda: services.subunit_delete(subunit=subunit))


@login_required
def contact_delete(request, pk):
    contact = contact_get_for_user(request.user, pk, write=True)
    return _delete(request, obj=contact, delete=lambda: services.contact_delete(contact=contact))


@login_required
@upload_ratelimit
def roster_import(request):
    require_office(request.user)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.roster_import(upload=form.cleaned_data["file"])
        except ValidationError as error:
            errors = error.messages
    return render(request, "units/roster_import.html", {"form": form, "errors": errors, "result": result})


@login_required
def roster_template(request):
    require_office(request.user)
    workbook = template_workbook(ROSTER_SHEETS, instructions=ROSTER_INSTRUCTIONS)
    return xlsx_response(workbook, "roster-template.xlsx")
