from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "studio"
    verbose_name = "Studio"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import startup  # noqa: F401 (registers the deploy check of production settings)
        from .sessions import session_stamp_login

        # Like Django's own last_login stamp: the session's clocks, not a business rule.
        user_logged_in.connect(session_stamp_login, dispatch_uid="studio.session_stamp_login")
