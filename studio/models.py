"""The studio's own records: people, talent, clients and brands, settings,
and the cross-cutting audit, notification, comment and attachment tables."""

import secrets
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken, AuthTokenManager
from knox.settings import CONSTANTS as KNOX

from .audit_source import AuditSource
from .dates import day_text
from .querysets import TalentQuerySet, UserQuerySet
from .roles import Role

ZERO = Decimal("0")


class NotificationDelivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Email each notification")
    DIGEST = "digest", _("One daily digest")
    NONE = "none", _("No email")


class StudioUserManager(UserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CREATIVE)
    email = models.EmailField(_("email address"), blank=True)
    notification_delivery = models.CharField(
        max_length=12, choices=NotificationDelivery.choices, default=NotificationDelivery.IMMEDIATE
    )

    objects = StudioUserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        indexes = [models.Index(fields=["role"])]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
        ]

    def __str__(self):
        return self.get_full_name() or self.username


class Discipline(models.Model):
    name = models.CharField(max_length=80, unique=True)
    freelance_bill_rate = models.DecimalField(
        max_digits=10, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)],
        help_text=_("Hourly price to the brand for freelance support in this discipline."),
    )
    freelance_cost_rate = models.DecimalField(
        max_digits=10, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)],
        help_text=_("Hourly cost to the studio of sourced freelance support."),
    )
    freelance_hours_per_week = models.DecimalField(
        max_digits=7, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)],
        help_text=_("Freelance hours per week the studio can source in this discipline."),
    )
    standard_cost_rate = models.DecimalField(
        max_digits=10, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)],
        help_text=_("Hourly cost of the studio's own people in this discipline, for planning budgets."),
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(freelance_bill_rate__gte=0)
                & Q(freelance_cost_rate__gte=0)
                & Q(freelance_hours_per_week__gte=0)
                & Q(standard_cost_rate__gte=0),
                name="discipline_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return self.name


class Skill(models.Model):
    name = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def new_token():
    return secrets.token_urlsafe(32)


working_days_validator = RegexValidator(
    r"^1?2?3?4?5?6?7?$", _("List ISO weekday numbers in order, 1 = Monday … 7 = Sunday, e.g. 12345.")
)


class Talent(models.Model):
    class Employment(models.TextChoices):
        STAFF = "staff", _("Staff")
        FREELANCE = "freelance", _("Freelance")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="talent")
    discipline = models.ForeignKey(Discipline, on_delete=models.PROTECT, related_name="talent")
    skills = models.ManyToManyField(Skill, blank=True, related_name="talent")
    employment = models.CharField(max_length=10, choices=Employment.choices, default=Employment.STAFF)
    hours_per_day = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("8"))
    working_days = models.CharField(
        max_length=7, default="12345", validators=[working_days_validator],
        help_text=_("ISO weekday numbers, 1 = Monday … 7 = Sunday."),
    )
    overtime_hours_per_day = models.DecimalField(max_digits=4, decimal_places=2, default=ZERO)
    contract_start = models.DateField(null=True, blank=True)
    contract_end = models.DateField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE)
    phone = models.CharField(max_length=40, blank=True)
    ical_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    active = models.BooleanField(default=True)

    objects = TalentQuerySet.as_manager()

    class Meta:
        ordering = ["user__first_name", "user__last_name"]
        verbose_name_plural = "talent"
        indexes = [models.Index(fields=["discipline", "active"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_day__gt=0) & Q(hours_per_day__lte=24),
                name="talent_hours_per_day_range",
            ),
            models.CheckConstraint(
                condition=Q(overtime_hours_per_day__gte=0)
                & Q(overtime_hours_per_day__lte=24 - F("hours_per_day")),
                name="talent_overtime_range",
            ),
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True)
                | Q(contract_start__isnull=True)
                | Q(contract_end__gte=F("contract_start")),
                name="talent_contract_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(employment="staff")
                | (Q(contract_start__isnull=False) & Q(contract_end__isnull=False)),
                name="talent_freelance_has_contract",
            ),
        ]

    def __str__(self):
        return str(self.user)

    @property
    def is_freelance(self):
        return self.employment == self.Employment.FREELANCE

    def works_on(self, day):
        return str(day.isoweekday()) in self.working_days

    @property
    def working_day_names(self) -> list[str]:
        """The working days as short weekday names, Monday first: ["Mon", …, "Fri"]."""
        return [str(WEEKDAYS_ABBR[int(day) - 1]) for day in sorted(self.working_days)]

    def under_contract_on(self, day):
        if not self.is_freelance:
            return True
        return self.contract_start <= day <= self.contract_end

    def clean(self):
        if self.is_freelance and not (self.contract_start and self.contract_end):
            raise ValidationError({"contract_end": _("A freelancer needs contract start and end dates.")})
        if self.contract_start and self.contract_end and self.contract_end < self.contract_start:
            raise ValidationError({"contract_end": _("The contract cannot end before it starts.")})
        if self.hours_per_day is not None and self.overtime_hours_per_day is not None:
            if self.hours_per_day + self.overtime_hours_per_day > 24:
                raise ValidationError(
                    {"overtime_hours_per_day": _("Hours per day plus overtime cannot pass 24.")}
                )


class RateCardQuerySet(models.QuerySet):
    def valid_on(self, day):
        """The card in force on `day` for each talent: the latest valid_from ≤ day."""
        latest = (
            RateCard.objects.filter(talent=models.OuterRef("talent"), valid_from__lte=day)
            .order_by("-valid_from")
            .values("pk")[:1]
        )
        return self.filter(pk=models.Subquery(latest))


class RateCard(models.Model):
    """Cost and bill rate of one talent from `valid_from` on; history stays."""

    talent = models.ForeignKey(Talent, on_delete=models.PROTECT, related_name="rate_cards")
    cost_rate = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(ZERO)])
    bill_rate = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(ZERO)])
    valid_from = models.DateField()

    objects = RateCardQuerySet.as_manager()

    class Meta:
        ordering = ["talent", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["talent", "valid_from"], name="ratecard_one_per_talent_per_date"),
            models.CheckConstraint(
                condition=Q(cost_rate__gte=0) & Q(bill_rate__gte=0), name="ratecard_rates_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.talent} from {self.valid_from}"


class Client(models.Model):
    name = models.CharField(max_length=120, unique=True)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


code_prefix_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]{1,5}$", _("Two to six capital letters or digits, starting with a letter, e.g. AUR.")
)


class Brand(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="brands")
    name = models.CharField(max_length=120)
    code_prefix = models.CharField(
        max_length=6, unique=True, validators=[code_prefix_validator],
        help_text=_("Project codes of this brand start with it: AUR gives AUR-001, AUR-002, …"),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="brands",
        limit_choices_to={"role": Role.BRAND_MANAGER},
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["client", "name"], name="brand_name_unique_per_client"),
        ]

    def __str__(self):
        return self.name


class Holiday(models.Model):
    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.name} ({day_text(self.date)})"


TIME_ZONE_CACHE_KEY = "studio:time-zone"


def time_zone_validator(name: str) -> None:
    # The zone decides "today" on every page and when beat runs: a typo would break both.
    if name not in zoneinfo.available_timezones():
        raise ValidationError(_("An IANA time zone, e.g. Europe/London."))


class StudioSettings(models.Model):
    """The studio's one row of settings; read it with StudioSettings.load()."""

    name = models.CharField(max_length=120, default="Callsheet Studio")
    # Decides "today" (studio.clock) and the hours of beat's schedule (studio.celery).
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE, validators=[time_zone_validator])
    currency = models.CharField(
        max_length=3, default="EUR", validators=[RegexValidator(r"^[A-Z]{3}$", _("An ISO 4217 code, e.g. EUR."))]
    )
    internal_code_prefix = models.CharField(
        max_length=6, default="INT", validators=[code_prefix_validator],
        help_text=_("Codes of the studio's internal projects start with it: INT-001, INT-002, …"),
    )
    # Read when a budget or change order is submitted: a change applies to the next submission.
    budget_approval_threshold = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("50000"),
        help_text=_("Budgets above this total also need an executive's approval."),
    )
    change_order_approval_threshold = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("10000"),
        help_text=_("Change orders moving the total by more than this need an executive."),
    )
    schedule_behind_days = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("1"),
        help_text=_("SV(t) below minus this many working days counts as behind."),
    )
    budget_warning_ratio = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal("0.9000"),
        help_text=_("Cost to date over budget above this ratio is flagged."),
    )
    csat_target = models.DecimalField(
        max_digits=5, decimal_places=4, default=Decimal("0.8000"),
        help_text=_("Share of 4 and 5 ratings the studio aims for."),
    )
    utilization_target = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.7500"))
    survey_each_deliverable = models.BooleanField(
        default=False,
        help_text=_("Also ask the brand's managers to rate each deliverable when it is approved, not only the "
                    "project when it is delivered."),
    )

    class Meta:
        verbose_name = verbose_name_plural = "studio settings"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="studiosettings_single_row"),
            models.CheckConstraint(
                condition=Q(budget_approval_threshold__gte=0) & Q(change_order_approval_threshold__gte=0),
                name="studiosettings_thresholds_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(TIME_ZONE_CACHE_KEY)
        # Also once the change is visible to others: a reader may cache the old zone meanwhile.
        transaction.on_commit(lambda: cache.delete(TIME_ZONE_CACHE_KEY))

    @classmethod
    def load(cls):
        # A read never writes: the row comes from a data migration; without it
        # (a flushed test database) the defaults stand in.
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    # The approval kind each threshold applies to (DESIGN §2: a budget's total, a change
    # order's change in total); approval steps marked "only above the threshold" use it.
    APPROVAL_THRESHOLDS = {"budget": "budget_approval_threshold", "change_order": "change_order_approval_threshold"}

    def approval_threshold(self, kind: str) -> Decimal | None:
        """The amount above which `kind`'s threshold steps apply; None for a kind without one."""
        field = self.APPROVAL_THRESHOLDS.get(kind)
        return getattr(self, field) if field else None


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AuditEvent(models.Model):
    """Who did what to which object, when; append-only."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=80)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=200)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    # From where: a page, the API, the admin, a background task or the system itself.
    source = models.CharField(max_length=10, choices=AuditSource.choices, default=AuditSource.SYSTEM)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.actor or 'system'} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Audit events are append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Audit events are append-only."))

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """What changed, field by field: (field, before, after), in the order the record
        wrote them; a field only before or only after shows None on the other side."""
        before = self.before if isinstance(self.before, dict) else {}
        after = self.after if isinstance(self.after, dict) else {}
        fields = list(before) + [name for name in after if name not in before]
        return [(name, before.get(name), after.get(name)) for name in fields if before.get(name) != after.get(name)]


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def awaiting_email(self):
        return self.filter(emailed_at__isnull=True, email_skipped=False)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_skipped = models.BooleanField(default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["emailed_at"], condition=Q(emailed_at__isnull=True), name="notification_unsent"),
        ]

    def __str__(self):
        return self.subject


class Comment(models.Model):
    """One message in the thread on any object."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"

    def clean(self):
        if not (self.body or "").strip():
            raise ValidationError({"body": _("Write something first.")})


def attachment_path(instance, filename):
    # A random directory keeps names unguessable and lets two uploads share a name.
    return f"attachments/{timezone.now():%Y/%m}/{secrets.token_hex(16)}/{filename}"


class Attachment(models.Model):
    """A private file on any object, served only through an access-checking view."""

    ALLOWED_TYPES = {
        "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml",
        "text/plain", "text/csv", "application/zip", "video/mp4", "video/quicktime",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    }

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=200)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty")]

    def __str__(self):
        return self.original_name

    def clean(self):
        if self.mime_type not in self.ALLOWED_TYPES:
            raise ValidationError({"file": _("Files of type %(type)s cannot be attached.") % {"type": self.mime_type}})
        if self.size > settings.ATTACHMENT_MAX_BYTES:
            raise ValidationError(
                {"file": _("The file is larger than %(mb)d MB.") % {"mb": settings.ATTACHMENT_MAX_BYTES // 2**20}}
            )


class AccessTokenQuerySet(models.QuerySet):
    def unexpired(self, now=None):
        return self.filter(Q(expiry__isnull=True) | Q(expiry__gt=now or timezone.now()))


class AccessToken(AbstractAuthToken):
    """A personal access token for the API (django-rest-knox, `KNOX_TOKEN_MODEL`): only its
    SHA-512 digest and first characters are stored; the key is shown once, at creation."""

    # Addressed by a number on its owner's page and in the audit trail, never by its digest.
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=KNOX.DIGEST_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=100)
    read_only = models.BooleanField(
        _("read-only"), default=False, help_text=_("Reads through the API and never changes anything.")
    )
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = AuthTokenManager.from_queryset(AccessTokenQuerySet)()

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return self.name

    @property
    def expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()
