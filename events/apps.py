from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Arrangementer"

    def ready(self):
        from events.fairs.services import demo
        from events.services import seed, upcoming
        from portal import registry

        registry.seed_loader(30, seed.load)
        registry.audited(
            "events.FairSeries",
            "events.Fair",
            "events.ProgrammeItem",
            "events.Association",
            "events.CitizenSignup",
            "events.Project",
            "events.GroupSeat",
            "events.Meeting",
            "events.MeetingDocument",
            "events.ProgressReport",
        )
        registry.start_panel("events/_start_panel.html", upcoming.start_panel)
        registry.calendar_source(upcoming.calendar_entries)
        registry.demo_data(30, demo.load, demo.remove)  # a fair open for sign-ups
