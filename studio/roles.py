"""The roles of DESIGN §1. One user has one role; what each may do is the table in
`studio.permissions`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PM = "pm", _("Production manager")
    CREATIVE = "creative", _("Creative")
    FREELANCER = "freelancer", _("Freelancer")
    BRAND_MANAGER = "brand_manager", _("Brand manager")
    EXECUTIVE = "executive", _("Executive")
    ADMIN = "admin", _("Admin")
