from django.urls import path

from . import views

app_name = "hearings"

urlpatterns = [
    path("", views.hearing_list, name="list"),
    path("new/", views.hearing_create, name="create"),
    path("<int:pk>/", views.hearing_detail, name="detail"),
    path("<int:pk>/draw/", views.representatives_draw, name="draw"),
    path("<int:pk>/representatives/", views.representative_add, name="representative_add"),
    path("<int:pk>/supervisors/", views.supervisor_add, name="supervisor_add"),
    path("<int:pk>/check-in/", views.open_check_in, name="open_check_in"),
    path("<int:pk>/voting/", views.open_voting, name="open_voting"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/tokens/", views.token_sheet, name="tokens"),
    path("<int:pk>/paper/", views.paper_ballot, name="paper"),
    path("<int:pk>/turnout/", views.turnout, name="turnout"),
    path("<int:pk>/turnout/live/", views.turnout_fragment, name="turnout_fragment"),
    path("<int:pk>/results/", views.results, name="results"),
    path("attendees/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("vote/<str:token>/", views.vote, name="vote"),
    path("survey/", views.survey_import, name="survey_import"),
    path("survey/template/", views.survey_template, name="survey_template"),
    path("windows/", views.nomination_list, name="nominations"),
    path("windows/<int:pk>/decide/", views.nomination_decide, name="nomination_decide"),
]
