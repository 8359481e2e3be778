from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import history_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("office/", views.office_home, name="office_home"),
    path("history/<str:app_label>/<str:model_name>/<str:pk>/", history_views.record_history, name="history"),
    path("office/lockouts/", views.lockout_list, name="lockouts"),
    path("office/lockouts/unlock/", views.lockout_unlock, name="lockout_unlock"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("units/", include("units.urls")),
    path("selfcheck/", include("selfcheck.urls")),
    path("complaints/", include("selfcheck.complaint_urls")),
    path("supervisors/", include("supervisors.urls")),
    path("inspections/", include("inspections.urls")),
    path("hearings/", include("hearings.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]

# A database error outside a view gets the friendly 503 page too (appraisal.middleware).
handler500 = "appraisal.middleware.server_error"
