"""What makes a large import fast keeps its guarantees: the unchanged-file short cut, history, one row per key."""

import io
from decimal import Decimal

import numpy as np
import pytest
from django.core.files.base import ContentFile

from plans.imports import applying, reading, service, validation
from plans.models import DataImport, ExtractMapping, Indicator, Observation, ObservationChange
from plans.services import observations

pytestmark = pytest.mark.django_db
SHARE = "Andel personer med ordinære timer (pct.)"
ROWS = [
    "Hele landet;2024Q1;Kontanthjælp;52.340;9,8",
    "Norddjurs;2024Q1;Kontanthjælp;412;8,7",
    "Syddjurs;2024Q1;Kontanthjælp;300;7,5",
    "Norddjurs;2024Q2;Kontanthjælp;405;9,1",
]


def _csv(*rows: str) -> bytes:
    return ("\r\n".join([f"Område;Periode;Ydelsesgrupper;Antal personer i alt;{SHARE}", *rows]) + "\r\n").encode(
        "utf-8"
    )


def _run(content: bytes) -> DataImport:
    record = service.create(ContentFile(content, name="udtraek.csv"), None)
    record, _ = service.process(record.pk)
    assert record.state == DataImport.State.DONE, record.errors
    return record


@pytest.fixture
def mapping():
    indicator = Indicator.objects.get(goal__major=6, goal__minor=10)
    return ExtractMapping.objects.create(
        indicator=indicator,
        table="OTIJ01",
        measure=SHARE,
        comparison_area="Hele landet",
        filters={"Ydelsesgrupper": "Kontanthjælp"},
    )


def _skipped(record: DataImport) -> bool:
    return any("ikke læst igen" in note for note in record.notes)


def test_unchanged_file_is_not_applied_again(mapping):
    first = _run(_csv(*ROWS))
    assert first.observations_changed == 4 and not _skipped(first)
    again = _run(_csv(*ROWS))
    assert _skipped(again) and again.observations_changed == 0
    assert (again.rows_imported, again.rows_total) == (first.rows_imported, first.rows_total)
    assert Observation.objects.filter(data_import=first).count() == 4


def test_same_file_is_applied_again_after_a_mapping_change(mapping):
    _run(_csv(*ROWS))
    mapping.comparison_area = ""
    mapping.save()
    again = _run(_csv(*ROWS))
    assert not _skipped(again)
    assert Observation.objects.filter(indicator=mapping.indicator, comparison__isnull=True).count() == 4


def test_same_file_is_applied_again_after_a_figure_changed(mapping, administrator):
    first = _run(_csv(*ROWS))
    typed = Observation.objects.get(indicator=mapping.indicator, area="Norddjurs", period_code="2024Q1")
    typed.value = 50
    observations.save_by_hand(typed, administrator)
    again = _run(_csv(*ROWS))
    assert not _skipped(again) and again.observations_changed == 1
    typed.refresh_from_db()
    assert float(typed.value) == 8.7 and typed.data_import_id == again.pk != first.pk


def test_changed_rows_are_updated_with_history_and_new_keys_inserted(mapping):
    first = _run(_csv(*ROWS))
    second = _run(_csv(*ROWS[:3], "Norddjurs;2024Q2;Kontanthjælp;405;9,4", "Norddjurs;2024Q3;Kontanthjælp;410;9,9"))
    assert second.observations_changed == 2  # one changed value, one new period
    keys = list(Observation.objects.filter(indicator=mapping.indicator).values_list("area", "period_code"))
    assert len(keys) == len(set(keys)) == 5
    change = ObservationChange.objects.get()
    assert (float(change.value), change.set_by_import_id, change.replaced_by_import_id) == (9.1, first.pk, second.pk)


def test_deleting_an_import_clears_its_observations_link(mapping):
    """Observation.data_import has no database constraint (it would cost a check per imported row): Django keeps it."""
    record = _run(_csv(*ROWS))
    record.delete()
    assert Observation.objects.filter(indicator=mapping.indicator).count() == 4
    assert not Observation.objects.filter(indicator=mapping.indicator, data_import__isnull=False).exists()


def test_an_indicator_deleted_while_the_file_was_read_refuses_the_import(mapping):
    """Observation.indicator has no database constraint either: the import checks (and locks) its indicators."""
    record = service.create(ContentFile(_csv(*ROWS), name="udtraek.csv"), None)
    extract = reading.read_extract(_csv(*ROWS))
    prepared = validation.prepare(extract, [validation.Route.of(mapping)], "OTIJ01", service._indicators())
    indicator_id = mapping.indicator_id
    Indicator.objects.filter(pk=indicator_id).delete()  # its mappings and figures go with it
    with pytest.raises(validation.ImportErrors, match="blev slettet, mens filen blev læst"):
        applying.apply(record, prepared)
    assert not Observation.objects.filter(indicator_id=indicator_id).exists()
    record.refresh_from_db()
    assert record.state != DataImport.State.DONE


def test_deleting_an_indicator_deletes_its_figures_and_their_history(mapping):
    _run(_csv(*ROWS))
    _run(_csv(*ROWS[:3], "Norddjurs;2024Q2;Kontanthjælp;405;9,4"))  # one changed value: a history row
    indicator_id = mapping.indicator_id
    assert ObservationChange.objects.filter(observation__indicator_id=indicator_id).count() == 1
    Indicator.objects.get(pk=indicator_id).delete()
    assert not Observation.objects.filter(indicator_id=indicator_id).exists()
    assert not ObservationChange.objects.exists()


def test_deleting_a_user_keeps_the_figures_they_typed(mapping, administrator):
    """Observation.entered_by has no database constraint (a check per imported row): Django sets it to NULL."""
    typed = Observation.objects.create(
        indicator=mapping.indicator,
        area="Norddjurs",
        period_code="2019",
        period_start="2019-01-01",
        period_end="2019-12-31",
        value=5,
        entered_by=administrator,
    )
    administrator.delete()
    typed.refresh_from_db()
    assert typed.entered_by_id is None and typed.value == 5


def test_values_reach_postgresql_as_the_numerics_they_are(postgres):
    """The staged values travel as numeric(14, 3) in binary (applying._numeric): every sign, size and decimal."""
    values = [
        0.0,
        -0.0,
        0.001,
        -0.001,
        9.8,
        -12.5,
        1234.567,
        52340.0,
        10_000.0,
        99_999_999_999.999,
        -99_999_999_999.999,
    ]
    comparisons = [np.nan, 1.5, -0.25, 100.0, np.nan, 0.0, 7.125, -3.0, 0.009, 1e10, -1e10]
    count = len(values)
    data = applying._binary_copy(
        np.arange(count), np.zeros(count), np.zeros(count), np.array(values), np.array(comparisons)
    )
    with postgres.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE staged (indicator_id integer, area_no integer, period_no integer, "
            "value numeric(14,3), comparison numeric(14,3), has_comparison boolean)"
        )
        cursor.cursor.copy_expert("COPY staged FROM STDIN WITH (FORMAT binary)", io.BytesIO(data))
        cursor.execute("SELECT value, CASE WHEN has_comparison THEN comparison END FROM staged ORDER BY indicator_id")
        stored = cursor.fetchall()
    expected = [
        (Decimal(f"{v:.3f}"), None if np.isnan(c) else Decimal(f"{c:.3f}")) for v, c in zip(values, comparisons)
    ]
    assert stored == expected


def test_each_mapping_compares_with_the_reference_area_of_its_own_period():
    """Two mappings on one file: a row's comparison is the reference area's value of that mapping and period, or none."""
    routes = [
        validation.Route(id=n, indicator_id=n, percent=True, label=group, measure=SHARE, comparison_area="Hele landet")
        for n, group in ((1, "Kontanthjælp"), (2, "Dagpenge"))
    ]
    routes[0].filters, routes[1].filters = {"Ydelsesgrupper": "Kontanthjælp"}, {"Ydelsesgrupper": "Dagpenge"}
    extract = reading.read_extract(
        _csv(
            "Hele landet;2024Q1;Kontanthjælp;52.340;9,8",
            "Hele landet;2024Q1;Dagpenge;40.000;4,2",
            "Norddjurs;2024Q1;Kontanthjælp;412;8,7",
            "Norddjurs;2024Q1;Dagpenge;300;3,5",
            "Norddjurs;2024Q2;Kontanthjælp;405;9,1",  # no Hele landet in 2024Q2
        )
    )
    rows = validation.prepare(extract, routes).rows
    compared = {
        (r.indicator_id, r.area, r.period_code): None if np.isnan(r.comparison) else r.comparison
        for r in rows.itertuples()
    }
    assert compared == {
        (1, "Hele landet", "2024Q1"): None,
        (2, "Hele landet", "2024Q1"): None,
        (1, "Norddjurs", "2024Q1"): 9.8,
        (2, "Norddjurs", "2024Q1"): 4.2,
        (1, "Norddjurs", "2024Q2"): None,
    }


def test_prepared_rows_hold_areas_and_periods_as_codes(mapping):
    """The reading child sends the rows to the parent pickled: a million codes, not a million strings per column."""
    extract = reading.read_extract(_csv(*ROWS))
    rows = validation.prepare(extract, [validation.Route.of(mapping)], "OTIJ01").rows
    assert all(rows[c].dtype == "category" for c in ("area", "period_code", "period_start", "period_end"))
