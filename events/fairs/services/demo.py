"""The fairs' part of the demo data set (portal.demo, registered in EventsConfig.ready): a fair of the
seeded series four weeks ahead, open for sign-ups, with a few sign-ups under names nobody has.

The demo's fair is the one whose venue ends with DEMO_VENUE_SUFFIX; removal deletes it with every
sign-up on it (a caseworker's trial sign-ups included). The seeded fairs and series are not touched.
"""

from datetime import date, timedelta

from events.fairs.models import CitizenSignup, Fair, FairSeries

DEMO_VENUE_SUFFIX = " (demomesse)"
VENUE = "Grenaa Bibliotek" + DEMO_VENUE_SUFFIX
WEEKS_AHEAD = 4
CAPACITY = 30
SIGNUPS = [
    ("Demo Demosen", CitizenSignup.BenefitGroup.EARLY_RETIREMENT, False),
    ("Testa Testesen", CitizenSignup.BenefitGroup.FLEX_BENEFIT, True),
    ("Fiktiv Fiktivsen", CitizenSignup.BenefitGroup.EARLY_RETIREMENT, False),
    ("Prøve Prøvesen", CitizenSignup.BenefitGroup.OTHER, False),
    ("Eksempel Eksempelsen", CitizenSignup.BenefitGroup.EARLY_RETIREMENT, True),
]


def _demo_fairs():
    return Fair.objects.filter(venue__endswith=DEMO_VENUE_SUFFIX)


def load(today: date) -> None:
    series = FairSeries.objects.first()
    if series is None:
        return
    fair = _demo_fairs().filter(date__gte=today).order_by("date").first()
    if fair is None:  # none yet, or the last one has been held
        day = today + timedelta(weeks=WEEKS_AHEAD)
        day += timedelta(days=(2 - day.weekday()) % 7)  # a Wednesday, as the seeded fairs' first day
        fair = Fair.objects.create(series=series, venue=VENUE, date=day, capacity=CAPACITY)
    named = set(fair.signups.values_list("name", flat=True))
    for name, benefit_group, needs_transport in SIGNUPS:
        if name not in named:
            signup = CitizenSignup(
                fair=fair,
                name=name,
                benefit_group=benefit_group,
                needs_transport=needs_transport,
                status=CitizenSignup.Status.CONFIRMED,
            )
            signup.full_clean(exclude=["registered_by"])
            signup.save()


def remove(today: date) -> None:
    fairs = _demo_fairs()
    CitizenSignup.objects.filter(fair__in=fairs).delete()  # a sign-up protects its fair
    fairs.delete()
