from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class StanceTrackerConfig(AppConfig):
    name = "stancetracker"
    verbose_name = "Stance Tracker"

    def ready(self) -> None:
        # The embedded default keeps its SQLite file and its broker queue under VAR_DIR, and
        # neither SQLite nor kombu's filesystem transport creates a missing folder; WhiteNoise
        # warns about a missing STATIC_ROOT.
        folders = [Path(settings.STATIC_ROOT), Path(settings.CELERY_BEAT_SCHEDULE_FILENAME).parent]
        database = settings.DATABASES["default"]
        if database["ENGINE"] == "django.db.backends.sqlite3":
            folders.append(Path(database["NAME"]).parent)
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
        folders += [
            Path(options[key]) for key in ("data_folder_in", "control_folder") if key in options
        ]
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)

        from django.contrib.auth.signals import user_logged_in

        from stancetracker.middleware import session_renewed_at_login

        user_logged_in.connect(session_renewed_at_login, dispatch_uid="session_renewed_at_login")
