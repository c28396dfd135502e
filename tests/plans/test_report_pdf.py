"""The half-year report as a PDF (WeasyPrint): A4, a cover with the summary, every goal, no empty page."""

import io
import re
from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from plans.models import Goal, GoalComment, Indicator, Plan
from plans.services import dashboard, status
from plans.templatetags.plans_tags import measure
from portal import cache as page_cache
from portal import demo
from portal import pdf as portal_pdf
from portal.models import DemoData
from portal.periods import half_year_of
from portal.roles import Role
from tests.conftest import IN_CI
from tests.plans.test_views import add

pytestmark = pytest.mark.django_db
A4 = (595.3, 841.9)  # points
GOAL_CODE = re.compile(r"\b[1-6]\.\d{1,2}\b")


@pytest.fixture
def pdf_tools():
    if not portal_pdf.available():
        message = "WeasyPrint eller Pango mangler; se README (Opsætning). CI installerer dem."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return pytest.importorskip("pypdf")


@pytest.fixture
def figures(administrator):
    conversations = Indicator.objects.get(goal__major=1, goal__minor=2)
    add(conversations, "2024H1", "78.0")
    add(conversations, "2024H2", "82.4")
    fill_rate = Indicator.objects.get(goal__major=6, goal__minor=1, position=1)
    for month, value in enumerate(["71.5", "74.0", "76.2", "79.9", "81.0", "83.4"], start=7):
        add(fill_rate, f"2024M{month:02d}", value, comparison="80.0")
    status.refresh(today=date(2025, 2, 15))
    goal = Goal.objects.get(major=1, minor=2)
    GoalComment.objects.create(
        goal=goal,
        period_code="2024H2",
        author=administrator,
        text="Flere samtaler efter omlægningen af kontaktforløbet i efteråret.",
    )


def test_the_report_downloads_as_an_a4_pdf_with_a_cover_and_every_goal(client_for, member, figures, pdf_tools):
    response = client_for(member).get(reverse("plans:report"), {"halvaar": "2024H2", "eksport": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="maalopfoelgning-2024H2.pdf"'

    reader = pdf_tools.PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    for page in reader.pages:
        assert [round(float(x), 1) for x in page.mediabox.upper_right] == list(A4)
    assert 3 <= len(pages) <= 8, f"{len(pages)} sider"

    cover = pages[0]
    for text in (
        "Halvårlig målopfølgning",
        "2. halvår 2024",
        "Status pr. ministermål",
        "Resultatmål og fokusmål",
        "Ministermål 5: Virksomhederne skal sikres",
        "På sporet",
        "Mangler data",
        "I alt",
    ):
        assert text in cover, text
    assert not GOAL_CODE.search(cover.split("Status pr. ministermål")[0])  # the goals start after the cover

    body = "\n".join(pages[1:])
    codes = sorted({f"{g.major}.{g.minor}" for g in Goal.objects.all()})
    assert len(codes) == 22
    for code in codes:
        assert re.search(rf"(^|\n){re.escape(code)} ", body), f"mål {code} mangler"
    # Value, target, status and remark, in Danish number format.
    assert "82,4 %" in body and "80,0 %" in body and "83,4 %" in body
    assert "Flere samtaler efter omlægningen af kontaktforløbet i efteråret." in body
    assert "Forvaltningens bemærkning" in body and "Ingen bemærkning for 2. halvår 2024." in body

    # No empty or nearly empty page: every page but the last is well filled and names a goal,
    # and every page has its page number.
    for number, text in enumerate(pages[1:], start=2):
        assert GOAL_CODE.search(text), f"side {number} nævner intet mål"
        assert f"Side {number} af {len(pages)}" in text
        if number < len(pages):
            assert len(text) > 600, f"side {number} er næsten tom ({len(text)} tegn)"


def test_the_report_page_links_to_the_pdf(client_for, member, figures):
    response = client_for(member).get(reverse("plans:report"), {"halvaar": "2024H2"})
    assert "?halvaar=2024H2&amp;eksport=pdf" in response.text and "Hent som PDF" in response.text


def test_without_weasyprint_the_pdf_link_explains_instead_of_failing(client_for, member, figures, monkeypatch):
    def missing():
        raise portal_pdf.PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(portal_pdf, "_weasyprint", missing)
    client = client_for(member)
    response = client.get(reverse("plans:report"), {"halvaar": "2024H2", "eksport": "pdf"})
    assert response.status_code == 302 and response["Location"] == reverse("plans:report") + "?halvaar=2024H2"
    page = client.get(response["Location"]).text
    assert "PDF-udgaven kan ikke laves på denne server" in page


def test_the_pdf_follows_the_chosen_language(client, figures, pdf_tools):
    user = User.objects.create_user("member-en", password="x")
    user.groups.add(Group.objects.get(name=Role.MEMBER.group_name))
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("plans:report"), {"halvaar": "2024H2", "eksport": "pdf"})
    text = "\n".join(p.extract_text() for p in pdf_tools.PdfReader(io.BytesIO(response.content)).pages)
    assert "Page 2 of" in text and "Status by minister's goal" in text and "Half-yearly goal follow-up" in text
    assert "No remark for" in text


def test_the_pdf_shows_each_goals_newest_figure_with_its_period_and_stale_mark_as_the_overview(
    client_for, member, pdf_tools
):
    """Goal 1.1's only figure (the seed's, 2021) is older than the report's window: shown, marked, not "no figures"."""
    today = date.today()
    fresh = Indicator.objects.get(goal__major=6, goal__minor=1, position=2)
    add(fresh, f"{today.year}M{today.month:02d}", 40)
    half = half_year_of(today)
    plan = Plan.objects.in_force(today)
    overview = {
        item.indicator.id: item
        for section in dashboard.overview(plan, list(status.goals_with_status(plan)), today)
        for view in section.goals
        for item in view.indicators
    }
    response = client_for(member).get(reverse("plans:report"), {"halvaar": half.code, "eksport": "pdf"})
    text = "\n".join(page.extract_text() for page in pdf_tools.PdfReader(io.BytesIO(response.content)).pages[1:])
    blocks = {
        code: block for code, block in re.findall(r"(?:^|\n)(\d\.\d{1,2}) (.*?)(?=\n\d\.\d{1,2} |\Z)", text, re.S)
    }
    for indicator, code in ((Indicator.objects.get(goal__major=1, goal__minor=1), "1.1"), (fresh, "6.1")):
        item = overview[indicator.id]
        block = " ".join(blocks[code].split())
        assert measure(item.latest.value, indicator) in block, block
        assert " ".join(item.latest.period.label.split()) in block, block
        assert ("forældet" in block) == item.stale, block
    assert overview[Indicator.objects.get(goal__major=1, goal__minor=1).id].stale
    assert "Der er ingen tal endnu" not in " ".join(blocks["1.1"].split())


def test_the_pdf_says_demodata_on_every_page_while_the_demo_data_is_loaded(client_for, member, figures, pdf_tools):
    def pages():
        response = client_for(member).get(reverse("plans:report"), {"halvaar": "2024H2", "eksport": "pdf"})
        return [page.extract_text() for page in pdf_tools.PdfReader(io.BytesIO(response.content)).pages]

    assert not any("Demodata" in text for text in pages())
    DemoData.objects.create(loaded_at=timezone.now(), loaded_for=timezone.localdate())
    cache.delete(demo.KEY)
    page_cache.bump()  # as load_demo_data does: the cached report carries the mark, or not
    assert all("Demodata – ikke rigtige tal" in text for text in pages())
