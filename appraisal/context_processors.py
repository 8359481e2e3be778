from django.conf import settings

from .roles import is_leader, is_office


def site(request):
    user = request.user
    return {
        "district_name": settings.DISTRICT_NAME,
        "user_is_office": is_office(user),
        "user_is_leader": is_leader(user),
    }
