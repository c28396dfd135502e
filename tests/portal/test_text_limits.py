"""Text fields have maximum lengths at the form level: the models' TextFields have none."""

import pytest
from django import forms
from django.urls import get_resolver, reverse

from plans.models import Goal, GoalComment
from portal.forms import BoundedTextMixin

pytestmark = pytest.mark.django_db
PROJECT_APPS = ("portal.", "plans.", "events.", "investments.")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_of_the_portal_bounds_its_text_fields():
    assert get_resolver().url_patterns  # loading them imports every view, and so every form
    ours = {f for f in _subclasses(forms.BaseForm) if f.__module__.startswith(PROJECT_APPS)}
    assert len(ours) > 20
    assert [f"{f.__module__}.{f.__name__}" for f in ours if not issubclass(f, BoundedTextMixin)] == []


def test_a_goal_remark_of_two_megabytes_is_refused(client_for, administrator, plan_2024):
    goal = Goal.objects.filter(plan=plan_2024).order_by("major", "minor").first()
    url = reverse("plans:comment_add", args=[2024, goal.major, goal.minor])
    response = client_for(administrator).post(url, {"period_code": "2024H1", "text": "x" * 1_900_000}, follow=True)
    assert response.status_code == 200
    assert not GoalComment.objects.filter(goal=goal).exists()
    assert "Bemærkningen blev ikke gemt" in response.content.decode() and "5000" in response.content.decode()


def test_a_remark_at_the_limit_is_kept(client_for, administrator, plan_2024):
    goal = Goal.objects.filter(plan=plan_2024).order_by("major", "minor").first()
    url = reverse("plans:comment_add", args=[2024, goal.major, goal.minor])
    client_for(administrator).post(url, {"period_code": "2024H1", "text": "x" * 5_000})
    assert GoalComment.objects.get(goal=goal).text == "x" * 5_000


def test_text_areas_say_their_limit_in_the_page(client_for, administrator):
    page = client_for(administrator).get(reverse("plans:wheel_event_new")).content.decode()
    assert 'maxlength="20000"' in page
