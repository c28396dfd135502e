""" "Nyt siden sidst" (portal.digest): the start page's lines, the chosen date, the e-mail digest and its
role filtering, the beat job's idempotency and the unsubscribe link."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from plans.models import Goal, GoalComment, Observation, Plan, StatusChange
from portal.digest import service
from portal.digest.models import DigestDelivery, DigestSettings
from portal.digest.tasks import send_digests
from tests.support.digest_data import REMARK, make_news

pytestmark = pytest.mark.django_db


def goal_url(goal):
    return reverse("plans:goal_detail", args=[goal.plan.year, goal.major, goal.minor])


def subscribe(user, frequency="ugentlig", language="da"):
    user.email = f"{user.username}@norddjurs.dk"
    user.save()
    DigestSettings.objects.create(user=user, frequency=frequency, language=language, site_url="https://portal.test/")


def section(html: str, heading: str) -> str:
    """The list under a "Nyt siden sidst" heading."""
    found = re.search(rf"<h3>{re.escape(heading)}</h3>\s*<ul[^>]*>(.*?)</ul>", html, re.S)
    assert found, heading
    return found.group(1)


# --- the start page -------------------------------------------------------------------------------------------


def test_start_page_lists_each_kind_of_news_with_its_link(client_for, member, administrator):
    news = make_news(administrator)
    html = client_for(member).get(reverse("start")).content.decode()

    assert "Nyt siden sidst" in html
    goal = news.goal
    status = section(html, "Mål med ny status")
    assert f'<a href="{goal_url(goal)}">{goal.code} {goal.title}: nu' in status
    figures = section(html, "Nye tal")
    assert f'<a href="{goal_url(goal)}">{goal.code} {goal.title}: 1 nyt tal til og med 31. december' in figures
    assert "fra Upload" in figures
    assert reverse("investments:proposal_detail", args=[news.proposal.number]) in figures
    remarks = section(html, "Nye bemærkninger fra forvaltningen")
    assert goal_url(goal) in remarks and REMARK in remarks
    dates = section(html, "Kommende frister og datoer")
    assert f'<a href="{reverse("events:fair_detail", args=[news.fair.pk])}">' in dates


def test_plans_news_is_remembered_until_plans_data_changes(
    client_for, member, administrator, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    news = make_news(administrator)
    client = client_for(member)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("start"))
    with CaptureQueriesContext(connection) as again:
        html = client.get(reverse("start")).content.decode()

    def reads_changed_figures(queries):
        return any('"plans_observation"."updated_at" >=' in q["sql"] for q in queries.captured_queries)

    assert reads_changed_figures(first) and not reads_changed_figures(again)  # answered from the cache
    assert "nyt tal" in section(html, "Nye tal")

    Observation.objects.filter(indicator__goal=news.goal).delete()  # a write to plans: the news is read again
    html = client.get(reverse("start")).content.decode()
    assert f"{news.goal.code} {news.goal.title}: 1 nyt tal" not in html


def test_start_page_shows_a_member_no_import_or_collection_round(client_for, member, administrator):
    news = make_news(administrator)
    member_html = client_for(member).get(reverse("start")).content.decode()
    admin_html = client_for(administrator).get(reverse("start")).content.decode()

    assert "Importer, der bragte tallene" not in member_html and news.record.original_name not in member_html
    assert "Frist for lokale tal" not in member_html
    imports = section(admin_html, "Importer, der bragte tallene")
    assert f'<a href="{reverse("imports:detail", args=[news.record.pk])}">{news.record.original_name}' in imports
    assert f'href="{reverse("collection:board")}">Frist for lokale tal' in section(
        admin_html, "Kommende frister og datoer"
    )


def test_start_page_shows_a_draft_plans_news_to_administrators_only(client_for, member, administrator):
    news = make_news(administrator)
    Plan.objects.filter(pk=news.goal.plan_id).update(is_adopted=False)

    assert goal_url(news.goal) not in client_for(member).get(reverse("start")).content.decode()
    assert goal_url(news.goal) in client_for(administrator).get(reverse("start")).content.decode()


def test_start_page_reads_from_30_days_back_by_default(client_for, member, administrator):
    news = make_news(administrator)
    StatusChange.objects.update(changed_at=timezone.now() - timedelta(days=31))

    html = client_for(member).get(reverse("start")).content.decode()

    assert "De sidste 30 dage" in html
    assert "Mål med ny status" not in html
    assert goal_url(news.goal) in section(html, "Nye tal")


def test_start_page_reads_from_the_date_the_member_chose(client_for, member, administrator):
    make_news(administrator)
    StatusChange.objects.update(changed_at=timezone.now() - timedelta(days=40))
    client = client_for(member)
    chosen = timezone.localdate() - timedelta(days=45)

    response = client.post(reverse("digest_since"), {"since": chosen.isoformat()})

    assert response.status_code == 302
    assert DigestSettings.objects.get(user=member).since == chosen
    html = client.get(reverse("start")).content.decode()
    assert "den dato du har valgt" in html and f'value="{chosen.isoformat()}"' in html
    assert "Mål med ny status" in html
    client.post(reverse("digest_since"), {"since": ""})  # empty: back to the default
    assert "Mål med ny status" not in client.get(reverse("start")).content.decode()


def test_start_page_refuses_a_date_in_the_future(client_for, member):
    client = client_for(member)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(reverse("digest_since"), {"since": tomorrow.isoformat()}, follow=True)

    assert "Datoen må ikke ligge i fremtiden." in response.content.decode()
    assert not DigestSettings.objects.filter(user=member, since__isnull=False).exists()


def test_choosing_the_date_needs_a_role(client_for, outsider):
    assert client_for(outsider).post(reverse("digest_since"), {"since": ""}).status_code == 403


# --- the subscription page ------------------------------------------------------------------------------------


def test_member_subscribes_and_unsubscribes_on_the_settings_page(client_for, member):
    member.email = "medlem@norddjurs.dk"
    member.save()
    client = client_for(member)

    response = client.post(reverse("digest_settings"), {"frequency": "ugentlig"}, follow=True)

    found = DigestSettings.objects.get(user=member)
    assert (found.frequency, found.language, found.site_url) == ("ugentlig", "da", "http://testserver/")
    assert "Du får nu nyt siden sidst på e-mail: hver uge" in response.content.decode()
    client.post(reverse("digest_settings"), {"frequency": ""})
    assert DigestSettings.objects.get(user=member).frequency == ""


def test_settings_page_without_an_email_sends_an_administrator_to_their_own_user_page(
    client_for, member, administrator
):
    member.email = administrator.email = ""
    member.save()
    administrator.save()
    own_page = reverse("user_edit", args=[administrator.pk])

    for_member = client_for(member).get(reverse("digest_settings")).content.decode()
    for_admin = client_for(administrator).get(reverse("digest_settings")).content.decode()

    assert "Bed en administrator om at tilføje den." in for_member and 'href="/brugere/' not in for_member
    assert f'<a href="{own_page}">Tilføj den på din brugerside</a>' in for_admin
    assert "Bed en administrator" not in for_admin


def test_settings_page_needs_a_role(client_for, outsider):
    assert client_for(outsider).get(reverse("digest_settings")).status_code == 403


# --- the e-mail digest ----------------------------------------------------------------------------------------


def test_digest_mail_has_the_lines_links_and_an_unsubscribe_link(member, administrator, mailoutbox):
    news = make_news(administrator)
    subscribe(member)

    assert send_digests() == 1

    (mail,) = mailoutbox
    assert mail.to == ["medlem@norddjurs.dk"]
    assert mail.subject.startswith("Udvalgsportalen: nyt siden ")
    assert f"https://portal.test{goal_url(news.goal)}" in mail.body
    assert REMARK in mail.body
    assert f"https://portal.test{reverse('events:fair_detail', args=[news.fair.pk])}" in mail.body
    link = f"https://portal.test{reverse('digest_unsubscribe', args=[service.unsubscribe_token(member)])}"
    assert f"Afmeld med ét klik, uden at logge ind: {link}" in mail.body
    assert mail.extra_headers["List-Unsubscribe"] == f"<{link}>"
    html = mail.alternatives[0][0]
    assert f'<a href="https://portal.test{goal_url(news.goal)}">' in html and link in html


def test_digest_mail_says_nothing_a_member_may_not_see(member, administrator, mailoutbox):
    news = make_news(administrator)
    draft = Goal.objects.filter(plan=news.goal.plan).exclude(pk=news.goal.pk).first()
    Plan.objects.filter(pk=news.goal.plan_id).update(is_adopted=False)
    GoalComment.objects.create(goal=draft, period_code="2024H2", text="Udkast", author=administrator)
    subscribe(member)
    subscribe(administrator)

    send_digests()

    mails = {mail.to[0]: mail.body for mail in mailoutbox}
    member_mail, admin_mail = mails["medlem@norddjurs.dk"], mails["administrator@norddjurs.dk"]
    for hidden in (
        news.record.original_name,
        "Frist for lokale tal",
        goal_url(news.goal),
        "Udkast",
        administrator.username,
    ):
        assert hidden not in member_mail
    assert news.record.original_name in admin_mail and "Frist for lokale tal" in admin_mail
    assert goal_url(news.goal) in admin_mail
    # The member still hears of the fair (a total, no citizen) and the realised savings.
    assert news.fair.venue in member_mail and "realiseret besparelse" in member_mail


def test_digest_mail_is_in_english_for_an_english_subscriber(member, administrator, mailoutbox):
    news = make_news(administrator)
    subscribe(member, language="en")

    send_digests()

    (mail,) = mailoutbox
    assert mail.subject.startswith("Udvalgsportalen: news since ")
    assert "Goals with a new status" in mail.body and "Unsubscribe with one click" in mail.body
    # One figure is "1 new figure", not "1 new figures".
    assert f"{news.goal.code} {news.goal.title}: 1 new figure up to 31 December" in mail.body


def test_send_digests_sends_a_week_once_and_nothing_when_nothing_is_new(member, administrator, mailoutbox):
    long_ago = timezone.now() - timedelta(days=60)
    StatusChange.objects.update(changed_at=long_ago)  # the seed's first statuses and its one figure
    Observation.objects.update(updated_at=long_ago)
    subscribe(member)
    assert send_digests() == 0  # nothing new: no mail, and the week is not used up
    make_news(administrator)

    assert send_digests() == 1
    assert send_digests() == 0  # the same week again
    assert len(mailoutbox) == 1
    delivery = DigestDelivery.objects.get(user=member)
    assert delivery.key == service.week_key(timezone.localdate())

    next_week = timezone.now() + timedelta(days=7)
    assert service.send_due(next_week) == 0  # nothing new since the last mail
    make_news(administrator, offset=1)
    assert service.send_due(next_week) == 1
    assert len(mailoutbox) == 2 and REMARK in mailoutbox[1].body


def test_send_digests_sends_a_half_year_report_once(member, administrator, mailoutbox):
    make_news(administrator)  # the plan in force (2024) now has figures of a finished half-year
    subscribe(member, frequency="halvaarlig")

    assert send_digests() == 1
    assert send_digests() == 0
    (mail,) = mailoutbox
    key, label, url = service.ready_report(timezone.localdate())
    assert DigestDelivery.objects.get(user=member).key == key
    assert f"Halvårsrapporten for {label} er klar: https://portal.test{url}" in mail.body


def test_half_year_report_mail_names_the_half_year_in_english_for_an_english_subscriber(
    member, administrator, mailoutbox
):
    make_news(administrator)
    subscribe(member, frequency="halvaarlig", language="en")

    send_digests()

    (mail,) = mailoutbox
    code, _label, url = service.ready_report(timezone.localdate())
    half = f"H{code[-1]} {code[:4]}"  # 2026H1: H1 2026, not "1. halvår 2026"
    assert f"The half-year report for {half} is ready: https://portal.test{url}" in mail.body
    assert not re.search(r"\d\. halvår", mail.body + mail.alternatives[0][0])


def test_send_digests_skips_a_user_without_a_role_or_inactive(member, outsider, administrator, mailoutbox):
    make_news(administrator)
    subscribe(outsider)
    subscribe(member)
    member.is_active = False
    member.save()

    assert send_digests() == 0
    assert mailoutbox == []


def test_a_failed_mail_is_sent_again_on_the_next_run(member, administrator, mailoutbox, settings):
    make_news(administrator)
    subscribe(member)
    settings.EMAIL_BACKEND = "tests.portal.test_digest.FailingBackend"

    assert send_digests() == 0
    assert not DigestDelivery.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_digests() == 1


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("the mail server is down")


def test_beat_schedule_runs_the_digest_job():
    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["send-digests"]
    assert entry["task"] == "portal.digest.tasks.send_digests" and entry["task"] in app.tasks


# --- the unsubscribe link -------------------------------------------------------------------------------------


def test_unsubscribe_link_asks_then_unsubscribes_without_a_login(client, member):
    subscribe(member)
    url = reverse("digest_unsubscribe", args=[service.unsubscribe_token(member)])

    shown = client.get(url)
    assert shown.status_code == 200 and "Afmeld" in shown.content.decode()
    assert DigestSettings.objects.get(user=member).frequency == "ugentlig"  # opening the link changes nothing

    done = client.post(url)
    assert done.status_code == 200 and "Du er afmeldt" in done.content.decode()
    assert DigestSettings.objects.get(user=member).frequency == ""
    assert client.post(url).status_code == 200  # a second click: the same answer
    assert DigestSettings.objects.get(user=member).frequency == ""


def test_unsubscribe_link_refuses_a_forged_token(client, member):
    subscribe(member)
    forged = signing.dumps(member.pk, salt="another salt")

    for token in (forged, "1", service.unsubscribe_token(member)[:-2] + "xx"):
        response = client.post(reverse("digest_unsubscribe", args=[token]))
        assert response.status_code == 400 and "Linket virker ikke" in response.content.decode()
    assert DigestSettings.objects.get(user=member).frequency == "ugentlig"


def test_unsubscribe_link_unsubscribes_only_its_own_user(client, member, administrator):
    subscribe(member)
    subscribe(administrator)
    token = service.unsubscribe_token(member)
    # The user's id in the token changed to the administrator's: the signature no longer matches.
    value, signature = token.rsplit(":", 1)
    tampered = signing.dumps(administrator.pk, salt=service.UNSUBSCRIBE_SALT).rsplit(":", 1)[0] + ":" + signature

    assert client.post(reverse("digest_unsubscribe", args=[tampered])).status_code == 400
    client.post(reverse("digest_unsubscribe", args=[token]))

    assert DigestSettings.objects.get(user=member).frequency == ""
    assert DigestSettings.objects.get(user=administrator).frequency == "ugentlig"
