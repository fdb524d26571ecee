"""WSGI entry point (``gunicorn kyodo.config.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.config.settings")
application = get_wsgi_application()
