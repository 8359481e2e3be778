from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .queue import office_queue
from .roles import home_url, require_office
from .security import account_unlock, locked_accounts, lockout_minutes
from .selectors import year_overview

TOO_MANY_REQUESTS = 429


@login_required
def home(request):
    """Send each role to its own home; an account with no role yet gets a page that says whom to ask."""
    url = home_url(request.user)
    if url:
        return redirect(url)
    return render(request, "appraisal/no_role.html", status=403)


@login_required
def office_home(request):
    """The office's home is its work queue: what waits for it, each count opening the list to act on."""
    require_office(request.user)
    context = year_overview()
    queue = office_queue(context["year"])
    context |= {"queue": queue, "queue_empty": not any(entry.count for entry in queue)}
    return render(request, "appraisal/office_home.html", context)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): the account is locked here for so many minutes."""
    response = render(request, "registration/lockout.html", {"minutes": lockout_minutes()}, status=TOO_MANY_REQUESTS)
    response["Retry-After"] = str(lockout_minutes() * 60)
    return response


def ratelimited(request, exception):
    """django-ratelimit's page for a request over a limit (RATELIMIT_VIEW): the ballot page, uploads."""
    response = render(request, "ratelimited.html", status=TOO_MANY_REQUESTS)
    response["Retry-After"] = "60"  # every limit but the complaint form's (which has its own message) is per minute
    return response


@login_required
def lockout_list(request):
    require_office(request.user)
    return render(request, "registration/lockouts.html", {"locked": locked_accounts(), "minutes": lockout_minutes()})


@login_required
@require_POST
def lockout_unlock(request):
    require_office(request.user)
    username, ip_address = request.POST.get("username", ""), request.POST.get("ip_address") or None
    try:
        if not username:
            raise ValidationError(_("Choose the account to unlock from the list."))
        if ip_address:
            validate_ipv46_address(ip_address)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("lockouts")
    if account_unlock(username=username, ip_address=ip_address):
        messages.success(request, _("%(username)s can log in again.") % {"username": username})
    else:
        messages.info(request, _("%(username)s was not locked any more.") % {"username": username})
    return redirect("lockouts")
