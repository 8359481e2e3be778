"""Public complaints: the citizen's form and tracking page (no login), and the office's triage queue."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from appraisal.roles import require_office

from ..access import complaint_get_for_user
from ..forms import ComplaintAcceptForm, ComplaintForm, ComplaintLookupForm, ComplaintRejectForm, ReasonForm
from ..models import Complaint
from ..selectors import register_number
from ..services import complaints as services

# Per client address: enough for a family sharing a connection, too few to flood the office's queue.
SUBMIT_RATE = "5/h"


@ratelimit(key="ip", rate=SUBMIT_RATE, method="POST", block=False)
def complaint_new(request):
    form = ComplaintForm(request.POST or None, initial={"submission_key": secrets.token_hex(16)})
    if request.method == "POST" and getattr(request, "limited", False):
        messages.error(
            request, _("Too many complaints from this connection; please try again in an hour or call the office.")
        )
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            complaint = services.complaint_submit(**data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(f"{reverse('complaints:track')}?code={complaint.code}&new=1")
    return render(request, "selfcheck/complaint_new.html", {"form": form})


def complaint_track(request):
    form = ComplaintLookupForm(request.GET or None)
    complaint = services.complaint_find(form.cleaned_data["code"]) if form.is_valid() else None
    return render(
        request,
        "selfcheck/complaint_track.html",
        {
            "form": form,
            "complaint": complaint,
            "looked_up": form.is_bound,
            "new": request.GET.get("new") == "1",
        },
    )


@login_required
def complaint_list(request):
    require_office(request.user)
    complaints = Complaint.objects.select_related("unit").order_by("-submitted_at")
    status = request.GET.get("status", Complaint.Status.RECEIVED)
    if status:
        complaints = complaints.filter(status=status)
    page = Paginator(complaints, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "selfcheck/complaint_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Complaint.Status.choices,
        },
    )


def _detail(request, complaint, *, accept_form=None, reject_form=None, reopen_form=None, status=200):
    context = {
        "complaint": complaint,
        "steps": complaint.steps.select_related("by", "problem").order_by("at", "id"),
        "accept_form": accept_form or ComplaintAcceptForm(unit=complaint.unit),
        "reject_form": reject_form or ComplaintRejectForm(),
        "reopen_form": reopen_form or ReasonForm(),
    }
    return render(request, "selfcheck/complaint_detail.html", context, status=status)


@login_required
def complaint_detail(request, pk):
    complaint = complaint_get_for_user(request.user, pk)
    return _detail(request, complaint)


@login_required
@require_POST
def complaint_accept(request, pk):
    complaint = complaint_get_for_user(request.user, pk, write=True)
    form = ComplaintAcceptForm(request.POST, unit=complaint.unit)
    if form.is_valid():
        try:
            problem = services.complaint_accept(complaint=complaint, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Accepted: it is problem No. %(number)s of the unit's register, and the unit is told.")
                % {"number": register_number(problem)},
            )
            return redirect("complaints:list")
    return _detail(request, complaint, accept_form=form, status=400)


@login_required
@require_POST
def complaint_reject(request, pk):
    complaint = complaint_get_for_user(request.user, pk, write=True)
    form = ComplaintRejectForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(services.REASON_REQUIRED)
        services.complaint_reject(complaint=complaint, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("complaints:detail", complaint.pk)
    messages.success(request, _("Not accepted; the citizen sees your reason with the tracking code."))
    return redirect("complaints:list")


@login_required
@require_POST
def complaint_reopen(request, pk):
    complaint = complaint_get_for_user(request.user, pk, write=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_reopen(complaint=complaint, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision is undone; the complaint waits for triage again."))
            return redirect("complaints:detail", complaint.pk)
    return _detail(request, complaint, reopen_form=form, status=400)
