from django.urls import path

from .views import deliverables, registers, reminders, roster, years

app_name = "units"

urlpatterns = [
    path("", roster.unit_list, name="mine"),
    path("<int:pk>/", roster.unit_detail, name="detail"),
    path("<int:unit_pk>/subunits/new/", roster.subunit_edit, name="subunit_create"),
    path("subunits/<int:pk>/edit/", roster.subunit_edit, name="subunit_update"),
    path("subunits/<int:pk>/delete/", roster.subunit_delete, name="subunit_delete"),
    path("<int:unit_pk>/contacts/new/", roster.contact_edit, name="contact_create"),
    path("contacts/<int:pk>/edit/", roster.contact_edit, name="contact_update"),
    path("contacts/<int:pk>/delete/", roster.contact_delete, name="contact_delete"),
    path("import/", roster.roster_import, name="import"),
    path("import/template.xlsx", roster.roster_template, name="import_template"),
    # Deliverables
    path("deliverables/", deliverables.deliverable_matrix, name="deliverable_matrix"),
    path("<int:unit_pk>/deliverables/<slug:kind>/", deliverables.deliverable_page, name="deliverable"),
    path(
        "<int:unit_pk>/deliverables/<slug:kind>/upload/",
        deliverables.deliverable_file_upload,
        name="deliverable_upload",
    ),
    path("<int:unit_pk>/deliverables/<slug:kind>/submit/", deliverables.deliverable_submit, name="deliverable_submit"),
    path(
        "<int:unit_pk>/deliverables/<slug:kind>/submit-for-unit/",
        deliverables.deliverable_submit_for_unit,
        name="deliverable_submit_for_unit",
    ),
    path("deliverables/<int:pk>/review/", deliverables.deliverable_review, name="deliverable_review"),
    path("deliverables/<int:pk>/reopen/", deliverables.deliverable_reopen, name="deliverable_reopen"),
    path("files/<int:pk>/", deliverables.deliverable_file_download, name="file_download"),
    path("files/<int:pk>/delete/", deliverables.deliverable_file_delete, name="file_delete"),
    path("overdue/", reminders.bulletin, name="overdue_bulletin"),
    path("years/next/", years.year_next, name="year_next"),
    # Disclosures and service commitments
    path("<int:unit_pk>/disclosures/", registers.disclosure_list, name="disclosures"),
    path("<int:unit_pk>/disclosures/new/", registers.disclosure_edit, name="disclosure_create"),
    path("disclosures/<int:pk>/edit/", registers.disclosure_edit, name="disclosure_update"),
    path("disclosures/<int:pk>/delete/", registers.disclosure_delete, name="disclosure_delete"),
    path("<int:unit_pk>/disclosures/upload/", registers.disclosure_upload, name="disclosure_upload"),
    path("<int:unit_pk>/disclosures/template.xlsx", registers.disclosure_template, name="disclosure_template"),
    # Service objects
    path("<int:unit_pk>/service-objects/", registers.service_object_list, name="service_objects"),
    path("<int:unit_pk>/service-objects/new/", registers.service_object_edit, name="service_object_create"),
    path("service-objects/<int:pk>/edit/", registers.service_object_edit, name="service_object_update"),
    path("service-objects/<int:pk>/delete/", registers.service_object_delete, name="service_object_delete"),
    path("<int:unit_pk>/service-objects/upload/", registers.service_object_upload, name="service_object_upload"),
    path(
        "<int:unit_pk>/service-objects/template.xlsx",
        registers.service_object_template,
        name="service_object_template",
    ),
    path("<int:unit_pk>/service-objects/export.xlsx", registers.service_object_export, name="service_object_export"),
    # Public, no login
    path("public/", registers.public_index, name="public_index"),
    path("public/<int:pk>/", registers.public_disclosures, name="public_disclosures"),
]
