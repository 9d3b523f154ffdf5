from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "actors"
    verbose_name = _("Actors and stances")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from stancetracker.middleware import session_renewed_at_login

        user_logged_in.connect(session_renewed_at_login, dispatch_uid="session_renewed_at_login")
