from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .roles import home_url, require_office
from .selectors import year_overview


@login_required
def home(request):
    """Send each role to its own home; an account with no role yet gets a page that says whom to ask."""
    url = home_url(request.user)
    if url:
        return redirect(url)
    return render(request, "appraisal/no_role.html", status=403)


@login_required
def office_home(request):
    require_office(request.user)
    return render(request, "appraisal/office_home.html", year_overview())
