"""The permission matrix: every URL of the portal, for every role, GET and POST.

URLs are discovered from the URL conf, so a new page without an entry here fails the test.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from events.models import (
    Association,
    CalendarFeed,
    CitizenSignup,
    Fair,
    FairSeries,
    GroupSeat,
    Meeting,
    MeetingDocument,
)
from investments.models import Application, YearlyFigure
from investments.pool.services import attachments as pool_attachments
from investments.pool.services import decisions as pool_decisions
from investments.pool.services import rounds as pool_rounds
from plans.models import (
    CollectionItem,
    CollectionRound,
    ComparisonGroup,
    DataImport,
    DataOwner,
    ExtractMapping,
    Goal,
    Indicator,
    Plan,
    WheelEvent,
)

pytestmark = pytest.mark.django_db
PERSONAS = ["anonymous", "outsider", "data_owner", "member", "caseworker", "administrator"]
LEVEL = {"member": 2, "caseworker": 3, "administrator": 4}  # persona -> rank; outsider 1, anonymous 0
RANK = {"anonymous": 0, "outsider": 1, "data_owner": 1, **LEVEL}
# The data owner holds no role (portal.roles): outside the order, they open only these pages, for the
# indicator they own (6.10's, in the objects fixture) and the round that asks for it; everything else is 403.
DATA_OWNER_GET = {
    "start": 302,  # to their figures
    "plans:goal_detail": 200,
    "collection:mine": 200,
    "collection:figures": 200,
    "collection:template": 200,
}
DATA_OWNER_POST = {"collection:figures", "collection:upload"}

# name -> (URL kwargs from the objects fixture, lowest role for GET, lowest role for POST or None)
MATRIX = {
    "start": ({}, "member", None),
    "user_list": ({}, "administrator", None),
    "user_new": ({}, "administrator", "administrator"),
    "user_edit": ({"pk": "user"}, "administrator", "administrator"),
    "user_send_link": ({"pk": "user"}, "post-only", "administrator"),
    "audit_list": ({}, "administrator", None),
    "digest_since": ({}, "post-only", "member"),
    "digest_settings": ({}, "member", "member"),
    "audit_detail": ({"label": "investments.YearlyFigure", "history_id": "history_id"}, "administrator", None),
    "plans:goal_list": ({}, "member", None),
    "plans:report": ({}, "member", None),
    "plans:benchmark": ({}, "member", None),
    "catalogue:list": ({}, "member", None),
    "plans:comparison_groups": ({}, "administrator", None),
    "plans:comparison_group_new": ({}, "administrator", "administrator"),
    "plans:comparison_group_edit": ({"pk": "comparison_group"}, "administrator", "administrator"),
    "plans:comparison_group_delete": ({"pk": "comparison_group"}, "post-only", "administrator"),
    "plans:goal_owner": ({"year": 2024, "major": 6, "minor": 10}, "post-only", "administrator"),
    "plans:goal_detail": ({"year": 2024, "major": 6, "minor": 10}, "member", None),
    "plans:comment_add": ({"year": 2024, "major": 6, "minor": 10}, "post-only", "administrator"),
    "plans:observation_add": ({"pk": "indicator"}, "post-only", "administrator"),
    "plans:indicator_rule": ({"pk": "indicator"}, "administrator", "administrator"),
    "plans:plan_list": ({}, "administrator", None),
    "plans:plan_new": ({}, "post-only", "administrator"),
    "plans:plan_import": ({}, "administrator", "administrator"),
    "plans:plan_detail": ({"year": 2024}, "administrator", None),
    "plans:plan_adopt": ({"year": 2024}, "administrator", "administrator"),
    "plans:plan_template": ({"year": 2024}, "administrator", None),
    "plans:plan_goal_new": ({"year": "draft_year"}, "administrator", "administrator"),
    "plans:plan_goal_edit": ({"year": "draft_year", "pk": "draft_goal"}, "administrator", "administrator"),
    "plans:plan_goal_delete": ({"year": "draft_year", "pk": "draft_goal"}, "post-only", "administrator"),
    "plans:wheel": ({}, "member", None),
    "keyfigures:overview": ({}, "member", None),
    "keyfigures:local_edit": ({}, "administrator", "administrator"),
    "budget:overview": ({}, "member", None),
    "budget:edit": ({"year": 2026}, "administrator", "administrator"),
    "plans:wheel_event_new": ({}, "administrator", "administrator"),
    "plans:wheel_event_edit": ({"pk": "wheel_event"}, "administrator", "administrator"),
    "plans:wheel_event_delete": ({"pk": "wheel_event"}, "post-only", "administrator"),
    "imports:list": ({}, "administrator", "administrator"),
    "imports:detail": ({"pk": "data_import"}, "administrator", None),
    "imports:status": ({"pk": "data_import"}, "administrator", None),
    "imports:mappings": ({}, "administrator", None),
    "imports:template": ({}, "administrator", None),
    "imports:mapping_new": ({}, "administrator", "administrator"),
    "imports:mapping_edit": ({"pk": "mapping"}, "administrator", "administrator"),
    "imports:api": ({}, "administrator", "administrator"),
    "collection:board": ({}, "administrator", None),
    "collection:round_start": ({}, "post-only", "administrator"),
    "collection:owners": ({}, "administrator", "administrator"),
    "collection:mine": ({}, "administrator", None),
    "collection:figures": ({"pk": "round"}, "administrator", "administrator"),
    "collection:template": ({"pk": "round"}, "administrator", None),
    "collection:upload": ({"pk": "round"}, "post-only", "administrator"),
    "investments:overview": ({}, "member", None),
    "investments:budget": ({}, "member", None),
    "investments:proposal_detail": ({"number": 1}, "member", None),
    "investments:figure_save": ({"number": 1}, "post-only", "administrator"),
    "investments:realisation_save": ({"number": 1}, "post-only", "administrator"),
    "investments:pool": ({}, "member", None),
    "investments:pool_year_save": ({"year": 2027}, "post-only", "administrator"),
    "investments:pool_round": ({"pk": "pool_round"}, "member", None),
    "investments:pool_round_save": ({"pk": "pool_round"}, "post-only", "administrator"),
    "investments:pool_round_agenda": ({"pk": "pool_round"}, "member", None),
    "investments:pool_application_new": ({}, "administrator", "administrator"),
    "investments:pool_application": ({"pk": "pool_application"}, "member", None),
    "investments:pool_assessment_save": ({"pk": "pool_application"}, "post-only", "administrator"),
    "investments:pool_decision_save": ({"pk": "pool_application"}, "post-only", "administrator"),
    "investments:pool_follow_up_save": ({"pk": "pool_granted"}, "post-only", "administrator"),
    "investments:pool_attachment": ({"pk": "pool_attachment"}, "administrator", None),
    "events:fair_list": ({}, "member", None),
    "events:fair_add": ({}, "post-only", "administrator"),
    "events:fair_detail": ({"pk": "fair"}, "member", None),
    "events:fair_capacity": ({"pk": "fair"}, "post-only", "administrator"),
    "events:signups": ({"pk": "fair"}, "caseworker", "caseworker"),
    "events:signup_cancel": ({"pk": "signup"}, "post-only", "caseworker"),
    "events:checkin": ({"pk": "fair"}, "caseworker", "caseworker"),
    "events:participants": ({"pk": "fair"}, "caseworker", None),
    "events:exhibitors": ({"pk": "fair"}, "caseworker", None),
    "events:associations": ({}, "caseworker", None),
    "events:association_new": ({}, "caseworker", "caseworker"),
    "events:association_edit": ({"pk": "association"}, "caseworker", "caseworker"),
    "events:project": ({}, "member", None),
    "events:progress_save": ({}, "post-only", "administrator"),
    "events:document_upload": ({"pk": "meeting"}, "post-only", "administrator"),
    "events:document_download": ({"pk": "document"}, "member", None),
    "events:seat_edit": ({"pk": "seat"}, "administrator", "administrator"),
    "events:calendar": ({}, "member", "member"),
}
# Open without a login, checked in tests of their own.
PUBLIC = {
    "login",
    "logout",
    "set_language",
    "events:calendar_feed",
    "sso_no_role",
    "oidc_authentication_init",
    "oidc_authentication_callback",  # tests/portal/test_oidc.py
    "password_set",
    "password_set_done",
    "digest_unsubscribe",  # tests/portal/test_digest.py
    "pool_public:apply",  # the pool's application form; tests/investments/test_pool_public_form.py
    "pool_public:receipt",  # the sender's own reference from a signed token; same tests
}  # tests/portal/test_users.py


def url_names(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":  # Django's admin: superusers only, its own permission system
                continue
            yield from url_names(entry.url_patterns, f"{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_every_url_is_in_the_matrix():
    assert set(url_names()) - set(MATRIX) - PUBLIC == set()
    assert set(MATRIX) | PUBLIC == set(url_names())


@pytest.fixture
def objects(administrator, caseworker, data_owner):
    fair = Fair.objects.create(
        series=FairSeries.objects.get(),
        venue="Grenaa Bibliotek",
        date=timezone.localdate() + timedelta(days=9),
        capacity=5,
    )
    signup = CitizenSignup.objects.create(
        fair=fair, name="Anna", benefit_group="anden", status="tilmeldt", registered_by=caseworker
    )
    meeting = Meeting.objects.first()
    document = MeetingDocument(meeting=meeting, kind="referat", title="Referat", uploaded_by=administrator)
    document.file.save("referat.pdf", ContentFile(b"%PDF-1.4"), save=True)
    figure = YearlyFigure.objects.get(proposal__number=1, year=2020)
    figure.savings = Decimal("-2.800")
    figure.save()
    record = DataImport(original_name="a.csv", checksum="x", size=1, state="gennemfoert")
    record.file.save("a.csv", ContentFile(b"a"), save=True)
    draft = Plan.objects.create(year=2099, title="Beskæftigelsesplan 2099")  # a draft: its goals can be edited
    draft_goal = Goal.objects.create(
        plan=draft,
        major=1,
        minor=1,
        kind="lokalt",
        title="Kladdemål",
        metric="m",
        target_text="t",
        follow_up_text="f",
        source="jobindsats",
        frequency="aarlig",
    )
    indicator = Indicator.objects.get(goal__major=6, goal__minor=10)
    DataOwner.objects.create(indicator=indicator, user=data_owner)
    collection_round = CollectionRound.objects.create(period_code="2024H2", started_by=administrator)
    CollectionItem.objects.create(
        round=collection_round, indicator=indicator, period_code="2024H2", due_on=timezone.localdate()
    )
    pool_round = pool_rounds.ensure_year(2027).rounds.first()
    pool_application = Application.objects.create(
        round=pool_round,
        organisation="Forening",
        kind="forening",
        contact_name="Karen",
        title="Projekt",
        description="d",
        amount_applied=Decimal("1000"),
        period_start=date(2027, 1, 1),
        period_end=date(2027, 2, 1),
        budget="b",
    )
    pool_granted = Application.objects.create(
        **{f: getattr(pool_application, f) for f in ("round", "organisation", "kind", "title", "description")},
        amount_applied=Decimal("1000"),
        period_start=date(2027, 1, 1),
        period_end=date(2027, 2, 1),
        budget="b",
    )
    pool_decisions.decide(pool_granted, "bevilget", date(2027, 4, 8), administrator, Decimal("1000"))
    pool_attachment = pool_attachments.store(
        SimpleUploadedFile("a.pdf", b"%PDF-1.4\nstartxref\n1\n%%EOF\n"), pool_application
    )
    return {
        "pool_round": pool_round.pk,
        "pool_application": pool_application.pk,
        "pool_granted": pool_granted.pk,
        "pool_attachment": pool_attachment.pk,
        "round": collection_round.pk,
        "fair": fair.pk,
        "signup": signup.pk,
        "meeting": meeting.pk,
        "document": document.pk,
        "seat": GroupSeat.objects.first().pk,
        "association": Association.objects.create(series=fair.series, name="Roklub").pk,
        "indicator": indicator.pk,
        "mapping": ExtractMapping.objects.first().pk,
        "data_import": record.pk,
        "history_id": figure.history.latest().history_id,
        "user": caseworker.pk,
        "comparison_group": ComparisonGroup.objects.create(name="Østjyske kommuner", areas=["Syddjurs", "Favrskov"]).pk,
        "draft_year": draft.year,
        "draft_goal": draft_goal.pk,
        "wheel_event": WheelEvent.objects.create(title="Ministeren udmelder mål", kind="ministermaal", month=6).pk,
    }


def _url(name, objects):
    kwargs = MATRIX[name][0]
    return reverse(name, kwargs={k: objects.get(v, v) if isinstance(v, str) else v for k, v in kwargs.items()})


def _as(request, client, persona):
    client.logout()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


# One test per URL, looping over the personas: the objects are built once per URL, not per role.
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_get(request, client, objects, name):
    url, lowest = _url(name, objects), MATRIX[name][1]
    for persona in PERSONAS:
        status = _as(request, client, persona).get(url).status_code
        if persona == "anonymous":
            expected = 302
        elif lowest == "post-only":
            expected = 405
        elif persona == "data_owner":
            expected = DATA_OWNER_GET.get(name, 403)
        else:
            expected = 200 if RANK[persona] >= LEVEL[lowest] else 403
        assert status == expected, f"GET {url} as {persona}: {status}, expected {expected}"


# What an empty POST gets from each view, for a role allowed to post: 200 shows the form again with
# its errors (or a confirmation page), 302 is a view whose empty POST is a complete action or that
# answers with a message on the page it returns to. Pinned, so a form that starts accepting nothing
# (or stops) is noticed.
EMPTY_POST = {
    "budget:edit": 302,  # every row empty: no budgets for the year
    "digest_since": 302,  # an empty date: back to the default
    "digest_settings": 302,  # an empty choice: no e-mail
    "events:association_edit": 200,
    "events:association_new": 200,
    "events:calendar": 302,
    "events:checkin": 302,
    "events:document_upload": 200,
    "events:fair_add": 302,
    "events:fair_capacity": 302,
    "events:progress_save": 200,
    "events:seat_edit": 200,
    "events:signup_cancel": 200,
    "events:signups": 200,
    "imports:api": 302,
    "collection:figures": 200,
    "collection:owners": 200,
    "collection:round_start": 302,
    "collection:upload": 302,
    "imports:list": 200,
    "imports:mapping_edit": 200,
    "imports:mapping_new": 200,
    "investments:figure_save": 200,
    "investments:realisation_save": 200,
    "investments:pool_year_save": 302,  # back to the pool's page with the error as a message
    "investments:pool_round_save": 200,
    "investments:pool_application_new": 200,
    "investments:pool_assessment_save": 200,
    "investments:pool_decision_save": 200,
    "investments:pool_follow_up_save": 200,
    "keyfigures:local_edit": 200,
    "plans:comment_add": 302,
    "plans:comparison_group_delete": 200,
    "plans:comparison_group_edit": 200,
    "plans:comparison_group_new": 200,
    "plans:goal_owner": 302,
    "plans:indicator_rule": 200,
    "plans:observation_add": 302,
    "plans:plan_adopt": 200,
    "plans:plan_goal_delete": 200,
    "plans:plan_goal_edit": 200,
    "plans:plan_goal_new": 200,
    "plans:plan_import": 200,
    "plans:plan_new": 302,
    "plans:wheel_event_delete": 200,
    "plans:wheel_event_edit": 200,
    "plans:wheel_event_new": 200,
    "user_edit": 200,
    "user_new": 200,
    "user_send_link": 302,
}


@pytest.mark.parametrize("name", sorted(n for n, (_, _, post) in MATRIX.items() if post))
def test_post(request, client, objects, name):
    """An empty POST: refused for the wrong role; for the right one, the view's own answer (EMPTY_POST)."""
    url, lowest = _url(name, objects), MATRIX[name][2]
    for persona in PERSONAS:
        response = _as(request, client, persona).post(url, {})
        if persona == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
        elif RANK[persona] < LEVEL[lowest] and not (persona == "data_owner" and name in DATA_OWNER_POST):
            assert response.status_code == 403, f"POST {url} as {persona}: {response.status_code}"
        else:
            expected = EMPTY_POST[name]
            assert response.status_code == expected, (
                f"POST {url} as {persona}: {response.status_code}, expected {expected}"
            )


def test_calendar_feed_is_open_only_with_a_valid_token(client, member):
    token = CalendarFeed.objects.create(user=member).token
    assert client.get(reverse("events:calendar_feed", args=[token])).status_code == 200
    assert client.get(reverse("events:calendar_feed", args=["x" * 43])).status_code == 404
