"""The office's hearing pages, the projector's turnout page, the results and the public phone ballot."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from appraisal.excel import template_workbook, xlsx_response
from appraisal.models import Deadline
from appraisal.roles import is_office, require_office
from appraisal.security import ballot_ratelimit, upload_ratelimit
from appraisal.selectors import page_year

from . import services
from .access import attendee_get_for_user, hearing_get_for_user
from .forms import (
    DecisionForm,
    DrawForm,
    HearingForm,
    NominationForm,
    RepresentativeForm,
    SupervisorForm,
    SurveyUploadForm,
)
from .models import Answer, Hearing, SurveyResult, WindowNomination
from .selectors import attendance, hearings_for, satisfaction_rate
from .survey_import import SURVEY_INSTRUCTIONS, SURVEY_SHEET, survey_results_import

PAGE_SIZE = 30
Status = Hearing.Status


def _refused(request, error):
    messages.error(request, " ".join(error.messages))


@login_required
def hearing_list(request):
    page = Paginator(hearings_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hearings/list.html", {"page": page})


@login_required
def hearing_create(request):
    require_office(request.user)
    form = HearingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hearing = services.hearing_create(**form.cleaned_data, by=request.user)
        return redirect("hearings:detail", hearing.pk)
    return render(request, "hearings/create.html", {"form": form})


def _late(hearing):
    deadline = Deadline.objects.filter(year=hearing.year, code="hearing").first()
    return deadline if deadline and hearing.held_on > deadline.due_date else None


@login_required
def hearing_detail(request, pk, draw_form=None):
    hearing = hearing_get_for_user(request.user, pk)
    office = is_office(request.user)
    context = {
        "hearing": hearing,
        "late": _late(hearing),
        "counts": attendance(hearing),
        "can_manage": office,
        "events": hearing.events.select_related("by"),
    }
    if office:
        editable = hearing.status in (Status.PLANNED, Status.CHECK_IN)
        context |= {
            "attendees": hearing.attendees.select_related("service_object", "supervisor"),
            "draw_form": draw_form or DrawForm() if hearing.status == Status.PLANNED else None,
            "representative_form": RepresentativeForm(hearing=hearing) if editable else None,
            "supervisor_form": SupervisorForm(hearing=hearing) if editable else None,
        }
    return render(request, "hearings/detail.html", context)


@login_required
@require_POST
def representatives_draw(request, pk):
    hearing = hearing_get_for_user(request.user, pk, write=True)
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            services.representatives_draw(hearing=hearing, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            return redirect("hearings:detail", pk)
    return hearing_detail(request, pk, draw_form=form)


def _add(request, pk, form_class, service, field):
    hearing = hearing_get_for_user(request.user, pk, write=True)
    form = form_class(request.POST, hearing=hearing)
    if form.is_valid():
        try:
            service(hearing=hearing, **{field: form.cleaned_data[field]})
        except ValidationError as error:
            _refused(request, error)
    else:
        messages.error(request, _("Choose someone from the list."))
    return redirect("hearings:detail", pk)


@login_required
@require_POST
def representative_add(request, pk):
    return _add(request, pk, RepresentativeForm, services.representative_add, "service_object")


@login_required
@require_POST
def supervisor_add(request, pk):
    return _add(request, pk, SupervisorForm, services.supervisor_add, "supervisor")


@login_required
@require_POST
def check_in(request, pk):
    attendee = attendee_get_for_user(request.user, pk, write=True)
    try:
        services.attendee_check_in(attendee=attendee, present=request.POST.get("present") == "1")
    except ValidationError as error:
        _refused(request, error)
    return redirect(reverse("hearings:detail", args=[attendee.hearing_id]) + "#attendees")


def _transition(request, pk, service, done):
    hearing = hearing_get_for_user(request.user, pk, write=True)
    try:
        service(hearing=hearing, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, done)
    return redirect("hearings:detail", pk)


@login_required
@require_POST
def open_check_in(request, pk):
    return _transition(request, pk, services.hearing_open_check_in, _("Check-in is open."))


@login_required
@require_POST
def open_voting(request, pk):
    return _transition(request, pk, services.hearing_open_voting, _("Voting is open. Print the ballot codes."))


@login_required
@require_POST
def close(request, pk):
    return _transition(request, pk, services.hearing_close, _("The hearing is closed; its results are final."))


@login_required
@never_cache
def token_sheet(request, pk):
    """The printable sheet of ballot codes: while voting is open, for the office only."""
    hearing = hearing_get_for_user(request.user, pk, write=True)
    if hearing.status != Status.VOTING:
        raise Http404
    tokens = hearing.tokens.filter(used=False).exclude(secret="").values_list("secret", flat=True)
    base = request.build_absolute_uri("/")[:-1]
    return render(request, "hearings/tokens.html", {"hearing": hearing, "tokens": tokens, "base": base})


def _posted_answers(post):
    """The ballot form's answers keyed by item position, as the services take them."""
    return {name.removeprefix("item_"): value for name, value in post.items() if name.startswith("item_")}


def _ballot(request, hearing, errors=None):
    """What _ballot_fields.html renders: the items with the answer given and any error, and the comment.

    The items are read only when the template needs them: a fresh ballot page comes from the fragment cache."""
    post = request.POST if request.method == "POST" else {}
    errors = errors or {}

    def items():
        return [
            {
                "name": f"item_{item.position}",
                "label": item.name,
                "given": post.get(f"item_{item.position}"),
                "errors": errors.get(f"item_{item.position}", []),
            }
            for item in services.items_of(hearing)
        ]

    return {
        "hearing": hearing,
        "fresh": not post,
        "items": SimpleLazyObject(items),
        "choices": [(value, str(label)) for value, label in Answer.choices],
        "comment": post.get("comment", ""),
        "comment_errors": errors.get("comment", []),
        "general_errors": errors.get("__all__", []),
        "comment_max_length": services.COMMENT_MAX_LENGTH,
    }


@login_required
def paper_ballot(request, pk):
    hearing = hearing_get_for_user(request.user, pk, write=True)
    if hearing.status != Status.VOTING:
        raise PermissionDenied
    errors = None
    if request.method == "POST":
        try:
            services.paper_ballot_add(
                hearing=hearing, answers=_posted_answers(request.POST), comment=request.POST.get("comment", "")
            )
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        else:
            messages.success(request, _("Paper ballot counted."))
            return redirect("hearings:paper", pk)
    return render(request, "hearings/paper.html", _ballot(request, hearing, errors))


@login_required
def turnout(request, pk):
    hearing = hearing_get_for_user(request.user, pk)
    return render(request, "hearings/turnout.html", {"hearing": hearing})


@login_required
@never_cache
def turnout_fragment(request, pk):
    hearing = hearing_get_for_user(request.user, pk)
    return render(request, "hearings/_turnout.html", {"hearing": hearing})


@login_required
def results(request, pk):
    hearing = hearing_get_for_user(request.user, pk)
    if hearing.status != Status.CLOSED:
        raise Http404
    survey = SurveyResult.objects.filter(year=hearing.year, unit=hearing.unit).first()
    survey_rate = satisfaction_rate(survey.counts(), hearing.results["formula"]) if survey else None
    context = {"hearing": hearing, "results": hearing.results, "survey": survey, "survey_rate": survey_rate}
    return render(request, "hearings/results.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@ballot_ratelimit
def vote(request, token):
    """The public phone ballot: a valid unused token of a hearing that is voting, and nothing else.

    Kept light, since a whole hall votes within minutes: the page is rendered without form machinery and a
    submission goes straight to the service, which checks the token, the hearing and every answer."""
    errors = None
    if request.method == "POST":
        try:
            services.ballot_cast(
                secret=token, answers=_posted_answers(request.POST), comment=request.POST.get("comment", "")
            )
        except ValidationError as error:
            if getattr(error, "code", None) in ("unknown", "used", "closed", "full"):
                return render(request, "hearings/vote_refused.html", {"state": error.code})
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        else:
            return render(request, "hearings/vote_thanks.html")
    found, state = services.token_state(token)
    if state:
        return render(request, "hearings/vote_refused.html", {"state": state})
    return render(request, "hearings/vote.html", _ballot(request, found.hearing, errors))


@login_required
@upload_ratelimit
def survey_import(request):
    require_office(request.user)
    form = SurveyUploadForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        try:
            result = survey_results_import(upload=form.cleaned_data["file"], year=form.cleaned_data["year"])
        except ValidationError as error:
            errors = error.messages
    return render(request, "hearings/survey_import.html", {"form": form, "errors": errors, "result": result})


@login_required
def survey_template(request):
    require_office(request.user)
    workbook = template_workbook([SURVEY_SHEET], instructions=SURVEY_INSTRUCTIONS)
    return xlsx_response(workbook, "survey-template.xlsx")


@login_required
def nomination_list(request):
    """The year's nominations (`?year=`); `?status=nominated` keeps those still waiting for a decision."""
    require_office(request.user)
    shown = page_year(request)
    year = shown.year
    if year is None:
        raise Http404
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.window_nomination_create(year=year, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Nomination added."))
            return redirect(reverse("hearings:nominations") + f"?year={year.year}")
    nominations = WindowNomination.objects.filter(year=year).select_related("subunit__unit", "decided_by")
    status = request.GET.get("status", "")
    if status in WindowNomination.Status.values:
        nominations = nominations.filter(status=status)
    else:
        status = ""
    context = {
        "year": year,
        "year_error": shown.error,
        "status": status,
        "statuses": WindowNomination.Status.choices,
        "form": form,
        "nominations": nominations,
        "decision_form": DecisionForm(),
    }
    return render(request, "hearings/nominations.html", context)


@login_required
@require_POST
def nomination_decide(request, pk):
    require_office(request.user)
    nomination = get_object_or_404(WindowNomination.objects.select_related("year"), pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.window_nomination_decide(
                nomination=nomination,
                selected=form.cleaned_data["selected"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            _refused(request, error)
    else:
        messages.error(request, _("Choose a decision."))
    return redirect(reverse("hearings:nominations") + f"?year={nomination.year.year}")
