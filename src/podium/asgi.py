import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podium.settings")
django_application = get_asgi_application()

# Release files (exports, anonymous pages) are answered from disk before Django (site/fastpath.py).
from podium.site.fastpath import FastPath  # noqa: E402  (after Django is set up)

application = FastPath(django_application)
