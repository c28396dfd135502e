from django.apps import AppConfig


class InvestmentsConfig(AppConfig):
    name = "investments"
    verbose_name = "Investeringer"

    def ready(self):
        from investments.services import digest, seed
        from portal import registry

        registry.seed_loader(20, seed.load)
        registry.audited(
            "investments.Strategy", "investments.Proposal", "investments.YearlyFigure", "investments.Realisation"
        )
        registry.digest_source(digest.lines)  # realised savings entered
        registry.cached_app("investments")  # the investments overview is a cached page (portal.cache)
