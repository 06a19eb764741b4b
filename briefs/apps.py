from django.apps import AppConfig


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = "Briefs"

    def ready(self):
        # Imported here: models and services need the app registry to be ready.
        from approvals.registry import ApprovalKind, register

        from .models import Brief, Request
        from .services.briefs import (
            brief_brand_of,
            brief_on_approve,
            brief_on_reject,
            brief_on_request_changes,
            brief_on_withdraw,
        )
        from .services.requests import request_on_approve, request_on_reject, request_on_request_changes

        register(ApprovalKind(
            kind="brief",
            model=Brief,
            on_approve=brief_on_approve,
            on_request_changes=brief_on_request_changes,
            on_reject=brief_on_reject,
            on_withdraw=brief_on_withdraw,
            brand_of=brief_brand_of,
            url_of=Brief.get_absolute_url,
        ))
        register(ApprovalKind(
            kind="request",
            model=Request,
            on_approve=request_on_approve,
            on_request_changes=request_on_request_changes,
            on_reject=request_on_reject,
            brand_of=lambda request: request.brand_id,
            url_of=Request.get_absolute_url,
        ))
