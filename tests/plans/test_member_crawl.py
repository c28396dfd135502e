"""A committee member crawling every page they can reach sees where figures come from in plain words:
no repository names, file paths, "dbt" or guesses (issue 21). Administrators still see the routes' notes."""

import html
import re
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import reverse

from plans.models import ExtractMapping, Goal, Indicator, Observation
from tests.plans.test_keyfigures import keyfigure_data
from tests.support.plan_data import add, data_import

pytestmark = pytest.mark.django_db

FORBIDDEN = re.compile(
    r"randers|github|jobcenterindblik|\betl\b|node-red|\.py\b|\.csv\b|src/|\bdbt\b|gættet|gætte", re.IGNORECASE
)
LINK = re.compile(r'href="([^"#][^"]*)"')
SKIPPED = ("/static/", "/media/", "/logout", "/log-ud", "/admin/")


def crawl(client, start: list[str], limit: int = 400) -> dict[str, str]:
    """Every page reachable from `start` by following links on the site (query strings dropped), by path."""
    seen, queue = {}, list(start)
    while queue and len(seen) < limit:
        path = urlsplit(urldefrag(html.unescape(queue.pop(0)))[0]).path
        if path in seen or not path.startswith("/") or path.startswith(SKIPPED):
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            seen[path] = ""
            continue
        seen[path] = response.content.decode()
        queue += LINK.findall(seen[path])
    return seen


def test_member_sees_no_repository_file_path_or_guess_on_any_page(client_for, member, administrator):
    # A figure from an upload whose file name says where it came from, noted as an import notes it.
    record = data_import("Randers-y30r21.csv", administrator)
    figure = add(Indicator.objects.get(goal__major=1, goal__minor=1), "2025QMAT02", "2310", data_import=record)
    Observation.objects.filter(pk=figure.pk).update(source_note=f"Import #{record.pk}: {record.original_name}")
    plan_goals = Goal.objects.filter(plan__year=2024).order_by("major", "minor")
    goal_pages = [reverse("plans:goal_detail", args=[2024, g.major, g.minor]) for g in plan_goals]
    catalogue = reverse("catalogue:list")  # the data catalogue names every table and who reads it
    keyfigure_data(3, national=False)  # the key figures page with its figures, the country computed
    keyfigures = reverse("keyfigures:overview")
    pages = crawl(client_for(member), ["/", reverse("plans:goal_list"), catalogue, keyfigures, *goal_pages])
    assert pages[keyfigures]
    assert set(goal_pages) | {catalogue} <= set(pages) and pages[catalogue]
    assert len([p for p, text in pages.items() if text]) > len(goal_pages) + 5  # overview, report, benchmark, ...
    for path, text in pages.items():
        found = FORBIDDEN.search(text)
        assert found is None, (path, text[max(found.start() - 120, 0) : found.end() + 120])
    notes = [m.note for m in ExtractMapping.objects.filter(active=True)]
    assert notes and not any(note in text for note in notes for text in pages.values())


def test_administrator_sees_the_routes_note_on_the_goal_page(client_for, administrator):
    mapping = ExtractMapping.objects.get(indicator__goal__major=6, indicator__goal__minor=11, active=True)
    text = html.unescape(client_for(administrator).get(reverse("plans:goal_detail", args=[2024, 6, 11])).text)
    assert mapping.note in text and "(sikkerhed: Udledt)" in text
