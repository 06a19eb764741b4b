from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = "Metrics"

    def ready(self):
        from .surveys import signals

        # Listens to projects and deliverables (below metrics) and registers the survey tasks.
        signals.connect()
