"""The Excel summaries page: ask for a summary, watch it being built, download it, send it to the city office."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal.excel import XLSX_CONTENT_TYPE
from appraisal.files import protected_file_response
from appraisal.personal_data import personal_data_export_record
from appraisal.roles import is_office, require_office
from appraisal.selectors import page_year

from .access import can_read_reports, report_get_for_user, reports_visible_to
from .exports import SUMMARIES, Scope
from .exports.services import NOT_READY, city_dispatch_request, report_request
from .forms import SummaryRequestForm
from .models import CityDispatch, Report

PAGE_SIZE = 20
# Summaries that carry personal data (the inspection register names the supervisors): each download is recorded.
PERSONAL_DATA_KINDS = [Report.Kind.INSPECTIONS]
DISPATCHES_SHOWN = 20


def _forms(request, bound=None):
    """One request form per summary, for the page's year; `bound` replaces the one sent back with its errors."""
    year = page_year(request).year
    initial = {"year": year.pk} if year else {}
    forms = []
    for kind, summary in SUMMARIES.items():
        form = bound if bound is not None and bound.kind == kind else SummaryRequestForm(kind=kind, initial=initial)
        forms.append({"summary": summary, "label": Report.Kind(kind).label, "form": form})
    return forms


def _page(request, bound=None, status=200):
    user = request.user
    if not can_read_reports(user):
        raise Http404
    office = is_office(user)
    context = {
        "page": Paginator(reports_visible_to(user), PAGE_SIZE).get_page(request.GET.get("page")),
        "forms": _forms(request, bound) if office else None,
        "dispatches": (
            CityDispatch.objects.select_related("report__year", "sent_by")[:DISPATCHES_SHOWN] if office else None
        ),
        "can_send": office,
    }
    return render(request, "reports/summaries.html", context, status=status)


@login_required
def summaries(request):
    return _page(request)


@login_required
@require_POST
def summary_request(request, kind):
    if not can_read_reports(request.user) or kind not in SUMMARIES:
        raise Http404
    require_office(request.user)
    form = SummaryRequestForm(request.POST, kind=kind)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report_request(
                kind=kind,
                year=data["year"],
                unit=data["unit"],
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The summary is being built; it appears below when it is ready."))
            return redirect("reports:summaries")
    return _page(request, bound=form, status=400)


@login_required
def summary_status(request, pk):
    """The status cell of one summary; it asks again every few seconds while the summary is being built."""
    report = report_get_for_user(request.user, pk)
    return render(request, "reports/_summary_status.html", {"report": report, "can_send": is_office(request.user)})


@login_required
def summary_download(request, pk):
    report = report_get_for_user(request.user, pk)
    if report.status != Report.Status.DONE:
        raise Http404
    scope = Scope(report.year, report.unit, report.date_from, report.date_to)
    filename = SUMMARIES[report.kind].filename(scope)
    if report.kind in PERSONAL_DATA_KINDS:
        personal_data_export_record(
            user=request.user, kind=report.get_kind_display(), description=filename, rows=report.rows_total
        )
    return protected_file_response(report.file, filename=filename, content_type=XLSX_CONTENT_TYPE)


@login_required
def summary_send(request, pk):
    """Confirm, then send the summary to the city office by email."""
    report = report_get_for_user(request.user, pk, write=True)
    if report.status != Report.Status.DONE:
        messages.error(request, NOT_READY)
        return redirect("reports:summaries")
    if request.method == "POST":
        try:
            dispatch = city_dispatch_request(report=report, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Sending to %(to)s. The list below shows when it is sent.") % {"to": dispatch.to}
            )
        return redirect("reports:summaries")
    context = {
        "report": report,
        "summary": SUMMARIES[report.kind],
        "to": settings.CITY_OFFICE_EMAIL,
        "sent_before": report.dispatches.filter(status=CityDispatch.Status.SENT).order_by("-sent_at"),
    }
    return render(request, "reports/summary_send.html", context)
