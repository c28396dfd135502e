""" "Nyt siden sidst" in Chromium: a member reads the start page's news, chooses a date, subscribes to the
e-mail digest; the beat job's task sends it; the mail's unsubscribe link works in a browser without a login."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from portal.digest.models import DigestSettings
from portal.digest.tasks import send_digests
from portal.roles import Role
from tests.conftest import PASSWORD
from tests.support.digest_data import REMARK, make_news

pytestmark = pytest.mark.django_db(transaction=True)


def person(username, role):
    user = User.objects.create_user(
        username, password=PASSWORD, first_name=username.title(), email=f"{username}@norddjurs.dk"
    )
    user.groups.add(Group.objects.get(name=role.group_name))
    return user


def test_member_reads_news_subscribes_and_unsubscribes_from_the_mail(reference_data, visit, browser, mailoutbox):
    member = person("medlem", Role.MEMBER)
    news = make_news(person("administrator", Role.ADMINISTRATOR))
    goal = news.goal

    visit.login("medlem")
    panel = visit.page.locator("#nyt-siden-sidst")
    assert panel.get_by_role("heading", name="Nyt siden sidst").is_visible()
    assert panel.get_by_role("heading", name="Mål med ny status").is_visible()
    assert panel.get_by_text(REMARK).is_visible()
    assert panel.get_by_role("link", name=re.compile(re.escape(news.fair.venue))).is_visible()
    # At a phone's width the lines wrap: nothing is wider than the screen.
    visit.page.set_viewport_size({"width": 390, "height": 844})
    assert visit.page.evaluate("document.documentElement.scrollWidth") <= 390
    visit.screenshot("nyt-siden-sidst-390")
    visit.page.set_viewport_size({"width": 1366, "height": 900})

    panel.get_by_role("link", name=re.compile(rf"^{re.escape(goal.code)} .*ny[et] tal")).first.click()
    visit.check()
    assert visit.page.get_by_role("heading", level=1, name=f"{goal.code} {goal.title}").is_visible()

    visit.goto("/")
    chosen = timezone.localdate() - timedelta(days=60)
    visit.page.get_by_label("Vis nyt siden").fill(chosen.isoformat())
    visit.page.get_by_role("button", name="Vis", exact=True).click()
    visit.check()
    assert "den dato du har valgt" in visit.page.locator("#nyt-siden-sidst").inner_text()
    assert DigestSettings.objects.get(user=member).since == chosen

    visit.page.get_by_role("link", name="Få nyt siden sidst på e-mail").click()
    visit.check()
    visit.page.get_by_label("Hver uge, når der er nyt").check()
    visit.page.get_by_role("button", name="Gem").click()
    visit.check()
    assert "Du får nu nyt siden sidst på e-mail" in visit.page.locator(".messages").inner_text()

    assert send_digests() == 1  # the beat job's task
    assert send_digests() == 0  # run again: no second mail
    (sent,) = mailoutbox
    assert REMARK in sent.body and goal.title in sent.body
    link = re.search(r"Afmeld med ét klik, uden at logge ind: (\S+)", sent.body).group(1)
    assert link.startswith(visit.base_url)

    context = browser.new_context(locale="da-DK")  # no session: the link works without logging in
    try:
        page = context.new_page()
        page.goto(link)
        assert page.get_by_role("heading", name="Afmeld nyt siden sidst").is_visible()
        assert DigestSettings.objects.get(user=member).frequency == "ugentlig"  # opening the link changes nothing
        page.get_by_role("button", name="Afmeld").click()
        assert page.get_by_role("heading", name="Du er afmeldt").is_visible()
    finally:
        context.close()
    assert DigestSettings.objects.get(user=member).frequency == ""
