"""The plans app's models, named here so Django finds them under the app label "plans". Each layer of
plans/ (docs/architecture.md) keeps its own: the core (plans.core.models), the import
(plans.imports.models), the collection round for local figures (plans.collection.models), the budget
(plans.budget.models), the local key figures (plans.keyfigures.models) and the annual wheel
(plans.wheel.models). The pages may import them from here; the core and the import import their own
modules, never this face, which names the layers above them."""

from plans.budget.models import BenefitBudget
from plans.collection.models import CollectionItem, CollectionRound, DataOwner, OwnerReminder
from plans.core.models import (
    BenchmarkPeriod,
    BenchmarkRank,
    BenchmarkResult,
    BenefitFigure,
    ComparisonGroup,
    Goal,
    GoalComment,
    Indicator,
    MinisterGoal,
    Observation,
    Plan,
    StatusChange,
)
from plans.imports.models import DataImport, ExtractMapping, ObservationChange, RatioPart, TableMetadata
from plans.keyfigures.models import LocalKeyFigure
from plans.wheel.models import WheelEvent

__all__ = [
    "BenchmarkPeriod",
    "BenchmarkRank",
    "BenchmarkResult",
    "BenefitBudget",
    "BenefitFigure",
    "CollectionItem",
    "CollectionRound",
    "ComparisonGroup",
    "DataImport",
    "DataOwner",
    "ExtractMapping",
    "Goal",
    "GoalComment",
    "Indicator",
    "LocalKeyFigure",
    "MinisterGoal",
    "Observation",
    "ObservationChange",
    "OwnerReminder",
    "Plan",
    "RatioPart",
    "StatusChange",
    "TableMetadata",
    "WheelEvent",
]
