from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects"

    def ready(self):
        from approvals.registry import ApprovalKind, register

        from .models import Deliverable
        from .services import review as services

        register(
            ApprovalKind(
                kind=services.APPROVAL_KIND,
                model=Deliverable,
                on_approve=services.deliverable_on_approve,
                on_request_changes=services.deliverable_on_request_changes,
                on_reject=services.deliverable_on_reject,
                on_step_approved=services.deliverable_on_step_approved,
                brand_of=services.deliverable_brand_of,
                url_of=Deliverable.get_absolute_url,
            )
        )
