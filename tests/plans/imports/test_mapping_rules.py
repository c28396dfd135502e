"""ExtractMapping.clean: the fields of a mapping that contradict each other or the indicator it feeds."""

import pytest
from django.core.exceptions import ValidationError

from plans.evaluation import RuleKind
from plans.models import ExtractMapping, Indicator

pytestmark = pytest.mark.django_db

COUNT_COLUMN, SHARE_COLUMN = "Antal personer i alt", "Andel personer (pct.)"


def errors(unit=Indicator.Unit.COUNT, rule=RuleKind.AT_LEAST, **fields) -> dict[str, list[str]]:
    indicator = Indicator.objects.first()
    indicator.unit, indicator.rule = unit, rule
    mapping = ExtractMapping(indicator=indicator, measure=fields.pop("measure", COUNT_COLUMN), **fields)
    try:
        mapping.clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def test_a_plain_mapping_is_clean():
    assert errors() == {}
    assert errors(unit=Indicator.Unit.PERCENT, measure=SHARE_COLUMN) == {}
    assert errors(unit=Indicator.Unit.PERCENT, denominator_measure=COUNT_COLUMN) == {}
    assert errors(rule=RuleKind.BELOW_COMPARISON, comparison_measure="Forventet antal") == {}


CONTRADICTIONS = [
    (
        {"comparison_measure": "Forventet antal", "comparison_area": "Hele landet"},
        "comparison_area",
        "Vælg enten en sammenligningskolonne eller et sammenligningsområde, ikke begge.",
    ),
    ({"filters": {"Ydelsesgrupper": 1}}, "filters", "Filtre skal være par af kolonne og værdi."),
    ({"denominator_filters": ["Ydelsesgrupper"]}, "denominator_filters", "Filtre skal være par af kolonne og værdi."),
    ({"denominator_table": "Y08A02"}, "table", "Angiv tællerens tabel, når nævneren kommer fra en anden tabel."),
    ({"denominator_adds_numerator": True}, "denominator_adds_numerator", "Kræver en nævner."),
    (
        {"denominator_measure": COUNT_COLUMN},
        "denominator_measure",
        "En brøk giver en andel i procent, men indikatoren er et antal.",
    ),
]


@pytest.mark.parametrize(("fields", "field", "message"), CONTRADICTIONS, ids=[c[1] for c in CONTRADICTIONS])
def test_contradicting_fields_are_refused_on_the_field(fields, field, message):
    assert errors(**fields)[field] == [message]


def test_a_share_read_from_a_count_column_needs_a_denominator():
    assert errors(unit=Indicator.Unit.PERCENT)["denominator_measure"] == [
        f"Kolonnen '{COUNT_COLUMN}' ligner et antal, men indikatoren er en andel i procent: angiv en nævner."
    ]


@pytest.mark.parametrize("rule", [RuleKind.INCREASE, RuleKind.DECREASE])
def test_a_rule_on_last_year_takes_no_comparison(rule):
    message = (
        "Målreglen sammenligner med samme periode året før; en sammenligningsserie passer ikke til den. "
        "Lad feltet være tomt."
    )
    assert errors(rule=rule, comparison_measure="Forventet antal")["comparison_measure"] == [message]
    assert errors(rule=rule, comparison_area="Hele landet")["comparison_area"] == [message]


def test_a_rule_that_compares_needs_a_comparison():
    indicator_label = Indicator.objects.first().comparison_label or "et sammenligningstal"
    assert errors(rule=RuleKind.FOLLOW_COMPARISON)["comparison_area"] == [
        f"Målreglen sammenligner med '{indicator_label}': angiv en sammenligningskolonne eller et område."
    ]


def test_a_mapping_without_an_indicator_checks_its_own_fields_only():
    mapping = ExtractMapping(measure=COUNT_COLUMN, denominator_adds_numerator=True)
    with pytest.raises(ValidationError) as caught:
        mapping.clean()
    assert list(caught.value.message_dict) == ["denominator_adds_numerator"]
