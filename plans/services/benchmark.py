"""The minister's benchmark page: the whole ranking of the municipalities, the portal's area's rank
over the periods, and a comparison group of similar municipalities chosen by administrators.

The ranking comes from BenchmarkRank (written by the import of a national Y30R21 extract); the
portal's area's own table from BenchmarkResult (the import, or the seed for the committee's
introduction, whose period has no full ranking). A fixed number of queries, whatever the data.
"""

from dataclasses import dataclass, field
from statistics import median

from django.conf import settings
from django.db.models import Count

from plans.core.areas import MUNICIPALITIES
from plans.core.models import TOTAL_GROUP, group_position
from plans.models import BenchmarkPeriod, BenchmarkRank, BenchmarkResult, ComparisonGroup
from plans.services import charts

# The list ranks every municipality; a period imported without the whole list still ranks 98.
MUNICIPALITY_COUNT = len(MUNICIPALITIES)


def danish_sort_key(name: str) -> str:
    """Sort municipality names the Danish way: æ, ø, å (and aa as å) after z."""
    folded = name.casefold()
    if folded.startswith("aa"):
        folded = "å" + folded[2:]
    return folded.translate(str.maketrans({"æ": "{", "ø": "|", "å": "}"}))


def municipality_choices() -> list[tuple[str, str]]:
    """The municipalities a comparison group can hold (all but the portal's own), in Danish order."""
    names = sorted(MUNICIPALITIES - {settings.PORTAL_AREA}, key=danish_sort_key)
    return [(name, name) for name in names]


@dataclass
class Place:
    """One municipality's row in the ranking."""

    rank: int
    area: str
    expected: int
    actual: int
    mine: bool
    group_rank: int | None = None  # its place among the comparison group (with the portal's area)

    @property
    def difference(self) -> int:
        return self.actual - self.expected


@dataclass
class HistoryRow:
    """The portal's area's place in one period, and the comparison group's, if one is chosen."""

    period: BenchmarkPeriod
    rank: int
    of: int
    group_rank: int | None = None
    group_size: int | None = None
    group_median: float | None = None


@dataclass
class Benchmark:
    periods: list[BenchmarkPeriod]
    period: BenchmarkPeriod | None
    results: list[BenchmarkResult]  # the portal's area's table for the period
    benefit_groups: list[str]
    benefit_group: str
    groups: list[ComparisonGroup]
    group: ComparisonGroup | None
    ranking: list[Place] = field(default_factory=list)  # the whole list, or the group's part of it
    ranked: int = 0  # how many municipalities the period's list holds (0: not imported)
    history: list[HistoryRow] = field(default_factory=list)

    @property
    def mine(self) -> BenchmarkResult | None:
        return next((r for r in self.results if r.benefit_group == self.benefit_group), None)

    @property
    def of(self) -> int:
        """The list's length: every municipality, even where an extract held only some of them."""
        return max(self.ranked, MUNICIPALITY_COUNT)

    @property
    def partial(self) -> bool:
        """Only some municipalities' places are imported (an extract for a few areas, not all)."""
        return 0 < self.ranked < MUNICIPALITY_COUNT

    @property
    def mine_in_group(self) -> Place | None:
        return next((p for p in self.ranking if p.mine), None) if self.group else None

    @property
    def rows(self) -> list[dict]:
        """The portal's area's table (plans.tables.BenchmarkTable)."""
        return [
            {
                "benefit_group": r.benefit_group,
                "expected": r.expected,
                "actual": r.actual,
                "difference": r.difference,
                "rank": r.rank,
            }
            for r in self.results
        ]

    @property
    def ranking_rows(self) -> list[dict]:
        """The ranking's table (plans.tables.BenchmarkRankingTable)."""
        return [
            {
                "rank": p.rank,
                "area": p.area,
                "expected": p.expected,
                "actual": p.actual,
                "difference": p.difference,
                "group_rank": p.group_rank,
                "mine": p.mine,
            }
            for p in self.ranking
        ]

    @property
    def figure(self) -> dict | None:
        """Expected against actual for each benefit group; None without results."""
        results = self.results
        if not results:
            return None
        return charts.benchmark_figure(
            [r.benefit_group for r in results], [r.expected for r in results], [r.actual for r in results]
        )

    def export_name(self, ranking: bool) -> str:
        return f"benchmark-rangliste-{self.period.code}" if ranking else f"benchmark-{self.period.code}"


def build(period_code: str | None, benefit_group: str | None, group_id: str | None) -> Benchmark:
    periods = list(BenchmarkPeriod.objects.all())
    period = next((p for p in periods if p.code == period_code), periods[0] if periods else None)
    groups = list(ComparisonGroup.objects.all())
    group = next((g for g in groups if str(g.pk) == group_id), None)
    # By the group, not the stored position: a period imported before the minister's order was kept holds the
    # position of its file's rows.
    results = (
        sorted(period.results.all(), key=lambda r: (group_position(r.benefit_group), r.benefit_group)) if period else []
    )
    names = [r.benefit_group for r in results]
    chosen = (
        benefit_group
        if benefit_group in names
        else (TOTAL_GROUP if TOTAL_GROUP in names else (names[0] if names else ""))
    )
    data = Benchmark(periods, period, results, names, chosen, groups, group)
    if period is None or not chosen:
        return data
    data.ranking, data.ranked = _ranking(period, chosen, group)
    data.history = _history(chosen, group)
    return data


def _ranking(period: BenchmarkPeriod, benefit_group: str, group: ComparisonGroup | None) -> tuple[list[Place], int]:
    rows = BenchmarkRank.objects.filter(period=period, benefit_group=benefit_group).values_list(
        "rank", "area", "expected", "actual"
    )
    places = [
        Place(rank, area, expected, actual, area == settings.PORTAL_AREA) for rank, area, expected, actual in rows
    ]
    places.sort(key=lambda p: (p.rank, danish_sort_key(p.area)))
    total = len(places)
    if group is not None:
        members = set(group.areas) | {settings.PORTAL_AREA}
        places = [p for p in places if p.area in members]
        for place in places:
            place.group_rank = 1 + sum(1 for other in places if other.rank < place.rank)
    return places, total


def _history(benefit_group: str, group: ComparisonGroup | None) -> list[HistoryRow]:
    """The portal's area's place in every period, oldest first: one query each for its places, the
    list sizes and (with a group) the group's places."""
    mine = BenchmarkResult.objects.filter(benefit_group=benefit_group).select_related("period").order_by("period__code")
    sizes = dict(
        BenchmarkRank.objects.filter(benefit_group=benefit_group)
        .values("period_id")
        .annotate(n=Count("id"))
        .values_list("period_id", "n")
    )
    group_ranks: dict[int, list[int]] = {}
    if group is not None:
        members = [a for a in group.areas if a != settings.PORTAL_AREA]
        for period_id, rank in BenchmarkRank.objects.filter(benefit_group=benefit_group, area__in=members).values_list(
            "period_id", "rank"
        ):
            group_ranks.setdefault(period_id, []).append(rank)
    rows = []
    for result in mine:
        row = HistoryRow(result.period, result.rank, max(sizes.get(result.period_id, 0), MUNICIPALITY_COUNT))
        others = group_ranks.get(result.period_id)
        if others:
            row.group_rank = 1 + sum(1 for rank in others if rank < result.rank)
            row.group_size = len(others) + 1
            row.group_median = median(others)
        rows.append(row)
    return rows
