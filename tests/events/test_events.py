"""Events: fair sign-ups with seats and a waiting list, privacy, associations, the 50+ project, calendar."""

import html
import re
import threading
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from events.fairs.services import figures, privacy, signups
from events.models import (
    Association,
    CitizenSignup,
    Fair,
    FairSeries,
    Meeting,
    MeetingDocument,
    PersonalDataDeletion,
    ProgressReport,
)
from tests.support.event_data import coming_fair

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair():
    return coming_fair(capacity=2)


def sign_up(client, fair, name, key=None, **extra):
    data = {
        "name": extra.pop("name_", name),
        "benefit_group": "foertidspension",
        "fairs": [fair.pk],
        "submission_key": key or name,
        **extra,
    }
    return client.post(reverse("events:signups", args=[fair.pk]), data, follow=True)


def statuses(fair):
    return list(fair.signups.order_by("registered_at", "id").values_list("name", "status"))


def test_signup_page_shows_the_first_of_a_long_waiting_list_and_all_on_request(client_for, caseworker, fair):
    from events.fairs.services.overview import SIGNUP_LIST_ROWS

    for n in range(SIGNUP_LIST_ROWS + 5):
        signups.register([fair], {"name": f"Borger {n:02d}", "benefit_group": "anden"}, caseworker)
    signups.cancel(fair.signups.get(name="Borger 00").pk)  # Borger 02 moves up from the waiting list
    client = client_for(caseworker)
    url = reverse("events:signups", args=[fair.pk])
    page = html.unescape(client.get(url).content.decode())
    waiting = SIGNUP_LIST_ROWS + 2
    assert f"2 af 2 pladser taget; {waiting} på venteliste" in page  # counted in full
    assert '<fieldset class="field" aria-describedby="id_fairs_helptext">' in page  # the fairs' help is read out
    assert f"Viser de første {SIGNUP_LIST_ROWS} af {waiting}." in page and 'href="?alle=1"' in page
    shown = [f"Borger {n:02d}" for n in range(3, 3 + SIGNUP_LIST_ROWS)]  # the waiting list's first, in order
    assert all(name in page for name in shown) and "Borger 29" not in page
    assert page.index(shown[0]) < page.index(shown[-1])
    everything = html.unescape(client.get(url, {"alle": "1"}).content.decode())
    assert "Borger 29" in everything and "Viser de første" not in everything
    assert "Borger 00" in everything  # the cancelled list, under its own heading


def test_caseworker_fills_the_fair_then_the_waiting_list_then_a_cancellation_promotes(client_for, caseworker, fair):
    client = client_for(caseworker)
    assert "Anna er tilmeldt messen på Grenaa Bibliotek." in sign_up(client, fair, "Anna").content.decode()
    sign_up(client, fair, "Bo")
    page = sign_up(client, fair, "Carl").content.decode()
    assert "Messen på Grenaa Bibliotek er fuld: Carl er sat på venteliste." in page
    assert "2 af 2 pladser taget; 1 på venteliste" in page
    assert statuses(fair) == [("Anna", "tilmeldt"), ("Bo", "tilmeldt"), ("Carl", "venteliste")]
    anna = fair.signups.get(name="Anna")
    page = client.post(
        reverse("events:signup_cancel", args=[anna.pk]), {"bekraeft": "ja"}, follow=True
    ).content.decode()
    assert "Carl er rykket op fra ventelisten." in page
    assert statuses(fair) == [("Anna", "afmeldt"), ("Bo", "tilmeldt"), ("Carl", "tilmeldt")]


def test_waiting_list_moves_up_in_order_and_a_second_cancel_does_nothing(caseworker, fair):
    for name in ("A", "B", "C", "D"):
        signups.register([fair], {"name": name, "benefit_group": "anden"}, caseworker)
    a = fair.signups.get(name="A")
    assert signups.cancel(a.pk).name == "C"
    assert signups.cancel(a.pk) is None
    assert dict(statuses(fair))["D"] == "venteliste"


def test_a_double_submission_registers_once(client_for, caseworker, fair):
    client = client_for(caseworker)
    sign_up(client, fair, "Anna", key="form-123")
    sign_up(client, fair, "Anna", key="form-123")
    assert fair.signups.count() == 1


def test_registration_for_both_fairs(client_for, caseworker, fair):
    other = Fair.objects.create(
        series=fair.series, venue="Auning Bibliotek", date=fair.date + timedelta(days=8), capacity=10
    )
    sign_up(client_for(caseworker), fair, "Anna", fairs=[fair.pk, other.pk])
    assert CitizenSignup.objects.filter(name="Anna").count() == 2


def test_registration_for_a_past_fair_is_refused(caseworker):
    past = Fair.objects.get(venue="Grenaa Bibliotek", date=date(2024, 3, 13))
    with pytest.raises(Exception, match="er afholdt"):
        signups.register([past], {"name": "Anna", "benefit_group": "anden"}, caseworker)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"phone": "12345678"}, "Telefon og e-mail må kun gemmes, når borgeren har givet samtykke"),
        ({"consent_to_contact": "on"}, "Samtykke til kontakt kræver et telefonnummer eller en e-mailadresse."),
        ({"name_": ""}, "Dette felt er påkrævet."),
        ({"benefit_group": "kontanthjælp"}, "Marker en gyldig valgmulighed."),
    ],
)
def test_signup_form_keeps_personal_data_minimal(client_for, caseworker, fair, extra, message):
    response = sign_up(client_for(caseworker), fair, "Anna", **extra)
    assert message in html.unescape(response.content.decode())
    assert not fair.signups.exists()


def test_consent_is_recorded_with_its_date(client_for, caseworker, fair):
    sign_up(client_for(caseworker), fair, "Anna", phone="12345678", consent_to_contact="on")
    signup = fair.signups.get()
    assert (signup.phone, signup.consent_date) == ("12345678", timezone.localdate())


@pytest.mark.parametrize(
    "url_name",
    ["events:signups", "events:checkin", "events:participants", "events:exhibitors"],
)
def test_committee_members_get_403_on_pages_with_names(client_for, member, fair, url_name):
    client = client_for(member)
    assert client.get(reverse(url_name, args=[fair.pk])).status_code == 403
    assert client.get(reverse(url_name, args=[fair.pk]), {"eksport": "csv"}).status_code == 403


def test_committee_members_get_403_on_association_and_sign_up_changes(client_for, member, caseworker, fair):
    signups.register([fair], {"name": "Anna", "benefit_group": "anden"}, caseworker)
    client = client_for(member)
    assert client.get(reverse("events:associations")).status_code == 403
    assert client.get(reverse("events:association_new")).status_code == 403
    assert client.post(reverse("events:signup_cancel", args=[fair.signups.get().pk])).status_code == 403
    assert sign_up(client, fair, "Bo").status_code == 403


def test_committee_members_see_aggregates_but_never_names(client_for, member, caseworker, fair):
    for name, group in (("Anna Hansen", "foertidspension"), ("Bo Jensen", "ledighedsydelse")):
        signups.register([fair], {"name": name, "benefit_group": group}, caseworker)
    for url in (reverse("events:fair_list"), reverse("events:fair_detail", args=[fair.pk])):
        text = client_for(member).get(url).content.decode()
        assert "Hansen" not in text and "Jensen" not in text
    text = client_for(member).get(reverse("events:fair_detail", args=[fair.pk])).content.decode()
    assert "2 af 2 pladser taget, 0 ledige" in text
    assert ">Førtidspension</th><td>1</td>" in text


def test_check_in_records_attendance(client_for, caseworker):
    fair = coming_fair(days=0)  # check-in opens on the fair's day
    signup = signups.register([fair], {"name": "Anna", "benefit_group": "anden"}, caseworker)[0]
    client = client_for(caseworker)
    client.post(reverse("events:checkin", args=[fair.pk]), {"signup": signup.pk, "attended": "ja"})
    signup.refresh_from_db()
    assert signup.attended is True
    assert next(f for f in figures.for_series(fair.series) if f.fair == fair).attended == 1


def test_participant_export_escapes_formulas(client_for, caseworker, fair):
    signups.register([fair], {"name": '=HYPERLINK("http://x")', "benefit_group": "anden"}, caseworker)
    body = (
        client_for(caseworker).get(reverse("events:participants", args=[fair.pk]), {"eksport": "csv"}).content.decode()
    )
    assert body.startswith("\ufeffNavn;Ydelse") and "\"'=HYPERLINK" in body


def test_personal_data_is_deleted_after_the_retention_period_and_aggregates_stay(caseworker, fair, settings):
    settings.FAIR_PERSONAL_DATA_DAYS = 30
    for name in ("Anna", "Bo", "Carl"):
        signups.register(
            [fair],
            {"name": name, "benefit_group": "ledighedsydelse", "phone": "1", "consent_to_contact": True},
            caseworker,
        )
    before = figures.for_series(fair.series)
    assert privacy.delete_expired_personal_data(today=fair.date + timedelta(days=30)) == 0
    assert privacy.delete_expired_personal_data(today=fair.date + timedelta(days=31)) == 3
    assert list(fair.signups.values_list("name", "phone", "email")) == [("", "", "")] * 3
    assert PersonalDataDeletion.objects.get(fair=fair).signups == 3
    after = figures.for_series(fair.series)
    assert [(f.confirmed, f.waiting, dict(f.by_group)) for f in after] == [
        (f.confirmed, f.waiting, dict(f.by_group)) for f in before
    ]
    assert privacy.delete_expired_personal_data(today=fair.date + timedelta(days=40)) == 0  # logged once


def test_capacity_increase_promotes_from_the_waiting_list(client_for, administrator, caseworker, fair):
    for name in ("A", "B", "C", "D"):
        signups.register([fair], {"name": name, "benefit_group": "anden"}, caseworker)
    page = client_for(administrator).post(
        reverse("events:fair_capacity", args=[fair.pk]), {"capacity": "3"}, follow=True
    )
    assert "1 borger er rykket op fra ventelisten." in page.content.decode()
    assert dict(statuses(fair)) == {"A": "tilmeldt", "B": "tilmeldt", "C": "tilmeldt", "D": "venteliste"}


def test_only_administrators_set_capacity_or_create_fairs(client_for, caseworker, fair):
    client = client_for(caseworker)
    assert client.post(reverse("events:fair_capacity", args=[fair.pk]), {"capacity": "50"}).status_code == 403
    assert client.post(reverse("events:fair_add"), {"venue": "X", "date": "2030-01-01"}).status_code == 403


def test_the_same_fair_twice_is_a_form_error(client_for, administrator, fair):
    data = {"venue": fair.venue, "date": fair.date.isoformat(), "capacity": "30"}
    response = client_for(administrator).post(reverse("events:fair_add"), data, follow=True)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Messen blev ikke oprettet" in page and "Der er allerede en messe på Grenaa Bibliotek den" in page
    assert Fair.objects.filter(venue=fair.venue, date=fair.date).count() == 1


def test_association_after_the_deadline_needs_an_administrator(client_for, caseworker, administrator, fair):
    data = {
        "name": "Grenaa Roklub",
        "contact_person": "Kim",
        "status": "tilmeldt",
        "fairs": [fair.pk],
        "offers_community": "on",
    }
    response = client_for(caseworker).post(reverse("events:association_new"), data)
    assert (
        "Tilmeldingsfristen 1. december 2023 er overskredet. En administrator skal registrere tilmeldingen."
        in html.unescape(response.content.decode())
    )
    assert not Association.objects.exists()
    client_for(administrator).post(reverse("events:association_new"), data)
    association = Association.objects.get()
    assert association.status == "tilmeldt" and list(association.fairs.all()) == [fair]
    assert next(f for f in figures.for_series(fair.series) if f.fair == fair).associations == 1


def test_caseworker_registers_an_invited_association(client_for, caseworker):
    client_for(caseworker).post(reverse("events:association_new"), {"name": "Auning Skakklub", "status": "inviteret"})
    assert Association.objects.get().status == "inviteret"


# --- the 50+ project ---------------------------------------------------------------------------------


def test_administrator_enters_quarterly_progress(client_for, administrator, member):
    client_for(administrator).post(
        reverse("events:progress_save"),
        {
            "quarter": "2025K2",
            "joint_conversations": "18",
            "offers_upskilling": "5",
            "offers_industry_change": "2",
            "offers_network": "3",
            "offers_other": "1",
            "in_job_or_education": "4",
        },
    )
    report = ProgressReport.objects.get()
    assert (report.quarter, report.offers_started) == ("2025Q2", 11)
    text = client_for(member).get(reverse("events:project")).content.decode()
    assert "18 af 120 ledige har haft den fælles samtale." in text


@pytest.mark.parametrize(
    ("quarter", "message"), [("2025", "Angiv et kvartal, fx 2025Q2."), ("2025X9", "er ikke en kendt periode")]
)
def test_progress_must_be_a_quarter(client_for, administrator, quarter, message):
    response = client_for(administrator).post(
        reverse("events:progress_save"), {"quarter": quarter, "joint_conversations": "1", "in_job_or_education": "0"}
    )
    assert message in html.unescape(response.content.decode())
    assert not ProgressReport.objects.exists()


def test_progress_with_a_nul_character_is_a_form_error(client_for, administrator):
    # PostgreSQL refuses NUL in text, so the quarter must be validated before any query uses it.
    data = {"quarter": "2025Q2\x00", "joint_conversations": "1", "in_job_or_education": "0"}
    response = client_for(administrator).post(reverse("events:progress_save"), data)
    assert response.status_code == 200
    assert "Null-tegn er ikke tilladte." in html.unescape(response.content.decode())
    assert not ProgressReport.objects.exists()


def test_progress_entered_again_corrects_the_quarter(client_for, administrator):
    client = client_for(administrator)
    figures = {
        "offers_upskilling": "5",
        "offers_industry_change": "2",
        "offers_network": "3",
        "offers_other": "1",
        "in_job_or_education": "4",
    }
    for quarter, conversations in [("2025Q2", "18"), ("2025K2", "20")]:
        client.post(
            reverse("events:progress_save"), {"quarter": quarter, "joint_conversations": conversations, **figures}
        )
    assert list(ProgressReport.objects.values_list("quarter", "joint_conversations")) == [("2025Q2", 20)]


def test_meeting_documents_are_uploaded_by_administrators_and_read_by_members(client_for, administrator, member):
    meeting = Meeting.objects.get(date=date(2025, 6, 18))
    url = reverse("events:document_upload", args=[meeting.pk])
    response = client_for(administrator).post(
        url, {"kind": "referat", "title": "Referat 18. juni", "file": SimpleUploadedFile("referat.exe", b"MZ")}
    )
    assert "Upload dokumenter som PDF" in html.unescape(response.content.decode())
    client_for(administrator).post(
        url,
        {
            "kind": "referat",
            "title": "Referat 18. juni",
            "file": SimpleUploadedFile("referat.pdf", b"%PDF-1.4 referat"),
        },
    )
    document = MeetingDocument.objects.get()
    member_client = client_for(member)
    assert "Referat 18. juni" in member_client.get(reverse("events:project")).content.decode()
    response = member_client.get(reverse("events:document_download", args=[document.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 referat"
    assert (
        member_client.post(
            url, {"kind": "referat", "title": "x", "file": SimpleUploadedFile("a.pdf", b"%PDF")}
        ).status_code
        == 403
    )


def test_seat_holder_is_edited_by_administrators(client_for, administrator, member):
    from events.models import GroupSeat

    seat = GroupSeat.objects.get(title="Arbejdsgiverrepræsentant fra NBR")
    assert client_for(member).get(reverse("events:seat_edit", args=[seat.pk])).status_code == 403
    client_for(administrator).post(
        reverse("events:seat_edit", args=[seat.pk]), {"holder": "Mette Sørensen", "appointed_by": "NBR"}
    )
    seat.refresh_from_db()
    assert seat.holder == "Mette Sørensen"


# --- calendar -----------------------------------------------------------------------------------------


def test_calendar_feed_needs_no_login_and_can_be_revoked(client_for, member, client):
    page = client_for(member).get(reverse("events:calendar")).content.decode()
    url = page.split('id="kalender-url" type="text" readonly value="')[1].split('"')[0]
    path = url.replace("http://testserver", "")
    client.logout()
    body = client.get(path).content.decode().replace("\r\n ", "")  # unfold lines longer than 75 octets
    assert (
        body.count("UID:messe-") + body.count("UID:moede-") == 4
    )  # two fairs, two meetings (and the annual wheel, issue 15)
    assert "SUMMARY:Inspirationsmesse for borgere på førtidspension og ledighedsydelse\\, Grenaa Bibliotek" in body
    assert "DTSTART;TZID=Europe/Copenhagen:20240313T123000" in body
    assert "DTSTART;VALUE=DATE:20250618" in body
    client_for(member).post(reverse("events:calendar"))
    client.logout()
    assert client.get(path).status_code == 404


def test_calendar_feed_refuses_unknown_tokens_and_inactive_users(client, member):
    from events.models import CalendarFeed

    feed = CalendarFeed.objects.create(user=member)
    assert client.get(reverse("events:calendar_feed", args=["gaet"])).status_code == 404
    member.is_active = False
    member.save()
    assert client.get(reverse("events:calendar_feed", args=[feed.token])).status_code == 404


def test_calendar_feed_with_a_nul_in_the_token_is_not_found(client, member):
    # Reachable without a login; PostgreSQL would refuse the NUL in the lookup with a 500.
    assert client.get("/arrangementer/kalender/a%00b.ics").status_code == 404


# --- the last seat, taken twice at the same moment (PostgreSQL) ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_caseworkers_taking_the_last_seat_never_overbook(postgres, reference_data, django_user_model):
    series = FairSeries.objects.get()
    fair = Fair.objects.create(
        series=series, venue="Auning Bibliotek", date=timezone.localdate() + timedelta(days=7), capacity=5
    )
    users = [django_user_model.objects.create_user(f"sagsbehandler{i}") for i in range(2)]
    for n in range(4):
        signups.register([fair], {"name": f"Borger {n}", "benefit_group": "anden"}, users[0])
    for attempt in range(5):  # several rounds: a race that passes once by luck must pass every time
        barrier, results, errors = threading.Barrier(2), [], []

        def take_seat(user, name, barrier=barrier, results=results, errors=errors):
            try:
                barrier.wait(timeout=10)
                results.append(signups.register([fair], {"name": name, "benefit_group": "anden"}, user)[0].status)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=take_seat, args=(u, f"Runde {attempt} {u.username}")) for u in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not errors, errors
        confirmed = fair.signups.filter(status=CitizenSignup.Status.CONFIRMED).count()
        assert confirmed == 5, f"round {attempt}: {confirmed} seats taken of 5"
        assert sorted(results) == (["tilmeldt", "venteliste"] if attempt == 0 else ["venteliste", "venteliste"])


def test_each_meetings_upload_form_has_its_own_field_ids_and_errors(client_for, administrator):
    meetings = list(Meeting.objects.order_by("date"))
    assert len(meetings) >= 2
    page = client_for(administrator).get(reverse("events:project")).content.decode()
    ids = re.findall(r'\sid="(id_[^"]+)"', page)
    assert len(ids) == len(set(ids)) >= 3 * len(meetings)
    for meeting in meetings:
        assert f'for="id_moede{meeting.pk}_kind"' in page and f'id="id_moede{meeting.pk}_kind"' in page

    wrong = meetings[1]
    response = client_for(administrator).post(
        reverse("events:document_upload", args=[wrong.pk]),
        {"kind": "referat", "title": "x", "file": SimpleUploadedFile("referat.exe", b"MZ")},
    )
    body = html.unescape(response.content.decode())
    assert body.count("Upload dokumenter som PDF") == 1  # shown in the meeting the upload was for, not in each
    section = body[body.index(f'id="moede-{wrong.pk}"') :]
    assert "Upload dokumenter som PDF" in section[: section.index("</section>")]
