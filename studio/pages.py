"""What every list page does the same way: paginate, and answer HTMX swaps with a fragment."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset) -> Page:
    """One page of rows (settings.PAGE_SIZE); a bad page number shows the nearest page."""
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def page_or_fragment(request: HttpRequest, template: str, fragment: str) -> str:
    """The fragment for HTMX swaps, the whole page otherwise. A history restore
    (back button after a cache miss) needs the whole page, even though htmx asks."""
    if request.htmx and not request.htmx.history_restore_request and not request.htmx.boosted:
        return f"{template}#{fragment}"
    return template
