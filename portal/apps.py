from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Udvalgsportalen"

    def ready(self):
        # Cached pages are out of date after any write to an app registered with portal.registry.cached_app.
        from portal import auth, cache
        from portal.digest import tasks  # noqa: F401  (Celery's autodiscovery reads portal.tasks only)

        cache.connect()
        auth.connect()  # the logged-in user is read from the cache until it changes
