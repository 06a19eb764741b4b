"""Satisfaction surveys: sent once when a project is delivered (and, if the studio asks,
when a deliverable is approved) to each manager of its brand, answered once by the
token link while it is open, reminded once after three working days."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from metrics.models import SatisfactionSurvey, SurveyResponse
from metrics.surveys import services, signals
from metrics.surveys.services import (
    SurveyAlreadyAnswered,
    SurveyExpired,
    survey_answer,
    survey_reminders_send,
    survey_send,
)
from metrics.surveys.tasks import survey_reminders_send_task, survey_send_task
from projects.models import DeliverableStatus, Project
from projects.services.projects import project_status_change
from projects.services.review import deliverable_on_approve
from studio import clock
from studio.models import Notification, NotificationDelivery, StudioSettings
from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

DAY = dt.timedelta(days=1)
# TODAY is Wednesday 25 November 2026.
THURSDAY = TODAY + DAY  # 26 Nov
MONDAY = TODAY + 5 * DAY  # 30 Nov
TUESDAY = TODAY + 6 * DAY  # 1 Dec
WEDNESDAY = TODAY + 7 * DAY  # 2 Dec


@pytest.fixture(autouse=True)
def listening():
    """The listeners as MetricsConfig.ready() connects them, whether or not it does yet."""
    was_listening = signals.disconnect()
    signals.connect()
    yield
    if not was_listening:
        signals.disconnect()


@pytest.fixture
def colleague(brand):
    """A second manager of the brand."""
    user = f.UserFactory(role="brand_manager")
    brand.managers.add(user)
    return user


@pytest.fixture
def project(brand):
    return f.ProjectFactory(brand=brand, status=Project.Status.ACTIVE, name="Winter campaign")


def deliver(project, pm, capture):
    with capture(execute=True):
        return project_status_change(project=project, user=pm, status=Project.Status.DELIVERED)


def surveys_each_deliverable(on: bool) -> None:
    StudioSettings.objects.filter(pk=1).update(survey_each_deliverable=on)


def approve(deliverable, by, capture):
    with capture(execute=True):
        deliverable_on_approve(deliverable, None, by)


# --- sending on delivery -----------------------------------------------------------------


def test_delivering_a_project_asks_each_brand_manager_once_in_app_and_by_email(
    project, pm, brand_manager, colleague, outsider, django_capture_on_commit_callbacks
):
    deliver(project, pm, django_capture_on_commit_callbacks)

    survey = SatisfactionSurvey.objects.get()
    assert (survey.project, survey.deliverable) == (project, None)
    responses = {r.respondent: r for r in survey.responses.all()}
    assert set(responses) == {brand_manager, colleague}
    assert len({r.token for r in responses.values()}) == 2
    assert all(len(r.token) >= 40 for r in responses.values())
    for person, response in responses.items():
        (notification,) = Notification.objects.filter(recipient=person)
        link = f"/metrics/surveys/answer/{response.token}/"
        assert notification.url == link
        assert notification.target == response
        assert notification.subject == "How did we do? Rate the work on Winter campaign"
        (email,) = [m for m in mail.outbox if m.to == [person.email]]
        assert settings.SITE_URL + link in email.body
        assert "until Fri 25 Dec." in email.body  # 25 Nov + 30 days: the link's last day
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert len(mail.outbox) == 2


def test_a_second_save_or_a_second_delivery_sends_nothing(
    project, pm, brand_manager, colleague, django_capture_on_commit_callbacks
):
    deliver(project, pm, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        Project.objects.get(pk=project.pk).save()
    with django_capture_on_commit_callbacks(execute=True):
        project_status_change(project=project, user=pm, status=Project.Status.ACTIVE)
    deliver(project, pm, django_capture_on_commit_callbacks)

    assert SatisfactionSurvey.objects.count() == 1
    assert SurveyResponse.objects.count() == 2
    assert Notification.objects.filter(recipient__in=[brand_manager, colleague]).count() == 2
    assert len(mail.outbox) == 2


def test_saves_that_do_not_deliver_queue_nothing(project, pm, brand_manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        project_status_change(project=project, user=pm, status=Project.Status.ON_HOLD)
        project.status = Project.Status.DELIVERED  # in memory only: saving other fields
        project.save(update_fields=["name"])
    assert [c for c in callbacks if "survey" in getattr(c, "__qualname__", "")] == []
    assert not SatisfactionSurvey.objects.exists()


def test_sending_is_idempotent_when_called_again(project, brand_manager):
    Project.objects.filter(pk=project.pk).update(status=Project.Status.DELIVERED)
    project.refresh_from_db()
    first = survey_send(project=project)
    second = survey_send(project=project)
    assert first is not None and second is None
    assert SurveyResponse.objects.filter(survey=first).count() == 1


def test_nobody_is_asked_about_internal_work_or_by_inactive_or_other_roles(pm, brand, brand_manager):
    inactive = f.UserFactory(role="brand_manager", is_active=False)
    studio_person = f.UserFactory(role="pm", is_staff=True)
    brand.managers.add(inactive, studio_person)
    internal = f.ProjectFactory(brand=None, is_internal=True, status=Project.Status.DELIVERED)
    client_work = f.ProjectFactory(brand=brand, status=Project.Status.DELIVERED)

    assert survey_send(project=internal) is None
    survey = survey_send(project=client_work)
    assert [r.respondent for r in survey.responses.all()] == [brand_manager]


def test_a_brand_without_managers_gets_no_survey_until_it_has_one(project):
    Project.objects.filter(pk=project.pk).update(status=Project.Status.DELIVERED)
    project.refresh_from_db()
    assert survey_send(project=project) is None
    assert not SatisfactionSurvey.objects.exists()
    project.brand.managers.add(f.UserFactory(role="brand_manager"))
    assert survey_send(project=project) is not None


def test_a_project_not_delivered_is_not_surveyed(project, brand_manager):
    assert survey_send(project=project) is None
    assert survey_send_task(project.pk) is None
    assert not SatisfactionSurvey.objects.exists()


def test_a_person_with_no_email_setting_is_asked_in_the_app_only(
    project, pm, brand_manager, django_capture_on_commit_callbacks
):
    brand_manager.notification_delivery = NotificationDelivery.NONE
    brand_manager.save()
    deliver(project, pm, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(recipient=brand_manager).count() == 1
    assert mail.outbox == []


# --- deliverables, by the studio's setting --------------------------------------------------


def test_an_approved_deliverable_is_surveyed_when_the_studio_asks(
    project, brand_manager, colleague, django_capture_on_commit_callbacks
):
    surveys_each_deliverable(True)
    deliverable = f.DeliverableFactory(project=project, status=DeliverableStatus.CLIENT_REVIEW, name="Key visual")

    approve(deliverable, brand_manager, django_capture_on_commit_callbacks)

    survey = SatisfactionSurvey.objects.get()
    assert (survey.project, survey.deliverable) == (project, deliverable)
    assert survey.responses.count() == 2
    assert Notification.objects.get(recipient=colleague).subject == (
        "How did we do? Rate “Key visual” (Winter campaign)"
    )
    # Approved again (a later save of the approved row): nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        deliverable.refresh_from_db()
        deliverable.save()
    assert SatisfactionSurvey.objects.count() == 1
    assert SurveyResponse.objects.count() == 2


def test_an_approved_deliverable_is_not_surveyed_when_the_studio_does_not_ask(
    project, brand_manager, django_capture_on_commit_callbacks
):
    surveys_each_deliverable(False)
    deliverable = f.DeliverableFactory(project=project, status=DeliverableStatus.CLIENT_REVIEW)

    approve(deliverable, brand_manager, django_capture_on_commit_callbacks)

    assert not SatisfactionSurvey.objects.exists()
    # The service keeps the rule too: a task queued before the setting was turned off sends nothing.
    assert survey_send_task(project.pk, deliverable.pk) is None


def test_the_deliverable_and_project_surveys_are_separate(
    project, pm, brand_manager, django_capture_on_commit_callbacks
):
    surveys_each_deliverable(True)
    deliverable = f.DeliverableFactory(project=project, status=DeliverableStatus.CLIENT_REVIEW)
    approve(deliverable, brand_manager, django_capture_on_commit_callbacks)
    deliver(project, pm, django_capture_on_commit_callbacks)

    assert sorted(SatisfactionSurvey.objects.values_list("deliverable", flat=True), key=str) == sorted(
        [deliverable.pk, None], key=str
    )
    assert SurveyResponse.objects.filter(respondent=brand_manager).count() == 2


def test_a_deliverable_of_another_project_is_refused_by_the_task(project, brand_manager):
    surveys_each_deliverable(True)
    stranger = f.DeliverableFactory(status=DeliverableStatus.APPROVED, approved_at=timezone.now())
    assert survey_send_task(project.pk, stranger.pk) is None
    assert survey_send_task(0) is None
    assert not SatisfactionSurvey.objects.exists()


# --- answering ---------------------------------------------------------------------------


@pytest.fixture
def response(brand_manager, project):
    Project.objects.filter(pk=project.pk).update(status=Project.Status.DELIVERED)
    project.refresh_from_db()
    survey = survey_send(project=project)
    return survey.responses.get(respondent=brand_manager)


def test_an_answer_is_recorded_once(response, brand_manager):
    answered = survey_answer(response=response, rating=4, comment="  Lovely work.  ")
    assert (answered.rating, answered.comment) == (4, "Lovely work.")
    assert answered.responded_at is not None

    # The same object again, as a double click would hold it: nothing changes.
    with pytest.raises(SurveyAlreadyAnswered):
        survey_answer(response=response, rating=1, comment="Changed my mind")
    response.refresh_from_db()
    assert (response.rating, response.comment) == (4, "Lovely work.")


def test_answering_marks_the_invitation_read(response, brand_manager):
    notification = Notification.objects.get(recipient=brand_manager)
    assert notification.read_at is None
    survey_answer(response=response, rating=5)
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize(
    ("rating", "comment", "field"),
    [
        (0, "", "rating"),
        (6, "", "rating"),
        (None, "", "rating"),
        (True, "", "rating"),
        ("5", "", "rating"),
        (3, "bad\x00byte", "comment"),
        (3, "x" * 5001, "comment"),
    ],
)
def test_bad_answers_are_refused_field_by_field_and_nothing_is_saved(response, rating, comment, field):
    with pytest.raises(ValidationError) as refused:
        survey_answer(response=response, rating=rating, comment=comment)
    assert list(refused.value.message_dict) == [field]
    response.refresh_from_db()
    assert (response.rating, response.responded_at) == (None, None)


def test_a_comment_of_exactly_5000_characters_is_kept(response):
    assert len(survey_answer(response=response, rating=3, comment="y" * 5000).comment) == 5000


def test_the_link_works_through_the_thirtieth_day_after_sending(response, move_clock):
    # Sent on Wed 25 Nov 2026; 25 Nov + 30 days = Fri 25 Dec, its last day.
    move_clock(TODAY + 30 * DAY)
    assert services.state_of(response) == services.SurveyState.OPEN
    move_clock(TODAY + 31 * DAY)
    assert services.state_of(response) == services.SurveyState.EXPIRED
    with pytest.raises(SurveyExpired):
        survey_answer(response=response, rating=5)
    response.refresh_from_db()
    assert response.responded_at is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_record_exactly_one_answer(brand_manager, project, monkeypatch):
    Project.objects.filter(pk=project.pk).update(status=Project.Status.DELIVERED)
    project.refresh_from_db()
    response = survey_send(project=project).responses.get()
    inside, release = threading.Event(), threading.Event()
    real_state_of = services.state_of

    def slow_state_of(row, now=None):
        # The first submit holds the row lock here until the second has tried to take it.
        if not inside.is_set():
            inside.set()
            release.wait(timeout=10)
        return real_state_of(row, now)

    monkeypatch.setattr(services, "state_of", slow_state_of)
    outcomes = {}

    def submit(name, rating):
        try:
            survey_answer(response=SurveyResponse.objects.get(pk=response.pk), rating=rating)
            outcomes[name] = "answered"
        except SurveyAlreadyAnswered:
            outcomes[name] = "already answered"
        finally:
            connection.close()

    first = threading.Thread(target=submit, args=("first", 5))
    first.start()
    assert inside.wait(timeout=10)
    second = threading.Thread(target=submit, args=("second", 1))
    second.start()
    second.join(timeout=1)
    # The second submit waits on the row lock while the first is still answering.
    assert second.is_alive()
    release.set()
    first.join(timeout=10)
    second.join(timeout=10)

    assert outcomes == {"first": "answered", "second": "already answered"}
    assert SurveyResponse.objects.get(pk=response.pk).rating == 5


# --- reminding ---------------------------------------------------------------------------


@pytest.fixture
def sent_thursday(project, brand_manager, colleague, move_clock):
    """The project's survey, sent to both managers on Thursday 26 November 2026."""
    move_clock(THURSDAY)
    Project.objects.filter(pk=project.pk).update(status=Project.Status.DELIVERED)
    project.refresh_from_db()
    return survey_send(project=project)


def reminders_on(day, move_clock) -> int:
    move_clock(day)
    return survey_reminders_send(today=clock.today())


def test_the_reminder_comes_after_three_working_days_over_a_weekend(sent_thursday, move_clock, brand_manager):
    # Sent Thu 26 Nov: Fri 27 (1), Sat and Sun do not count, Mon 30 (2), Tue 1 Dec (3).
    assert reminders_on(TODAY + 2 * DAY, move_clock) == 0  # Friday
    assert reminders_on(MONDAY, move_clock) == 0
    assert reminders_on(TUESDAY, move_clock) == 2

    reminder = Notification.objects.filter(recipient=brand_manager).order_by("-pk").first()
    assert reminder.subject == "Reminder: How did we do? Rate the work on Winter campaign"
    response = sent_thursday.responses.get(respondent=brand_manager)
    assert reminder.url == f"/metrics/surveys/answer/{response.token}/"
    assert response.reminded_at is not None


def test_each_person_is_reminded_once(sent_thursday, move_clock):
    assert reminders_on(TUESDAY, move_clock) == 2
    assert reminders_on(TUESDAY, move_clock) == 0  # a rerun the same day
    assert reminders_on(WEDNESDAY, move_clock) == 0
    # Sent twice to each of the two managers: the survey and one reminder = 4.
    assert Notification.objects.count() == 4


def test_the_task_reminds_as_the_service_does(sent_thursday, move_clock):
    move_clock(TUESDAY)
    assert survey_reminders_send_task() == 2
    assert survey_reminders_send_task() == 0


def test_who_answered_is_not_reminded(sent_thursday, move_clock, brand_manager, colleague):
    survey_answer(response=sent_thursday.responses.get(respondent=brand_manager), rating=5)
    assert reminders_on(TUESDAY, move_clock) == 1
    assert SurveyResponse.objects.get(respondent=colleague).reminded_at is not None
    assert SurveyResponse.objects.get(respondent=brand_manager).reminded_at is None


def test_a_holiday_is_not_a_working_day_for_the_reminder(project, brand_manager, move_clock):
    # Fri 27 Nov a holiday: Mon 30 (1), Tue 1 Dec (2), Wed 2 Dec (3).
    f.HolidayFactory(date=TODAY + 2 * DAY, name="Studio day off")
    move_clock(THURSDAY)
    Project.objects.filter(pk=project.pk).update(status=Project.Status.DELIVERED)
    project.refresh_from_db()
    survey_send(project=project)
    assert reminders_on(TUESDAY, move_clock) == 0
    assert reminders_on(WEDNESDAY, move_clock) == 1


def test_no_reminder_on_a_weekend_or_once_the_link_has_closed(sent_thursday, move_clock):
    assert reminders_on(TODAY + 11 * DAY, move_clock) == 0  # Sunday 6 Dec: not a working day
    # The sweep did not run for weeks: a link closed on 26 Dec (26 Nov + 30) is not reminded of.
    assert reminders_on(dt.date(2026, 12, 28), move_clock) == 0
    assert reminders_on(dt.date(2026, 12, 24), move_clock) == 2


def test_a_deactivated_manager_is_not_reminded(sent_thursday, move_clock, colleague):
    colleague.is_active = False
    colleague.save()
    assert reminders_on(TUESDAY, move_clock) == 1
