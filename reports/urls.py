from django.urls import path

from . import summary_views, views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("summaries/", summary_views.summaries, name="summaries"),
    path("summaries/new/<slug:kind>/", summary_views.summary_request, name="summary_request"),
    path("summaries/<int:pk>/status/", summary_views.summary_status, name="summary_status"),
    path("summaries/<int:pk>/download/", summary_views.summary_download, name="summary_download"),
    path("summaries/<int:pk>/send/", summary_views.summary_send, name="summary_send"),
]
