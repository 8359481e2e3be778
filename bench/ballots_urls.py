"""The project's URLs plus `bench/insert/`: the least a Django request that writes can cost (one row, 204)."""

import datetime
import secrets

from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from appraisal.urls import urlpatterns as project_urlpatterns


@csrf_exempt
@require_POST
def bare_insert(request):
    Session.objects.create(
        session_key=secrets.token_hex(16),
        session_data="",
        expire_date=timezone.now() + datetime.timedelta(days=1),
    )
    return HttpResponse(status=204)


urlpatterns = [path("bench/insert/", bare_insert), *project_urlpatterns]
