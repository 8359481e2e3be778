"""The office's page of one record's audit trail (变更记录)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .history import NOT_RECORDED, entries, history_get_for_user, is_recorded, record_events

PAGE_SIZE = 50


@login_required
def record_history(request, app_label, model_name, pk):
    """Every change of one record, newest first: when, who, what, and each field as old → new."""
    model, pk, record = history_get_for_user(request.user, app_label, model_name, pk)
    context = {"opts": model._meta, "pk": pk, "record": record, "recorded": is_recorded(), "not_recorded": NOT_RECORDED}
    if context["recorded"]:
        page = Paginator(record_events(model, pk), PAGE_SIZE).get_page(request.GET.get("page"))
        context |= {"page": page, "entries": entries(model, page)}
    return render(request, "appraisal/history.html", context)
