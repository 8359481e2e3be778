"""新建下一年度: the office sees what the next year will be, chooses its focus, confirms, and renews the
supervisors' appointments in the following step."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal.models import AppraisalYear, Focus
from appraisal.roles import require_office
from appraisal.selectors import page_year

from ..services.years import year_create_next, year_next_plan


class NextYearForm(forms.Form):
    focus = forms.ChoiceField(label=gettext_lazy("Focus of the new year"), choices=Focus.choices)
    confirm_same_focus = forms.BooleanField(
        label=gettext_lazy("I know the focus is the same as last year's"), required=False, widget=forms.HiddenInput
    )

    def ask_to_confirm(self, error):
        self.add_error("focus", error)
        self.fields["confirm_same_focus"].widget = forms.CheckboxInput(attrs={"class": "form-check-input"})


@login_required
def year_next(request):
    """GET shows what creating the next year makes; POST creates it. `?year=N` shows year N once created, with
    the renewal of the previous year's appointments."""
    require_office(request.user)
    chosen = page_year(request)
    if request.GET.get("year") and not chosen.error:
        return _created(request, chosen.year)
    try:
        plan = year_next_plan(focus=request.POST.get("focus") if request.POST.get("focus") in Focus.values else None)
    except ValidationError as error:
        current = chosen.current
        following = current and AppraisalYear.objects.filter(year=current.year + 1).first()
        if following:
            return _created(request, following, already=True)
        return render(request, "units/year_next.html", {"refusal": error.messages})
    form = NextYearForm(request.POST or None, initial={"focus": plan.focus})
    if request.method == "POST" and form.is_valid():
        try:
            year = year_create_next(
                by=request.user,
                focus=form.cleaned_data["focus"],
                confirm_same_focus=form.cleaned_data["confirm_same_focus"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "same_focus":
                form.ask_to_confirm(error)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The %(year)s appraisal year was created.") % {"year": year.year})
            return redirect(f"{reverse('units:year_next')}?year={year.year}")
    return render(request, "units/year_next.html", {"plan": plan, "form": form})


def _created(request, year, *, already=False):
    previous = AppraisalYear.objects.filter(year=year.year - 1).first()
    context = {
        "created": year,
        "already": already,
        "previous": previous,
        "deadlines": list(year.deadlines.all()),
        "units": year.participations.count(),
        "focus_units": year.participations.filter(is_focus=True).count(),
        "here": f"{reverse('units:year_next')}?year={year.year}",
    }
    return render(request, "units/year_next.html", context)
