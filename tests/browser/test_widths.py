"""Every page each role reaches fits the screen, on a phone (390 px) and a laptop (1366 px).

The pages are the URL conf's, as the permission matrix lists them (tests/portal/test_permissions.py): a
new page there is visited here too, by every role that may open it. Each page is also checked as
every journey's pages are (axe-core, no console errors), its charts must be drawn, and a
screenshot of it goes to test-artifacts/screenshots/<width>-<role>-<page>.png.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from plans.models import Indicator
from plans.services import status
from tests.browser.conftest import Visit
from tests.plans.test_keyfigures import keyfigure_data
from tests.plans.test_views import add
from tests.portal.test_permissions import (  # noqa: F401 (objects is a fixture)
    DATA_OWNER_GET,
    LEVEL,
    MATRIX,
    RANK,
    _url,
    objects,
)
from tests.support.budget_data import add_budgets
from tests.support.budget_data import fill_figures as fill_budget_figures

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = {390: 844, 1366: 900}
# Every box that scrolls (or clips) sideways and holds more than it shows: the page-width check above
# cannot see content cut inside such a box. A 1 px wide box is a visually hidden text, not a scroll box.
CUT_BOXES = """() => [...document.querySelectorAll('body *')].filter(e => {
  const overflow = getComputedStyle(e).overflowX;
  return ['auto', 'scroll', 'hidden'].includes(overflow) && e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1;
}).map(e => {
  const table = e.matches('table') ? e : e.querySelector('table');
  const caption = table && (table.caption || e.closest('section, div')?.querySelector('h2, h3'));
  return {
    box: e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/ +/g, '.') : ''),
    table: table ? (caption ? caption.textContent.trim().replace(/\\s+/g, ' ').slice(0, 80) : '(table)') : null,
    widths: [e.scrollWidth, e.clientWidth],
  };
})"""
# A word of a table broken over two lines ("Forvaltninge/ns"): each run of letters between spaces, hyphens
# and slashes must lie on one line. (This Chromium has no hyphenation dictionaries, so a break is a cut.)
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT,
    {acceptNode: n => n.parentElement.closest('td, th') && n.parentElement.closest('table') ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT});
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    // A phone's stacked table hides its head, or in a sortable table the names that are no sort links.
    const hidden = node.parentElement.closest('.visually-hidden, thead, th');
    if (hidden && hidden.getBoundingClientRect().width <= 1) continue;
    for (const m of node.data.matchAll(/[^\\s\\-\u2013\\/]+/g)) {
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""
# A cell on a phone holds all it shows: a label placed outside the flow (position: absolute) ran into the
# next goal's heading in the report.
SPILLING_CELLS = """() => [...document.querySelectorAll('main .stack-table td')].filter(
  td => td.offsetParent && td.scrollHeight > td.clientHeight + 1).map(td => (td.dataset.label || '') + ': ' + td.textContent.trim().slice(0, 40))"""
ROLES = ["data_owner", "member", "caseworker", "administrator"]
# Pages beyond the matrix' one example per URL: the goal with the longest period labels and a target
# equal to its comparison (1.1), and the report of a half-year with figures.
EXTRA = {
    "plans:goal_detail 1.1": ("/maal/2024/1.1/", "member"),
    "plans:report 2024H2": ("/maal/rapport/?halvaar=2024H2", "member"),
}


def _figures():
    """Charts on the goal pages visited: 1.1 (moving annual totals, target = expected) and 6.10 (months)."""
    expected = Indicator.objects.get(goal__major=1, goal__minor=1)
    for i, code in enumerate(["2022QMAT02", "2022QMAT04", "2023QMAT02", "2023QMAT04", "2024QMAT02", "2024QMAT04"]):
        add(expected, code, 2100 + 40 * i, comparison=2120 + 30 * i)
    hours = Indicator.objects.get(goal__major=6, goal__minor=10)
    for month in range(24):
        add(hours, f"{2023 + month // 12}M{month % 12 + 1:02d}", Decimal("8.5") + Decimal(month) / 10)
    status.refresh(today=date(2025, 2, 15))
    keyfigure_data(24, national=False)  # the key figures page with two years of months, the country computed
    this_year = timezone.localdate().year  # the budget follow-up: three years of months and a budget per group
    fill_budget_figures(this_year, 5)
    add_budgets(this_year)


def pages_for(role, found):
    """(name, path) of every page the role may open with GET, from the matrix, plus the extra ones."""
    if role == "data_owner":  # outside the order of roles: the matrix lists the data owner's own pages
        return [(name, _url(name, found)) for name, answer in sorted(DATA_OWNER_GET.items()) if answer == 200]
    pages = [
        (name, _url(name, found))
        for name, (_, lowest, _) in sorted(MATRIX.items())
        if lowest != "post-only" and RANK[role] >= LEVEL[lowest]
    ]
    return pages + [(name, path) for name, (path, lowest) in EXTRA.items() if RANK[role] >= LEVEL[lowest]]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_the_screen_at_both_widths(request, reference_data, role, browser, live_server):
    user = request.getfixturevalue(role)
    found = request.getfixturevalue("objects")
    _figures()
    pages = pages_for(role, found)
    too_wide, cut, broken, spilling, visited = [], [], [], [], []
    for width, height in WIDTHS.items():
        context = browser.new_context(locale="da-DK", viewport={"width": width, "height": height})
        visit = Visit(context.new_page(), live_server.url)
        visit.login(user.username)
        for name, path in pages:
            # Downloads and data (CSV, XLSX, PDF, JSON) are no pages: ask first, without a browser tab.
            kind = visit.page.request.get(live_server.url + path).headers.get("content-type", "")
            if not kind.startswith("text/html"):
                continue
            visit.goto(path)
            visit.page.wait_for_function(
                "[...document.querySelectorAll('[data-plotly-figure]')].every(e => e.dataset.drawn === 'true')",
                timeout=10_000,
            )
            scroll_width, inner_width = visit.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll_width > inner_width:
                too_wide.append(f"{path} at {width} px: {scroll_width} px wide")
            for box in visit.page.evaluate(CUT_BOXES):
                cut.append(
                    f"{path} at {width} px: {box['box']} [{box['table']}] {box['widths'][0]} in {box['widths'][1]} px"
                )
            broken += [f"{path} at {width} px: {word}" for word in visit.page.evaluate(BROKEN_WORDS)]
            spilling += [f"{path} at {width} px: {cell}" for cell in visit.page.evaluate(SPILLING_CELLS)]
            visit.screenshot(f"{width}-{role}-{name.replace(':', '_').replace(' ', '_')}")
            visited.append((width, name))
        context.close()
    assert too_wide == [], too_wide
    assert cut == [], "\n".join(cut)
    assert broken == [], broken
    assert spilling == [], spilling
    names = {name for _, name in visited}
    if role == "data_owner":
        assert {"collection:mine", "collection:figures", "plans:goal_detail"} <= names
    else:
        assert {"start", "plans:goal_list", "plans:goal_detail", "plans:report"} <= names
    assert len(visited) == 2 * len(names)  # every page at both widths
