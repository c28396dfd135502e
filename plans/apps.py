from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Beskæftigelsesplan"

    def ready(self):
        # Celery's autodiscovery finds plans.tasks; the import keeps its tasks in its own package.
        from plans.imports import fetch_tasks, tasks  # noqa: F401
        from plans.services import seed, start
        from plans.wheel import service as wheel
        from portal import registry

        registry.seed_loader(10, seed.load)
        registry.audited(
            "plans.Plan",
            "plans.MinisterGoal",
            "plans.Goal",
            "plans.Indicator",
            "plans.GoalComment",
            "plans.ExtractMapping",
            "plans.ComparisonGroup",
        )
        registry.start_panel("plans/_start_panel.html", start.panel)
        registry.calendar_source(wheel.calendar_entries)
        registry.cached_app("plans")  # any write to the plans app makes the cached dashboard pages out of date
