"""Supervisors, the district team and the units' teams: the office's pages, the units' and the supervisor's own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal.models import AppraisalYear
from appraisal.roles import can_see_all_units, is_office, require_office
from appraisal.selectors import page_year
from units.access import can_change_unit, is_member, unit_get_for_user
from units.services.service_objects import mask_email, mask_phone

from .. import services
from ..access import appointment_get_for_user, can_see_contact_details, supervisor_get_for_user, supervisor_of
from ..forms import AppointForm, EndForm, ReinstateForm, SupervisorFilterForm, SupervisorForm, TeamMemberForm
from ..models import Appointment, AppointmentChange
from ..selectors import (
    district_team_missing,
    end_requests_of_unit,
    supervisors_filtered,
    team_appointments,
    unit_team_status,
    unit_teams,
    units_to_inspect,
    with_pending_requests,
)

PAGE_SIZE = 50


def year_of_page(request):
    """The year the page shows (`?year=`, else the current one); a year that does not exist is said so."""
    shown = page_year(request)
    if shown.error:
        messages.warning(request, shown.error)
    return shown.year


def current_year_or_404(request):
    year = year_of_page(request)
    if year is None:
        raise Http404(_("No appraisal year has been created yet."))
    return year


def require_reader(user):
    """The office's lists: the office and the leaders (read-only)."""
    if not can_see_all_units(user):
        raise PermissionDenied


def masked(supervisors, full):
    """Leaders see phones and emails masked; the office and a unit for its own team see them in full."""
    if not full:
        for supervisor in supervisors:
            supervisor.phone = mask_phone(supervisor.phone)
            supervisor.email = mask_email(supervisor.email)
    return supervisors


def _previous_unrenewed(year, unit):
    previous = AppraisalYear.objects.filter(year=year.year - 1).first()
    if previous is None:
        return []
    appointments = Appointment.objects.filter(year=previous, unit=unit, ended_on__isnull=True, renewal__isnull=True)
    return list(appointments.select_related("supervisor").order_by("supervisor__name"))


# The office's lists ---------------------------------------------------------------------------------------


@login_required
def supervisor_list(request):
    require_reader(request.user)
    year = year_of_page(request)
    form = SupervisorFilterForm(request.GET)
    page = Paginator(supervisors_filtered(year=year, **form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    masked(page, is_office(request.user))
    context = {"page": page, "form": form, "year": year, "can_edit": is_office(request.user)}
    return render(request, "supervisors/supervisor_list.html", context)


@login_required
def district_team(request):
    require_reader(request.user)
    year = current_year_or_404(request)
    members, missing = district_team_missing(year=year)
    appointments = list(team_appointments(year=year))
    masked([a.supervisor for a in appointments], is_office(request.user))
    context = {
        "year": year,
        "appointments": appointments,
        "can_end": is_office(request.user),
        "members": members,
        "missing": missing,
        "previous": _previous_unrenewed(year, None),
        "can_edit": is_office(request.user),
    }
    return render(request, "supervisors/district_team.html", context)


@login_required
def unit_team_list(request):
    require_reader(request.user)
    year = current_year_or_404(request)
    units = unit_teams(year=year)
    flagged = sum(unit.flagged for unit in units)
    only_flagged = request.GET.get("flagged") == "1"
    if only_flagged:
        units = [unit for unit in units if unit.flagged]
    context = {"year": year, "units": units, "flagged": flagged, "only_flagged": only_flagged}
    return render(request, "supervisors/unit_team_list.html", context)


@login_required
def unit_team(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk)
    year = current_year_or_404(request)
    appointments = with_pending_requests(list(team_appointments(year=year, unit=unit)))
    masked([a.supervisor for a in appointments], can_see_contact_details(request.user, unit))
    context = {
        "unit": unit,
        "year": year,
        "appointments": appointments,
        "status": unit_team_status(year=year, unit=unit),
        "previous": _previous_unrenewed(year, unit),
        "can_edit": can_change_unit(request.user, unit),
        "can_end": is_office(request.user),
        "can_ask": is_member(request.user, unit),
        "end_requests": end_requests_of_unit(unit=unit, year=year),
    }
    return render(request, "supervisors/unit_team.html", context)


# Adding, renewing and ending appointments -----------------------------------------------------------------


def _member_form(request, *, year, unit, back):
    form = TeamMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        starts_on = data.pop("starts_on")
        try:
            appointment = services.team_member_add(year=year, unit=unit, data=data, starts_on=starts_on)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s was appointed to %(team)s until %(end)s.")
                % {"name": appointment.supervisor, "team": appointment.team_name, "end": appointment.ends_on},
            )
            return redirect(back)
    team = unit.name if unit else _("District supervisor team")
    title = _("Add a member to %(team)s") % {"team": team}
    return render(request, "supervisors/form.html", {"form": form, "title": title, "back": back, "unit": unit})


@login_required
def unit_team_add(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk, write=True)
    year = current_year_or_404(request)
    return _member_form(request, year=year, unit=unit, back=reverse("supervisors:unit_team", args=[unit.pk]))


@login_required
def district_team_add(request):
    require_office(request.user)
    year = current_year_or_404(request)
    return _member_form(request, year=year, unit=None, back=reverse("supervisors:district_team"))


@login_required
def appointment_create(request, pk):
    supervisor = supervisor_get_for_user(request.user, pk, write=True)
    year = current_year_or_404(request)
    form = AppointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.appointment_create(
                supervisor=supervisor,
                year=year,
                unit=data["team"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Appointed."))
            return redirect("supervisors:detail", supervisor.pk)
    title = _("Appoint %(name)s") % {"name": supervisor.name}
    back = reverse("supervisors:detail", args=[supervisor.pk])
    return render(request, "supervisors/form.html", {"form": form, "title": title, "back": back})


def _back_to_team(appointment):
    if appointment.unit_id:
        return redirect("supervisors:unit_team", appointment.unit_id)
    return redirect("supervisors:district_team")


@login_required
@require_POST
def appointment_renew(request, pk):
    appointment = appointment_get_for_user(request.user, pk, write=True)
    try:
        renewal = services.appointment_renew(appointment=appointment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s was reappointed until %(end)s.") % {"name": appointment.supervisor, "end": renewal.ends_on},
        )
    return _back_to_team(appointment)


@login_required
@require_POST
def renew_all(request):
    """The office renews every one of last year's appointments in one action; refused ones are listed. Into the
    current year, or the year of `?year=` (a new year renews from the one before it); back to `next` if given."""
    require_office(request.user)
    chosen = page_year(request)
    if chosen.error or chosen.year is None:
        raise Http404(chosen.error)
    year = chosen.year
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("supervisors:district_team")
    previous = AppraisalYear.objects.filter(year=year.year - 1).first()
    if previous is None:
        messages.error(request, _("There is no %(year)s appraisal year to renew from.") % {"year": year.year - 1})
        return redirect(back)
    result = services.appointments_renew_all(from_year=previous, to_year=year)
    messages.success(request, _("%(count)s appointments renewed.") % {"count": len(result.renewed)})
    for appointment, errors in result.refused:
        messages.error(request, f"{appointment.supervisor}（{appointment.team_name}）：{' '.join(errors)}")
    return redirect(back)


@login_required
def appointment_end(request, pk):
    """Only the office ends an appointment early; a unit asks it to (`end_request_create`)."""
    appointment = appointment_get_for_user(request.user, pk, write=True)
    require_office(request.user)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_end(
                appointment=appointment,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The appointment of %(name)s was ended.") % {"name": appointment.supervisor})
            return _back_to_team(appointment)
    title = _("End the appointment of %(name)s (%(team)s)") % {
        "name": appointment.supervisor,
        "team": appointment.team_name,
    }
    back = _back_to_team(appointment).url
    return render(request, "supervisors/form.html", {"form": form, "title": title, "back": back, "danger": True})


@login_required
@require_POST
def appointment_reinstate(request, pk):
    """The office undoes an early end, with a reason; the end stays on record."""
    appointment = appointment_get_for_user(request.user, pk, write=True)
    require_office(request.user)
    form = ReinstateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for undoing the end of this appointment."))
    else:
        try:
            services.appointment_reinstate(appointment=appointment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The appointment of %(name)s is in force again.") % {"name": appointment.supervisor}
            )
    return redirect("supervisors:detail", appointment.supervisor_id)


# Supervisors ----------------------------------------------------------------------------------------------


@login_required
def supervisor_detail(request, pk):
    supervisor = supervisor_get_for_user(request.user, pk)
    own = supervisor.user_id == request.user.pk
    team_unit = supervisor.appointments.filter(unit__memberships__user=request.user).exists()
    masked([supervisor], is_office(request.user) or own or team_unit)
    return render(request, "supervisors/supervisor_detail.html", _supervisor_context(supervisor, request.user))


def _supervisor_context(supervisor, user):
    today = timezone.localdate()
    return {
        "supervisor": supervisor,
        "appointments": supervisor.appointments.select_related("year", "unit")
        .prefetch_related(Prefetch("changes", queryset=AppointmentChange.objects.select_related("by")))
        .order_by("-starts_on"),
        "trainings": supervisor.trainings.order_by("-held_on"),
        "today": today,
        "can_edit": is_office(user),
    }


@login_required
def supervisor_edit(request, pk=None):
    supervisor = supervisor_get_for_user(request.user, pk, write=True) if pk else None
    require_office(request.user)
    form = SupervisorForm(request.POST or None, instance=supervisor)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.supervisor_save(data=form.cleaned_data, supervisor=supervisor)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("supervisors:detail", saved.pk)
    title = _("Edit %(name)s") % {"name": supervisor.name} if supervisor else _("Add a supervisor")
    back = reverse("supervisors:detail", args=[supervisor.pk]) if supervisor else reverse("supervisors:list")
    return render(request, "supervisors/form.html", {"form": form, "title": title, "back": back})


@login_required
def home(request):
    """The supervisor's own page: what the office told them, their quota progress, the units they may inspect
    today, their appointments and trainings."""
    supervisor = supervisor_of(request.user)
    if supervisor is None:
        raise Http404
    context = _supervisor_context(supervisor, request.user) | {
        "units": units_to_inspect(supervisor=supervisor),
        "year": year_of_page(request),
        "is_home": True,
    }
    return render(request, "supervisors/supervisor_detail.html", context)
