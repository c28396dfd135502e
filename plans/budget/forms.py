"""The administrators' budget form: one row per benefit group; an empty row means no budget."""

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.core.benefits import BUDGET_GROUPS, BudgetGroup
from plans.models import BenefitBudget
from portal.forms import BoundedTextMixin, LocalDecimalField


class BudgetRowForm(BoundedTextMixin, forms.Form):
    """One group's budget. Empty: no budget for the group (an existing one is removed)."""

    full_time_persons = LocalDecimalField(
        label=_("Budgetterede fuldtidspersoner"),
        required=False,
        max_digits=8,
        decimal_places=1,
        min_value=0.1,
        error_messages={
            "min_value": _("Antallet af fuldtidspersoner skal være mindst 0,1."),
            "max_decimal_places": _("Skriv antallet med højst én decimal."),
            "max_digits": _("Antallet er for stort."),
            "max_whole_digits": _("Antallet er for stort."),
        },
    )
    amount = LocalDecimalField(
        label=_("Budget i kr. (valgfrit)"),
        required=False,
        max_digits=13,
        decimal_places=0,
        min_value=0,
        error_messages={
            "min_value": _("Beløbet kan ikke være negativt."),
            "max_decimal_places": _("Skriv beløbet i hele kroner."),
            "max_digits": _("Beløbet er for stort."),
            "max_whole_digits": _("Beløbet er for stort."),
        },
    )
    note = forms.CharField(label=_("Bemærkning"), required=False, max_length=500)

    def __init__(self, *args, group: BudgetGroup, **kwargs):
        super().__init__(*args, prefix=group.key, **kwargs)
        self.group = group

    def clean(self):
        data = super().clean()
        persons = data.get("full_time_persons")
        if (
            persons is None
            and "full_time_persons" not in self.errors
            and (data.get("amount") is not None or data.get("note"))
        ):
            self.add_error(
                "full_time_persons",
                _("Skriv de budgetterede fuldtidspersoner, eller tøm hele rækken for at fjerne budgettet."),
            )
        return data

    @property
    def values(self) -> dict | None:
        """The row's budget, or None for an empty row."""
        data = self.cleaned_data
        if data.get("full_time_persons") is None:
            return None
        return {
            "full_time_persons": data["full_time_persons"],
            "amount": data.get("amount"),
            "note": data.get("note", ""),
        }


def budget_forms(year_budgets: dict[str, BenefitBudget], data=None) -> list[BudgetRowForm]:
    """One form per group, in the budget's order, filled with the year's budgets."""
    rows = []
    for group in BUDGET_GROUPS:
        budget = year_budgets.get(group.key)
        initial = (
            {"full_time_persons": budget.full_time_persons, "amount": budget.amount, "note": budget.note}
            if budget
            else {}
        )
        rows.append(BudgetRowForm(data, group=group, initial=initial))
    return rows
