"""Monthly full-time persons (BenefitFigure) and budgets for the budget follow-up's tests."""

import calendar
from datetime import date
from decimal import Decimal

from django.conf import settings

from plans.core.benefits import BUDGET_GROUPS
from plans.models import BenefitBudget, BenefitFigure


def add_figure(table: str, year: int, month: int, value, area: str | None = None) -> BenefitFigure:
    return BenefitFigure.objects.create(
        table=table,
        area=area or settings.PORTAL_AREA,
        period_code=f"{year}M{month:02d}",
        period_start=date(year, month, 1),
        period_end=date(year, month, calendar.monthrange(year, month)[1]),
        full_time_persons=Decimal(str(value)),
    )


def fill_figures(year: int, through_month: int, areas: int = 1) -> None:
    """Every group table's months of the two years before `year`, and `year` through `through_month`,
    in the portal's area and `areas - 1` others (which the page must not read)."""
    rows = []
    tables = [table for group in BUDGET_GROUPS for table in group.all_tables]  # every era's (tables_on)
    for n in range(areas):
        area = settings.PORTAL_AREA if n == 0 else f"Kommune {n}"
        for i, table in enumerate(tables):
            for y in (year - 2, year - 1, year):
                for month in range(1, (through_month if y == year else 12) + 1):
                    rows.append(
                        BenefitFigure(
                            table=table,
                            area=area,
                            period_code=f"{y}M{month:02d}",
                            period_start=date(y, month, 1),
                            period_end=date(y, month, calendar.monthrange(y, month)[1]),
                            full_time_persons=Decimal(100 * (i + 1) + month + (y - year) * 5),
                        )
                    )
    BenefitFigure.objects.bulk_create(rows)


def add_budgets(year: int, amount: bool = True) -> None:
    for i, group in enumerate(BUDGET_GROUPS):
        persons = Decimal(100 * (i + 1) * len(group.tables))
        BenefitBudget.objects.create(
            group=group.key, year=year, full_time_persons=persons, amount=persons * 150_000 if amount else None
        )
