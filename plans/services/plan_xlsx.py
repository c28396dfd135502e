"""A plan as an XLSX workbook: the template the portal generates, and the import of a filled-in one.

The sheet "Plan" has a row per indicator (a goal with two indicators has two rows that repeat the
goal's texts); "Ministermål" lists the minister goals; "Vejledning" explains the columns and lists
the allowed values. The template is filled with a plan's own content, so the next year's plan can be
written by editing last year's. The import checks every row and cell first and creates the plan (a
draft) only when all is in order; errors name row and column in Danish, as the data import's do.
A goal's "Forgænger" names its code in the plan before; its indicators then continue the
predecessor's series and mappings (plans.services.plan_copy).
"""

import io
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from plans.evaluation import RuleKind
from plans.imports import xlsx_guard
from plans.models import Goal, Indicator, MinisterGoal, Plan
from plans.services import status
from plans.services.plan_copy import copy_mappings, new_indicator
from portal import bounded
from portal.exports import xlsx_row

PLAN_SHEET, MINISTER_SHEET, GUIDE_SHEET = "Plan", "Ministermål", "Vejledning"
MAX_ROWS = 2000
MAX_COLUMNS = 40
MAX_ERRORS = 200
READ_SECONDS = 20  # the file is read inside a web request (gunicorn's timeout is 30 s)

# (column header, model, field): the headers are the file format, so they stay Danish in every language.
GOAL_COLUMNS = [
    ("Mål", Goal, "code"),
    ("Ministermål", Goal, "minister_goal"),
    ("Type", Goal, "kind"),
    ("Hvad følges der op på?", Goal, "title"),
    ("Hvad måles der på?", Goal, "metric"),
    ("Målet", Goal, "target_text"),
    ("Hvornår følges der op?", Goal, "follow_up_text"),
    ("Datakilde", Goal, "source"),
    ("Frekvens", Goal, "frequency"),
    ("Ansvarlig", Goal, "owner"),
    ("Forgænger", Goal, "predecessor"),
]
INDICATOR_COLUMNS = [
    ("Indikator nr.", Indicator, "position"),
    ("Indikator", Indicator, "name"),
    ("Enhed", Indicator, "unit"),
    ("Sammenligning", Indicator, "comparison_label"),
    ("Målregel", Indicator, "rule"),
    ("Grænseværdi", Indicator, "threshold"),
    ("Tolerance", Indicator, "tolerance"),
    ("Målår", Indicator, "target_year"),
    ("Basisår", Indicator, "baseline_year"),
    ("Basisværdi", Indicator, "baseline_value"),
    ("Skarp grænse", Indicator, "strict"),
    ("Højere er bedre", Indicator, "higher_is_better"),
    ("Risikomargin", Indicator, "risk_margin"),
    ("Gennemsnit over måneder", Indicator, "window_months"),
    ("Bemærkning til målreglen", Indicator, "rule_note"),
]
COLUMNS = GOAL_COLUMNS + INDICATOR_COLUMNS
HEADER = [c[0] for c in COLUMNS]
REQUIRED = {
    "Mål",
    "Type",
    "Hvad følges der op på?",
    "Hvad måles der på?",
    "Målet",
    "Hvornår følges der op?",
    "Datakilde",
    "Frekvens",
    "Indikator",
    "Enhed",
    "Målregel",
}
CHOICES = {
    "kind": Goal.Kind,
    "source": Goal.Source,
    "frequency": Goal.Frequency,
    "unit": Indicator.Unit,
    "rule": RuleKind,
}
DECIMALS = {"threshold", "tolerance", "baseline_value", "risk_margin"}
INTEGERS = {"position", "target_year", "baseline_year", "window_months", "minister_goal"}
BOOLEANS = {"strict": False, "higher_is_better": True}
COLUMN_OF = {name: header for header, _model, name in COLUMNS}
GUIDE = [
    "Sådan bruges skabelonen",
    "1. Arket Plan har én række pr. indikator. Har et mål to indikatorer, står målet på to rækker med samme tekster.",
    "2. Mål skrives som 6.10; Ministermål som nummeret på arket Ministermål (tomt for resultat- og fokusmål).",
    "3. Forgænger er målets nummer i sidste års plan. Så fortsætter målets tal og koblinger fra sidste år uden ny import.",
    "4. Type, Datakilde, Frekvens, Enhed og Målregel skal være en af værdierne nedenfor. Ja/nej-kolonner: ja eller nej.",
    "5. Tal skrives med decimalkomma (fx 36,5). Andele i procent (0-100).",
    "6. Upload filen under Planer. Den kontrolleres række for række, og planen oprettes kun, hvis alt er i orden.",
]


class PlanImportError(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages[:3]))
        self.messages = messages

    def __reduce__(self):  # raised in the child process that reads the file (portal.bounded)
        return PlanImportError, (self.messages,)


def _label(value) -> str:
    return str(value.label)


def build(plan: Plan | None) -> bytes:
    """The template, filled with `plan`'s minister goals, goals and indicators (empty without a plan)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = PLAN_SHEET
    sheet.append(xlsx_row(sheet, HEADER))
    ministers = workbook.create_sheet(MINISTER_SHEET)
    ministers.append(xlsx_row(ministers, ["Nummer", "Titel", "Beskrivelse"]))
    if plan is not None:
        for minister_goal in plan.minister_goals.all():
            ministers.append(
                xlsx_row(ministers, [minister_goal.number, minister_goal.title, minister_goal.description])
            )
        goals = plan.goals.select_related("minister_goal").prefetch_related("indicators").order_by("major", "minor")
        for goal in goals:
            for indicator in goal.indicators.all():
                sheet.append(
                    xlsx_row(
                        sheet,
                        [
                            goal.code,
                            goal.minister_goal.number if goal.minister_goal else None,
                            goal.get_kind_display(),
                            goal.title,
                            goal.metric,
                            goal.target_text,
                            goal.follow_up_text,
                            goal.get_source_display(),
                            goal.get_frequency_display(),
                            goal.owner,
                            goal.code,
                            indicator.position,
                            indicator.name,
                            indicator.get_unit_display(),
                            indicator.comparison_label,
                            indicator.get_rule_display(),
                            indicator.threshold,
                            indicator.tolerance,
                            indicator.target_year,
                            indicator.baseline_year,
                            indicator.baseline_value,
                            "ja" if indicator.strict else "nej",
                            "ja" if indicator.higher_is_better else "nej",
                            indicator.risk_margin,
                            indicator.window_months,
                            indicator.rule_note,
                        ],
                    )
                )
    guide = workbook.create_sheet(GUIDE_SHEET)
    for line in GUIDE:
        guide.append(xlsx_row(guide, [line]))
    guide.append([])
    guide.append(xlsx_row(guide, ["Kolonne", "Tilladte værdier"]))
    for header, _model, name in COLUMNS:
        if name in CHOICES:
            guide.append(xlsx_row(guide, [header, "; ".join(str(c.label) for c in CHOICES[name])]))
    for ws in (sheet, ministers, guide):
        for cell in ws[1 if ws is not guide else len(GUIDE) + 2]:
            cell.font = Font(bold=True)
    guide["A1"].font = Font(bold=True, size=13)
    for column, width in zip("ABCDEFGHIJKLM", (7, 12, 12, 40, 40, 40, 30, 18, 12, 22, 11, 11, 50)):
        sheet.column_dimensions[column].width = width
    ministers.column_dimensions["B"].width = 60
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 100
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _Errors:
    def __init__(self):
        self.messages: list[str] = []

    def cell(self, row: int, column: str, problem: str) -> None:
        self.add(
            _("Række %(row)s, kolonne '%(column)s': %(problem)s") % {"row": row, "column": column, "problem": problem}
        )

    def add(self, message: str) -> None:
        if len(self.messages) < MAX_ERRORS:
            self.messages.append(message)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()


def _decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace("\u2212", "-").replace(" ", "")
        if not re.fullmatch(r"[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?", text):
            raise ValueError
        number = Decimal(text.replace(".", "").replace(",", "."))
    if not number.is_finite() or abs(number) >= Decimal("1e9"):
        raise ValueError
    return number


def _choice(name: str, value: str):
    wanted = value.casefold()
    for choice in CHOICES[name]:
        if wanted in (str(choice.value).casefold(), str(choice.label).casefold()):
            return choice.value
    raise ValueError


def _whole_number(value) -> int:
    number = _decimal(value)
    if number != number.to_integral_value() or number < 0:
        raise ValueError
    return int(number)


def _yes_no(text: str) -> bool:
    if text.casefold() in ("ja", "j", "x", "true", "1"):
        return True
    if text.casefold() in ("nej", "n", "false", "0"):
        return False
    raise ValueError


def _goal_code(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,3})\.(\d{1,3})", text)
    if not match:
        raise ValueError
    return (int(match.group(1)), int(match.group(2)))


def _value(name: str, text: str, value):
    """The cell as the field `name` holds it; ValueError when it is not one."""
    if name in CHOICES:
        return _choice(name, text)
    if name in DECIMALS:
        return _decimal(value)
    if name in INTEGERS:
        return _whole_number(value)
    if name in BOOLEANS:
        return _yes_no(text)
    if name in ("code", "predecessor"):
        return _goal_code(text)
    return text


def _problem(name: str, text: str) -> str:
    """What is wrong with a cell that `_value` refused, in the words of its field's kind."""
    shown = text[:80]
    if name in CHOICES:
        allowed = "; ".join(str(c.label) for c in CHOICES[name])
        return _("'%(value)s' er ikke en af de tilladte værdier (%(allowed)s).") % {"value": shown, "allowed": allowed}
    if name in BOOLEANS:
        return _("'%(value)s' er hverken ja eller nej.") % {"value": shown}
    if name in ("code", "predecessor"):
        return _("'%(value)s' er ikke et målnummer som 6.10.") % {"value": shown}
    if name in INTEGERS:
        return _("'%(value)s' er ikke et helt tal.") % {"value": shown}
    return _("'%(value)s' er ikke et tal. Skriv fx 36,5 (komma før decimalerne).") % {"value": shown}


def _parse_cell(name: str, value, row: int, errors: _Errors):
    column = COLUMN_OF[name]
    text = _text(value)
    if text == "":
        if column in REQUIRED:
            errors.cell(row, column, _("skal udfyldes."))
        return BOOLEANS.get(name)
    try:
        return _value(name, text, value)
    except ValueError:
        errors.cell(row, column, _problem(name, text))
        return None


def _read(raw: bytes) -> tuple[list[tuple], list[tuple]]:
    """The rows of the sheets Plan and Ministermål, read under the data import's limits: the same check
    of what the file holds (plans.imports.xlsx_guard), in a child process with the same memory limit
    and a time limit within a web request's."""
    try:
        return bounded.run(_rows, raw, memory_mb=settings.IMPORT_MAX_MEMORY_MB, seconds=READ_SECONDS)
    except bounded.OutOfMemory:
        message = _("Filen kræver mere hukommelse end importen må bruge (%(mb)s MB). Brug skabelonen fra portalen.")
        raise PlanImportError([message % {"mb": settings.IMPORT_MAX_MEMORY_MB}]) from None
    except bounded.TimedOut:
        message = _("Filen kunne ikke læses på %(seconds)s sekunder. Brug skabelonen fra portalen.")
        raise PlanImportError([message % {"seconds": READ_SECONDS}]) from None


def _rows(raw: bytes) -> tuple[list[tuple], list[tuple]]:
    """In the child process: the rows of the two sheets (each with its row number), bounded whatever the file says."""
    broken = _("Filen kan ikke åbnes som et Excel-regneark (XLSX).")
    try:
        xlsx_guard.check(raw)
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except xlsx_guard.Broken:
        raise PlanImportError([broken]) from None
    except xlsx_guard.Refused as error:
        raise PlanImportError([str(error)]) from None
    except MemoryError:  # the child's limit: plan_xlsx._read says so
        raise
    except Exception:  # openpyxl raises many kinds for a broken file
        raise PlanImportError([broken]) from None
    if PLAN_SHEET not in workbook.sheetnames:
        raise PlanImportError(
            [
                _("Regnearket har intet ark med navnet '%(sheet)s'. Brug skabelonen fra portalen.")
                % {"sheet": PLAN_SHEET}
            ]
        )

    def rows_of(name):
        sheet = workbook[name]
        sheet.reset_dimensions()
        rows = []
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            if number > MAX_ROWS + 1:
                raise PlanImportError(
                    [
                        _("Arket '%(sheet)s' har mere end %(max)s rækker; en plan har langt færre.")
                        % {"sheet": name, "max": MAX_ROWS}
                    ]
                )
            if any(_text(v) for v in row):
                rows.append((number, row))
        return rows

    plan_rows = rows_of(PLAN_SHEET)
    minister_rows = rows_of(MINISTER_SHEET) if MINISTER_SHEET in workbook.sheetnames else []
    workbook.close()
    return plan_rows, minister_rows


def _header(rows: list[tuple], wanted: list[str], sheet: str, required: set[str]) -> dict[str, int]:
    if not rows:
        raise PlanImportError([_("Arket '%(sheet)s' er tomt.") % {"sheet": sheet}])
    cells = [_text(c) for c in rows[0][1]]
    positions = {name: cells.index(name) for name in wanted if name in cells}
    missing = [name for name in wanted if name in required and name not in positions]
    if missing:
        raise PlanImportError(
            [
                _("Arket '%(sheet)s' mangler kolonnen '%(column)s'.") % {"sheet": sheet, "column": name}
                for name in missing
            ]
        )
    return positions


def _minister_goals(rows: list[tuple], errors: _Errors) -> dict[int, dict]:
    if not rows:
        return {}
    positions = _header(rows, ["Nummer", "Titel", "Beskrivelse"], MINISTER_SHEET, {"Nummer", "Titel"})
    found = {}
    for number, row in rows[1:]:

        def get(name, row=row):
            return row[positions[name]] if name in positions and positions[name] < len(row) else None

        where = _("Ministermål, række %(row)s") % {"row": number}
        try:
            goal_number = _decimal(get("Nummer"))
            if goal_number != goal_number.to_integral_value() or not 0 < goal_number < 100:
                raise ValueError
        except (ValueError, InvalidOperation, TypeError):
            errors.add(
                _("%(where)s, kolonne 'Nummer': '%(value)s' er ikke et nummer.")
                % {"where": where, "value": _text(get("Nummer"))[:40]}
            )
            continue
        title = _text(get("Titel"))
        if not title:
            errors.add(_("%(where)s, kolonne 'Titel': skal udfyldes.") % {"where": where})
        elif len(title) > 200:
            errors.add(_("%(where)s, kolonne 'Titel': højst 200 tegn.") % {"where": where})
        if int(goal_number) in found:
            errors.add(
                _("%(where)s: ministermål %(number)s står flere gange.") % {"where": where, "number": int(goal_number)}
            )
        found[int(goal_number)] = {"title": title[:200], "description": _text(get("Beskrivelse"))}
    return found


def _model_errors(instance, row: int, exclude: list[str], errors: _Errors) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            column = COLUMN_OF.get(name)
            for message in messages:
                if column:
                    errors.cell(row, column, message)
                else:
                    errors.add(_("Række %(row)s: %(problem)s") % {"row": row, "problem": message})


def parse(raw: bytes, year: int) -> dict:
    """The plan in the file, every cell checked; PlanImportError lists what is wrong (nothing is written)."""
    errors = _Errors()
    plan_rows, minister_rows = _read(raw)
    positions = _header(plan_rows, HEADER, PLAN_SHEET, REQUIRED)
    ministers = _minister_goals(minister_rows, errors)
    previous, earlier_goals = _plan_before(year)
    goals: dict[tuple, dict] = {}
    for number, row in plan_rows[1:]:
        goal_values, indicator_values = _row_values(row, positions, number, errors)
        if goal_values["code"] is None:
            continue
        _check_references(number, goal_values, ministers, earlier_goals, previous, errors)
        entry = goals.setdefault(goal_values["code"], {"row": number, "values": goal_values, "indicators": []})
        if entry["row"] != number:
            _check_repeated_goal(number, entry, goal_values, errors)
        _add_indicator(number, entry, indicator_values, errors)
    if not goals and not errors.messages:
        errors.add(_("Arket '%(sheet)s' har ingen mål.") % {"sheet": PLAN_SHEET})
    _check_models(goals, errors)
    if errors.messages:
        raise PlanImportError(errors.messages)
    return {"ministers": ministers, "goals": goals, "earlier_goals": earlier_goals}


def _plan_before(year: int) -> tuple[Plan | None, dict[tuple, Goal]]:
    """The plan before `year` and its goals by code: the goals a row's "Forgænger" may name."""
    previous = Plan.objects.filter(year__lt=year).order_by("-year").first()
    if previous is None:
        return None, {}
    return previous, {(g.major, g.minor): g for g in Goal.objects.filter(plan=previous).prefetch_related("indicators")}


def _row_values(row: tuple, positions: dict[str, int], number: int, errors: _Errors) -> tuple[dict, dict]:
    """The row's goal fields and indicator fields, every cell parsed (what is wrong goes to `errors`)."""

    def cell(header):
        return row[positions[header]] if header in positions and positions[header] < len(row) else None

    values = {name: _parse_cell(name, cell(header), number, errors) for header, _model, name in COLUMNS}
    goal_values = {name: values[name] for _h, model, name in COLUMNS if model is Goal}
    indicator_values = {name: values[name] for _h, model, name in COLUMNS if model is Indicator}
    return goal_values, indicator_values


def _code_text(code: tuple[int, int]) -> str:
    return "{}.{}".format(*code)


def _check_references(number: int, goal_values: dict, ministers: dict, earlier_goals: dict, previous, errors) -> None:
    """The row's minister goal is on the sheet Ministermål, and its predecessor is a goal of the plan before."""
    minister_goal, predecessor = goal_values["minister_goal"], goal_values["predecessor"]
    if minister_goal is not None and minister_goal not in ministers:
        errors.cell(
            number,
            "Ministermål",
            _("ministermål %(number)s står ikke på arket Ministermål.") % {"number": minister_goal},
        )
    if predecessor is not None and predecessor not in earlier_goals:
        errors.cell(
            number,
            "Forgænger",
            _("mål %(code)s findes ikke i %(plan)s.")
            % {"code": _code_text(predecessor), "plan": previous.title if previous else _("en tidligere plan")},
        )


def _check_repeated_goal(number: int, entry: dict, goal_values: dict, errors: _Errors) -> None:
    """A goal's second row (its next indicator) repeats the goal's texts; a filled cell must say the same."""
    for name, value in goal_values.items():
        if value != entry["values"][name] and value not in (None, ""):
            errors.cell(
                number,
                COLUMN_OF[name],
                _("mål %(code)s står med en anden værdi her end i række %(first)s.")
                % {"code": _code_text(goal_values["code"]), "first": entry["row"]},
            )


def _add_indicator(number: int, entry: dict, indicator_values: dict, errors: _Errors) -> None:
    """The row's indicator joins its goal, numbered after the goal's others when its number is empty."""
    position = indicator_values["position"] or len(entry["indicators"]) + 1
    if any(i["values"]["position"] == position for i in entry["indicators"]):
        errors.cell(
            number,
            "Indikator nr.",
            _("mål %(code)s har allerede en indikator nr. %(position)s.")
            % {"code": _code_text(entry["values"]["code"]), "position": position},
        )
    indicator_values["position"] = position
    entry["indicators"].append({"row": number, "values": indicator_values})


def _indicator_fields(values: dict) -> dict:
    """The indicator's fields as the model takes them: the optional texts empty, the risk margin 0."""
    fields = dict(values)
    fields["risk_margin"] = fields["risk_margin"] if fields["risk_margin"] is not None else Decimal(0)
    for name in ("comparison_label", "rule_note", "name"):
        fields[name] = fields[name] or ""
    return fields


def _check_models(goals: dict[tuple, dict], errors: _Errors) -> None:
    """The models' own checks: lengths, and each target rule's required values (Indicator.clean)."""
    for code, entry in goals.items():
        values = {k: v for k, v in entry["values"].items() if k not in ("code", "minister_goal", "predecessor")}
        goal = Goal(major=code[0], minor=code[1], **{k: v if v is not None else "" for k, v in values.items()})
        _model_errors(goal, entry["row"], ["plan", "minister_goal", "predecessor"], errors)
        for item in entry["indicators"]:
            item["values"] = fields = _indicator_fields(item["values"])
            if fields["unit"] and fields["rule"]:
                _model_errors(Indicator(goal=goal, **fields), item["row"], ["goal", "predecessor", "status"], errors)


@transaction.atomic
def import_plan(raw: bytes, year: int, title: str) -> Plan:
    """A draft plan for `year` from a filled-in template: all or nothing."""
    if Plan.objects.filter(year=year).exists():
        raise PlanImportError([_("Der findes allerede en plan for %(year)s.") % {"year": year}])
    data = parse(raw, year)
    plan = Plan.objects.create(year=year, title=title)
    ministers = {
        number: MinisterGoal.objects.create(plan=plan, number=number, **values)
        for number, values in sorted(data["ministers"].items())
    }
    pairs, created = [], []
    for code, entry in sorted(data["goals"].items()):
        values = entry["values"]
        earlier = data["earlier_goals"].get(values["predecessor"]) if values["predecessor"] else None
        goal = Goal.objects.create(
            plan=plan,
            major=code[0],
            minor=code[1],
            predecessor=earlier,
            minister_goal=ministers.get(values["minister_goal"]) if values["minister_goal"] else None,
            **{
                k: v if v is not None else ""
                for k, v in values.items()
                if k not in ("code", "minister_goal", "predecessor")
            },
        )
        earlier_indicators = {i.position: i for i in earlier.indicators.all()} if earlier else {}
        for item in entry["indicators"]:
            source = earlier_indicators.get(item["values"]["position"])
            # A successor keeps what the sheet has no column for (the local instruction); the sheet's values win.
            indicator = new_indicator(goal, source, **item["values"])
            if source is not None:
                pairs.append((source, indicator))
            indicator.save()
            created.append(indicator.id)
    copy_mappings(pairs)
    status.refresh(created)
    return plan
