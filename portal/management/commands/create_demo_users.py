from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from portal.roles import DATA_OWNER_GROUP, Role

# Documented in the README. Only created where DEMO_USERS is on (by default: when DEBUG is on).
# The last holds no role, only the data owner's group (portal.roles): the demo's collection round is theirs.
DEMO_USERS = [
    ("medlem", "Medlem-demo-2024", Role.MEMBER.group_name, "Udvalgsmedlem (demo)"),
    ("sagsbehandler", "Sagsbehandler-demo-2024", Role.CASEWORKER.group_name, "Sagsbehandler (demo)"),
    ("administrator", "Administrator-demo-2024", Role.ADMINISTRATOR.group_name, "Administrator (demo)"),
    ("dataansvarlig", "Dataansvarlig-demo-2024", DATA_OWNER_GROUP, "Dataansvarlig (demo)"),
]


class Command(BaseCommand):
    help = "Opretter én demobruger pr. rolle (kun når DEMO_USERS er slået til)."

    def handle(self, *args, **options):
        if not settings.DEMO_USERS:
            raise CommandError("Demobrugere kan kun oprettes, når DEMO_USERS=1 (eller DEBUG=1).")
        for username, password, group, name in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": name})
            if created:
                user.set_password(password)
                user.save()
            user.groups.set([Group.objects.get(name=group)])
            self.stdout.write(f"{username}: {'oprettet' if created else 'findes allerede'} ({group})")
