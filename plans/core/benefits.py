"""The benefit groups of the budget follow-up and the Jobindsats tables that count their full-time persons.

Each benefit has a table "Antal personer og fuldtidspersoner" (Y..A02; PTVA02 for all benefits together)
with the same four measures. Which table counts which benefit is confirmed by a municipality's published
documentation of the jobindsats.dk tables it loads in production (docs/data-sources.md); the labels of
the measures by the same documentation and by STAR's API example for Y01A02 (../shared/formats). That a
dimension's total row is named "... i alt" is inferred from Y30R21 ("Ydelsesgrupper i alt") and told to
administrators on the data catalogue.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

PERSONS = "Antal personer"
FULL_TIME_PERSONS = "Antal fuldtidspersoner"
SHARE_OF_LABOUR_FORCE = "Fuldtidspersoner i pct. af arbejdsstyrken 16-66 år"
SHARE_OF_POPULATION = "Fuldtidspersoner i pct. af befolkningen 16-66 år"
# BenefitFigure's field for each measure column; a file must hold the full-time persons, the others may be absent.
MEASURE_FIELDS = {
    PERSONS: "persons",
    FULL_TIME_PERSONS: "full_time_persons",
    SHARE_OF_LABOUR_FORCE: "share_of_labour_force",
    SHARE_OF_POPULATION: "share_of_population",
}
REQUIRED_MEASURE = FULL_TIME_PERSONS
TOTAL_MARK = "i alt"  # a dimension's total row: "Køn i alt", "Ydelsesgrupper i alt" (inferred, see above)


# Uddannelseshjælp was merged into the new kontanthjælp on 1 July 2025 (kontanthjælpsreformen); Jobindsats
# counts the new benefit in table Y60A02 (inferred: seen in public code, docs/data-sources.md).
KONTANTHJAELP_REFORM = date(2025, 7, 1)
INFERRED_TABLES = frozenset({"Y60A02"})  # the others are confirmed by the documentation named above


@dataclass(frozen=True)
class BudgetGroup:
    key: str
    label: str  # lazy, in the reader's language
    tables: tuple[str, ...]  # their full-time persons are added up
    # (first day, tables) where the group's tables change over time, oldest first; empty: `tables` always.
    eras: tuple[tuple[date, tuple[str, ...]], ...] = ()

    @property
    def all_tables(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.tables, *(t for _start, tables in self.eras for t in tables)]))

    def tables_on(self, day: date) -> tuple[str, ...]:
        """The tables whose full-time persons, added up, are the group's for the month that starts on `day`."""
        current = self.tables
        for start, tables in self.eras:
            if day >= start:
                current = tables
        return current


# The groups of the budget and of the minister's benchmark, in the order the committee's budget lists them.
BUDGET_GROUPS = (
    BudgetGroup("a_dagpenge", _("A-dagpenge"), ("Y01A02",)),
    BudgetGroup("sygedagpenge", _("Sygedagpenge"), ("Y07A02",)),
    BudgetGroup(
        "kontanthjaelp",
        _("Kontanthjælp og uddannelseshjælp"),
        ("Y36A02", "Y38A02"),
        eras=((KONTANTHJAELP_REFORM, ("Y60A02",)),),
    ),
    BudgetGroup("jobafklaring", _("Jobafklaringsforløb"), ("Y12A02",)),
    BudgetGroup("ressourceforloeb", _("Ressourceforløb"), ("Y11A02",)),
    BudgetGroup("ledighedsydelse", _("Ledighedsydelse"), ("Y09A02",)),
    BudgetGroup("fleksjob", _("Fleksjob"), ("Y08A02",)),
    BudgetGroup("foertidspension", _("Førtidspension"), ("Y10A02",)),
)
BUDGET_GROUP_CHOICES = [(group.key, group.label) for group in BUDGET_GROUPS]
BUDGET_TABLES = tuple(dict.fromkeys(table for group in BUDGET_GROUPS for table in group.all_tables))
ALL_BENEFITS_TABLE = "PTVA02"  # all benefits together: the key figures' share of the labour force
UNEMPLOYMENT_TABLE = "Y01A02"  # a-dagpenge: the key figures' share of the country's unemployed
# Every table whose full-time persons the portal keeps, with what jobindsats.dk calls its subject: Danish as
# written here (the import's messages), marked for translation (the data catalogue names a table so).
TABLE_SUBJECTS = {
    "Y01A02": gettext_noop("A-dagpenge"),
    "Y07A02": gettext_noop("Sygedagpenge"),
    "Y36A02": gettext_noop("Kontanthjælp"),
    "Y38A02": gettext_noop("Uddannelseshjælp"),
    "Y60A02": gettext_noop("Kontanthjælp (fra 1. juli 2025, med uddannelseshjælp)"),
    "Y12A02": gettext_noop("Jobafklaringsforløb"),
    "Y11A02": gettext_noop("Ressourceforløb"),
    "Y09A02": gettext_noop("Ledighedsydelse"),
    "Y08A02": gettext_noop("Fleksjob"),
    "Y10A02": gettext_noop("Førtidspension"),
    ALL_BENEFITS_TABLE: gettext_noop("Offentligt forsørgede (alle ydelser under ét)"),
}
FULL_TIME_TABLES = tuple(TABLE_SUBJECTS)


def budget_group(key: str) -> BudgetGroup:
    return next(group for group in BUDGET_GROUPS if group.key == key)
