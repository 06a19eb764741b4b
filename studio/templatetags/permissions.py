"""`{% can "project.change" project as may_change %}`: templates ask the same rule as views."""

from django import template

from studio import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action, obj=None):
    return permissions.can(context["request"].user, action, obj)
