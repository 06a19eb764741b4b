from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo studio `make run` serves: the top layer, which builds every other app's
    rows through their own services; no app imports it."""

    name = "demo"
    verbose_name = "Demo studio"
