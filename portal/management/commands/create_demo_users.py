from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from portal.roles import Role

# Documented in the README. Only created where DEMO_USERS is on (by default: when DEBUG is on).
DEMO_USERS = [
    ("medlem", "Medlem-demo-2024", Role.MEMBER, "Udvalgsmedlem (demo)"),
    ("sagsbehandler", "Sagsbehandler-demo-2024", Role.CASEWORKER, "Sagsbehandler (demo)"),
    ("administrator", "Administrator-demo-2024", Role.ADMINISTRATOR, "Administrator (demo)"),
]


class Command(BaseCommand):
    help = "Opretter én demobruger pr. rolle (kun når DEMO_USERS er slået til)."

    def handle(self, *args, **options):
        if not settings.DEMO_USERS:
            raise CommandError("Demobrugere kan kun oprettes, når DEMO_USERS=1 (eller DEBUG=1).")
        for username, password, role, name in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": name})
            if created:
                user.set_password(password)
                user.save()
            user.groups.set([Group.objects.get(name=role.group_name)])
            self.stdout.write(f"{username}: {'oprettet' if created else 'findes allerede'} ({role.group_name})")
