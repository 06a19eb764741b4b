"""The studio's records keep their invariants in the database and in clean()."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from studio.models import Attachment, AuditEvent, Comment, RateCard, StudioSettings, Talent, User
from tests.factories import (
    BookingFactory,
    BrandFactory,
    ClientFactory,
    DisciplineFactory,
    FreelanceTalentFactory,
    HolidayFactory,
    RateCardFactory,
    TalentFactory,
    UserFactory,
    audit,
)

pytestmark = pytest.mark.django_db


def assert_refused(factory, **kwargs):
    """The database refuses the row; the savepoint lets the test go on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_user_role_must_be_a_known_role():
    assert_refused(UserFactory, role="boss")
    assert UserFactory(role="executive").role == "executive"


@pytest.mark.parametrize("hours", ["0", "-1", "24.5"])
def test_talent_hours_per_day_are_more_than_zero_and_at_most_24(hours):
    assert_refused(TalentFactory, hours_per_day=Decimal(hours))


def test_talent_overtime_cannot_push_a_day_past_24_hours():
    assert_refused(TalentFactory, hours_per_day=Decimal("20"), overtime_hours_per_day=Decimal("5"))
    assert_refused(TalentFactory, overtime_hours_per_day=Decimal("-1"))
    talent = TalentFactory.build(
        user=UserFactory(), discipline=DisciplineFactory(),
        hours_per_day=Decimal("20"), overtime_hours_per_day=Decimal("5"),
    )
    with pytest.raises(ValidationError) as error:
        talent.clean()
    assert "overtime_hours_per_day" in error.value.message_dict
    assert TalentFactory(hours_per_day=Decimal("20"), overtime_hours_per_day=Decimal("4")).pk


def test_freelancer_needs_contract_dates():
    assert_refused(FreelanceTalentFactory, contract_start=None)
    assert_refused(FreelanceTalentFactory, contract_end=None)
    talent = FreelanceTalentFactory.build(
        user=UserFactory(role="freelancer"), discipline=DisciplineFactory(), contract_end=None
    )
    with pytest.raises(ValidationError) as error:
        talent.clean()
    assert "contract_end" in error.value.message_dict
    # Staff need no contract dates.
    assert TalentFactory(contract_start=None, contract_end=None).pk


def test_contract_cannot_end_before_it_starts():
    start = dt.date(2026, 6, 1)
    day_before = start - dt.timedelta(days=1)
    assert_refused(FreelanceTalentFactory, contract_start=start, contract_end=day_before)
    talent = FreelanceTalentFactory.build(
        user=UserFactory(role="freelancer"), discipline=DisciplineFactory(),
        contract_start=start, contract_end=day_before,
    )
    with pytest.raises(ValidationError) as error:
        talent.clean()
    assert "contract_end" in error.value.message_dict
    assert FreelanceTalentFactory(contract_start=start, contract_end=start).pk


def test_freelancer_is_under_contract_only_within_its_dates():
    talent = FreelanceTalentFactory(
        contract_start=dt.date(2026, 6, 1), contract_end=dt.date(2026, 6, 30)
    )
    assert not talent.under_contract_on(dt.date(2026, 5, 31))
    assert talent.under_contract_on(dt.date(2026, 6, 1))
    assert talent.under_contract_on(dt.date(2026, 6, 30))
    assert not talent.under_contract_on(dt.date(2026, 7, 1))
    assert TalentFactory().under_contract_on(dt.date(1999, 1, 1))


@pytest.mark.parametrize("days, valid", [
    ("12345", True), ("67", True), ("135", True),
    ("54321", False), ("1123", False), ("8", False), ("", False),
])
def test_working_days_are_iso_weekdays_in_order(days, valid):
    talent = TalentFactory(working_days="12345")
    talent.working_days = days
    if valid:
        talent.clean_fields()
    else:
        with pytest.raises(ValidationError):
            talent.clean_fields()


def test_talent_works_on_its_working_days():
    talent = TalentFactory(working_days="135")
    monday = dt.date(2026, 11, 23)
    assert [talent.works_on(monday + dt.timedelta(days=n)) for n in range(7)] == [
        True, False, True, False, True, False, False
    ]


def test_one_rate_card_per_talent_per_date():
    card = RateCardFactory()
    assert_refused(RateCardFactory, talent=card.talent, valid_from=card.valid_from)
    # Another day, or another person on the same day, is fine.
    RateCardFactory(talent=card.talent, valid_from=card.valid_from + dt.timedelta(days=1))
    RateCardFactory(valid_from=card.valid_from)
    assert RateCard.objects.count() == 3


def test_rates_cannot_be_negative():
    assert_refused(RateCardFactory, cost_rate=Decimal("-0.01"))
    assert_refused(RateCardFactory, bill_rate=Decimal("-1"))


def test_rate_card_valid_on_picks_each_talents_latest_card_from_before_the_day():
    anna, ben = TalentFactory(), TalentFactory()
    january = RateCardFactory(talent=anna, valid_from=dt.date(2026, 1, 1))
    june = RateCardFactory(talent=anna, valid_from=dt.date(2026, 6, 1))
    december = RateCardFactory(talent=anna, valid_from=dt.date(2026, 12, 1))
    march = RateCardFactory(talent=ben, valid_from=dt.date(2026, 3, 1))

    assert set(RateCard.objects.valid_on(dt.date(2025, 12, 31))) == set()
    assert set(RateCard.objects.valid_on(dt.date(2026, 2, 28))) == {january}
    assert set(RateCard.objects.valid_on(dt.date(2026, 5, 31))) == {january, march}
    assert set(RateCard.objects.valid_on(dt.date(2026, 6, 1))) == {june, march}
    assert set(RateCard.objects.valid_on(dt.date(2027, 1, 1))) == {december, march}
    assert set(RateCard.objects.filter(talent=anna).valid_on(dt.date(2026, 11, 30))) == {june}


def test_discipline_amounts_cannot_be_negative():
    for field in ("freelance_bill_rate", "freelance_cost_rate", "freelance_hours_per_week"):
        assert_refused(DisciplineFactory, **{field: Decimal("-1")})


def test_brand_names_are_unique_per_client():
    brand = BrandFactory(name="Aurora")
    assert_refused(BrandFactory, client=brand.client, name="Aurora")
    assert BrandFactory(client=ClientFactory(), name="Aurora").pk


def test_one_holiday_per_date():
    HolidayFactory(date=dt.date(2026, 12, 25))
    assert_refused(HolidayFactory, date=dt.date(2026, 12, 25), name="Also Christmas")


def test_studio_settings_load_is_always_the_same_single_row():
    first = StudioSettings.load()
    first.name = "Northlight"
    first.save()
    assert StudioSettings.load().pk == first.pk
    assert StudioSettings.load().name == "Northlight"

    # A second instance saved lands on the one row instead of adding one.
    StudioSettings(name="Second").save()
    assert StudioSettings.objects.count() == 1
    assert StudioSettings.load().name == "Second"

    with pytest.raises(IntegrityError), transaction.atomic():
        StudioSettings.objects.bulk_create([StudioSettings(pk=2)])
    assert StudioSettings.objects.count() == 1


def test_studio_settings_thresholds_cannot_be_negative():
    settings = StudioSettings.load()
    settings.budget_approval_threshold = Decimal("-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        settings.save()


def test_audit_events_are_append_only():
    actor = UserFactory(role="pm")
    event = audit(
        actor, actor, action="role changed", before={"role": "creative"}, after={"role": "pm"}
    )
    event.reason = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.reason == ""
    assert stored.after == {"role": "pm"}
    assert list(AuditEvent.objects.for_object(actor)) == [stored]


def test_a_comment_needs_a_body():
    comment = Comment(body="   ")
    with pytest.raises(ValidationError) as error:
        comment.clean()
    assert "body" in error.value.message_dict


def test_people_with_a_talent_profile_are_deactivated_not_deleted():
    talent = TalentFactory()
    BookingFactory(talent=talent)
    with pytest.raises(ProtectedError):
        talent.user.delete()
    with pytest.raises(ProtectedError):
        talent.delete()
    assert User.objects.filter(pk=talent.user.pk).exists()
    assert Talent.objects.filter(pk=talent.pk).exists()


def test_attachment_refuses_unknown_types_oversized_and_empty_files(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        Attachment(mime_type="application/x-msdownload", size=10).clean()
    assert "file" in error.value.message_dict
    with pytest.raises(ValidationError):
        Attachment(mime_type="application/pdf", size=1025).clean()
    Attachment(mime_type="application/pdf", size=1024).clean()

    owner = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.create(
            content_type=ContentType.objects.get_for_model(owner), object_id=str(owner.pk),
            file="attachments/empty.pdf", original_name="empty.pdf", mime_type="application/pdf",
            size=0, uploaded_by=owner,
        )
