"""The foundation's pages: Danish texts and formats, language switch, error pages."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.paths import ROOT

pytestmark = pytest.mark.django_db


def test_start_page_shows_latest_fair_and_meeting(client_for, member):
    response = client_for(member).get(reverse("start"))
    # Both fairs and both meetings lie in the past (today is after October 2025).
    assert "Der er ingen kommende messer." in response.text
    assert "Auning Bibliotek</a>, 21. marts 2024" in response.text
    assert "8. oktober 2025" in response.text


def test_investment_overview_reproduces_the_summary_in_danish_format(client_for, member):
    response = client_for(member).get(reverse("investments:overview"))
    text = response.text
    for total in ("-1.629", "-6.765", "-13.358", "-18.208"):
        assert f">{total}</td>" in text
    assert re.search(r">\s*2020\s*</th>", text) and "2.020" not in text  # years are not grouped


def test_proposal_page_shows_the_data_note(client_for, member):
    response = client_for(member).get(reverse("investments:proposal_detail", args=[5]))
    assert "trykt: 1,362" in response.text
    assert "Datanote for 2021" in response.text
    assert 'data-label="Besparelse på forsørgelse">-1,362' in response.text


def test_fair_dates_are_in_danish(client_for, member):
    response = client_for(member).get(reverse("events:fair_list"))
    assert "onsdag 13. marts 2024" in response.text
    assert "torsdag 21. marts 2024" in response.text
    assert "Denne del af programmet udgår" in response.text


def test_language_switch_to_english(client_for, member):
    client = client_for(member)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("start")}, follow=True)
    assert '<html lang="en">' in response.text
    assert "Log out" in response.text
    response = client.get(reverse("investments:overview"))
    assert ">-1,629</td>" in response.text  # English number format


def test_unknown_page_gives_danish_404(client_for, member):
    response = client_for(member).get("/findes-ikke/")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.text


def test_server_error_page_is_danish_and_standalone(client):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Der opstod en fejl" in html and "{%" not in html


def test_too_many_files_in_one_upload_gives_a_danish_400(client_for, administrator, settings):
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    files = [SimpleUploadedFile(f"udtraek-{n}.csv", b"a;b\n1;2\n") for n in range(limit + 1)]
    response = client_for(administrator).post(reverse("imports:list"), {"files": files})
    assert response.status_code == 400
    assert f"Du har valgt for mange filer på én gang (højst {limit})." in html.unescape(response.text)
    assert "Bad Request" not in response.text


def test_too_large_form_gives_a_danish_413(client, settings):
    text = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(reverse("login"), {"username": "medlem", "password": text})
    assert response.status_code == 413
    assert "Det, du sendte, fylder for meget" in html.unescape(response.text)


def test_bad_request_page_is_danish_even_before_the_user_is_known(client):
    response = client.get(reverse("login"), HTTP_HOST="ukendt.example")  # refused before the session and login are read
    assert response.status_code == 400
    assert "Forespørgslen kunne ikke behandles" in html.unescape(response.text)


def test_browser_language_does_not_switch_the_portal_to_english(client_for, member):
    response = client_for(member).get(reverse("start"), headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="da">' in response.text


def test_start_page_lists_goals_needing_attention(client_for, member):
    from plans.evaluation import Status
    from plans.models import Indicator

    Indicator.objects.filter(goal__major=6, goal__minor=11).update(status=Status.NOT_MET)
    Indicator.objects.filter(goal__major=1, goal__minor=2).update(status=Status.ON_TRACK)
    text = client_for(member).get(reverse("start")).text
    assert "Mål der kræver opmærksomhed" in text
    assert "6.11</span> Afklaring af unges arbejds- og uddannelsesperspektiv" in text
    assert "20 mål mangler data" in text


def test_english_catalogue_is_complete():
    """Every Danish text has an English translation that is not a fuzzy guess."""

    catalogue = (ROOT / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    assert "#, fuzzy\n#|" not in catalogue
    entries = catalogue.split("\n\n")[1:]
    untranslated = [e for e in entries if 'msgstr ""' in e and 'msgstr ""\n"' not in e and "msgid_plural" not in e]
    assert untranslated == []


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("-0.8145", 3, "-0,815"),
        ("1629", 0, "1.629"),
        ("-18208", 0, "-18.208"),
        ("82.45", 1, "82,5"),
        (None, 1, "-"),
        ("2.5", 0, "3"),
    ],
)
def test_numbers_are_rounded_and_grouped_the_danish_way(value, decimals, expected):
    from portal.templatetags.portal_format import tal

    assert tal(value, decimals) == expected
