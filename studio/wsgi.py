import os

from django.core.wsgi import get_wsgi_application

from studio.startup import refuse_unconfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")
application = get_wsgi_application()
refuse_unconfigured()
