import os

from celery import Celery

import portal.logging  # noqa: F401  (one log line per task, in the worker and in-process)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
