import os

from django.core.asgi import get_asgi_application

from studio.startup import refuse_unconfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")
application = get_asgi_application()
refuse_unconfigured()
