"""The OpenAPI schema view. drf-spectacular loads its extensions lazily, and not safely
across threads: the first schemas asked for at once on a fresh threaded worker failed. A
process makes one schema at a time."""

import threading

from drf_spectacular.views import SpectacularAPIView

_generating = threading.Lock()


class SchemaView(SpectacularAPIView):
    def _get_schema_response(self, request):
        with _generating:
            return super()._get_schema_response(request)
