from django.urls import path

from .views import end_requests, teams, trainings

app_name = "supervisors"

urlpatterns = [
    path("", teams.supervisor_list, name="list"),
    path("me/", teams.home, name="home"),
    path("new/", teams.supervisor_edit, name="create"),
    path("<int:pk>/", teams.supervisor_detail, name="detail"),
    path("<int:pk>/edit/", teams.supervisor_edit, name="update"),
    path("<int:pk>/appoint/", teams.appointment_create, name="appoint"),
    path("district/", teams.district_team, name="district_team"),
    path("district/add/", teams.district_team_add, name="district_team_add"),
    path("renew-all/", teams.renew_all, name="renew_all"),
    path("units/", teams.unit_team_list, name="unit_teams"),
    path("units/<int:unit_pk>/", teams.unit_team, name="unit_team"),
    path("units/<int:unit_pk>/add/", teams.unit_team_add, name="unit_team_add"),
    path("appointments/<int:pk>/end/", teams.appointment_end, name="appointment_end"),
    path("appointments/<int:pk>/renew/", teams.appointment_renew, name="appointment_renew"),
    path("appointments/<int:pk>/reinstate/", teams.appointment_reinstate, name="appointment_reinstate"),
    path("appointments/<int:pk>/end-request/", end_requests.end_request_create, name="end_request_create"),
    path("end-requests/", end_requests.end_request_list, name="end_requests"),
    path("end-requests/<int:pk>/withdraw/", end_requests.end_request_withdraw, name="end_request_withdraw"),
    path("end-requests/<int:pk>/approve/", end_requests.end_request_approve, name="end_request_approve"),
    path("end-requests/<int:pk>/decline/", end_requests.end_request_decline, name="end_request_decline"),
    path("trainings/", trainings.training_list, name="trainings"),
    path("trainings/new/", trainings.training_create, name="training_create"),
    path("import/", trainings.supervisor_import, name="import"),
    path("import/template.xlsx", trainings.supervisor_template, name="import_template"),
]
