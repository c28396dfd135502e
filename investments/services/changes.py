"""Administrators' changes to the figures and realisations, each kept in the history."""

from django.db import transaction

from investments.models import Proposal, Realisation, YearlyFigure


@transaction.atomic
def save_figure(proposal: Proposal, year: int, investment, savings) -> YearlyFigure:
    figure = YearlyFigure.objects.select_for_update().get_or_create(proposal=proposal, year=year)[0]
    if (figure.investment, figure.savings) != (investment, savings):
        figure.investment, figure.savings = investment, savings
        figure.full_clean()
        figure.save()  # django-simple-history records who, when, before and after
    return figure


@transaction.atomic
def save_realisation(proposal: Proposal, month, amount, note: str, user) -> Realisation:
    realisation = Realisation.objects.select_for_update().filter(proposal=proposal, month=month).first()
    if realisation is None:
        realisation = Realisation(proposal=proposal, month=month, entered_by=user)
    realisation.amount, realisation.note, realisation.entered_by = amount, note, user
    realisation.full_clean()
    realisation.save()
    return realisation


def history(proposal: Proposal, limit: int = 50) -> list[dict]:
    """Changes to the proposal's figures, newest first: who, when, what, before and after (one query)."""
    records = list(
        YearlyFigure.history.filter(proposal_id=proposal.id)
        .select_related("history_user")
        .order_by("id", "history_date")
    )
    changes, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        if before is not None:
            for field in ("investment", "savings"):
                old, new = getattr(before, field), getattr(record, field)
                if old != new:
                    changes.append(
                        {
                            "when": record.history_date,
                            "who": record.history_user,
                            "year": record.year,
                            "field": YearlyFigure._meta.get_field(field).verbose_name,
                            "old": old,
                            "new": new,
                        }
                    )
        previous[record.id] = record
    return sorted(changes, key=lambda c: c["when"], reverse=True)[:limit]
