from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the demo admin account, only when no superuser exists, and print its credentials."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            return
        demo = settings.STANCETRACKER_DEMO_ADMIN
        User.objects.create_superuser(
            username=demo["username"], password=demo["password"], email=""
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the demo admin account: username {demo['username']!r}, "
                f"password {demo['password']!r}. Change the password after logging in."
            )
        )
