from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .permissions import start_page_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its own start page."""
    return redirect(start_page_for(request.user))
