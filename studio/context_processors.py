from .models import StudioSettings
from .navigation import navigation_for


def studio(request):
    """The studio's name and the signed-in user's navigation, for every page."""
    user = getattr(request, "user", None)
    return {
        "studio_name": StudioSettings.load().name if request.resolver_match else "Callsheet",
        "nav_items": navigation_for(user, request) if user and user.is_authenticated else [],
    }
