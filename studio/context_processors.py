from .models import StudioSettings
from .navigation import navigation_for


def studio(request):
    """The studio's name and currency and the signed-in user's navigation, for every page."""
    user = getattr(request, "user", None)
    # Error pages rendered before URL resolution (404s) skip the settings query.
    settings = StudioSettings.load() if getattr(request, "resolver_match", None) else None
    return {
        "studio_name": settings.name if settings else "Callsheet",
        "studio_currency": settings.currency if settings else "",
        "nav_items": navigation_for(user, request) if user and user.is_authenticated else [],
    }
