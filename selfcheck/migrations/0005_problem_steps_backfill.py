"""Problems recorded before the timeline existed get the steps their dates tell: recorded, started, rectified,
verified, explained. What happened in between (a rectification sent back) was not kept and is not invented."""

from django.db import migrations

BATCH = 1000


def backfill(apps, schema_editor):
    Problem = apps.get_model("selfcheck", "Problem")
    ProblemStep = apps.get_model("selfcheck", "ProblemStep")
    steps = []
    for problem in Problem.objects.order_by("pk").iterator(chunk_size=BATCH):
        status = "open"
        steps.append(
            ProblemStep(
                problem=problem, at=problem.created_at, by_id=problem.created_by_id, action="created", status_to=status
            )
        )
        moves = [
            (problem.started_at, "started", "in_progress", ""),
            (problem.rectified_at, "rectified", "rectified", problem.rectification_note),
            (problem.verified_at, "verified", "verified", ""),
            (problem.explained_at, "explained", "explained", problem.explanation),
        ]
        for at, action, to, note in moves:
            if at is not None:
                by_id = problem.verified_by_id if action == "verified" else None
                steps.append(
                    ProblemStep(
                        problem=problem,
                        at=at,
                        by_id=by_id,
                        by_office=action == "verified",
                        action=action,
                        status_from=status,
                        status_to=to,
                        note=note,
                    )
                )
                status = to
        if len(steps) >= BATCH:
            ProblemStep.objects.bulk_create(steps)
            steps = []
    ProblemStep.objects.bulk_create(steps)


class Migration(migrations.Migration):
    dependencies = [("selfcheck", "0004_timeline")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
