from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Beskæftigelsesplan"

    def ready(self):
        # Celery's autodiscovery finds plans.tasks; the import keeps its tasks in its own package.
        from plans.imports import fetch_tasks, tasks  # noqa: F401
