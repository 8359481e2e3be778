import os
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal.excel import XLSX_CONTENT_TYPE
from appraisal.files import protected_file_response
from appraisal.roles import can_see_all_units, is_office, require_office
from appraisal.security import upload_ratelimit
from appraisal.selectors import page_year
from appraisal.uploads import KIND_EXTENSIONS
from units.access import can_change_unit, is_member, unit_get_for_user
from units.models import Deliverable
from units.selectors import units_of_member
from units.services.deliverables import checklist

from .. import services
from ..access import problem_get_for_user
from ..forms import ExplainForm, ProblemFilterForm, ProblemForm, RectifyForm, RegisterUploadForm
from ..models import Problem
from ..selectors import office_problems, problem_timeline, register_number, register_problems
from ..services.submission import incomplete_problems

PAGE_SIZE = 50
EVIDENCE_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def _current_year(request):
    """The campaign year the register's writes go into (None before the office creates one)."""
    return page_year(request).current


def _no_year(request, unit=None):
    return render(request, "selfcheck/no_year.html", {"unit": unit})


def _xlsx(write, filename):
    """Build the workbook in a temporary file and stream it from there, whatever its size."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once it is sent
    write(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def _list_context(request, problems, form, shown):
    page = Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    years = [year.year for year in shown.years]
    return {"page": page, "form": form, "years": years, "year": shown.year, "year_error": shown.error}


def _submission(year, unit):
    """The register's line of the unit's checklist, or None when the unit does not owe one this year."""
    kind = Deliverable.Kind.SELFCHECK_REGISTER
    return next((owed for owed in checklist(year=year, unit=unit) if owed.kind == kind), None)


@login_required
def office_list(request):
    """Every unit's problems for the office and the leaders; a liaison is sent to their unit's register."""
    if not can_see_all_units(request.user):
        unit = units_of_member(request.user).first()
        if unit is None:
            raise Http404
        return redirect("selfcheck:register", unit.pk)
    shown = page_year(request)
    if shown.year is None:
        return _no_year(request)
    form = ProblemFilterForm(request.GET)
    problems = office_problems(year=shown.year, **form.filters())
    context = _list_context(request, problems, form, shown)
    return render(request, "selfcheck/office_list.html", context)


@login_required
def register(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk)
    shown = page_year(request)
    year = shown.year
    if year is None:
        return _no_year(request, unit)
    form = ProblemFilterForm(request.GET, unit=unit)
    problems = register_problems(year=year, unit=unit, **form.filters())
    submission = _submission(year, unit)
    member = is_member(request.user, unit)
    context = _list_context(request, problems, form, shown) | {
        "unit": unit,
        "is_current": shown.is_current,
        "can_edit": member or is_office(request.user),
        "can_submit": member,  # the office submits for a unit only explicitly (代为报送)
        "submission": submission,
        "incomplete_count": incomplete_problems(year=year, unit=unit).count() if submission else 0,
    }
    return render(request, "selfcheck/register.html", context)


def _problem_form(request, *, unit, problem, save, title, number=None):
    form = ProblemForm(request.POST or None, unit=unit, instance=problem)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("selfcheck:problem_detail", saved.pk)
    context = {"form": form, "unit": unit, "problem": problem if problem.pk else None, "title": title, "number": number}
    return render(request, "selfcheck/problem_form.html", context)


@login_required
def problem_create(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk, write=True)
    year = _current_year(request)
    if year is None:
        return _no_year(request, unit)

    def save(form):
        return services.problem_create(year=year, unit=unit, by=request.user, **form.service_fields())

    problem = Problem(year=year, unit=unit, found_on=timezone.localdate(), source=Problem.Source.SELF_CHECK)
    return _problem_form(request, unit=unit, problem=problem, save=save, title=_("Add a problem"))


@login_required
def problem_update(request, pk):
    problem = problem_get_for_user(request.user, pk, write=True)
    if problem.is_closed:
        messages.info(request, _("This problem is closed and can no longer be changed."))
        return redirect("selfcheck:problem_detail", problem.pk)

    def save(form):
        fields = form.service_fields()
        version = form.cleaned_data["expected_version"]
        return services.problem_update(problem=problem, by=request.user, expected_version=version, **fields)

    number = register_number(problem)
    title = _("Edit problem No. %(number)s") % {"number": number}
    return _problem_form(request, unit=problem.unit, problem=problem, save=save, title=title, number=number)


@login_required
def problem_detail(request, pk):
    problem = problem_get_for_user(request.user, pk)
    office = is_office(request.user)
    context = {
        "problem": problem,
        "unit": problem.unit,
        "number": register_number(problem),
        "steps": problem_timeline(problem),
        "can_edit": can_change_unit(request.user, problem.unit),
        "can_verify": office,
        "sees_office_names": office,
    }
    return render(request, "selfcheck/problem_detail.html", context)


def _act(request, problem, action, done):
    try:
        action(problem=problem, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("selfcheck:problem_detail", problem.pk)


@login_required
@require_POST
def problem_start(request, pk):
    problem = problem_get_for_user(request.user, pk, write=True)
    return _act(request, problem, services.problem_start, _("The problem is now in progress."))


@login_required
@require_POST
def problem_verify(request, pk):
    problem = problem_get_for_user(request.user, pk, write=True)
    require_office(request.user)
    return _act(request, problem, services.problem_verify, _("The rectification is verified."))


def _office_decision(request, pk, decide, done):
    problem = problem_get_for_user(request.user, pk, write=True)
    require_office(request.user)
    try:
        decide(problem)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("selfcheck:problem_detail", problem.pk)


@login_required
@require_POST
def problem_send_back(request, pk):
    def decide(problem):
        services.problem_send_back(problem=problem, by=request.user, comment=request.POST.get("comment", ""))

    return _office_decision(request, pk, decide, _("Sent back to the unit with your comment; the unit is told."))


@login_required
@require_POST
def problem_reopen(request, pk):
    def decide(problem):
        services.problem_reopen(problem=problem, by=request.user, reason=request.POST.get("reason", ""))

    return _office_decision(request, pk, decide, _("Reopened; the unit is told why."))


def _closing_form(request, problem, *, form_class, close, title, done):
    number = register_number(problem)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            close(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("selfcheck:problem_detail", problem.pk)
    context = {"form": form, "problem": problem, "unit": problem.unit, "title": title % {"number": number}}
    context["number"] = number
    return render(request, "selfcheck/problem_close.html", context)


@login_required
@upload_ratelimit
def problem_rectify(request, pk):
    problem = problem_get_for_user(request.user, pk, write=True)

    def close(note, evidence):
        services.problem_rectify(problem=problem, by=request.user, note=note, evidence=evidence)

    title, done = _("Mark problem No. %(number)s rectified"), _("Marked rectified.")
    return _closing_form(request, problem, form_class=RectifyForm, close=close, title=title, done=done)


@login_required
@upload_ratelimit
def problem_explain(request, pk):
    problem = problem_get_for_user(request.user, pk, write=True)

    def close(note):
        services.problem_explain(problem=problem, by=request.user, note=note)

    title, done = _("Explain problem No. %(number)s"), _("The explanation is recorded.")
    return _closing_form(request, problem, form_class=ExplainForm, close=close, title=title, done=done)


def _evidence_response(holder, fallback):
    if not holder.evidence:
        raise Http404
    # The type is the one the content proved at upload; the name keeps the person's words but that type's ending.
    extension = KIND_EXTENSIONS.get(holder.evidence_kind, "")
    stem = os.path.splitext(holder.evidence_name)[0] or fallback
    content_type = EVIDENCE_TYPES.get(holder.evidence_kind, "application/octet-stream")
    return protected_file_response(holder.evidence, filename=f"{stem}{extension}", content_type=content_type)


@login_required
def evidence(request, pk):
    problem = problem_get_for_user(request.user, pk)
    return _evidence_response(problem, f"evidence-{problem.pk}")


@login_required
def step_evidence(request, pk, step_pk):
    """The evidence handed in with one step of the timeline (an earlier rectification's, say)."""
    problem = problem_get_for_user(request.user, pk)
    step = get_object_or_404(problem.steps, pk=step_pk)
    return _evidence_response(step, f"evidence-{problem.pk}-{step.pk}")


@login_required
def register_template(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk)
    year = _current_year(request)
    if year is None:
        return _no_year(request, unit)

    def write(file):
        services.register_workbook(year=year, unit=unit, problems=[], file=file)

    return _xlsx(write, f"selfcheck-template-{unit.pk}.xlsx")


@login_required
def register_export(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk)
    year = page_year(request).year
    if year is None:
        return _no_year(request, unit)

    def write(file):
        problems = services.register_problems_for_export(year=year, unit=unit)
        services.register_workbook(year=year, unit=unit, problems=problems, file=file)

    return _xlsx(write, f"selfcheck-{year.year}-{unit.pk}.xlsx")


@login_required
@upload_ratelimit
def register_upload(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk, write=True)
    year = _current_year(request)
    if year is None:
        return _no_year(request, unit)
    form = RegisterUploadForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.register_import(year=year, unit=unit, upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            errors = error.messages
    context = {"form": form, "unit": unit, "year": year, "errors": errors, "result": result}
    return render(request, "selfcheck/upload.html", context)


@login_required
@require_POST
def register_submit(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk, write=True)
    year = _current_year(request)
    if year is None:
        return _no_year(request, unit)
    try:
        services.register_submit(year=year, unit=unit, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The register is submitted to the office."))
    return redirect("selfcheck:register", unit.pk)
