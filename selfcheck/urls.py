from django.urls import path

from .views import register as views

app_name = "selfcheck"

urlpatterns = [
    path("", views.office_list, name="office_list"),
    path("units/<int:unit_pk>/", views.register, name="register"),
    path("units/<int:unit_pk>/new/", views.problem_create, name="problem_create"),
    path("units/<int:unit_pk>/template.xlsx", views.register_template, name="template"),
    path("units/<int:unit_pk>/export.xlsx", views.register_export, name="export"),
    path("units/<int:unit_pk>/upload/", views.register_upload, name="upload"),
    path("units/<int:unit_pk>/submit/", views.register_submit, name="submit"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", views.problem_update, name="problem_update"),
    path("problems/<int:pk>/start/", views.problem_start, name="problem_start"),
    path("problems/<int:pk>/rectify/", views.problem_rectify, name="problem_rectify"),
    path("problems/<int:pk>/explain/", views.problem_explain, name="problem_explain"),
    path("problems/<int:pk>/verify/", views.problem_verify, name="problem_verify"),
    path("problems/<int:pk>/send-back/", views.problem_send_back, name="problem_send_back"),
    path("problems/<int:pk>/reopen/", views.problem_reopen, name="problem_reopen"),
    path("problems/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("problems/<int:pk>/steps/<int:step_pk>/evidence/", views.step_evidence, name="step_evidence"),
]
