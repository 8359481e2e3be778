"""A unit asks the office to end an appointment to its team; the office approves or declines it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal.roles import require_office
from units.access import is_member

from .. import services
from ..access import appointment_get_for_user, end_request_get_for_user
from ..forms import DeclineForm, EndRequestForm
from ..selectors import end_requests_decided, end_requests_pending


def _require_unit_account(user, appointment):
    """Asking and withdrawing are the unit's acts: the office decides instead."""
    if not (appointment.unit_id and is_member(user, appointment.unit)):
        raise PermissionDenied


@login_required
def end_request_create(request, pk):
    appointment = appointment_get_for_user(request.user, pk, write=True)
    _require_unit_account(request.user, appointment)
    back = reverse("supervisors:unit_team", args=[appointment.unit_id])
    form = EndRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_request_ask(appointment=appointment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sent to the office: it decides whether the appointment ends."))
            return redirect(back)
    title = _("Ask the office to end the appointment of %(name)s") % {"name": appointment.supervisor}
    context = {
        "form": form,
        "title": title,
        "back": back,
        "unit": appointment.unit,
        "submit_label": _("Send to the office"),
    }
    return render(request, "supervisors/form.html", context)


@login_required
@require_POST
def end_request_withdraw(request, pk):
    end_request = end_request_get_for_user(request.user, pk, write=True)
    _require_unit_account(request.user, end_request.appointment)
    try:
        services.end_request_withdraw(end_request=end_request, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Request withdrawn."))
    return redirect("supervisors:unit_team", end_request.appointment.unit_id)


@login_required
def end_request_list(request, decline_forms=None):
    """The office's list of units' requests waiting for a decision, and its latest decisions."""
    require_office(request.user)
    pending = list(end_requests_pending())
    decline_forms = decline_forms or {}
    for end_request in pending:
        end_request.decline_form = decline_forms.get(end_request.pk) or DeclineForm(prefix=f"r{end_request.pk}")
    context = {"pending": pending, "decided": end_requests_decided()}
    return render(request, "supervisors/end_request_list.html", context)


@login_required
@require_POST
def end_request_approve(request, pk):
    end_request = end_request_get_for_user(request.user, pk, write=True)
    require_office(request.user)
    try:
        services.end_request_approve(end_request=end_request, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The appointment of %(name)s was ended.") % {"name": end_request.appointment.supervisor}
        )
    return redirect("supervisors:end_requests")


@login_required
@require_POST
def end_request_decline(request, pk):
    end_request = end_request_get_for_user(request.user, pk, write=True)
    require_office(request.user)
    form = DeclineForm(request.POST, prefix=f"r{end_request.pk}")
    if form.is_valid():
        try:
            services.end_request_decline(end_request=end_request, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Declined: the unit is told why."))
            return redirect("supervisors:end_requests")
    return end_request_list(request, decline_forms={end_request.pk: form})
