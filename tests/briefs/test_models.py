"""Requests, briefs and their frozen versions keep their invariants."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from briefs.models import SECTIONS, BriefVersion, Request
from tests.factories import (
    BriefDistributionFactory,
    BriefFactory,
    BriefTemplateFactory,
    BriefVersionFactory,
    ProjectFactory,
    RequestFactory,
    RequestItemFactory,
)

pytestmark = pytest.mark.django_db


def assert_refused(factory, **kwargs):
    """The database refuses the row; the savepoint lets the test go on."""
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_request_budget_cannot_be_negative():
    assert_refused(RequestFactory, budget=Decimal("-1"))
    assert RequestFactory(budget=Decimal("0")).pk


def test_a_declined_request_says_why():
    assert_refused(RequestFactory, status="declined", decline_reason="")
    with pytest.raises(ValidationError) as error:
        Request(status="declined", decline_reason="   ").clean()
    assert "decline_reason" in error.value.message_dict
    assert RequestFactory(status="declined", decline_reason="Outside our capabilities.").pk


def test_an_accepted_request_has_its_project():
    assert_refused(RequestFactory, status="accepted", project=None)
    assert RequestFactory(status="accepted", project=ProjectFactory()).pk


def test_one_project_per_request():
    project = ProjectFactory()
    RequestFactory(status="accepted", project=project)
    assert_refused(RequestFactory, status="accepted", project=project)


def test_request_items_name_each_type_once_with_a_positive_quantity():
    item = RequestItemFactory()
    assert_refused(RequestItemFactory, request=item.request, deliverable_type=item.deliverable_type)
    assert_refused(RequestItemFactory, quantity=0)


def test_brief_template_names_are_unique():
    BriefTemplateFactory(name="Social campaign")
    assert_refused(BriefTemplateFactory, name="Social campaign")


def test_brief_content_holds_every_filled_section_as_json():
    brief = BriefFactory(deadline=dt.date(2027, 1, 15), tone="Warm.")
    content = brief.content()
    assert set(content) == set(SECTIONS)
    assert content["deadline"] == "2027-01-15"
    assert content["tone"] == "Warm."
    assert "deadline" not in BriefFactory(deadline=None).content()


def test_brief_versions_refuse_updates():
    version = BriefVersionFactory()
    version.title = "Rewritten"
    with pytest.raises(ValidationError):
        version.save()
    assert BriefVersion.objects.get(pk=version.pk).title == version.brief.title


def test_brief_version_numbers_are_unique_per_brief_and_start_at_one():
    version = BriefVersionFactory()
    assert_refused(BriefVersionFactory, brief=version.brief, number=1)
    assert_refused(BriefVersionFactory, number=0)
    assert BriefVersionFactory(brief=version.brief, number=2).pk


def test_a_version_goes_to_each_recipient_once():
    sent = BriefDistributionFactory()
    assert_refused(BriefDistributionFactory, version=sent.version, recipient=sent.recipient)
    assert BriefDistributionFactory(version=sent.version).pk


def test_a_brief_with_versions_cannot_be_deleted():
    version = BriefVersionFactory()
    with pytest.raises(ProtectedError):
        version.brief.delete()


def test_a_sent_version_cannot_be_deleted():
    sent = BriefDistributionFactory()
    with pytest.raises(ProtectedError):
        sent.version.delete()
