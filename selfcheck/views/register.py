import os
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal.excel import XLSX_CONTENT_TYPE
from appraisal.files import protected_file_response
from appraisal.models import AppraisalYear
from appraisal.roles import can_see_all_units, is_office, require_office
from appraisal.security import upload_ratelimit
from appraisal.uploads import KIND_EXTENSIONS
from units.access import can_change_unit, unit_get_for_user
from units.models import Deliverable
from units.selectors import units_of_member
from units.services.deliverables import checklist

from .. import services
from ..access import problem_get_for_user
from ..forms import ExplainForm, ProblemFilterForm, ProblemForm, RectifyForm, RegisterUploadForm
from ..models import Problem
from ..selectors import office_problems, register_problems

PAGE_SIZE = 50
EVIDENCE_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def _years(request):
    """(the year a page shows, the current campaign year): `?year=` picks another year on the reading pages.
    Both are None when the office has not created a year yet."""
    number = request.GET.get("year", "")
    current = AppraisalYear.objects.current()
    if number.isdigit() and current is not None and int(number) != current.year:
        return AppraisalYear.objects.filter(year=int(number)).first() or current, current
    return current, current


def _no_year(request, unit=None):
    return render(request, "selfcheck/no_year.html", {"unit": unit})


def _xlsx(write, filename):
    """Build the workbook in a temporary file and stream it from there, whatever its size."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once it is sent
    write(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def _list_context(request, problems, form):
    page = Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    years = AppraisalYear.objects.order_by("-year").values_list("year", flat=True)
    return {"page": page, "form": form, "years": years}


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
    year, _current = _years(request)
    if year is None:
        return _no_year(request)
    form = ProblemFilterForm(request.GET)
    problems = office_problems(year=year, **form.filters())
    context = _list_context(request, problems, form) | {"year": year}
    return render(request, "selfcheck/office_list.html", context)


@login_required
def register(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk)
    year, current = _years(request)
    if year is None:
        return _no_year(request, unit)
    form = ProblemFilterForm(request.GET, unit=unit)
    problems = register_problems(year=year, unit=unit, **form.filters())
    context = _list_context(request, problems, form) | {
        "unit": unit,
        "year": year,
        "is_current": year == current,
        "can_edit": can_change_unit(request.user, unit),
        "submission": _submission(year, unit),
    }
    return render(request, "selfcheck/register.html", context)


def _problem_form(request, *, unit, problem, save, title):
    form = ProblemForm(request.POST or None, unit=unit, instance=problem)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("selfcheck:problem_detail", saved.pk)
    context = {"form": form, "unit": unit, "problem": problem if problem.pk else None, "title": title}
    return render(request, "selfcheck/problem_form.html", context)


@login_required
def problem_create(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk, write=True)
    year = AppraisalYear.objects.current()
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

    title = _("Edit problem #%(number)s") % {"number": problem.pk}
    return _problem_form(request, unit=problem.unit, problem=problem, save=save, title=title)


@login_required
def problem_detail(request, pk):
    problem = problem_get_for_user(request.user, pk)
    context = {
        "problem": problem,
        "unit": problem.unit,
        "can_edit": can_change_unit(request.user, problem.unit),
        "can_verify": is_office(request.user),
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


@login_required
@require_POST
def problem_reopen(request, pk):
    problem = problem_get_for_user(request.user, pk, write=True)
    require_office(request.user)
    try:
        services.problem_reopen(problem=problem, by=request.user, comment=request.POST.get("comment", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sent back to the unit with your comment."))
    return redirect("selfcheck:problem_detail", problem.pk)


def _closing_form(request, problem, *, form_class, close, title, done):
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            close(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("selfcheck:problem_detail", problem.pk)
    context = {"form": form, "problem": problem, "unit": problem.unit, "title": title}
    return render(request, "selfcheck/problem_close.html", context)


@login_required
@upload_ratelimit
def problem_rectify(request, pk):
    problem = problem_get_for_user(request.user, pk, write=True)

    def close(note, evidence):
        services.problem_rectify(problem=problem, by=request.user, note=note, evidence=evidence)

    title, done = _("Mark problem #%(number)s rectified") % {"number": problem.pk}, _("Marked rectified.")
    return _closing_form(request, problem, form_class=RectifyForm, close=close, title=title, done=done)


@login_required
@upload_ratelimit
def problem_explain(request, pk):
    problem = problem_get_for_user(request.user, pk, write=True)

    def close(note):
        services.problem_explain(problem=problem, by=request.user, note=note)

    title, done = _("Explain problem #%(number)s") % {"number": problem.pk}, _("The explanation is recorded.")
    return _closing_form(request, problem, form_class=ExplainForm, close=close, title=title, done=done)


@login_required
def evidence(request, pk):
    problem = problem_get_for_user(request.user, pk)
    if not problem.evidence:
        raise Http404
    # The type is the one the content proved at upload; the name keeps the person's words but that type's ending.
    extension = KIND_EXTENSIONS.get(problem.evidence_kind, "")
    stem = os.path.splitext(problem.evidence_name)[0] or f"evidence-{problem.pk}"
    content_type = EVIDENCE_TYPES.get(problem.evidence_kind, "application/octet-stream")
    return protected_file_response(problem.evidence, filename=f"{stem}{extension}", content_type=content_type)


@login_required
def register_template(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk)
    year = AppraisalYear.objects.current()
    if year is None:
        return _no_year(request, unit)

    def write(file):
        services.register_workbook(year=year, unit=unit, problems=[], file=file)

    return _xlsx(write, f"selfcheck-template-{unit.pk}.xlsx")


@login_required
def register_export(request, unit_pk):
    unit = unit_get_for_user(request.user, unit_pk)
    year, _current = _years(request)
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
    year = AppraisalYear.objects.current()
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
    year = AppraisalYear.objects.current()
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
