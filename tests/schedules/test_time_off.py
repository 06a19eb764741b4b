"""Time off: requesting it, its approval, what approving it does to confirmed
bookings and capacity, and the time-off pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from approvals.models import Approval, ApprovalFlow
from approvals.services import approval_decide
from schedules.capacity import capacity_by_person
from schedules.models import TimeOff
from schedules.services.time import time_off_cancel, time_off_request
from studio.models import AuditEvent, Notification
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

# TODAY is Wednesday 25 November 2026.
MON, TUE, WED, THU, FRI = (dt.date(2026, 11, 23) + dt.timedelta(days=n) for n in range(5))
LIST_URL = reverse("schedules:time-off-list")
FORM_URL = reverse("schedules:time-off-request")


@pytest.fixture
def talent(creative):
    return creative.talent


@pytest.fixture
def project_pm(db):
    return f.UserFactory(role="pm", is_staff=True)


def request_off(talent, **kwargs):
    values = {"start_date": WED, "end_date": THU, **kwargs}
    return time_off_request(talent=talent, user=talent.user, **values)


def decide(time_off, pm, outcome="approve", comment=""):
    approval = Approval.objects.pending_for(time_off)
    approval_decide(approval=approval, user=pm, outcome=outcome, comment=comment)
    time_off.refresh_from_db()
    return time_off


# --- requesting ---------------------------------------------------------------------------


def test_request_waits_for_a_production_manager(talent, pm):
    time_off = request_off(talent, reason="Family")
    assert time_off.status == TimeOff.Status.REQUESTED
    approval = Approval.objects.pending_for(time_off)
    assert approval.kind == "time_off"
    assert approval.submitted_by == talent.user
    assert list(Approval.objects.waiting_on(pm)) == [approval]


def test_creative_cannot_request_time_off_for_someone_else(talent, pm):
    other = f.TalentFactory()
    with pytest.raises(PermissionDenied):
        time_off_request(talent=other, user=talent.user, start_date=WED, end_date=THU)
    assert not TimeOff.objects.exists()


def test_brand_manager_cannot_request_time_off(brand_manager, talent):
    with pytest.raises(PermissionDenied):
        time_off_request(talent=talent, user=brand_manager, start_date=WED, end_date=THU)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"start_date": THU, "end_date": WED}, "end_date"),
        ({"full_day": False, "hours_per_day": None}, "hours_per_day"),
        ({"full_day": False, "hours_per_day": Decimal("0")}, "hours_per_day"),
        ({"full_day": False, "hours_per_day": Decimal("24.5")}, "hours_per_day"),
        ({"full_day": True, "hours_per_day": Decimal("4")}, "hours_per_day"),
    ],
)
def test_bad_request_is_refused_and_nothing_is_saved(talent, values, field):
    with pytest.raises(ValidationError) as refused:
        request_off(talent, **values)
    assert field in refused.value.message_dict
    assert not TimeOff.objects.exists()
    assert not Approval.objects.exists()


# --- deciding -----------------------------------------------------------------------------


def test_approved_time_off_takes_the_days_capacity(talent, pm):
    time_off = request_off(talent)
    assert capacity_by_person(WED, WED, [talent.pk])[talent.pk][WED] == Decimal("8")

    assert decide(time_off, pm).status == TimeOff.Status.APPROVED
    # A full day off leaves no capacity, so the day has no row at all.
    assert capacity_by_person(WED, THU, [talent.pk]).get(talent.pk, {}) == {}
    assert capacity_by_person(FRI, FRI, [talent.pk])[talent.pk][FRI] == Decimal("8")


def test_rejected_time_off_is_declined_and_keeps_capacity(talent, pm):
    time_off = decide(request_off(talent), pm, outcome="reject", comment="Launch week")
    assert time_off.status == TimeOff.Status.DECLINED
    assert capacity_by_person(WED, WED, [talent.pk])[talent.pk][WED] == Decimal("8")


def test_part_day_time_off_takes_its_hours(talent, pm):
    decide(request_off(talent, end_date=WED, full_day=False, hours_per_day=Decimal("3")), pm)
    # 8 h a day − 3 h off = 5 h
    assert capacity_by_person(WED, WED, [talent.pk])[talent.pk][WED] == Decimal("5")


def test_pm_is_told_which_confirmed_hours_stopped_landing(talent, pm, project_pm):
    project = f.ProjectFactory(pm=project_pm, code="ACME-1")
    booking = f.BookingFactory(talent=talent, project=project, start_date=MON, end_date=FRI,
                               hours_per_day=Decimal("6"), status="confirmed")
    # Tentative bookings and other people's bookings are not the PM's loss here.
    f.BookingFactory(talent=talent, start_date=MON, end_date=FRI, hours_per_day=Decimal("2"), status="tentative")
    f.BookingFactory(start_date=MON, end_date=FRI, hours_per_day=Decimal("6"), status="confirmed")

    time_off = decide(request_off(talent), pm)

    # 6 h a day × Wednesday and Thursday = 12 h on 2 days
    notice = Notification.objects.get(recipient=project_pm, subject__contains="stopped landing")
    assert "12 confirmed hours" in notice.subject
    assert "12 h on 2 days (Wed 25 Nov, Thu 26 Nov)" in notice.body
    assert str(booking) in notice.body
    event = AuditEvent.objects.get(action="time_off.approved", object_id=str(time_off.pk))
    assert event.after["lost"] == [{
        "booking": booking.pk, "project": project.pk, "days": [WED.isoformat(), THU.isoformat()], "hours": "12.00",
    }]
    assert event.after["over_capacity"] == []


def test_days_that_land_nothing_are_not_counted_as_lost(talent, pm, project_pm):
    f.HolidayFactory(date=THU)
    f.BookingFactory(talent=talent, project=f.ProjectFactory(pm=project_pm), start_date=MON, end_date=FRI,
                     hours_per_day=Decimal("6"), status="confirmed")
    # Wednesday to Sunday: Thursday is a holiday, the weekend is not worked.
    decide(request_off(talent, end_date=FRI + dt.timedelta(days=2)), pm)

    # 6 h × Wednesday and Friday = 12 h on 2 days
    notice = Notification.objects.get(recipient=project_pm, subject__contains="stopped landing")
    assert "12 h on 2 days (Wed 25 Nov, Fri 27 Nov)" in notice.body


def test_part_day_time_off_warns_of_confirmed_hours_over_capacity(talent, pm, project_pm):
    booking = f.BookingFactory(talent=talent, project=f.ProjectFactory(pm=project_pm), start_date=MON, end_date=FRI,
                               hours_per_day=Decimal("6"), status="confirmed")
    time_off = decide(request_off(talent, end_date=WED, full_day=False, hours_per_day=Decimal("3")), pm)

    # The hours still land; 6 h confirmed against 8 − 3 = 5 h of capacity is 1 h over.
    notice = Notification.objects.get(recipient=project_pm, subject__contains="over capacity")
    assert "on Wed 25 Nov, 6 h confirmed against 5 h of capacity (1 h over)" in notice.body
    event = AuditEvent.objects.get(action="time_off.approved", object_id=str(time_off.pk))
    assert event.after["lost"] == []
    assert event.after["over_capacity"] == [
        {"day": WED.isoformat(), "confirmed": "6.00", "capacity": "5.00", "hours": "1.00", "bookings": [booking.pk]}
    ]


def test_approving_time_off_without_bookings_tells_no_project_manager(talent, pm, project_pm):
    decide(request_off(talent), pm)
    assert not Notification.objects.filter(recipient=project_pm, subject__startswith="Time off for").exists()


# --- cancelling ---------------------------------------------------------------------------


def test_cancelled_request_is_declined_and_its_approval_withdrawn(talent, pm):
    time_off = time_off_cancel(time_off=request_off(talent), user=talent.user)
    assert time_off.status == TimeOff.Status.DECLINED
    assert Approval.objects.for_object(time_off).get().status == Approval.Status.WITHDRAWN
    assert not Approval.objects.waiting_on(pm).exists()


def test_the_person_cancels_a_request_a_pm_filed_for_them(talent, pm):
    # With an executive step, a PM's filing waits for a decision instead of passing at once.
    flow = ApprovalFlow.objects.get(kind="time_off")
    flow.steps.all().delete()
    f.ApprovalStepFactory(flow=flow, order=1, name="Executive", role="executive")
    filed = time_off_request(talent=talent, user=pm, start_date=WED, end_date=THU)
    assert Approval.objects.for_object(filed).get().submitted_by == pm

    time_off = time_off_cancel(time_off=filed, user=talent.user)

    assert time_off.status == TimeOff.Status.DECLINED
    assert Approval.objects.for_object(time_off).get().status == Approval.Status.WITHDRAWN


def test_someone_else_cannot_cancel_a_persons_request(talent):
    colleague = f.TalentFactory().user
    with pytest.raises(PermissionDenied):
        time_off_cancel(time_off=request_off(talent), user=colleague)


def test_decided_time_off_cannot_be_cancelled(talent, pm):
    time_off = decide(request_off(talent), pm)
    with pytest.raises(ValidationError):
        time_off_cancel(time_off=time_off, user=talent.user)
    time_off.refresh_from_db()
    assert time_off.status == TimeOff.Status.APPROVED


# --- pages --------------------------------------------------------------------------------


def test_request_form_sends_the_request_and_says_so(client, talent, pm):
    client.force_login(talent.user)
    response = client.post(FORM_URL, {"start_date": WED, "end_date": THU, "full_day": "on", "reason": "Move"},
                           follow=True)
    assert response.redirect_chain[-1][0] == LIST_URL
    assert "sent for approval" in response.content.decode()
    time_off = TimeOff.objects.get()
    assert (time_off.talent, time_off.status) == (talent, TimeOff.Status.REQUESTED)
    assert Approval.objects.pending_for(time_off) is not None


def test_request_form_shows_errors_in_place(client, talent):
    client.force_login(talent.user)
    response = client.post(FORM_URL, {"start_date": THU, "end_date": WED, "hours_per_day": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == ["Time off cannot end before it starts."]
    assert not TimeOff.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_without_a_profile_is_told_why_instead_of_a_500(client, method):
    creative_without_profile = f.UserFactory(role="creative")
    client.force_login(creative_without_profile)
    data = {"start_date": WED, "end_date": THU, "full_day": "on"} if method == "post" else None
    response = getattr(client, method)(FORM_URL, data)
    assert response.status_code == (400 if method == "post" else 200)
    assert "Your profile has no working hours yet" in response.content.decode()
    assert 'name="start_date"' not in response.content.decode()
    assert not TimeOff.objects.exists()


def test_request_form_asks_for_hours_of_a_part_day(client, talent):
    client.force_login(talent.user)
    response = client.post(FORM_URL, {"start_date": WED, "end_date": WED, "hours_per_day": ""})
    assert "hours_per_day" in response.context["form"].errors
    assert not TimeOff.objects.exists()


def test_pm_requests_time_off_for_a_person(client, pm, talent):
    client.force_login(pm)
    response = client.post(FORM_URL, {"talent": talent.pk, "start_date": WED, "end_date": WED,
                                      "hours_per_day": "4"})
    assert response.status_code == 302
    time_off = TimeOff.objects.get()
    assert (time_off.talent, time_off.full_day, time_off.hours_per_day) == (talent, False, Decimal("4"))


def test_creative_sees_only_own_time_off(client, talent):
    own = f.TimeOffFactory(talent=talent, status="requested")
    f.TimeOffFactory()
    client.force_login(talent.user)
    response = client.get(LIST_URL)
    assert [item.pk for item in response.context["page_obj"]] == [own.pk]


def test_pm_sees_everyones_time_off_filtered_by_status(client, pm):
    approved = f.TimeOffFactory(status="approved")
    f.TimeOffFactory(status="requested")
    client.force_login(pm)
    response = client.get(LIST_URL, {"status": "approved"})
    assert [item.pk for item in response.context["page_obj"]] == [approved.pk]


@pytest.mark.parametrize("role", ["brand_manager", "outsider"])
def test_brand_managers_have_no_time_off_pages(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(LIST_URL).status_code == 403
    assert client.get(FORM_URL).status_code == 403


@pytest.mark.parametrize(
    ("role", "list_status", "form_status"),
    [
        ("pm", 200, 200),
        # Executives and the admin role see everyone's time off; they ask for nobody's.
        ("executive", 200, 403),
        ("admin_user", 200, 403),
        ("creative", 200, 200),
        ("freelancer", 200, 200),
        ("brand_manager", 403, 403),
        ("outsider", 403, 403),
    ],
)
def test_who_uses_the_time_off_pages(client, request, role, list_status, form_status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(LIST_URL).status_code == list_status
    assert client.get(FORM_URL).status_code == form_status


def test_anonymous_visitors_are_sent_to_sign_in_from_time_off(client):
    assert client.get(LIST_URL).status_code == 302
    assert client.get(FORM_URL).status_code == 302


@pytest.mark.parametrize("rows", [2, 12])
def test_time_off_list_queries_do_not_grow_with_rows(client, pm, django_assert_num_queries, rows):
    f.TimeOffFactory.create_batch(rows)
    client.force_login(pm)
    # session, user, count, studio settings, page of rows with their people
    with django_assert_num_queries(5):
        response = client.get(LIST_URL, HTTP_HX_REQUEST="true")
    assert len(response.context["page_obj"]) == rows


def test_creative_cancels_own_request_from_the_list(client, talent):
    time_off = request_off(talent)
    client.force_login(talent.user)
    response = client.post(reverse("schedules:time-off-cancel", args=[time_off.pk]))
    assert response.status_code == 302
    time_off.refresh_from_db()
    assert time_off.status == TimeOff.Status.DECLINED


def test_another_persons_time_off_is_not_found(client, talent):
    other = f.TimeOffFactory(status="requested")
    client.force_login(talent.user)
    assert client.post(reverse("schedules:time-off-cancel", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == TimeOff.Status.REQUESTED
