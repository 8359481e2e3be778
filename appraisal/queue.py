"""The office's work queue: what waits for the office, counted by the app that owns the work.

Each app lists its kinds of waiting work with an `office_queue(year)` method on its AppConfig, returning
`QueueEntry`s; every entry costs one counting query, so the office's home stays constant in queries.
"""

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class QueueEntry:
    label: str
    count: int
    url: str  # the filtered list where the office takes the work up
    order: int = 100  # position on the office's home, smallest first
    overdue: bool = False  # shown in red: a date has passed


def office_queue(year) -> list[QueueEntry]:
    """Every kind of work waiting for the office in `year` (a year may be None before the first one exists)."""
    entries = []
    for config in apps.get_app_configs():
        collect = getattr(config, "office_queue", None)
        if collect:
            entries.extend(collect(year))
    return sorted(entries, key=lambda entry: (entry.order, str(entry.label)))
