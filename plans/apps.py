from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Beskæftigelsesplan"

    def ready(self):
        # Celery's autodiscovery finds plans.tasks; the import keeps its tasks in its own package.
        from plans.imports import fetch_tasks, tasks  # noqa: F401

        # Cached dashboard pages are out of date after any write to the plans app (plans.services.cache).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from plans.services.cache import bump_on_change

        for name, signal in {"save": post_save, "delete": post_delete, "m2m": m2m_changed}.items():
            signal.connect(bump_on_change, dispatch_uid=f"plans-page-cache-{name}")
