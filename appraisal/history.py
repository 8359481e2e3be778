"""The audit trail: who changed what, and when.

PostgreSQL triggers (django-pghistory) store a snapshot of a tracked row on every insert, update and delete,
whatever wrote it: a form, the admin, `bulk_create`, `queryset.update()` or raw SQL. Each request, command
and job wraps its work in a context that adds the user (or the command or job) to the events it causes.
On SQLite (the demo) there are no triggers and nothing is recorded; the history page says so.

Ballots and ballot tokens are never tracked: a row-by-row trail of votes would break their secrecy.
"""

import contextlib
import datetime
import functools
import json
from dataclasses import dataclass, field

import pghistory
import pghistory.middleware
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from .roles import is_office


def track(*, exclude_updates_of=(), model_name=None):
    """Class decorator: record every insert, update and delete of the model, with the whole row.

    `exclude_updates_of` names fields whose change alone is not an event (the hearing's ballot counters).
    """
    update = (
        pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude=list(exclude_updates_of)))
        if exclude_updates_of
        else pghistory.UpdateEvent()
    )
    return pghistory.track(
        pghistory.InsertEvent(),
        update,
        pghistory.DeleteEvent(),
        # No reverse accessor on the tracked model: the history is read through this module.
        obj_field=pghistory.ObjForeignKey(related_name="+", related_query_name="+"),
        model_name=model_name,
    )


def is_recorded() -> bool:
    """The trail exists only where the triggers do: on PostgreSQL."""
    return connection.vendor == "postgresql"


def history_context(**metadata):
    """`with history_context(command="import_units"):` — the events inside carry this metadata.

    For management commands and Celery jobs, which no request middleware wraps. A no-op on SQLite.
    """
    if not is_recorded():
        return contextlib.nullcontext()
    return pghistory.context(**metadata)


def recorded(**metadata):
    """Decorator for a command's `handle` or a Celery task: the events it causes carry `metadata`, e.g.
    `@recorded(command="import_units")`."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with history_context(**metadata):
                return function(*args, **kwargs)

        return wrapper

    return decorate


class HistoryMiddleware(pghistory.middleware.HistoryMiddleware):
    """Adds the user and the path of each request to the events it causes; does nothing on SQLite, where the
    SQL it would prepend does not exist."""

    def __call__(self, request):
        if not is_recorded():
            return self.get_response(request)
        return super().__call__(request)


# Reading the trail ----------------------------------------------------------------------------------------

ACTIONS = {"insert": _("Created"), "update": _("Changed"), "delete": _("Deleted")}
NOT_RECORDED = _(
    "The change history is recorded when the system runs on PostgreSQL, as it does in production. This "
    "installation uses SQLite (the demo), so no history is kept here."
)


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    at: datetime.datetime
    action: str
    who: str
    changes: list = field(default_factory=list)


def tracked_model(app_label: str, model_name: str):
    """The model named in a URL, if its history is recorded; None for any other model (or none)."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    return model if getattr(model, "pgh_event_models", None) else None


def history_get_for_user(user, app_label, model_name, pk):
    """The trail is the office's: (model, primary key, the record or None when it was deleted). 404 for
    anyone else, for a model that is not tracked and for a key of the wrong form."""
    model = tracked_model(app_label, model_name)
    if model is None or not is_office(user):
        raise Http404
    try:
        pk = model._meta.pk.to_python(pk)
    except ValidationError:
        raise Http404 from None
    return model, pk, model._default_manager.filter(pk=pk).first()


def record_events(model, pk):
    """The record's events, newest first (a lazy query over its event table, for a paginator)."""
    from pghistory.models import Events

    return Events.objects.tracks(model(pk=pk)).order_by("-pgh_created_at", "-pgh_id")


def entries(model, events) -> list[Entry]:
    """What a page of events says: when, who, what, and each changed field as old → new, in words."""
    events = list(events)
    fields = {f.column: f for f in model._meta.concrete_fields if not getattr(f, "auto_now", False)}
    fields.pop(model._meta.pk.column, None)
    related = _related_names(fields, events)
    people = _people(events)
    result = []
    for event in events:
        entry = Entry(event.pgh_created_at, ACTIONS.get(event.pgh_label, event.pgh_label), people(event.pgh_context))
        for column, (old, new) in _pairs(event).items():
            if column in fields:
                show = functools.partial(_display, fields[column], related=related)
                entry.changes.append(Change(str(fields[column].verbose_name), show(old), show(new)))
        result.append(entry)
    return result


def _pairs(event):
    """{column: (old, new)}: the diff of an update; the whole row, as new, for an insert, as old for a delete."""
    if event.pgh_label == "update":
        return {column: tuple(values) for column, values in (event.pgh_diff or {}).items()}
    data = event.pgh_data or {}
    if event.pgh_label == "delete":
        return {column: (value, None) for column, value in data.items() if value not in (None, "", [])}
    return {column: (None, value) for column, value in data.items() if value not in (None, "", [])}


def _related_names(fields, events):
    """{(column, id): str(object)} for the foreign keys the events mention: one query per foreign key."""
    names = {}
    for column, model_field in fields.items():
        if not model_field.is_relation:
            continue
        ids = {value for event in events for value in _pairs(event).get(column, ()) if value is not None}
        if ids:
            objects = model_field.related_model._default_manager.in_bulk(ids)
            names |= {(column, pk): str(obj) for pk, obj in objects.items()}
    return names


def _people(events):
    """Who made each change: the user of the request, else the command or job that ran."""
    ids = {context.get("user") for event in events if (context := event.pgh_context)} - {None}
    users = get_user_model().objects.in_bulk(ids)

    def who(context):
        context = context or {}
        user = users.get(context.get("user"))
        if user is not None:
            return user.get_full_name() or user.get_username()
        if context.get("command"):
            return _("command %(name)s") % {"name": context["command"]}
        if context.get("task"):
            return _("background job %(name)s") % {"name": context["task"]}
        return _("unknown (outside the application)")

    return who


def _display(model_field, value, *, related):
    """A stored value as the office reads it: choices by their label, related records by name, dates local."""
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return related.get((model_field.column, value), f"#{value}")
    if model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(model_field, models.DateTimeField):
        moment = parse_datetime(value)
        return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}" if moment else str(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
