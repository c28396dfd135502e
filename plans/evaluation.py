"""The one evaluator of goal targets: (rule, observations, today) -> status. Pure; no database.

Every kind of target in the plan reduces to a target value for an observation and a
*shortfall*: how far the value lies on the wrong side of the target (0 or less: met).

    på sporet    the target is met (a strict rule needs a shortfall below 0)
    i risiko     missed, but by at most the rule's risk margin
    ikke nået    missed by more than the risk margin
    mangler data no observations, the newest is too old for the goal's frequency,
                 or the comparison the rule needs is missing
"""

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from portal.periods import Period, months_between, parse_period

# jobindsats.dk publishes a period's figures up to about three months after it ends.
PUBLICATION_LAG_MONTHS = 3


class Status(models.IntegerChoices):
    # Ordered by severity: a goal's status is the most severe of its indicators'.
    ON_TRACK = 0, _("På sporet")
    MISSING_DATA = 1, _("Mangler data")
    AT_RISK = 2, _("I risiko")
    NOT_MET = 3, _("Ikke nået")


class RuleKind(models.TextChoices):
    AT_LEAST = "mindst", _("Mindst en værdi")
    AT_MOST = "hoejst", _("Højst en værdi (fastholdes på et lavt niveau)")
    SHARE_BY_YEAR = "inden_aar", _("Mindst en værdi i et målår, med forløb frem dertil")
    FOLLOW_COMPARISON = "foelg", _("Følger sammenligningstallet (inden for en tolerance)")
    MAX_ABOVE_COMPARISON = "hoejst_over", _("Højst et antal procentpoint over sammenligningstallet")
    BELOW_COMPARISON = "under", _("Færre end sammenligningstallet (fx forventet antal)")
    INCREASE = "stigning", _("Højere end samme periode året før")
    DECREASE = "fald", _("Lavere end samme periode året før")
    MONTHLY_AVERAGE = "maaned_gns", _("Mindst en værdi i gennemsnit pr. måned")


# Kinds whose target is the rule's threshold, the same for every figure.
FIXED_TARGET = {RuleKind.AT_LEAST, RuleKind.AT_MOST, RuleKind.MONTHLY_AVERAGE}
LOWER_IS_BETTER = {RuleKind.AT_MOST, RuleKind.MAX_ABOVE_COMPARISON, RuleKind.BELOW_COMPARISON, RuleKind.DECREASE}
NEEDS_COMPARISON = {RuleKind.FOLLOW_COMPARISON, RuleKind.MAX_ABOVE_COMPARISON, RuleKind.BELOW_COMPARISON}


@dataclass(frozen=True)
class TargetRule:
    kind: str
    frequency_months: int
    threshold: Decimal | None = None
    tolerance: Decimal | None = None
    target_year: int | None = None
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    strict: bool = False
    higher_is_better: bool = True  # only FOLLOW_COMPARISON asks; the other kinds know their direction
    risk_margin: Decimal = Decimal(0)
    window_months: int | None = None


class Point(NamedTuple):
    """An observation as the evaluator reads it; a tuple, since a goal page builds one for every period of a long
    history."""

    period: Period
    value: Decimal
    comparison: Decimal | None = None


@dataclass(frozen=True)
class Reason:
    """Why a status is "Mangler data", kept as its message and parameters (Indicator.status_reason_parts,
    StatusChange.reason_parts) so that it is written in the reader's language when shown."""

    message: str  # the Danish message id (gettext_noop), with %(period)s and %(months)s
    period: str = ""  # a period code: its label is made when shown
    months: int | None = None

    def __str__(self) -> str:
        period = parse_period(self.period).label if self.period else ""
        return gettext(self.message) % {"period": period, "months": self.months}

    def parts(self) -> dict:
        return asdict(self)

    @classmethod
    def shown(cls, parts: dict, stored: str) -> str:
        """A stored reason in the active language; one stored before its parts were kept, as written."""
        return str(cls(**parts)) if parts else stored


NO_FIGURES = gettext_noop("Der er ingen tal endnu.")
TOO_OLD = gettext_noop("Nyeste tal er for %(period)s; der skulle være tal, der højst er %(months)s måneder gamle.")
NO_COMPARISON = gettext_noop("Sammenligningstallet mangler for %(period)s.")
NO_THRESHOLD = gettext_noop("Målets grænseværdi er ikke fastsat endnu.")
NO_PREVIOUS = gettext_noop("Der er intet tal for %(period)s at sammenligne med.")


@dataclass(frozen=True)
class Evaluation:
    status: Status
    why: Reason | None = None
    point: Point | None = None  # the observation judged (the newest)
    value: Decimal | None = None  # what was judged: the point's value, or the monthly average
    target: Decimal | None = None  # the value it was measured against

    @property
    def reason(self) -> str:
        """The reason in the active language ("" when the status needs none)."""
        return str(self.why) if self.why else ""


class _Missing(Exception):
    def __init__(self, why: Reason):
        self.why = why


def evaluate(rule: TargetRule, points: Sequence[Point], today: date) -> Evaluation:
    if not points:
        return Evaluation(Status.MISSING_DATA, Reason(NO_FIGURES))
    series = sorted(points, key=lambda p: p.period.end)
    latest = series[-1]
    age_limit = rule.frequency_months + PUBLICATION_LAG_MONTHS
    if months_between(latest.period.end, today) > age_limit:
        return Evaluation(Status.MISSING_DATA, Reason(TOO_OLD, latest.period.code, age_limit), latest)
    try:
        value = _judged_value(rule, latest, series)
        target = target_for(rule, latest, series)
    except _Missing as missing:
        return Evaluation(Status.MISSING_DATA, missing.why, latest)

    lower_is_better = rule.kind in LOWER_IS_BETTER or (
        rule.kind == RuleKind.FOLLOW_COMPARISON and not rule.higher_is_better
    )
    shortfall = value - target if lower_is_better else target - value
    if rule.kind == RuleKind.FOLLOW_COMPARISON:
        shortfall -= rule.tolerance or Decimal(0)
    met = shortfall < 0 if rule.strict else shortfall <= 0
    if met:
        status = Status.ON_TRACK
    elif shortfall <= rule.risk_margin:
        status = Status.AT_RISK
    else:
        status = Status.NOT_MET
    return Evaluation(status, None, latest, value, target)


def target_for(rule: TargetRule, point: Point, series: Sequence[Point], by_period: dict | None = None) -> Decimal:
    """The value `point` is measured against. Raises _Missing when it cannot be known.

    `by_period` ({period code: Point}) saves a search of the series when called for every point.
    """
    kind = rule.kind
    if kind in NEEDS_COMPARISON and point.comparison is None:
        raise _Missing(Reason(NO_COMPARISON, point.period.code))
    if kind in (RuleKind.AT_LEAST, RuleKind.AT_MOST, RuleKind.MONTHLY_AVERAGE, RuleKind.SHARE_BY_YEAR):
        if rule.threshold is None:
            raise _Missing(Reason(NO_THRESHOLD))
    if kind in FIXED_TARGET:
        return rule.threshold
    if kind in (RuleKind.FOLLOW_COMPARISON, RuleKind.BELOW_COMPARISON):
        return point.comparison
    if kind == RuleKind.MAX_ABOVE_COMPARISON:
        return point.comparison + (rule.threshold or Decimal(0))
    if kind in (RuleKind.INCREASE, RuleKind.DECREASE):
        previous = point.period.shifted_years(-1)
        found = (by_period or {p.period.code: p for p in series}).get(previous.code)
        if found is None:
            raise _Missing(Reason(NO_PREVIOUS, previous.code))
        return found.value
    if kind == RuleKind.SHARE_BY_YEAR:
        return _trajectory(rule, point, series)
    raise ValueError(f"unknown rule kind {kind!r}")


def fixed_target(rule: TargetRule) -> Decimal | None:
    """The target when it does not depend on any figure (a threshold), so it can be shown before there are figures."""
    return rule.threshold if rule.kind in FIXED_TARGET else None


def target_line(rule: TargetRule, series: Sequence[Point], at: Iterable[int] | None = None) -> list[Decimal | None]:
    """The target for each point of a series (oldest first), or for the points at the indexes `at` (None where it
    cannot be known): a goal page draws and tables a few hundred points of a history of thousands."""
    indexes = range(len(series)) if at is None else list(at)
    if rule.kind in FIXED_TARGET:  # None for every point while the threshold is not set
        return [rule.threshold] * len(indexes)
    line, by_period = [], {p.period.code: p for p in series}  # codes: a str keeps its hash, a Period computes it
    for index in indexes:
        try:
            line.append(target_for(rule, series[index], series, by_period))
        except _Missing:
            line.append(None)
    return line


def _judged_value(rule: TargetRule, latest: Point, series: Sequence[Point]) -> Decimal:
    if rule.kind != RuleKind.MONTHLY_AVERAGE:
        return latest.value
    window = rule.window_months or 12
    recent = [p.value for p in series if 0 <= months_between(p.period.start, latest.period.start) < window]
    return sum(recent, Decimal(0)) / len(recent)


def _trajectory(rule: TargetRule, point: Point, series: Sequence[Point]) -> Decimal:
    """A straight line from the baseline to the threshold in the target year."""
    year = point.period.end.year
    if rule.target_year is None or year >= rule.target_year:
        return rule.threshold
    if rule.baseline_year is not None and rule.baseline_value is not None:
        base_year, base_value = rule.baseline_year, rule.baseline_value
    else:
        first = series[0]  # series are oldest first (evaluate() sorts; the database returns them so)
        base_year, base_value = first.period.end.year, first.value
    if year <= base_year:
        return base_value
    share = Decimal(year - base_year) / Decimal(rule.target_year - base_year)
    return base_value + (rule.threshold - base_value) * share
