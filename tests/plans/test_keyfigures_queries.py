"""The key figures page's queries do not grow with the figures (the pattern of tests/test_query_counts.py)."""

import pytest
from django.urls import reverse

from plans.keyfigures.models import LocalKeyFigure
from plans.models import BenefitFigure
from tests.plans.test_keyfigures import keyfigure_data
from tests.test_query_counts import count_queries

pytestmark = pytest.mark.django_db
MORE_AREAS = ("Syddjurs", "Favrskov", "Randers", "Skanderborg", "Aarhus", "Viborg", "Silkeborg", "Horsens")


def _grow_local(years: int) -> None:
    LocalKeyFigure.objects.bulk_create(
        LocalKeyFigure(kind=kind, year=2000 + i, value=100 + i, source="Fasit")
        for i in range(years)
        for kind in LocalKeyFigure.Kind.values
    )


@pytest.mark.parametrize("national", [True, False])
def test_key_figures_query_count_does_not_grow_with_the_figures(client_for, member, east_jutland, national):
    client = client_for(member)
    url = reverse("keyfigures:overview")
    keyfigure_data(5, national=national, areas=MORE_AREAS[:2])
    few = count_queries(client, url)
    BenefitFigure.objects.all().delete()
    keyfigure_data(50, national=national, areas=MORE_AREAS)  # 10x the months, 4x the municipalities
    _grow_local(10)
    assert count_queries(client, url) == few
    # groups, newest month per table, the months' figures (+ the municipalities' sums without a "Hele landet"
    # row), the tables' metadata, the local figures, the newest benchmark results
    assert few == (6 if national else 7)


def test_key_figures_query_count_without_figures(client_for, member):
    # groups, newest month per table (none: no figures read), the tables' metadata, the local figures, benchmark
    assert count_queries(client_for(member), reverse("keyfigures:overview")) == 5
