"""Goal data the tests make: figures, imports and the national benchmark ranking.

Shared by the plans' test modules and tests/test_query_counts.py (a test module imports from here,
never from another test module).
"""

from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from plans.imports import service
from plans.models import DataImport, Indicator, Observation
from plans.services import status
from portal.periods import parse_period
from tests.paths import DATA

NATIONAL = DATA / "routes" / "y30r21_national_api_v2_synthetic.json"


def add(indicator, period, value, comparison=None, area=None, data_import=None) -> Observation:
    """One figure for the indicator (the portal's own area unless another is given)."""
    p = parse_period(period)
    return Observation.objects.create(
        indicator=indicator,
        area=area or settings.PORTAL_AREA,
        period_code=p.code,
        period_start=p.start,
        period_end=p.end,
        value=Decimal(str(value)),
        comparison=None if comparison is None else Decimal(str(comparison)),
        source_note="Test",
        data_import=data_import,
    )


def data_import(name: str, administrator) -> DataImport:
    """A finished import of a one-byte file, as if the administrator had uploaded it."""
    record = DataImport(
        original_name=name,
        checksum=name,
        size=1,
        uploaded_by=administrator,
        state=DataImport.State.DONE,
        finished_at=timezone.now(),
    )
    record.file.save(name, ContentFile(b"x"), save=True)
    return record


def fill_observations(months: int):
    """`months` monthly observations for every indicator, for Norddjurs and two other areas."""
    rows = []
    for indicator in Indicator.objects.all():
        for m in range(months):
            p = parse_period(f"{2024 - m // 12}M{12 - m % 12:02d}")
            for area in (settings.PORTAL_AREA, "Syddjurs", "Hele landet"):
                rows.append(
                    Observation(
                        indicator=indicator,
                        area=area,
                        period_code=p.code,
                        period_start=p.start,
                        period_end=p.end,
                        value=Decimal(40 + m % 7),
                        comparison=Decimal(41),
                    )
                )
    Observation.objects.bulk_create(rows)
    status.refresh()


def import_national():
    """Import the synthetic national extract: every municipality's benchmark rank for six periods."""
    record = service.create(ContentFile(NATIONAL.read_bytes(), name=NATIONAL.name), None)
    record, _ = service.process(record.pk)
    assert record.state == "gennemfoert", record.errors
    return record
