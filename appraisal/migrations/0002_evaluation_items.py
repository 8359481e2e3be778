from django.db import migrations

# The evaluation items as the district's implementing opinions list them, in their order.
ITEMS = {
    "industries": ["依法经营", "事务公开", "办事高效", "便民惠民", "践诺守信", "廉洁从业", "文明服务"],
    "departments": ["依法行政", "规范执法", "政务公开", "办事高效", "便民惠民", "践诺守信", "廉洁从政", "文明服务"],
}


def create_items(apps, schema_editor):
    EvaluationItem = apps.get_model("appraisal", "EvaluationItem")
    for kind, names in ITEMS.items():
        for position, name in enumerate(names, start=1):
            EvaluationItem.objects.update_or_create(kind=kind, position=position, defaults={"name": name})


def remove_items(apps, schema_editor):
    apps.get_model("appraisal", "EvaluationItem").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("appraisal", "0001_initial")]

    operations = [migrations.RunPython(create_items, remove_items)]
