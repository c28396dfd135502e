"""The budget follow-up in Chromium: a member opens the årshjul, follows its June budget follow-up, reads each
group's chart and table on a phone and a laptop (nothing cut off, no serious axe finding), and downloads the
PDF for the agenda."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from plans.core.benefits import BUDGET_GROUPS
from portal.roles import Role
from tests.browser.test_widths import CUT_BOXES
from tests.conftest import PASSWORD
from tests.support.budget_data import add_budgets, fill_figures

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = {390: 844, 1366: 900}


def test_member_follows_the_june_budget_follow_up_from_the_wheel(reference_data, visit):
    pypdf = pytest.importorskip("pypdf")
    year = timezone.localdate().year
    fill_figures(year, 5)
    add_budgets(year)
    user = User.objects.create_user("medlem", password=PASSWORD, first_name="Medlem")
    user.groups.add(Group.objects.get(name=Role.MEMBER.group_name))
    visit.login("medlem")

    # 1. The nav leads to the page; the årshjul to the June follow-up.
    assert visit.page.locator("nav").get_by_role("link", name="Budget", exact=True).count() == 1
    visit.goto(f"/maal/aarshjul/?aar={year}")
    visit.page.get_by_role("link", name="Budgetopfølgning juni").click()
    visit.check()
    assert visit.page.get_by_role("heading", level=1, name=f"Budgetopfølgning juni {year}").is_visible()
    assert "opfoelgning=juni" in visit.page.url

    # 2. Every group's chart and table, on a phone and a laptop, nothing cut off.
    for width, height in WIDTHS.items():
        visit.page.set_viewport_size({"width": width, "height": height})
        visit.page.reload()
        visit.check()
        visit.page.wait_for_function(
            "[...document.querySelectorAll('[data-plotly-figure]')].every(e => e.dataset.drawn === 'true')",
            timeout=10_000,
        )
        assert visit.page.locator("[data-plotly-figure]").count() == len(BUDGET_GROUPS)
        for group in BUDGET_GROUPS:
            section = visit.page.locator(f"section#gruppe-{group.key}, section[aria-labelledby='gruppe-{group.key}']")
            assert section.get_by_role("heading", level=2, name=str(group.label)).is_visible()
            section.locator("table caption").scroll_into_view_if_needed()
            assert section.locator("table caption").is_visible()
            assert section.locator("tbody tr").count() == 12
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= width
        assert visit.page.evaluate(CUT_BOXES) == [], width
        visit.screenshot(f"budget-juni-{width}")

    # 3. The PDF for the agenda.
    with visit.page.expect_download() as download:
        visit.page.get_by_role("link", name="PDF til dagsordenen").click()
    content = open(download.value.path(), "rb").read()
    assert content.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert f"Budgetopfølgning juni {year}" in text and "Førtidspension" in text
