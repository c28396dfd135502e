"""Every page each role reaches fits the screen, on a phone (390 px) and a laptop (1366 px).

The pages are the URL conf's, as the permission matrix lists them (tests/portal/test_permissions.py): a
new page there is visited here too, by every role that may open it. Each page is also checked as
every journey's pages are (axe-core, no console errors), its charts must be drawn, and a
screenshot of it goes to test-artifacts/screenshots/<width>-<role>-<page>.png.
"""

from datetime import date
from decimal import Decimal

import pytest

from plans.models import Indicator
from plans.services import status
from tests.browser.conftest import Visit
from tests.plans.test_views import add
from tests.portal.test_permissions import (  # noqa: F401 (objects is a fixture)
    DATA_OWNER_GET,
    LEVEL,
    MATRIX,
    RANK,
    _url,
    objects,
)

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = {390: 844, 1366: 900}
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
    too_wide, visited = [], []
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
            visit.screenshot(f"{width}-{role}-{name.replace(':', '_').replace(' ', '_')}")
            visited.append((width, name))
        context.close()
    assert too_wide == [], too_wide
    names = {name for _, name in visited}
    if role == "data_owner":
        assert {"collection:mine", "collection:figures", "plans:goal_detail"} <= names
    else:
        assert {"start", "plans:goal_list", "plans:goal_detail", "plans:report"} <= names
    assert len(visited) == 2 * len(names)  # every page at both widths
