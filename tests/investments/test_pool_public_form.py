"""The pool's public application form (/pulje/ansoeg/): open without a login, and hostile input refused."""

import io
import json
import logging
import re
import time
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from investments.pool.models import Application, Attachment, PoolRound, PoolYear
from investments.pool.public import forms as public_forms
from investments.pool.public import service
from investments.pool.public import views as public_views
from investments.pool.services import rounds
from portal.logging import JsonFormatter, KeyValueFormatter

pytestmark = pytest.mark.django_db
URL = "/pulje/ansoeg/"
TEXT_FIELDS = [
    "organisation",
    "cvr",
    "contact_name",
    "contact_email",
    "contact_phone",
    "title",
    "description",
    "amount_applied",
    "budget",
]


def pdf_bytes(pages: int = 1, extra: bytes = b"") -> bytes:
    """A real PDF written by pypdf (not by the code under test)."""
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if extra:
        writer.add_metadata({"/Subject": extra.decode()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf(name="budget.pdf", content=None):
    return SimpleUploadedFile(name, content if content is not None else pdf_bytes(), content_type="application/pdf")


@pytest.fixture
def open_round(db):
    """The seeded round that takes applications today (the seed makes this year's four), with its meeting."""
    pool_round = rounds.open_round(timezone.localdate())
    pool_round.meeting_date = pool_round.deadline + timedelta(days=14)
    pool_round.save()
    return pool_round


@pytest.fixture
def no_rounds(db):
    PoolRound.objects.all().delete()


def valid(**changes):
    data = {
        "organisation": "Grenaa Idrætsforening",
        "kind": "forening",
        "cvr": "12 34 56 78",
        "contact_name": "Signe Halkjær-Mortensen",
        "contact_email": "signe.halkjaer@example.dk",
        "contact_phone": "+45 29 38 47 56",
        "title": "Motion og jobsøgning",
        "description": "Ugentlig træning for ledige med samtaler om job bagefter.",
        "goals": ["1.1", "1.2"],
        "amount_applied": "45.000",
        "period_start": "2027-02-01",
        "period_end": "2027-11-30",
        "budget": "Instruktør 30.000 kr.\nLokaler 15.000 kr.",
        "website": "",
        "started": public_forms.started_token(time.time() - 60),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data, forwarded_for=None, **extra):
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(URL, data, **extra)


def page(response) -> str:
    return response.content.decode()


# --- Open without a login, and nothing else opened ------------------------------------------------


def test_form_opens_without_a_login_with_the_site_security_headers(client, open_round):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Ansøg om støtte fra Arbejdsmarkedsudvalgets pulje" in page(response)
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert 'name="csrfmiddlewaretoken"' in page(response)


def test_honeypot_is_hidden_from_people_screen_readers_and_the_tab_order(client, open_round):
    html = page(client.get(URL))
    start = html.index('<div class="visually-hidden" aria-hidden="true">')
    block = html[start : html.index("</div>", start)]
    assert 'name="website"' in block and 'tabindex="-1"' in block and 'autocomplete="off"' in block
    assert html.count('name="website"') == 1


def test_a_valid_application_is_stored_with_its_pdf_and_a_receipt_is_mailed(client, open_round):
    content = pdf_bytes(pages=2)
    response = post(client, {**valid(), "attachments": [pdf("budget.pdf", content)]})
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.round, application.source, application.state) == (open_round, "web", "modtaget")
    assert (application.cvr, application.goal_codes, application.amount_applied) == (
        "12345678",
        "1.1,1.2",
        Decimal("45000"),
    )
    assert application.contact_phone == "+45 29 38 47 56" and application.goal_year == 2024
    [attachment] = application.attachments.all()
    assert attachment.original_name == "budget.pdf" and attachment.size == len(content)
    assert attachment.file.read() == content and attachment.content_type == "application/pdf"
    assert attachment.file.name.startswith("pulje/") and "budget" not in attachment.file.name

    reference = service.reference(application)
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200 and reference in page(receipt)
    assert "Grenaa Idrætsforening" not in page(receipt) and "Signe" not in page(receipt)
    [message] = mail.outbox
    assert message.to == ["signe.halkjaer@example.dk"] and reference in message.subject and reference in message.body
    assert message.attachments == []
    # Nothing the sender wrote is in the receipt: the form relays no text to someone else's inbox.
    for written in ("Grenaa", "Motion og jobsøgning", "Signe", "Instruktør", "12345678"):
        assert written not in message.body and written not in message.subject


def test_references_do_not_reveal_how_many_applications_there_are(client, open_round):
    for n in range(3):
        post(client, valid(title=f"Projekt {n}"))
    references = [service.reference(a) for a in Application.objects.order_by("pk")]
    year = open_round.deadline.year
    assert all(re.fullmatch(rf"P{year}-[0-9A-Z]{{4}}-[0-9A-Z]{{4}}", r) for r in references)
    # Consecutive applications get unrelated codes, not a counter: most characters differ.
    for first, second in zip(references, references[1:]):
        assert sum(a != b for a, b in zip(first, second)) >= 4, (first, second)


def test_the_receipt_page_needs_its_signed_token(client, open_round):
    response = post(client, valid())
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert client.get(reverse("pool_public:receipt", args=[token[:-2] + "xx"])).status_code == 404
    assert client.get(reverse("pool_public:receipt", args=["P2026-AAAA-BBBB"])).status_code == 404


def test_stored_attachments_are_not_served_to_the_public(client, open_round):
    post(client, {**valid(), "attachments": [pdf()]})
    attachment = Attachment.objects.get()
    for path in (f"/media/{attachment.file.name}", f"/{attachment.file.name}"):
        response = client.get(path)
        assert response.status_code in (302, 404), path  # the login page, or nothing
        assert b"%PDF" not in response.content


def test_a_form_without_the_csrf_token_is_refused_and_stores_nothing(open_round):
    strict = Client(enforce_csrf_checks=True)
    strict.get(URL)  # the cookie, but no token in the form
    response = strict.post(URL, valid())
    assert response.status_code == 403
    assert not Application.objects.exists()


# --- Hostile text ----------------------------------------------------------------------------------


def test_html_and_script_are_shown_as_text_and_stored_as_written(client, open_round):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    # An error elsewhere makes the page show the values again.
    html = page(post(client, valid(title=script, organisation=script, period_end="2020-01-01")))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    post(client, valid(title=script))
    assert Application.objects.get().title == script  # stored as written; every page escapes it


def test_formulas_are_stored_as_text_and_neutralised_by_the_export_writer(client, open_round):
    from portal.exports import csv_response

    post(client, valid(organisation="=1+1", title='=HYPERLINK("http://x","klik")', budget="+SUM(A1)"))
    application = Application.objects.get()
    assert (application.organisation, application.budget) == ("=1+1", "+SUM(A1)")
    exported = csv_response(
        "a.csv", ["org", "titel", "budget"], [[application.organisation, application.title, application.budget]]
    )
    text = exported.content.decode("utf-8-sig")
    assert "'=1+1" in text and "'=HYPERLINK" in text and "'+SUM(A1)" in text


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_nul_character_is_refused_in_every_text_field(client, open_round, field):
    response = post(client, valid(**{field: valid()[field] + "\x00"}))
    assert response.status_code == 200
    assert not Application.objects.exists()
    assert 'aria-invalid="true"' in page(response)


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_megabyte_of_text_is_refused_in_every_text_field(client, open_round, field):
    response = post(client, valid(**{field: "x" * 1_000_000}))
    assert response.status_code == 200
    assert not Application.objects.exists()
    assert "Ansøgningen er ikke sendt" in page(response)


def test_text_fields_say_their_limits_in_the_page(client, open_round):
    html = page(client.get(URL))
    for name, limit in (("organisation", 200), ("description", 10_000), ("budget", 5_000), ("title", 200)):
        [tag] = re.findall(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html)
        assert f'maxlength="{limit}"' in tag, tag


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"cvr": "1234567"}, "Et CVR-nummer er 8 cifre"),
        ({"cvr": "ABCDEFGH"}, "Et CVR-nummer er 8 cifre"),
        ({"contact_email": "ikke en adresse"}, "gyldig e-mail-adresse"),
        ({"contact_email": "a@b.dk\nBcc: x@y.dk"}, "gyldig e-mail-adresse"),
        ({"contact_phone": "ring til mig"}, "telefonnummer"),
        ({"goals": ["1.1", "9.99; DROP TABLE"]}, "tilgængelige valgmuligheder"),
        ({"amount_applied": "-5"}, "større end eller lig"),
        ({"amount_applied": "250.000,01"}, "Puljen er på 250.000 kr. i alt"),
        ({"period_end": "2027-01-01"}, "Projektet skal slutte efter, det begynder."),
        ({"period_start": "31-31-2027"}, "gyldig dato"),
        ({"kind": "hacker"}, "tilgængelige valgmuligheder"),
    ],
)
def test_wrong_values_are_refused_with_a_message(client, open_round, changes, message):
    response = post(client, valid(**changes))
    assert response.status_code == 200
    assert message.lower() in page(response).lower()
    assert not Application.objects.exists()


def test_errors_are_linked_to_their_fields_for_screen_readers(client, open_round):
    html = page(post(client, valid(cvr="123", title="")))
    assert 'id="id_cvr_error"' in html and 'aria-describedby="id_cvr_error id_cvr_helptext"' in html
    assert 'id="id_title_error"' in html and 'aria-describedby="id_title_error"' in html
    assert '<a href="#id_cvr">CVR-nummer</a>' in html  # the summary links to the field


# --- Hostile files ---------------------------------------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    return out.getvalue()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("billede.pdf", PNG, "er ikke en PDF-fil"),
        ("arkiv.pdf", _zip(), "er ikke en PDF-fil"),
        ("tom.pdf", b"", "tom"),
        ("program.exe", b"MZ" + b"\x00" * 100, "er ikke en PDF-fil"),
        ("budget.docx", _zip(), "er ikke en PDF-fil"),
        ("afbrudt.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n", "er ikke en hel PDF-fil"),
    ],
)
def test_a_file_that_is_no_pdf_is_refused(client, open_round, name, content, message):
    response = post(client, {**valid(), "attachments": [SimpleUploadedFile(name, content)]})
    assert response.status_code == 200
    assert message in page(response)
    assert not Application.objects.exists() and not Attachment.objects.exists()


def test_a_pdf_that_runs_javascript_is_refused(client, open_round):
    content = pdf_bytes().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )
    assert b"/JavaScript" in content
    response = post(client, {**valid(), "attachments": [pdf("hostile.pdf", content)]})
    assert "indeholder JavaScript" in page(response)
    assert not Application.objects.exists()


def test_a_file_over_the_size_cap_is_refused(client, open_round, monkeypatch):
    monkeypatch.setattr(public_forms, "MAX_FILE_BYTES", 50_000)
    big = pdf_bytes(extra=b"x" * 60_000)
    response = post(client, {**valid(), "attachments": [pdf("stor.pdf", big)]})
    assert "fylder mere end" in page(response)
    assert not Application.objects.exists()


def test_a_real_file_over_ten_megabytes_is_refused(client, open_round):
    big = pdf_bytes(extra=b"x" * (10 * 1024 * 1024 + 1))
    response = post(client, {**valid(), "attachments": [pdf("stor.pdf", big)]})
    assert "fylder mere end 10 MB" in page(response)
    assert not Application.objects.exists()


def test_files_over_the_total_cap_are_refused(client, open_round, monkeypatch):
    monkeypatch.setattr(public_forms, "MAX_TOTAL_BYTES", 3 * len(pdf_bytes()) - 1)
    response = post(client, {**valid(), "attachments": [pdf(f"{n}.pdf") for n in range(3)]})
    assert "i alt" in page(response)
    assert not Application.objects.exists()


def test_more_than_five_files_are_refused(client, open_round):
    response = post(client, {**valid(), "attachments": [pdf(f"bilag{n}.pdf") for n in range(6)]})
    assert "Vedhæft højst 5 filer" in page(response)
    assert not Attachment.objects.exists()
    post(client, {**valid(), "attachments": [pdf(f"bilag{n}.pdf") for n in range(5)]})
    assert Attachment.objects.count() == 5


def test_a_body_larger_than_every_cap_is_refused_before_it_is_read(client, open_round):
    response = client.post(URL, valid(), CONTENT_LENGTH=str(200 * 1024 * 1024))
    assert response.status_code == 413
    assert "fylder for meget" in page(response)
    assert not Application.objects.exists()


def test_a_file_name_with_a_path_and_control_characters_is_cleaned(client, open_round):
    post(client, {**valid(), "attachments": [pdf("..\\..\\etc\\bud\x07get\u202e.pdf")]})
    attachment = Attachment.objects.get()
    assert attachment.original_name == "budget.pdf"


# --- Bots: honeypot and fill time ------------------------------------------------------------------


def test_a_filled_honeypot_stores_nothing_and_mails_nothing(client, open_round):
    response = post(client, valid(website="http://spam.example"))
    assert response.status_code == 200
    assert "Ansøgningen kunne ikke modtages" in page(response)
    assert not Application.objects.exists() and mail.outbox == []


def test_a_form_sent_faster_than_a_person_can_fill_it_stores_nothing(client, open_round):
    response = post(client, valid(started=public_forms.started_token(time.time() - 1)))
    assert "Formularen blev sendt meget hurtigt" in page(response)
    assert not Application.objects.exists()


def test_the_empty_form_sent_at_once_names_the_missing_fields_without_the_wait_message(client, open_round):
    response = post(client, {"started": public_forms.started_token(), "website": ""})
    assert "Dette felt er påkrævet" in page(response)
    assert "Formularen blev sendt meget hurtigt" not in page(response)
    assert not Application.objects.exists()


@pytest.mark.parametrize("started", [None, "", "1700000000", "forfalsket:token"])
def test_a_missing_or_forged_start_time_stores_nothing(client, open_round, started):
    response = post(client, valid(started=started))
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_a_form_open_for_more_than_a_day_is_sent_again(client, open_round):
    response = post(client, valid(started=public_forms.started_token(time.time() - 25 * 60 * 60)))
    assert "Formularen har været åben i over et døgn" in page(response)
    assert not Application.objects.exists()


# --- Rate limit per client address -----------------------------------------------------------------


def test_a_thousand_submissions_from_one_address_store_five(client, open_round, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    data = valid()
    started = time.monotonic()
    statuses = [post(client, data, "198.51.100.7").status_code for _ in range(1000)]
    elapsed = time.monotonic() - started
    assert statuses[:5] == [302] * 5
    assert set(statuses[5:]) == {429}
    assert Application.objects.count() == 5 and len(mail.outbox) == 5
    refused = post(client, data, "198.51.100.7")
    assert "For mange ansøgninger på kort tid" in page(refused) and int(refused["Retry-After"]) <= 3600
    # A forged entry before the proxy's own is the same client.
    assert post(client, data, "203.0.113.50, 198.51.100.7").status_code == 429
    # Another address is not affected.
    assert post(client, data, "203.0.113.9").status_code == 302
    assert Application.objects.count() == 6
    assert elapsed < 60, f"1.000 indsendelser tog {elapsed:.1f} s"


def test_forms_with_errors_do_not_use_up_the_submissions_but_posts_are_bounded(client, open_round, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(10):
        assert post(client, valid(title=""), "198.51.100.8").status_code == 200
    assert post(client, valid(), "198.51.100.8").status_code == 302  # errors used no submission
    statuses = [post(client, valid(title=""), "198.51.100.8").status_code for _ in range(30)]
    assert statuses.count(429) == 30 - (public_views.POSTS_PER_WINDOW - 11)
    assert post(client, valid(), "198.51.100.8").status_code == 429


def test_one_ipv6_network_is_one_client(client, open_round, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        assert post(client, valid(), f"2001:db8:1:2::{n + 1}").status_code == 302
    assert post(client, valid(), "2001:db8:1:2:ffff::9").status_code == 429
    assert post(client, valid(), "2001:db8:1:3::1").status_code == 302


def test_without_a_proxy_the_forwarded_for_header_is_ignored(client, open_round, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        post(client, valid(), f"203.0.113.{n}")
    assert post(client, valid(), "203.0.113.99").status_code == 429  # one REMOTE_ADDR, whatever the header says


def test_the_count_goes_on_in_the_process_when_the_cache_fails(client, open_round, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "incr", broken)
    statuses = [post(client, valid()).status_code for _ in range(7)]
    assert statuses == [302] * 5 + [429] * 2


# --- Closed round ----------------------------------------------------------------------------------


def test_between_rounds_the_page_says_when_the_next_round_opens(client, no_rounds):
    today = timezone.localdate()
    year = PoolYear.objects.get_or_create(year=today.year + 1)[0]
    PoolRound.objects.create(pool_year=year, deadline=today.replace(year=today.year + 1, month=3, day=15))
    response = client.get(URL)
    assert response.status_code == 200
    html = page(response)
    assert "Puljen er lukket for ansøgninger" in html
    assert f"Næste runde åbner 1. januar {today.year + 1} med ansøgningsfrist 15. marts {today.year + 1}." in html
    assert 'name="organisation"' not in html


def test_without_a_coming_round_the_page_names_the_four_deadlines(client, no_rounds):
    html = page(client.get(URL))
    assert "næste runde er ikke fastlagt endnu" in html and "marts, juni, september og december" in html


def test_a_round_is_open_until_the_end_of_its_deadline(no_rounds):
    today = timezone.localdate()
    previous = today - timedelta(days=1)
    PoolRound.objects.create(pool_year=PoolYear.objects.get_or_create(year=previous.year)[0], deadline=previous)
    pool_round = PoolRound.objects.create(pool_year=PoolYear.objects.get(year=today.year), deadline=today)
    window = service.current_window(today)
    assert window.round == pool_round and window.is_open(today)
    assert not service.current_window(today + timedelta(days=1)).is_open(today + timedelta(days=1))


def test_a_form_sent_after_the_deadline_stores_nothing(client, no_rounds):
    response = post(client, valid())
    assert response.status_code == 200
    assert "fristen nåede at udløbe" in page(response)
    assert not Application.objects.exists()


# --- Language, logs --------------------------------------------------------------------------------


def test_the_form_and_its_errors_in_english(client, open_round, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client.get(URL))
    assert "Apply for a grant from the Labour Market Committee's pool" in html
    assert "they and the attachments are deleted 6 months after the refusal" in html
    assert "At most 5 PDF files" in html and "Højst" not in html
    html = page(post(client, valid(cvr="123", amount_applied="45,000")))
    assert "The application has not been sent" in html and "A CVR number is 8 digits" in html
    response = post(client, valid(amount_applied="45,000"))
    assert response.status_code == 302
    assert "Receipt for your application" in mail.outbox[0].subject


def test_the_logs_hold_no_personal_data_of_the_applicant(client, open_round, caplog, capsys, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    caplog.set_level(logging.DEBUG)
    post(client, {**valid(), "attachments": [pdf()]}, "198.51.100.7")
    post(client, valid(cvr="123"), "198.51.100.7")  # an error echoes the values in the page, not the log
    post(client, valid(website="x"), "198.51.100.7")
    text = "\n".join(JsonFormatter().format(r) + "\n" + KeyValueFormatter().format(r) for r in caplog.records)
    captured = capsys.readouterr()
    text += captured.out + captured.err
    assert any(r.name == "portal.request" and r.path == URL for r in caplog.records)
    for value in ("Signe", "Halkjær", "signe.halkjaer", "29 38 47 56", "12345678", "Grenaa Idræt", "198.51.100.7"):
        assert value not in text, f"{value!r} står i loggen"
    assert json.loads(JsonFormatter().format(next(r for r in caplog.records if r.name == "investments.pool.public")))


def test_the_form_says_when_a_refused_applicants_data_is_deleted(client, open_round, settings):
    settings.POOL_PERSONAL_DATA_MONTHS = 9
    assert "slettes de og bilagene 9 måneder efter afslaget" in page(client.get(URL))
