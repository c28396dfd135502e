"""Single sign-on in Chromium: the login page, the test provider's page, and back into the portal.

The provider (tests/support/oidc_provider.py) runs on its own port; the portal (live server) calls it for
discovery, the token, the keys and userinfo. Every portal page is checked with axe-core; the
provider's page is not ours and is not checked.
"""

import pytest

from portal.roles import Role, role_of

pytestmark = pytest.mark.django_db(transaction=True)


def sso_login(visit, provider, display_name):
    visit.goto("/log-ind/?next=/arrangementer/")
    visit.page.get_by_role("link", name="Log ind med Norddjurs Kommunes login").click()
    visit.page.wait_for_url(provider.url + "/authorize?**")
    visit.page.get_by_role("button", name=display_name).click()
    visit.page.wait_for_url(visit.base_url + "/**")
    visit.check()


def test_caseworker_logs_in_with_the_municipal_login_and_gets_the_caseworker_role(reference_data, sso, visit):
    from django.contrib.auth.models import User

    sso_login(visit, sso, "Sara Sag")
    assert visit.page.url == visit.base_url + "/arrangementer/"
    assert visit.page.locator(".user-name").inner_text() == "Sara Sag (Sagsbehandler)"
    assert role_of(User.objects.get(username="sso-00b2-sara")) == Role.CASEWORKER
    # The role works: the caseworker's sign-up page opens (403 for anyone less).
    visit.page.get_by_role("link", name="Kulturaktører").first.click()
    visit.check()
    assert visit.page.get_by_role("heading", name="Kulturaktører").first.is_visible()
    visit.screenshot("4-sso-sagsbehandler")

    visit.page.get_by_role("button", name="Log ud").click()
    visit.check()
    assert visit.page.get_by_role("link", name="Log ind med Norddjurs Kommunes login").is_visible()


def test_user_without_a_mapped_group_sees_whom_to_ask_and_is_not_logged_in(reference_data, sso, visit):
    from django.contrib.auth.models import User

    sso_login(visit, sso, "Ulla Udenfor")
    assert visit.page.url == visit.base_url + "/log-ind/ingen-adgang/"
    assert visit.page.get_by_role("heading", name="Du har ikke adgang til Udvalgsportalen endnu").is_visible()
    assert (
        "Bed Arbejdsmarkedsafdelingens IT-koordinator om at give dig adgang." in visit.page.locator("main").inner_text()
    )
    assert visit.page.locator(".user-name").count() == 0
    assert not User.objects.filter(username__startswith="sso-").exists()
    visit.screenshot("5-sso-ingen-adgang")
