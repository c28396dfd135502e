"""The committee's pool (issue 26): amounts, decisions, roles, the deletion schedule, the agenda, exports,
the goal page and the applicant's e-mail. The public form is tested in test_pool_public_form.py."""

import csv
import io
import re
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from investments.pool.models import DEFAULT_POOL_AMOUNT, Application, Attachment, Decision, PoolRound, PoolYear
from investments.pool.services import attachments, decisions, links, privacy, rounds
from portal import pdf as portal_pdf
from portal import registry
from tests.conftest import IN_CI

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\nstartxref\n9\n%%EOF\n"


def make_application(pool_round, **values) -> Application:
    defaults = {
        "organisation": "Grenaa Idrætsforening",
        "kind": Application.Kind.ASSOCIATION,
        "cvr": "12345678",
        "contact_name": "Karen Jensen",
        "contact_email": "karen@example.dk",
        "contact_phone": "86 30 00 00",
        "title": "Motion for ledige",
        "description": "Ugentlig træning for borgere på kontanthjælp.",
        "goal_year": 2024,
        "goal_codes": "1.2,6.10",
        "amount_applied": Decimal("40000"),
        "period_start": date(2027, 1, 1),
        "period_end": date(2027, 6, 30),
        "budget": "Instruktør 30.000 kr., leje 10.000 kr.",
    }
    return Application.objects.create(round=pool_round, **{**defaults, **values})


@pytest.fixture
def pool_year(db):
    return rounds.ensure_year(2027)


@pytest.fixture
def first_round(pool_year):
    return pool_year.rounds.order_by("deadline").first()


def test_the_seed_makes_this_years_pool_of_the_documents_amount_with_four_month_end_deadlines():
    pool_year = PoolYear.objects.get(year=timezone.localdate().year)
    assert pool_year.amount == DEFAULT_POOL_AMOUNT == Decimal("250000")  # "0,250 mio. kr." (seed 004)
    year = pool_year.year
    assert [r.deadline for r in pool_year.rounds.all()] == [
        date(year, 3, 31),
        date(year, 6, 30),
        date(year, 9, 30),
        date(year, 12, 31),
    ]


def test_remaining_amount_is_the_pool_minus_the_grants(first_round, administrator):
    granted = make_application(first_round)
    make_application(first_round, title="Afslået")  # applied for, not granted: does not count
    decisions.decide(granted, Decision.Outcome.GRANTED, date(2027, 4, 8), administrator, Decimal("30000"))
    figures = rounds.year_figures(first_round.pool_year)
    assert figures.applied == Decimal("80000")
    assert figures.granted == Decimal("30000")
    assert figures.remaining == Decimal("220000")
    assert rounds.granted_sum(first_round.pool_year) == Decimal("30000")


def test_a_grant_over_the_remaining_amount_is_refused_and_nothing_is_stored(first_round, administrator):
    decisions.decide(
        make_application(first_round), Decision.Outcome.GRANTED, date(2027, 4, 8), administrator, Decimal("240000")
    )
    second = make_application(first_round, title="For meget")
    with pytest.raises(decisions.DecisionRefused, match="10.000 kr."):
        decisions.decide(second, Decision.Outcome.GRANTED, date(2027, 4, 8), administrator, Decimal("10000.01"))
    assert not second.decisions.exists()
    second.refresh_from_db()
    assert second.state == Application.State.RECEIVED


def test_an_application_is_granted_only_once(first_round, administrator):
    application = make_application(first_round)
    decisions.decide(application, Decision.Outcome.GRANTED, date(2027, 4, 8), administrator, Decimal("1000"))
    with pytest.raises(decisions.DecisionRefused):
        decisions.decide(application, Decision.Outcome.GRANTED, date(2027, 4, 8), administrator, Decimal("1000"))


def test_the_years_amount_cannot_go_below_what_it_has_granted(first_round, administrator, client_for):
    decisions.decide(
        make_application(first_round), Decision.Outcome.GRANTED, date(2027, 4, 8), administrator, Decimal("100000")
    )
    client_for(administrator).post(reverse("investments:pool_year_save", args=[2027]), {"amount": "90.000"})
    assert PoolYear.objects.get(year=2027).amount == Decimal("250000")
    client_for(administrator).post(reverse("investments:pool_year_save", args=[2027]), {"amount": "300.000"})
    assert PoolYear.objects.get(year=2027).amount == Decimal("300000")


def test_a_postponed_application_moves_to_the_next_round(first_round, administrator):
    application = make_application(first_round)
    decisions.decide(application, Decision.Outcome.POSTPONED, date(2027, 4, 8), administrator)
    application.refresh_from_db()
    assert application.state == Application.State.POSTPONED
    assert application.round.deadline == date(2027, 6, 30)


@pytest.mark.django_db(transaction=True)
def test_the_pool_never_goes_negative_under_20_concurrent_decisions(reference_data):
    """20 threads, each on its own connection, grant 100.000 kr. at once from a pool of 250.000 kr.: 2 fit.
    Large grants make the race sharp: without the lock, several threads read the same granted sum."""
    if connection.vendor != "postgresql":
        message = "Row locks (select_for_update) need PostgreSQL; SQLite locks the whole database. CI runs it."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from django.contrib.auth.models import User

    user = User.objects.create_user("puljeadmin")
    pool_year = rounds.ensure_year(2031)
    # Spread over the year's four rounds: only the pool year's row is shared by all of them.
    pool_rounds = list(pool_year.rounds.all())
    applications = [make_application(pool_rounds[i % 4], title=f"Projekt {i}") for i in range(20)]
    barrier = threading.Barrier(20)
    outcomes = []

    def grant(application):
        try:
            connection.ensure_connection()  # connected before the start, so the decisions overlap
            barrier.wait()
            decisions.decide(application, Decision.Outcome.GRANTED, date(2031, 4, 1), user, Decimal("100000"))
            outcomes.append("granted")
        except decisions.DecisionRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=grant, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["granted"] * 2 + ["refused"] * 18
    assert rounds.granted_sum(pool_year) == Decimal("200000")
    assert rounds.year_figures(pool_year).remaining == Decimal("50000")


def test_members_and_caseworkers_read_the_application_without_the_contact_data(
    first_round, member, caseworker, administrator, client_for
):
    application = make_application(first_round)
    decisions.assess(application, "Projektet passer til mål 1.2.", "bevilg", Decimal("30000"), administrator)
    attachment = attachments.store(SimpleUploadedFile("budget.pdf", PDF), application)
    url = reverse("investments:pool_application", args=[application.pk])
    for user in (member, caseworker):
        page = client_for(user).get(url).content.decode()
        assert "Motion for ledige" in page and "Projektet passer til mål 1.2." in page
        assert "Karen Jensen" not in page and "karen@example.dk" not in page and "86 30 00 00" not in page
        assert "budget.pdf" not in page
        assert "<form" not in page.split("<main", 1)[-1].split("</main>")[0]
        assert client_for(user).get(reverse("investments:pool_attachment", args=[attachment.pk])).status_code == 403
        export = client_for(user).get(reverse("investments:pool_round", args=[first_round.pk]), {"eksport": "csv"})
        assert "Karen" not in export.content.decode("utf-8-sig")
    page = client_for(administrator).get(url).content.decode()
    assert "Karen Jensen" in page and "karen@example.dk" in page and "budget.pdf" in page
    download = client_for(administrator).get(reverse("investments:pool_attachment", args=[attachment.pk]))
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Disposition"].startswith("attachment;")


def test_the_assessment_offers_the_three_recommendations_and_no_blank_radio(first_round, administrator, client_for):
    application = make_application(first_round)
    page = (
        client_for(administrator).get(reverse("investments:pool_application", args=[application.pk])).content.decode()
    )
    radios = re.findall(r'name="recommendation" value="([^"]*)"', page)
    assert radios == ["bevilg", "afslaa", "udsaet"]
    assert "---------" not in page


def test_an_attachment_whose_stored_bytes_changed_is_not_served(first_round, administrator, client_for):
    attachment = attachments.store(SimpleUploadedFile("budget.pdf", PDF), make_application(first_round))
    with open(attachment.file.path, "wb") as handle:
        handle.write(b"<script>alert(1)</script>")
    response = client_for(administrator).get(reverse("investments:pool_attachment", args=[attachment.pk]))
    assert response.status_code == 404


def test_stored_attachments_are_private_files(first_round):
    import os
    import stat

    attachment = attachments.store(SimpleUploadedFile("../../etc/budget.pdf", PDF), make_application(first_round))
    assert stat.S_IMODE(os.stat(attachment.file.path).st_mode) == 0o600
    assert attachment.file.name.startswith("pulje/") and "etc" not in attachment.file.name
    assert attachment.size == len(PDF) and len(attachment.sha256) == 64


def test_a_refused_applicants_personal_data_is_deleted_after_the_months_and_the_decision_stays(
    first_round, administrator, settings
):
    settings.POOL_PERSONAL_DATA_MONTHS = 6
    refused = make_application(first_round, title="Afslået projekt")
    granted = make_application(first_round, title="Bevilget projekt", contact_name="Ole Hansen")
    recent = make_application(first_round, title="Nyligt afslået", contact_name="Sofie Berg")
    stored = attachments.store(SimpleUploadedFile("cv.pdf", PDF), refused)
    path = stored.file.path
    decisions.decide(refused, Decision.Outcome.REFUSED, date(2027, 4, 8), administrator)
    decisions.decide(granted, Decision.Outcome.GRANTED, date(2027, 4, 8), administrator, Decimal("5000"))
    decisions.decide(recent, Decision.Outcome.REFUSED, date(2027, 9, 1), administrator)

    assert privacy.delete_refused_personal_data(today=date(2027, 10, 7)) == 0  # a day short of 6 months
    assert privacy.delete_refused_personal_data(today=date(2027, 10, 8)) == 1
    refused.refresh_from_db()
    assert (refused.contact_name, refused.contact_email, refused.contact_phone) == ("", "", "")
    assert refused.personal_data_deleted_at is not None
    assert refused.title == "Afslået projekt" and refused.decisions.get().outcome == Decision.Outcome.REFUSED
    assert not Attachment.objects.filter(application=refused).exists() and not os_path_exists(path)
    assert not Attachment.history.filter(application_id=refused.pk).exists()
    assert not any(h.contact_name or h.contact_email for h in Application.history.filter(id=refused.pk))
    granted.refresh_from_db()
    recent.refresh_from_db()
    assert granted.contact_name == "Ole Hansen" and recent.contact_name == "Sofie Berg"
    assert privacy.delete_refused_personal_data(today=date(2027, 10, 8)) == 0  # safe to run twice


def os_path_exists(path) -> bool:
    import os

    return os.path.exists(path)


def test_the_deletion_runs_every_night_from_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["delete-refused-pool-personal-data"]
    assert entry["task"] == "investments.pool.tasks.delete_refused_personal_data"


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert privacy.months_before(date(2027, 10, 8), 6) == date(2027, 4, 8)
    assert privacy.months_before(date(2027, 8, 31), 6) == date(2027, 2, 28)
    assert privacy.months_before(date(2027, 3, 15), 6) == date(2026, 9, 15)


@pytest.fixture
def pdf_tools():
    try:
        portal_pdf._weasyprint()
    except portal_pdf.PdfUnavailable:
        message = "WeasyPrint eller Pango mangler; se README (Opsætning). CI installerer dem."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return pytest.importorskip("pypdf")


def test_the_rounds_agenda_pdf_holds_every_application_and_assessment_without_contact_data(
    first_round, administrator, member, client_for, pdf_tools
):
    first_round.meeting_date = date(2027, 4, 8)
    first_round.save()
    one = make_application(first_round)
    make_application(first_round, organisation="Djurs Erhverv", title="Mentorforløb", amount_applied=Decimal("75000"))
    decisions.assess(one, "Understøtter målet om flere i job.", "bevilg", Decimal("35000"), administrator)
    response = client_for(member).get(reverse("investments:pool_round_agenda", args=[first_round.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="pulje-dagsorden-2027-03-31.pdf"'
    text = " ".join(page.extract_text() for page in pdf_tools.PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        "Ansøgninger til udvalgets pulje",
        "Motion for ledige",
        "Mentorforløb",
        "Djurs Erhverv",
        "40.000 kr.",
        "75.000 kr.",
        "Understøtter målet om flere i job.",
        "Indstilling: Bevilg, 35.000 kr.",
        "250.000",
    ):
        assert expected in text, expected
    assert "Karen" not in text and "karen@example.dk" not in text


def test_the_rounds_export_is_formula_safe_in_csv_and_xlsx(first_round, member, client_for):
    make_application(first_round, organisation='=HYPERLINK("http://x")', title="+1+1", cvr="")
    url = reverse("investments:pool_round", args=[first_round.pk])
    text = client_for(member).get(url, {"eksport": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][0] == '\'=HYPERLINK("http://x")' and rows[1][3] == "'+1+1"
    assert rows[1][5] == "40000,00"  # a number stays a number
    workbook = load_workbook(io.BytesIO(client_for(member).get(url, {"eksport": "xlsx"}).content))
    row = [c.value for c in list(workbook.active.rows)[1]]
    assert row[0] == '\'=HYPERLINK("http://x")' and row[3] == "'+1+1" and row[5] == 40000


def test_the_goal_page_shows_the_grants_that_support_the_goal(first_round, administrator, member, client_for):
    application = make_application(first_round, goal_codes="6.10")
    make_application(first_round, title="Andet mål", goal_codes="1.2")
    decisions.decide(application, Decision.Outcome.GRANTED, date(2027, 4, 8), administrator, Decimal("25000"))
    page = client_for(member).get(reverse("plans:goal_detail", args=[2024, 6, 10])).content.decode()
    assert "Projekter, der understøtter målet" in page
    assert "Motion for ledige (Grenaa Idrætsforening): 25.000 kr. bevilget" in page
    assert reverse("investments:pool_application", args=[application.pk]) in page
    assert "Andet mål" not in page
    assert links.goal_links(2024, "1.2") == []  # applied for, not granted


def test_amounts_read_dkk_on_english_pages_and_kr_in_the_danish_email(
    first_round, administrator, member, client_for, settings
):
    application = make_application(first_round, goal_codes="6.10")
    client = client_for(administrator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(
        reverse("investments:pool_decision_save", args=[application.pk]),
        {"outcome": "bevilget", "granted_amount": "25,000", "meeting_date": "2027-04-08", "notify": "on"},
    )
    assert "25.000 kr." in mail.outbox[0].body
    page = client.get(reverse("investments:pool_application", args=[application.pk])).content.decode()
    assert "DKK 40,000" in page and "DKK 25,000" in page
    reader = client_for(member)
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in (reverse("investments:pool") + "?aar=2027", reverse("plans:goal_detail", args=[2024, 6, 10])):
        main = reader.get(url).content.decode().split("<main", 1)[1]
        assert "DKK 25,000" in main and " kr." not in main


def test_the_decision_email_tells_the_applicant_in_danish(first_round, administrator, client_for):
    application = make_application(first_round)
    response = client_for(administrator).post(
        reverse("investments:pool_decision_save", args=[application.pk]),
        {"outcome": "bevilget", "granted_amount": "25.000", "meeting_date": "2027-04-08", "notify": "on"},
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["karen@example.dk"]
    assert message.subject.endswith("Afgørelse på jeres ansøgning til Arbejdsmarkedsudvalgets pulje: Motion for ledige")
    assert message.body.startswith(
        'Arbejdsmarkedsudvalget har på mødet den 8. april 2027 bevilget 25.000 kr. fra udvalgets pulje til projektet "Motion for ledige".'
    )
    assert message.body.endswith("Med venlig hilsen\nArbejdsmarkedsafdelingen, Norddjurs Kommune")
    assert application.decisions.get().notified_at is not None


def test_the_refusal_text_and_an_edited_message_are_sent_as_written(first_round, administrator):
    application = make_application(first_round)
    text = decisions.default_message(application, Decision.Outcome.REFUSED, date(2027, 4, 8), None)
    assert text.startswith(
        'Arbejdsmarkedsudvalget har på mødet den 8. april 2027 behandlet jeres ansøgning om 40.000 kr. til projektet "Motion for ledige" og har desværre givet afslag.'
    )
    decision = decisions.decide(
        application, Decision.Outcome.REFUSED, date(2027, 4, 8), administrator, message="Kære Karen, desværre."
    )
    assert decisions.notify(decision)
    assert mail.outbox[-1].body == "Kære Karen, desværre."


def test_an_administrator_registers_an_application_received_by_letter(first_round, administrator, client_for):
    response = client_for(administrator).post(
        reverse("investments:pool_application_new"),
        {
            "round": first_round.pk,
            "organisation": "FGU Djursland",
            "kind": "uddannelsesinstitution",
            "cvr": "",
            "contact_name": "Per Holm",
            "contact_email": "",
            "contact_phone": "",
            "title": "Brobygning",
            "description": "Brobygning til erhvervsuddannelser.",
            "goals": ["6.10"],
            "amount_applied": "50.000",
            "period_start": "2027-08-01",
            "period_end": "2027-12-31",
            "budget": "Løn 50.000 kr.",
            "received_at": "2027-03-02 10:00",
            "attachments": [SimpleUploadedFile("ansoegning.pdf", PDF)],
        },
    )
    application = Application.objects.get(title="Brobygning")
    assert response.status_code == 302
    assert application.source == Application.Source.ADMINISTRATOR and application.registered_by == administrator
    assert application.goal_codes == "6.10" and application.goal_year == registry.plan_goals(timezone.localdate()).year
    assert application.attachments.get().original_name == "ansoegning.pdf"


def test_the_registration_form_refuses_a_file_that_is_no_pdf(first_round, administrator, client_for):
    response = client_for(administrator).post(
        reverse("investments:pool_application_new"),
        {"round": first_round.pk, "attachments": [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00")]},
    )
    assert response.status_code == 200 and "er ikke en PDF-fil" in response.content.decode()


def test_the_follow_up_report_is_filed_for_a_grant(first_round, administrator, member, client_for):
    application = make_application(first_round)
    decisions.decide(application, Decision.Outcome.GRANTED, date(2027, 4, 8), administrator, Decimal("25000"))
    url = reverse("investments:pool_follow_up_save", args=[application.pk])
    client_for(administrator).post(url, {"due_date": "2027-12-01"})
    client_for(administrator).post(
        url,
        {
            "due_date": "2027-12-01",
            "report": "18 borgere trænede; 5 er i job.",
            "attachments": [SimpleUploadedFile("r.pdf", PDF)],
        },
    )
    follow_up = application.follow_ups.get()
    assert follow_up.filed_at is not None and follow_up.filed_by == administrator
    assert follow_up.attachments.get().application == application
    assert (
        "18 borgere trænede; 5 er i job."
        in client_for(member).get(reverse("investments:pool_application", args=[application.pk])).content.decode()
    )


def test_the_overview_and_the_wheel_show_the_pool(member, client_for):
    today = timezone.localdate()
    page = client_for(member).get(reverse("investments:overview")).content.decode()
    assert "Udvalgets pulje" in page and "250.000 kr." in page
    entries = [e for e in registry.calendar(today.year) if e.kind == links.DEADLINE]
    assert [e.day.month for e in entries] == [3, 6, 9, 12]
    # The årshjul's fixed deadlines (one a month, without a day) give way to the rounds' dated ones.
    titled = [e for e in registry.calendar(today.year) if e.title == links.FIXED_DEADLINE]
    assert [(e.month, e.kind) for e in titled] == [(m, links.DEADLINE) for m in (3, 6, 9, 12)]
    assert [e.month for e in registry.calendar(today.year + 5) if e.title == links.FIXED_DEADLINE] == [3, 6, 9, 12]


def test_the_rounds_meeting_is_on_the_wheel_once_set(first_round, administrator, client_for):
    response = client_for(administrator).post(
        reverse("investments:pool_round_save", args=[first_round.pk]),
        {"deadline": "2027-03-31", "meeting_date": "2027-04-08"},
    )
    assert response.status_code == 302
    meetings = [e for e in registry.calendar(2027) if e.kind == links.MEETING]
    assert [e.day for e in meetings] == [date(2027, 4, 8)]
    assert PoolRound.objects.get(pk=first_round.pk).meeting_date == date(2027, 4, 8)


def test_the_round_page_lists_applied_granted_and_remaining(first_round, administrator, member, client_for):
    application = make_application(first_round)
    decisions.decide(application, Decision.Outcome.GRANTED, date(2027, 4, 8), administrator, Decimal("25000"))
    page = client_for(member).get(reverse("investments:pool_round", args=[first_round.pk])).content.decode()
    assert "Tilbage i puljen: 225.000 kr. af 250.000 kr." in page
    overview = client_for(member).get(reverse("investments:pool"), {"aar": 2027}).content.decode()
    assert "40.000" in overview and "25.000" in overview and "225.000 kr." in overview
