"""What each domain app adds to the portal. The portal imports no domain app: each app registers
its parts here in its AppConfig.ready(), and the portal reads them.

    seed_loader(order, load)          load(seeder) fills the app's seed data; lower order first
    audited(*labels)                  "app.Model" labels whose django-simple-history the audit page shows
    start_panel(template, context)    a block of the start page: context(request, today) -> dict or None
    calendar_source(entries)          entries(year) -> CalendarEntry for the årshjul and the iCalendar feed
    cached_app(label)                 writes to this app's models make cached dashboard pages out of date
    demo_data(order, load, remove)    the app's part of the demo data set (portal.demo; see demo_data below)
    digest_source(lines)              lines(since, today, until) -> DigestLine: news and deadlines for "Nyt siden sidst"
    report_ready(latest)              latest(today) -> (key, label, url) of the newest finished half-year report, or None
    goal_choices(choices)             choices(today) -> GoalChoices: the plan goals an application to the pool may support
    goal_links(links)                 links(year, code) -> [(text, url)]: what other apps link from a plan goal's page
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class CalendarEntry:
    """One event of the committee's year. Without a day it spans its month."""

    uid: str
    title: str
    year: int
    month: int
    kind: str  # a key the årshjul groups and labels by, e.g. "messe"
    kind_label: str
    day: date | None = None
    url: str = ""
    description: str = ""
    # The title of an årshjul event without a day that this dated one stands for in its month (the pool's
    # dated deadline for the fixed "Frist for ansøgninger til udvalgets pulje"): calendar() then shows one.
    replaces: str = ""

    @property
    def sort_key(self) -> tuple:
        return (self.month, self.day is None, self.day or date.min, self.title)


@dataclass(frozen=True)
class DigestLine:
    """One line of "Nyt siden sidst" (portal.digest): something new since a date, linking to its page.

    `kind` is one of portal.digest.service.KINDS; `min_role` the lowest Role (an int, 1 member .. 3
    administrator) that may read it, so an app says who may see a line and the portal leaves it out for others.
    """

    kind: str
    text: str
    url: str
    at: date
    min_role: int = 1
    whole_month: bool = False  # an årshjul event without a day: `at` is its month's first day


@dataclass(frozen=True)
class GoalChoices:
    """The goals of the plan in force, as (code, label) pairs, and that plan's year (None without a plan)."""

    year: int | None
    choices: list[tuple[str, str]]


@dataclass
class Registry:
    seed_loaders: list[tuple[int, Callable]] = field(default_factory=list)
    audited_labels: list[str] = field(default_factory=list)
    start_panels: list[tuple[str, Callable]] = field(default_factory=list)
    calendar_sources: list[Callable[[int], Iterable[CalendarEntry]]] = field(default_factory=list)
    cached_apps: set[str] = field(default_factory=set)
    demo_parts: list[tuple[int, Callable[[date], None], Callable[[date], None]]] = field(default_factory=list)
    digest_sources: list[Callable] = field(default_factory=list)
    report_ready: list[Callable[[date], tuple[str, str, str] | None]] = field(default_factory=list)
    goal_choices: list[Callable[[date], GoalChoices]] = field(default_factory=list)
    goal_links: list[Callable[[int, str], list[tuple[str, str]]]] = field(default_factory=list)


registry = Registry()


def seed_loader(order: int, load: Callable) -> None:
    registry.seed_loaders.append((order, load))


def audited(*labels: str) -> None:
    registry.audited_labels.extend(label for label in labels if label not in registry.audited_labels)


def start_panel(template: str, context: Callable) -> None:
    registry.start_panels.append((template, context))


def calendar_source(entries: Callable[[int], Iterable[CalendarEntry]]) -> None:
    registry.calendar_sources.append(entries)


def cached_app(label: str) -> None:
    registry.cached_apps.add(label)


def demo_data(order: int, load: Callable[[date], None], remove: Callable[[date], None]) -> None:
    """Register an app's part of the demo data set (manage.py load_demo_data / remove_demo_data, portal.demo).

    load(today) adds the app's synthetic data relative to `today`; it runs again on every `make run`, so
    a second run on the same day must change nothing, and it never edits rows it did not make (the seed,
    real figures). remove(today) deletes exactly what load made, whatever has happened since, and does
    nothing when there is nothing to delete. Both run inside the command's transaction. Parts load in
    ascending order (plans 10, events 30; a part that builds on another's rows comes after it) and are
    removed in the reverse order.
    """
    registry.demo_parts.append((order, load, remove))


def digest_source(lines: Callable) -> None:
    """lines(since: datetime, today: date, until: date) -> Iterable[DigestLine]: the app's news since `since`
    and its deadlines from today to `until` for "Nyt siden sidst" (portal.digest). A constant number of
    queries, whatever the data; no personal data of citizens. The årshjul's dates come from calendar()."""
    registry.digest_sources.append(lines)


def report_ready(latest: Callable[[date], tuple[str, str, str] | None]) -> None:
    """latest(today) -> (key, label, url) of the newest half-year report that is ready, or None: the
    digest's half-yearly subscribers get one mail per key."""
    registry.report_ready.append(latest)


def goal_choices(choices: Callable[[date], GoalChoices]) -> None:
    """choices(today) -> GoalChoices: the plan goals that an application to the committee's pool (investments.pool)
    may name as supported. Registered by plans; the pool stores the codes and the plan's year as text."""
    registry.goal_choices.append(choices)


def goal_links(links: Callable[[int, str], list[tuple[str, str]]]) -> None:
    """links(year, code) -> [(text, url)]: what another app links from the page of goal `code` in the plan of
    `year` (investments: the pool's grants that support it). One query per call, whatever the data."""
    registry.goal_links.append(links)


def plan_goals(today: date) -> GoalChoices:
    """The goals an application may support (the first registered source; no plan, no goals)."""
    return registry.goal_choices[0](today) if registry.goal_choices else GoalChoices(None, [])


def links_for_goal(year: int, code: str) -> list[tuple[str, str]]:
    return [link for source in registry.goal_links for link in source(year, code)]


def calendar(year: int) -> list[CalendarEntry]:
    """Every app's events of the year, in date order (an event without a day after its month's dated ones).
    An event without a day gives way to a dated one in its month that says it `replaces` it."""
    found = [e for source in registry.calendar_sources for e in source(year)]
    replaced = {(e.month, e.replaces) for e in found if e.replaces and e.day is not None}
    kept = (e for e in found if e.day is not None or (e.month, e.title) not in replaced)
    return sorted(kept, key=lambda e: e.sort_key)
