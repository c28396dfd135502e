from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Beskæftigelsesplan"

    def ready(self):
        # Celery's autodiscovery finds plans.tasks; the import and the collection round keep theirs in their packages.
        from plans.budget import calendar as budget_calendar
        from plans.budget import demo as budget_demo
        from plans.collection import tasks as collection_tasks  # noqa: F401
        from plans.collection.services import demo as collection_demo
        from plans.imports import calendar as releases
        from plans.imports import fetch_tasks, tasks  # noqa: F401
        from plans.keyfigures import seed as keyfigures_seed
        from plans.services import demo, digest, goal_page, seed, start
        from plans.wheel import service as wheel
        from portal import registry

        registry.seed_loader(10, seed.load)
        registry.seed_loader(12, keyfigures_seed.load)  # the introduction's local key figures (2020)
        registry.audited(
            "plans.Plan",
            "plans.MinisterGoal",
            "plans.Goal",
            "plans.Indicator",
            "plans.GoalComment",
            "plans.ExtractMapping",
            "plans.ComparisonGroup",
            "plans.DataOwner",
            "plans.CollectionRound",
            "plans.LocalKeyFigure",
            "plans.BenefitBudget",
        )
        registry.start_panel("plans/_start_panel.html", start.panel)
        registry.calendar_source(wheel.calendar_entries)
        registry.calendar_source(releases.release_entries)  # the Jobindsats tables' next release dates
        registry.calendar_source(budget_calendar.follow_up_entries)  # the four budget follow-ups (plans.budget)
        registry.digest_source(digest.lines)  # status changes, figures, imports, remarks, collection deadlines
        registry.report_ready(digest.report_ready)
        registry.demo_data(10, demo.load, demo.remove)  # figures for every goal and a benchmark ranking
        registry.demo_data(12, budget_demo.load, budget_demo.remove)  # full-time persons, budgets, a comparison group
        registry.demo_data(15, collection_demo.load, collection_demo.remove)  # a collection round in progress
        registry.goal_choices(goal_page.goal_choices)  # the goals an application to the committee's pool may support
        registry.cached_app("plans")  # any write to the plans app makes the cached dashboard pages out of date
