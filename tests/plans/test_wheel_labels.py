"""Issue 24: the annual wheel says each thing once: a date under its month's heading gives the day only, and an
event whose title names its kind gets no kind label beside it."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from plans.models import WheelEvent
from plans.services import plan_copy

pytestmark = pytest.mark.django_db
MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november")


def test_the_wheel_names_no_month_twice_and_no_kind_beside_a_title_that_names_it(client_for, member, plan_2024):
    WheelEvent.objects.create(title="Ministeren udmelder mål", kind="ministermaal", month=6, day=18)
    plan_copy.adopt(plan_copy.copy_plan(plan_2024, 2025), date(2025, 10, 28), "AMU 28.10.2025, pkt. 4")
    text = html.unescape(client_for(member).get(reverse("plans:wheel"), {"aar": 2025}).text)
    dates = re.findall(r'<span class="wheel-date">(.*?)</span>', text, re.S)
    assert len(dates) >= 4
    shown = [re.sub(r"<[^>]+>", "", d).strip() for d in dates]
    assert not [d for d in shown if any(month in d.casefold() for month in (*MONTHS, "december"))], shown
    assert '<time datetime="2025-06-18">18.</time>' in text and '<time datetime="2025-06-30">30.</time>' in text
    kinds = re.findall(r'<span class="wheel-kind">(.*?)</span>', text)
    assert kinds == ["Ministerens mål:"]  # the fixed event's kind; the derived titles name theirs
    assert "Halvårlig målopfølgning: 1. halvår 2025" in text and "Beskæftigelsesplan 2025 vedtaget" in text
