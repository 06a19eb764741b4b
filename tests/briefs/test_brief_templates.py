"""The brief form's template list is never an unlabelled empty drop-down: with templates it
is labelled; without any, it says what templates are and where they are added. The demo
studio has templates."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from briefs.models import BriefTemplate
from demo import names
from demo.intake import BRIEF_TEMPLATES, build_brief_templates
from projects.models import DeliverableType
from tests import factories as f

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:briefs_brieftemplate_add")
EMPTY = "No brief templates yet"


@pytest.fixture
def brief(brand, pm):
    return f.BriefFactory(project__brand=brand, project__pm=pm)


def edit_page(client, user, brief):
    client.force_login(user)
    response = client.get(reverse("briefs:brief-edit", args=[brief.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_templates_are_offered_under_a_label(client, pm, brief):
    f.BriefTemplateFactory(name="Campaign launch")
    f.BriefTemplateFactory(name="Retired", active=False)
    content = edit_page(client, pm, brief)
    assert '<label for="id_template">Template</label>' in content
    assert '<select name="template"' in content and "Campaign launch" in content
    assert "Retired" not in content and EMPTY not in content


def test_without_templates_a_pm_who_may_add_one_gets_the_link(client, pm, brief):
    f.BriefTemplateFactory(name="Retired", active=False)  # an inactive one is not offered
    content = edit_page(client, pm, brief)
    assert EMPTY in content
    assert f'href="{ADD_URL}"' in content
    assert '<select name="template"' not in content and "Fill from template" not in content
    # The link leads to a page the PM may use.
    assert client.get(ADD_URL).status_code == 200


def test_without_templates_a_pm_outside_the_admin_is_told_who_adds_them(client, brief):
    pm = f.UserFactory(role="pm", is_staff=False)
    brief.project.pm = pm
    brief.project.save()
    content = edit_page(client, pm, brief)
    assert EMPTY in content and "can add them there" in content
    assert ADD_URL not in content
    assert client.get(ADD_URL).status_code == 302  # the admin sends them to its login


def test_the_demo_has_a_template_for_several_of_its_deliverable_types():
    types = [
        DeliverableType.objects.create(name=name, unit_name=unit) for name, unit, *_rest in names.DELIVERABLE_TYPES
    ]

    build_brief_templates(SimpleNamespace(types=types))

    templates = list(BriefTemplate.objects.filter(active=True).select_related("deliverable_type"))
    assert len(templates) == len(BRIEF_TEMPLATES) >= 3
    # Each template names a type of the demo's catalogue (or none: a template for any brief).
    for template, (_name, kind, _sections) in zip(templates, sorted(BRIEF_TEMPLATES), strict=True):
        assert (template.deliverable_type.name if template.deliverable_type else None) == kind
    assert all(template.objectives for template in templates)
