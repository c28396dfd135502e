"""Issue 24: the benefit groups on the benchmark page are in the minister's order, whatever order the rows were
stored in and whatever position they were stored with."""

import pytest
from django.urls import reverse

from plans.core.models import BENEFIT_GROUPS
from plans.models import BenchmarkPeriod, BenchmarkResult

pytestmark = pytest.mark.django_db
FIGURES = {"Ydelsesgrupper i alt": (2160, 2120, 26), "A-dagpenge mv.": (400, 370, 54)}
FIGURES |= {"Sygedagpenge mv.": (880, 860, 9), "Kontanthjælp mv.": (850, 810, 55)}


def _groups_on_page(client, inserted: list[str]) -> list[str]:
    """Store the period's rows in the `inserted` order, each with its place in that order as its position (as a
    file's row order once gave it), and read the groups' order in the page's table."""
    BenchmarkPeriod.objects.all().delete()
    period = BenchmarkPeriod.objects.create(code="2099QMAT02", label="2. kvartal 2099 (MAT)")
    for position, group in enumerate(inserted, start=1):
        expected, actual, rank = FIGURES[group]
        BenchmarkResult.objects.create(
            period=period, position=position, benefit_group=group, expected=expected, actual=actual, rank=rank
        )
    text = client.get(reverse("plans:benchmark")).content.decode()
    table = text.split('class="table-block"')[1].split("</table>")[0]
    return sorted(BENEFIT_GROUPS, key=table.index)


def test_benchmark_page_shows_the_benefit_groups_in_the_ministers_order_however_they_were_stored(client_for, member):
    client = client_for(member)
    file_order = ["Ydelsesgrupper i alt", "Kontanthjælp mv.", "A-dagpenge mv.", "Sygedagpenge mv."]
    first = _groups_on_page(client, file_order)
    second = _groups_on_page(client, list(reversed(file_order)))
    assert first == second == ["A-dagpenge mv.", "Sygedagpenge mv.", "Kontanthjælp mv.", "Ydelsesgrupper i alt"]
