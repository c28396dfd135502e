"""The remaining list pages: their number of queries stays the same as their data grows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Association, CitizenSignup, Fair, FairSeries
from investments.models import YearlyFigure
from plans.models import DataImport, ExtractMapping, Indicator, Observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair():
    return Fair.objects.create(
        series=FairSeries.objects.get(), venue="Grenaa Bibliotek", date=timezone.localdate() + timedelta(days=5)
    )


def grow(fair, caseworker, administrator, n):
    for i in range(n):
        CitizenSignup.objects.create(
            fair=fair, name=f"Borger {i}", benefit_group="anden", status="tilmeldt", registered_by=caseworker
        )
        association = Association.objects.create(
            series=fair.series, name=f"Forening {i} {fair.signups.count()}", status="tilmeldt"
        )
        association.fairs.add(fair)
        record = DataImport(original_name=f"{i}.csv", checksum=str(i), size=1, uploaded_by=administrator)
        record.file.save(f"{i}.csv", ContentFile(b"x"), save=True)
        indicator = Indicator.objects.all()[i % 20]
        ExtractMapping.objects.create(indicator=indicator, measure=f"Måling {i} {ExtractMapping.objects.count()}")
        observation = Observation(
            indicator=indicator, area="Norddjurs", period_code=str(1990 + Observation.objects.count()), value=Decimal(i)
        )
        observation.full_clean()
        observation.save()
        figure = YearlyFigure.objects.get(proposal__number=1 + i % 5, year=2020 + i % 4)
        figure.savings = Decimal(-i)
        figure.save()


PAGES = [
    ("administrator", "imports:list", False),
    ("administrator", "imports:mappings", False),
    ("administrator", "audit_list", False),
    ("administrator", "user_list", False),
    ("caseworker", "events:signups", True),
    ("caseworker", "events:checkin", True),
    ("caseworker", "events:participants", True),
    ("caseworker", "events:exhibitors", True),
    ("caseworker", "events:associations", False),
]


@pytest.mark.parametrize(("persona", "name", "per_fair"), PAGES, ids=[p[1] for p in PAGES])
def test_query_count_does_not_grow(request, client_for, caseworker, administrator, fair, persona, name, per_fair):
    url = reverse(name, args=[fair.pk] if per_fair else [])
    client = client_for(request.getfixturevalue(persona))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    grow(fair, caseworker, administrator, 2)
    few = count()
    grow(fair, caseworker, administrator, 10)
    assert count() == few
