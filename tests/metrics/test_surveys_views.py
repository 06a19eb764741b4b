"""Survey pages: the token link answers without signing in (once, while open), the
respondent signed in reaches the same page, nobody else does; the PM's list of who
answered."""

import datetime as dt

import pytest
from django.urls import reverse

from metrics.models import SurveyResponse
from metrics.surveys import services
from projects.models import Project
from studio.models import Notification, Talent
from tests import factories as f
from tests.factories import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

DAY = dt.timedelta(days=1)


@pytest.fixture
def colleague(brand):
    user = f.UserFactory(role="brand_manager", first_name="Zoe", last_name="Zimmer")
    brand.managers.add(user)
    return user


@pytest.fixture
def project(brand, brand_manager, colleague):
    return f.ProjectFactory(brand=brand, status=Project.Status.DELIVERED, name="Winter campaign")


@pytest.fixture
def survey(project):
    return services.survey_send(project=project)


@pytest.fixture
def response(survey, brand_manager):
    return survey.responses.get(respondent=brand_manager)


def token_url(response):
    return reverse("surveys:answer", args=[response.token])


def test_the_pages_live_under_metrics_surveys(response):
    assert token_url(response) == f"/metrics/surveys/answer/{response.token}/"
    assert reverse("surveys:response-answer", args=[response.pk]) == f"/metrics/surveys/responses/{response.pk}/"
    assert reverse("surveys:project-surveys", args=[7]) == "/metrics/surveys/projects/7/"


# --- the token link ----------------------------------------------------------------------


def test_the_link_opens_the_survey_without_signing_in(client, response):
    page = client.get(token_url(response))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Winter campaign" in content
    assert content.count('name="rating"') == 5
    assert 'name="comment"' in content
    assert "until 25 Dec 2026" in content  # sent 25 Nov; + 30 days
    # The URL is a secret.
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page["Cache-Control"]


def test_one_click_rates_and_thanks_then_the_link_is_used(client, response):
    page = client.post(token_url(response), {"rating": "4", "comment": "Quick and sharp."})

    assert page.status_code == 200
    assert "Thank you." in page.content.decode()
    assert "You rated the work 4 out of 5." in page.content.decode()
    response.refresh_from_db()
    assert (response.rating, response.comment) == (4, "Quick and sharp.")
    answered_at = response.responded_at

    again = client.post(token_url(response), {"rating": "1", "comment": "Overwrite"})
    assert again.status_code == 409
    assert "This survey was already answered." in again.content.decode()
    response.refresh_from_db()
    assert (response.rating, response.comment, response.responded_at) == (4, "Quick and sharp.", answered_at)

    shown = client.get(token_url(response))
    assert "This survey was already answered." in shown.content.decode()
    assert 'name="rating"' not in shown.content.decode()


def test_a_rating_alone_is_enough(client, response):
    assert client.post(token_url(response), {"rating": "5"}).status_code == 200
    response.refresh_from_db()
    assert (response.rating, response.comment) == (5, "")


def test_htmx_gets_just_the_survey_fragment(client, response):
    page = client.post(token_url(response), {"rating": "3"}, headers={"HX-Request": "true"})
    content = page.content.decode()
    assert page.status_code == 200
    assert content.lstrip().startswith('<section id="survey"')
    assert "<html" not in content


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"rating": "0"}, "rating", "Choose a rating from 1 to 5."),
        ({"rating": "6"}, "rating", "Choose a rating from 1 to 5."),
        ({"rating": "four"}, "rating", "Choose a rating from 1 to 5."),
        ({"comment": "No rating"}, "rating", "Choose a rating from 1 to 5."),
        ({"rating": "3", "comment": "bad\x00byte"}, "comment", "null character"),
        ({"rating": "3", "comment": "x" * 5001}, "comment", "Keep the comment to 5000 characters; it has 5001."),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(client, response, data, field, message):
    page = client.post(token_url(response), data)

    assert page.status_code == 400
    errors = page.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert message.replace("\x00", "") in page.content.decode()
    response.refresh_from_db()
    assert (response.rating, response.comment, response.responded_at) == (None, "", None)


def test_an_expired_link_says_so_and_takes_no_answer(client, response, move_clock):
    # Sent Wed 25 Nov 2026: its last day is 25 Dec (+ 30 days), closed from 26 Dec.
    move_clock(TODAY + 31 * DAY)

    shown = client.get(token_url(response))
    assert shown.status_code == 200
    assert "This survey has closed." in shown.content.decode()
    assert "Its link worked until 25 Dec 2026." in shown.content.decode()
    assert 'name="rating"' not in shown.content.decode()

    refused = client.post(token_url(response), {"rating": "5"})
    assert refused.status_code == 409
    response.refresh_from_db()
    assert response.responded_at is None


def test_an_unknown_or_dead_token_is_not_found(client, response, brand_manager):
    assert client.get(reverse("surveys:answer", args=["x" * 43])).status_code == 404
    brand_manager.is_active = False
    brand_manager.save()
    assert client.get(token_url(response)).status_code == 404
    assert client.post(token_url(response), {"rating": "5"}).status_code == 404


def test_the_token_page_reads_a_fixed_number_of_queries(client, response, django_assert_num_queries):
    # response with its survey, project and deliverable; studio settings
    with django_assert_num_queries(2):
        assert client.get(token_url(response)).status_code == 200


# --- from the notification, signed in ----------------------------------------------------


def test_the_notification_opens_the_survey(client, response, brand_manager):
    notification = Notification.objects.get(recipient=brand_manager)
    client.force_login(brand_manager)

    opened = client.get(reverse("studio:notification-open", args=[notification.pk]), follow=True)

    assert opened.redirect_chain == [(token_url(response), 302)]
    assert opened.status_code == 200
    assert opened.context["response"] == response
    assert opened.content.decode().count('name="rating"') == 5


def test_the_respondent_answers_signed_in(client, response, brand_manager):
    client.force_login(brand_manager)
    url = reverse("surveys:response-answer", args=[response.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, {"rating": "2", "comment": "Late twice."}).status_code == 200
    response.refresh_from_db()
    assert (response.rating, response.comment) == (2, "Late twice.")
    assert client.post(url, {"rating": "5"}).status_code == 409


def test_nobody_else_opens_or_answers_a_response_signed_in(client, response, colleague, outsider, pm):
    url = reverse("surveys:response-answer", args=[response.pk])
    for person in (outsider, colleague, pm):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"rating": "1"}).status_code == 404
    response.refresh_from_db()
    assert response.responded_at is None


def test_signing_in_is_needed_for_the_signed_in_route(client, response):
    url = reverse("surveys:response-answer", args=[response.pk])
    page = client.get(url)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login"))


# --- who answered ------------------------------------------------------------------------


def list_url(project):
    return reverse("surveys:project-surveys", args=[project.pk])


def test_the_pm_sees_who_answered_who_waits_and_who_was_reminded(
    client, pm, project, survey, brand_manager, colleague, move_clock
):
    services.survey_answer(response=survey.responses.get(respondent=brand_manager), rating=4, comment="Sharp.")
    SurveyResponse.objects.filter(respondent=colleague).update(reminded_at=survey.sent_at + 6 * DAY)
    client.force_login(pm)

    page = client.get(list_url(project))

    assert page.status_code == 200
    (row,) = page.context["surveys"]
    states = {item.response.respondent: item.state for item in row.rows}
    assert states == {brand_manager: "answered", colleague: "open"}
    assert (row.answered, row.average_rating) == (1, 4)
    content = page.content.decode()
    assert "1 of 2 answered, average 4.0 out of 5." in content
    assert "Sharp." in content
    assert "reminded 1 Dec 2026" in content  # sent 25 Nov + 6 days
    assert "Rate it now" not in content  # the PM rates nothing
    assert "<table" not in content  # a list: nothing scrolls sideways on a phone


def test_the_average_is_over_the_answers_only(client, pm, project, brand_manager, colleague):
    survey = services.survey_send(project=project)
    services.survey_answer(response=survey.responses.get(respondent=brand_manager), rating=4)
    services.survey_answer(response=survey.responses.get(respondent=colleague), rating=5)
    client.force_login(pm)
    (row,) = client.get(list_url(project)).context["surveys"]
    # (4 + 5) / 2 = 4.5
    assert str(row.average_rating) == "4.5"


def test_an_unanswered_closed_response_shows_as_not_answered(client, pm, project, survey, move_clock):
    move_clock(TODAY + 31 * DAY)
    client.force_login(pm)
    (row,) = client.get(list_url(project)).context["surveys"]
    assert {item.state for item in row.rows} == {"expired"}
    assert row.average_rating is None


def test_a_brand_manager_sees_their_brands_list_and_a_link_to_rate(client, project, survey, brand_manager, response):
    client.force_login(brand_manager)
    content = client.get(list_url(project)).content.decode()
    assert reverse("surveys:response-answer", args=[response.pk]) in content


def test_another_brands_manager_does_not_find_the_list(client, project, survey, outsider):
    client.force_login(outsider)
    assert client.get(list_url(project)).status_code == 404


def test_a_creative_on_the_team_may_not_read_the_answers(client, project, survey, creative):
    deliverable = f.DeliverableFactory(project=project)
    deliverable.assignees.add(Talent.objects.get(user=creative))
    client.force_login(creative)
    assert client.get(list_url(project)).status_code == 403


def test_no_survey_yet_says_when_one_comes(client, pm):
    client.force_login(pm)
    page = client.get(list_url(f.ProjectFactory()))
    assert page.status_code == 200
    assert "No survey yet" in page.content.decode()


def test_the_list_reads_a_fixed_number_of_queries(client, pm, django_assert_num_queries):
    project = f.ProjectFactory(status=Project.Status.DELIVERED)
    client.force_login(pm)
    client.get(list_url(project))  # warm the session

    def add_survey(deliverable, people):
        survey = f.SatisfactionSurveyFactory(project=project, deliverable=deliverable)
        f.SurveyResponseFactory.create_batch(people, survey=survey)

    add_survey(None, 2)
    for surveys in (1, 3):
        # session, user, project, studio settings, surveys, their responses with respondents
        with django_assert_num_queries(6):
            page = client.get(list_url(project))
        assert len(page.context["surveys"]) == surveys
        for _ in range(2):
            add_survey(f.DeliverableFactory(project=project), 4)
