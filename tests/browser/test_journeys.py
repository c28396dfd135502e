"""The three users' journeys, in Chromium."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from events.models import Fair, FairSeries
from plans.models import Indicator, Observation
from plans.services import status
from portal.periods import parse_period
from portal.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
PREFIX = "Forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse: "


def person(username, role):
    user = User.objects.create_user(username, password=PASSWORD, first_name=username.title())
    user.groups.add(Group.objects.get(name=role.group_name))
    return user


def test_committee_member_reads_goals_chart_and_report(reference_data, visit):
    person("medlem", Role.MEMBER)
    indicator = Indicator.objects.get(goal__major=1, goal__minor=2)
    half = date.today().year - 1
    for code, value in ((f"{half}H1", "78.5"), (f"{half}H2", "81.2")):
        p = parse_period(code)
        Observation.objects.create(
            indicator=indicator,
            area="Norddjurs",
            period_code=p.code,
            period_start=p.start,
            period_end=p.end,
            value=Decimal(value),
        )
    status.refresh()

    visit.login("medlem")
    visit.page.get_by_role("link", name="Mål", exact=True).first.click()
    visit.check()
    assert visit.page.get_by_role("heading", name="Beskæftigelsesplan 2024").is_visible()
    visit.page.get_by_role("link", name="1.2 Fokusmål samtaler").click()
    visit.check()
    # The chart is drawn: plotly's SVG with one point per period, and the table beside it.
    points = visit.page.locator(".plotly-chart svg .scatterlayer .trace").first.locator(".point")
    assert points.count() == 2
    assert visit.page.locator("table caption", has_text="1.2 Andel borgere").is_visible()
    assert visit.page.get_by_role("cell", name="81,2").is_visible()
    visit.goto(f"/maal/rapport/?halvaar={half}H2")
    assert visit.page.get_by_role("heading", name=f"Halvårlig målopfølgning: 2. halvår {half}").is_visible()
    visit.screenshot("1-udvalgsmedlem-rapport")


def test_caseworker_fills_a_fair_and_checks_a_citizen_in(reference_data, visit):
    person("sagsbehandler", Role.CASEWORKER)
    fair = Fair.objects.create(
        series=FairSeries.objects.get(), venue="Grenaa Bibliotek", date=timezone.localdate(), capacity=2
    )

    visit.login("sagsbehandler")
    visit.page.get_by_role("link", name="Arrangementer").first.click()
    visit.check()
    visit.page.get_by_role("link", name="Grenaa Bibliotek").last.click()
    visit.check()
    visit.page.get_by_role("link", name="Tilmeldinger", exact=True).click()
    visit.check()
    seats = visit.page.locator("#pladser")
    assert "0 af 2 pladser taget" in seats.inner_text()
    for name in ("Anna Hansen", "Bo Jensen", "Carl Nielsen"):
        visit.page.get_by_label("Navn").fill(name)
        visit.page.get_by_label("Ledighedsydelse").check()
        visit.page.get_by_label("Behov for transport").check()
        visit.page.get_by_role("button", name="Tilmeld", exact=True).click()
        visit.check()
        if name == "Anna Hansen":
            assert "1 af 2 pladser taget" in seats.inner_text()
    assert "Carl Nielsen er sat på venteliste" in visit.page.locator(".messages").inner_text()
    assert "2 af 2 pladser taget; 1 på venteliste" in seats.inner_text()

    visit.goto(f"/arrangementer/messe/{fair.pk}/indtjekning/")
    visit.page.get_by_role("button", name=re.compile(r"^Mødt\W+Anna Hansen$")).click()
    visit.check()
    assert visit.page.locator(".checkin", has_text="Anna Hansen").locator(".checkin-state").inner_text() == "Mødt op"
    visit.screenshot("2-sagsbehandler-indtjekning")


def test_administrator_uploads_an_extract_and_a_broken_file(reference_data, task_runner, visit, tmp_path):
    person("administrator", Role.ADMINISTRATOR)
    today = date.today()
    period = f"{today.year}QMAT02" if today.month > 6 else f"{today.year - 1}QMAT04"
    good = tmp_path / "y30r21.csv"
    good.write_text(
        f"Area;Periode;Ydelsesgrupper;{PREFIX}Forventet antal;{PREFIX}Faktisk antal;Placering på benchmarkranglisten\n"
        f"Norddjurs;{period};Ydelsesgrupper i alt;2.190;2.140;23\n",
        encoding="utf-8",
    )
    broken = tmp_path / "fejl.csv"
    broken.write_text("Område;Periode;Ydelsesgrupper;Andel\nNorddjurs;2024Q1;Kontanthjælp;12,5%x\n", encoding="utf-8")

    visit.login("administrator")
    visit.page.get_by_role("link", name="Dataimport").click()
    visit.check()
    visit.page.get_by_label("Filer", exact=True).set_input_files(str(good))
    visit.page.get_by_role("button", name="Upload og indlæs").click()
    # The import page follows the import without a reload; it reloads itself when done.
    visit.page.get_by_text("Filen er indlæst").wait_for(timeout=60_000)
    visit.check()
    assert "Rækker brugt: 1." in visit.page.locator("div[role=status]").inner_text()
    visit.goto("/maal/?status=0")
    row = visit.page.locator("tr", has_text="1.1 Resultatmål")
    assert row.locator(".status").inner_text() == "På sporet"

    visit.goto("/dataimport/")
    visit.page.get_by_label("Filer", exact=True).set_input_files(str(broken))
    visit.page.get_by_role("button", name="Upload og indlæs").click()
    visit.page.get_by_text("Filen er ikke indlæst, og ingen tal er ændret.").wait_for(timeout=60_000)
    visit.check()
    assert "Ingen af filens målinger er koblet til en indikator" in visit.page.locator(".error-list").inner_text()
    visit.screenshot("3-administrator-fejlet-import")
