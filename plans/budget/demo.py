"""The budget follow-up's and the key figures' part of the demo data set (portal.registry.demo_data).

load(today)     imports the synthetic samples of the tables of full-time persons (plans/seed/synthetic,
                SYNTETISK in their names) through the real import, enters a budget for each benefit group
                and year they cover (near the year's figures, some groups over and some under), and a
                comparison group of the samples' municipalities for the key figures. Idempotent.
remove(today)   deletes exactly that: the figures the samples' imports set (a newer real import's stay),
                those imports, the budgets whose note is DEMO_NOTE and the comparison group DEMO_GROUP.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile

from plans.budget import services
from plans.core.areas import NATIONAL
from plans.core.benefits import BUDGET_GROUPS
from plans.imports import service
from plans.models import BenefitBudget, BenefitFigure, ComparisonGroup, DataImport
from plans.services.demo import DEMO_NAME

SAMPLES = Path(__file__).resolve().parent.parent / "seed" / "synthetic"
DEMO_NOTE = DEMO_NAME
DEMO_GROUP = "Demo: kommuner i de syntetiske eksempler"
# The budget against the year's figures (a group over budget spends more than budgeted), and a made-up yearly
# cost of a full-time person in kr, so the page can show an expected over- or under-spend.
BUDGET_SHAPE = {
    "a_dagpenge": (Decimal("0.95"), 235_000),
    "sygedagpenge": (Decimal("1.03"), 245_000),
    "kontanthjaelp": (Decimal("1.02"), 185_000),
    "jobafklaring": (Decimal("0.97"), 205_000),
    "ressourceforloeb": (Decimal("1.01"), 210_000),
    "ledighedsydelse": (Decimal("1.05"), 200_000),
    "fleksjob": (Decimal("0.98"), 140_000),
    "foertidspension": (Decimal("1.0"), 225_000),
}


def sample_files() -> list[Path]:
    return sorted(SAMPLES.glob("*_SYNTETISK.csv"))


def _demo_imports():
    return DataImport.objects.filter(original_name__in=[p.name for p in sample_files()], uploaded_by=None)


def load(today: date) -> None:
    done = set(_demo_imports().filter(state=DataImport.State.DONE).values_list("original_name", flat=True))
    for path in sample_files():
        if path.name not in done:
            record = service.create(ContentFile(path.read_bytes(), name=path.name), None)
            service.process(record.pk, mapped=False)  # the goals' demo figures stay plans.services.demo's
    _budgets()
    areas = sorted(set(BenefitFigure.objects.filter(data_import__in=_demo_imports()).values_list("area", flat=True)))
    members = [a for a in areas if a not in (settings.PORTAL_AREA, NATIONAL)]
    if members:
        ComparisonGroup.objects.get_or_create(name=DEMO_GROUP, defaults={"areas": members, "description": DEMO_NAME})


def _budgets() -> None:
    """A budget for each group and year with figures, near the year's average (as the page adds the group's
    tables up: services.monthly_totals), unless one is entered."""
    area = settings.PORTAL_AREA
    for year in sorted(services.figure_years(area)):
        figures = services.figures_by_year(year, area).get(year, {})
        for group in BUDGET_GROUPS:
            mean = services.average(services.monthly_totals(figures, services.month_tables(group, year)))
            if mean is None:
                continue
            shape, cost = BUDGET_SHAPE[group.key]
            persons = (mean * shape).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
            BenefitBudget.objects.get_or_create(
                group=group.key,
                year=year,
                defaults={"full_time_persons": persons, "amount": persons * cost, "note": DEMO_NOTE},
            )


def remove(today: date) -> None:
    imports = _demo_imports()
    BenefitFigure.objects.filter(data_import__in=imports).delete()
    imports.delete()
    BenefitBudget.objects.filter(note=DEMO_NOTE).delete()
    ComparisonGroup.objects.filter(name=DEMO_GROUP).delete()
