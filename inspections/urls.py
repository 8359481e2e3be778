from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.inspection_create, name="create"),
    path("review/", views.review, name="review"),
    path("quotas/", views.quotas, name="quotas"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/edit/", views.inspection_edit, name="edit"),
    path("<int:pk>/delete/", views.inspection_delete, name="delete"),
    path("<int:pk>/submit/", views.inspection_submit, name="submit"),
    path("<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("<int:pk>/accept/", views.inspection_accept, name="accept"),
    path("<int:pk>/return/", views.inspection_return, name="return"),
    path("<int:pk>/reopen/", views.inspection_reopen, name="reopen"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("evidence/<int:pk>/unit-copy/", views.unit_evidence, name="unit_evidence"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/delete/", views.finding_delete, name="finding_delete"),
]
