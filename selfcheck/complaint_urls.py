from django.urls import path

from .views import complaints

app_name = "complaints"

urlpatterns = [
    path("", complaints.complaint_new, name="new"),
    path("track/", complaints.complaint_track, name="track"),
    path("office/", complaints.complaint_list, name="list"),
    path("office/<int:pk>/", complaints.complaint_detail, name="detail"),
    path("office/<int:pk>/accept/", complaints.complaint_accept, name="accept"),
    path("office/<int:pk>/reject/", complaints.complaint_reject, name="reject"),
    path("office/<int:pk>/reopen/", complaints.complaint_reopen, name="reopen"),
]
