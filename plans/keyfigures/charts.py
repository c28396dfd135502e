"""The key figures page's charts (plotly specs through portal.charts; each has a table beside it)."""

from django.utils.translation import gettext as _

from portal.charts import COUNT, PERCENT, SERIES, figure, floats, thinned


def _line(x: list[str], values: list, name: str, colour: str, **style) -> dict:
    return {
        "type": "scatter",
        "x": x,
        "y": floats(values),
        "name": name,
        "mode": "lines+markers",
        "line": {"color": colour, "width": 3, **style},
        "marker": {"size": 5},
    }


def share_figure(data) -> dict:
    """The share of the labour force on public support: the portal's area, the group and the country."""
    rows = [data.shares[i] for i in thinned(len(data.shares))]
    x = [row.period.short_label for row in rows]
    traces = [_line(x, [r.mine for r in rows], data.area, SERIES[0])]
    if data.group is not None and any(r.group is not None for r in rows):
        traces.append(_line(x, [r.group for r in rows], data.group.name, SERIES[1], dash="dot"))
    if any(r.national is not None for r in rows):
        traces.append(_line(x, [r.national for r in rows], _("Hele landet"), SERIES[2], dash="dash"))
    return figure(traces, PERCENT, filename="noegletal-offentlig-forsoergelse")


def unemployment_figure(data) -> dict:
    """The portal's area's share of the country's a-dagpenge recipients and of its population 16-66."""
    rows = [data.unemployment[i] for i in thinned(len(data.unemployment))]
    x = [row.period.short_label for row in rows]
    traces = [
        _line(x, [r.unemployment_share for r in rows], _("Andel af landets fuldtidspersoner på a-dagpenge"), SERIES[0]),
        _line(x, [r.population_share for r in rows], _("Andel af landets befolkning 16-66 år"), SERIES[1], dash="dash"),
    ]
    return figure(traces, PERCENT, filename="noegletal-a-dagpenge")


def _wrapped(label: str, width: int = 18) -> str:
    """A long category label on lines of about `width` characters (plotly breaks a label at <br> only)."""
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def local_figure(year) -> dict:
    """The newest year's local figures side by side, as the committee introduction sets them."""
    kinds = [kind for kind in year.kinds if kind.value is not None]
    traces = [
        {
            "type": "bar",
            "x": [_wrapped(str(kind.label)) for kind in kinds],
            "y": [kind.value for kind in kinds],
            "name": str(year.year),
            "marker": {"color": SERIES[0]},
        }
    ]
    return figure(traces, COUNT, filename=f"noegletal-borgere-{year.year}", showlegend=False)
