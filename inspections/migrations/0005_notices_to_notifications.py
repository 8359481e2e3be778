from django.db import migrations


def notices_to_notifications(apps, schema_editor):
    """The units' feedback notices become notifications of the unit, shown in the same place as every hand-off."""
    Notice = apps.get_model("inspections", "Notice")
    Notification = apps.get_model("units", "Notification")
    Notification.objects.bulk_create(
        (
            Notification(unit_id=notice.unit_id, title=notice.title, body=notice.body, created_at=notice.created_at)
            for notice in Notice.objects.order_by("id").iterator()
        ),
        batch_size=500,
    )


def notifications_to_notices(apps, schema_editor):
    Notice = apps.get_model("inspections", "Notice")
    Notification = apps.get_model("units", "Notification")
    feedback = Notification.objects.filter(unit__isnull=False, created_by__isnull=True, url="")
    Notice.objects.bulk_create(
        Notice(unit_id=row.unit_id, title=row.title, body=row.body, created_at=row.created_at) for row in feedback
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0004_inspection_steps"),
        ("units", "0005_notification"),
    ]

    operations = [
        migrations.RunPython(notices_to_notifications, notifications_to_notices),
        migrations.DeleteModel(name="Notice"),
    ]
