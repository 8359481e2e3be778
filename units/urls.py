from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("", views.unit_list, name="mine"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:unit_pk>/subunits/new/", views.subunit_edit, name="subunit_create"),
    path("subunits/<int:pk>/edit/", views.subunit_edit, name="subunit_update"),
    path("subunits/<int:pk>/delete/", views.subunit_delete, name="subunit_delete"),
    path("<int:unit_pk>/contacts/new/", views.contact_edit, name="contact_create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_update"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("import/", views.roster_import, name="import"),
    path("import/template.xlsx", views.roster_template, name="import_template"),
]
