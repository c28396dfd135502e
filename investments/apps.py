from django.apps import AppConfig


class InvestmentsConfig(AppConfig):
    name = "investments"
    verbose_name = "Investeringer"

    def ready(self):
        from investments.pool import tasks  # noqa: F401  (Celery finds the pool's task here)
        from investments.pool.services import links
        from investments.pool.services import seed as pool_seed
        from investments.services import digest, seed
        from portal import registry

        registry.seed_loader(20, seed.load)
        registry.seed_loader(21, pool_seed.load)  # the current year's pool (seed 004)
        registry.audited(
            "investments.Strategy",
            "investments.Proposal",
            "investments.YearlyFigure",
            "investments.Realisation",
            "investments.PoolYear",
            "investments.PoolRound",
            "investments.Application",
            "investments.Attachment",
            "investments.Assessment",
            "investments.Decision",
            "investments.FollowUp",
        )
        registry.calendar_source(links.calendar_entries)  # the pool's deadlines and meetings on the årshjul
        registry.goal_links(links.goal_links)  # the grants that support a plan goal, on its page
        registry.digest_source(digest.lines)  # realised savings entered
        registry.cached_app("investments")  # the investments overview is a cached page (portal.cache)
