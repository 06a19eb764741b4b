"""Every query parameter of the API takes one value: a parameter given twice (`?page=1&page=2`)
is a 400 with DRF's field errors, rather than one of the values chosen silently (DRF and
django-filter read the last, a client may have meant the first)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework.views import APIView


class OneValuePerParameterMiddleware:
    """For the API's views only: the pages read some parameters as lists (a timesheet's
    added rows)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if not (isinstance(view_class, type) and issubclass(view_class, APIView)):
            return None
        repeated = {name: [_("Give one value.")] for name, values in request.GET.lists() if len(values) > 1}
        return JsonResponse(repeated, status=400) if repeated else None
