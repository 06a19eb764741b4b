"""A production manager messages a project's team: one notification to each person
booked on the project or assigned to its deliverables (issue 5)."""

import pytest
from django.urls import reverse

from studio.models import AuditEvent, Notification
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(brand, other_brand, creative):
    """Brand A's project with the creative booked and a colleague assigned; brand B's
    project with a stranger booked."""
    project = f.ProjectFactory(brand=brand, code="A-1")
    colleague = f.TalentFactory()
    stranger = f.TalentFactory()
    f.BookingFactory(talent=creative.talent, project=project)
    f.DeliverableFactory(project=project).assignees.add(colleague)
    f.BookingFactory(talent=stranger, project=f.ProjectFactory(brand=other_brand))
    return {"project": project, "colleague": colleague, "stranger": stranger}


def url(project):
    return reverse("projects:project-team-message", args=[project.pk])


MESSAGE = {"subject": "Shoot moved", "body": "The shoot moves to Thursday, 9:00 at the studio."}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("pm", 302),
        ("executive", 403),
        ("admin_user", 403),
        ("creative", 403),  # on the team: may see the project, not message its team
        ("freelancer", 404),  # not on this project: it does not exist for them
        ("brand_manager", 403),
        ("outsider", 404),
    ],
)
def test_only_production_managers_can_message_a_team(client, request, world, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.post(url(world["project"]), MESSAGE).status_code == status
    assert client.get(url(world["project"])).status_code == (200 if status == 302 else status)
    assert Notification.objects.filter(subject__endswith="Shoot moved").count() == (2 if role == "pm" else 0)


def test_each_person_on_the_team_gets_one_notification_and_the_message_is_audited(client, pm, creative, world):
    client.force_login(pm)
    response = client.post(url(world["project"]), MESSAGE, follow=True)

    notified = Notification.objects.filter(subject="A-1: Shoot moved")
    assert sorted(n.recipient_id for n in notified) == sorted([creative.pk, world["colleague"].user_id])
    assert all(n.body == MESSAGE["body"] and n.url == f"/projects/{world['project'].pk}/" for n in notified)
    assert "Message sent to 2 people on the team." in response.content.decode()
    event = AuditEvent.objects.for_object(world["project"]).get(action="team_message")
    assert event.actor == pm and sorted(event.after["recipients"]) == sorted([creative.pk, world["colleague"].user_id])


def test_someone_both_booked_and_assigned_is_notified_once(client, pm, creative, world):
    f.DeliverableFactory(project=world["project"]).assignees.add(creative.talent)
    client.force_login(pm)
    client.post(url(world["project"]), MESSAGE)
    assert Notification.objects.filter(recipient=creative).count() == 1


@pytest.mark.parametrize("blank", ["subject", "body"])
def test_an_empty_subject_or_body_is_refused_next_to_its_field(client, pm, world, blank):
    client.force_login(pm)
    response = client.post(url(world["project"]), {**MESSAGE, blank: "   "})
    fragment = client.post(url(world["project"]), {**MESSAGE, blank: ""}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [blank]
    assert "This field is required." in fragment.content.decode()
    assert not Notification.objects.exists()


def test_a_project_without_a_team_says_so_and_sends_nothing(client, pm):
    project = f.ProjectFactory()
    client.force_login(pm)
    response = client.post(url(project), MESSAGE)

    assert "Nobody is booked on this project" in response.content.decode()
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="team_message").exists()


def test_htmx_send_answers_with_a_fresh_form_and_what_was_sent(client, pm, world):
    client.force_login(pm)
    response = client.post(url(world["project"]), MESSAGE, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="team-message"')
    assert "Message sent to 2 people on the team." in html and "<html" not in html


@pytest.mark.parametrize(
    ("role", "shown"),
    [("pm", True), ("executive", False), ("admin_user", False), ("creative", False), ("brand_manager", False)],
)
def test_the_project_page_offers_the_form_to_production_managers_only(client, request, world, role, shown):
    client.force_login(request.getfixturevalue(role))
    html = client.get(reverse("projects:project-detail", args=[world["project"].pk])).content.decode()
    assert (url(world["project"]) in html) is shown


def test_the_service_refuses_blank_text_with_field_errors_and_non_managers(pm, creative, world):
    from django.core.exceptions import PermissionDenied, ValidationError

    from projects.services.team import project_team_message

    with pytest.raises(ValidationError) as refused:
        project_team_message(project=world["project"], user=pm, subject=" ", body="")
    with pytest.raises(PermissionDenied):
        project_team_message(project=world["project"], user=creative, **MESSAGE)
    assert set(refused.value.message_dict) == {"subject", "body"}
    assert not Notification.objects.exists()
