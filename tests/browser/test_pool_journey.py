"""The committee's pool in Chromium: an applicant applies through the public form without a login, an
administrator assesses, the round's agenda PDF is produced, the committee's decision is recorded, the pool's
remaining amount drops, the goal page shows the grant, and the follow-up report is filed."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from investments.pool.models import Application, Decision
from investments.pool.public import forms as public_forms
from investments.pool.public import service as public_service
from investments.pool.services import rounds
from plans.models import Goal
from portal.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
TITLE = "Motion og jobsøgning i Grenaa"


def person(username, role):
    user = User.objects.create_user(username, password=PASSWORD, first_name=username.title())
    user.groups.add(Group.objects.get(name=role.group_name))
    return user


def write_pdf(path):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def test_applicant_applies_and_the_committee_grants_and_follows_up(
    reference_data, visit, browser, mailoutbox, tmp_path, monkeypatch
):
    pypdf = pytest.importorskip("pypdf")
    # The server runs in this process: a person who fills the form in one second is fast enough here.
    monkeypatch.setattr(public_forms, "MIN_FILL_SECONDS", 1)
    person("administrator", Role.ADMINISTRATOR)
    pool_round = rounds.open_round(timezone.localdate())
    pool_round.meeting_date = pool_round.deadline + timedelta(days=10)
    pool_round.save()
    goal = Goal.objects.get(plan__year=2024, major=1, minor=2)
    attachment = write_pdf(tmp_path / "budget.pdf")

    # 1. The applicant, without a login; the form fits a phone, also with its errors shown.
    visit.page.set_viewport_size({"width": 390, "height": 844})
    visit.goto("/pulje/ansoeg/")
    visit.page.get_by_role("button", name="Send ansøgningen").click()
    visit.check()
    assert visit.page.get_by_role("heading", name="Ansøgningen er ikke sendt").is_visible()
    assert visit.page.evaluate("document.documentElement.scrollWidth") <= 390
    visit.screenshot("pulje-0-ansoegning-fejl-390")
    visit.page.set_viewport_size({"width": 1366, "height": 900})
    assert visit.page.evaluate("document.documentElement.scrollWidth") <= 1366
    form = visit.page.locator("form.pool-application")
    assert visit.page.get_by_role(
        "heading", level=1, name="Ansøg om støtte fra Arbejdsmarkedsudvalgets pulje"
    ).is_visible()
    form.get_by_label("Organisation").fill("Grenaa Idrætsforening")
    form.get_by_label("Forening").check()
    form.get_by_label("CVR-nummer").fill("12345678")
    form.get_by_label("Kontaktperson").fill("Signe Halkjær")
    form.get_by_label("E-mail").fill("signe@example.dk")
    form.get_by_label("Telefon").fill("29 38 47 56")
    form.get_by_label("Projektets titel").fill(TITLE)
    form.get_by_label("Projektbeskrivelse").fill("Ugentlig træning for ledige med samtaler om job bagefter.")
    form.get_by_label(f"{goal.code} {goal.title}").check()
    form.get_by_label("Projektet begynder").fill("2027-02-01")
    form.get_by_label("Projektet slutter").fill("2027-11-30")
    form.get_by_label("Ansøgt beløb (kr.)").fill("45.000")
    form.get_by_label("Budget", exact=True).fill("Instruktør 30.000 kr.\nLokaler 15.000 kr.")
    form.get_by_label("Bilag (PDF)").set_input_files(str(attachment))
    visit.page.wait_for_timeout(1000)
    visit.page.get_by_role("button", name="Send ansøgningen").click()
    visit.check()
    application = Application.objects.get()
    reference = public_service.reference(application)
    assert visit.page.get_by_role("heading", level=1, name="Ansøgningen er modtaget").is_visible()
    assert reference in visit.page.locator("main").inner_text()
    assert "Grenaa Idrætsforening" not in visit.page.content()
    assert [m.to for m in mailoutbox] == [["signe@example.dk"]] and reference in mailoutbox[0].body
    assert application.attachments.count() == 1 and application.goal_code_list == [goal.code]
    visit.screenshot("pulje-1-ansoegning-modtaget")

    # 2. The administrator assesses it.
    visit.login("administrator")
    visit.goto("/investeringer/pulje/")
    remaining = visit.page.locator("dl.facts div", has_text="Tilbage").locator("dd")
    assert remaining.inner_text() == "250.000 kr."
    visit.goto(f"/investeringer/pulje/runde/{pool_round.pk}/")
    visit.page.get_by_role("link", name=TITLE).click()
    visit.check()
    visit.page.get_by_text("Skriv vurderingen").click()
    assessment = visit.page.locator("form", has=visit.page.get_by_role("button", name="Gem vurderingen"))
    assessment.get_by_label("Vurdering").fill("Projektet understøtter målet om samtaler; budgettet er rimeligt.")
    assessment.get_by_label("Bevilg", exact=True).check()
    assessment.get_by_label("Indstillet beløb (kr.)").fill("40.000")
    visit.page.get_by_role("button", name="Gem vurderingen").click()
    visit.check()
    assert "Vurderingen er gemt." in visit.page.locator(".messages").inner_text()

    # 3. The round's agenda for the meeting, as a PDF.
    visit.goto(f"/investeringer/pulje/runde/{pool_round.pk}/")
    with visit.page.expect_download() as download:
        visit.page.get_by_role("link", name="Dagsorden til mødet (PDF)").click()
    content = open(download.value.path(), "rb").read()
    assert content.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert TITLE in text and "Signe" not in text

    # 4. The committee's decision.
    visit.page.get_by_role("link", name=TITLE).click()
    visit.check()
    visit.page.get_by_text("Registrér udvalgets afgørelse").click()
    decision_form = visit.page.locator("form", has=visit.page.get_by_role("button", name="Gem afgørelsen"))
    decision_form.get_by_label("Bevilget", exact=True).check()
    decision_form.get_by_label("Bevilget beløb (kr.)").fill("40.000")
    decision_form.get_by_label("Mødedato").fill(pool_round.meeting_date.isoformat())
    visit.page.get_by_role("button", name="Gem afgørelsen").click()
    visit.check()
    assert "Afgørelsen er gemt." in visit.page.locator(".messages").inner_text()
    assert Decision.objects.get(application=application).granted_amount == 40000
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["signe@example.dk"]

    # 5. The pool's remaining amount drops.
    visit.goto("/investeringer/pulje/")
    assert remaining.inner_text() == "210.000 kr."

    # 6. The goal's page shows the grant.
    visit.goto(f"/maal/2024/{goal.major}.{goal.minor}/")
    grants = visit.page.locator(
        "section", has=visit.page.get_by_role("heading", name="Projekter, der understøtter målet")
    )
    assert grants.get_by_role("link", name=re.compile(re.escape(TITLE))).is_visible()
    grants.get_by_role("link", name=re.compile(re.escape(TITLE))).click()
    visit.check()

    # 7. The follow-up report is filed.
    visit.page.get_by_text("Frist og afrapportering").click()
    follow_up = visit.page.locator("form", has=visit.page.get_by_role("button", name="Gem opfølgningen"))
    follow_up.get_by_label("Frist for afrapportering").fill((pool_round.meeting_date + timedelta(days=365)).isoformat())
    follow_up.get_by_label("Afrapportering", exact=True).fill("38 ledige deltog; 11 er kommet i job eller uddannelse.")
    follow_up.get_by_label("Bilag til afrapporteringen (PDF)").set_input_files(str(attachment))
    visit.page.get_by_role("button", name="Gem opfølgningen").click()
    visit.check()
    assert "Opfølgningen er gemt." in visit.page.locator(".messages").inner_text()
    assert "11 er kommet i job eller uddannelse" in visit.page.locator("#opfoelgning ~ section").first.inner_text()
    assert application.follow_ups.get().filed_at is not None
    assert application.attachments.count() == 2
    visit.screenshot("pulje-2-afrapporteret")
