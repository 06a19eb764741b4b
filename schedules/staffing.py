"""Staffing from the plan, as the project's team tab reads it: who is assigned, and per
discipline the hours planned against the hours booked on the project (DESIGN §2)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from projects.models import DeliverableHours, Project
from studio.models import Discipline, Talent

from .capacity import booked_on_project

ZERO = Decimal("0")


def project_staffing_rows(project: Project, *, today: dt.date) -> list[dict]:
    """Per discipline with planned or booked hours: planned (live deliverables), booked on
    people and on placeholders from tomorrow on, the hours still unstaffed and those booked
    over the plan; three queries."""
    planned = dict(
        DeliverableHours.objects.filter(deliverable__project=project).exclude(deliverable__status="cancelled")
        .values("discipline").annotate(hours=Sum("hours")).values_list("discipline", "hours")
    )
    booked = booked_on_project(project.pk, today=today)
    disciplines = Discipline.objects.filter(pk__in=set(planned) | set(booked)).order_by("name")
    rows = []
    for discipline in disciplines:
        hours = booked.get(discipline.pk, {"people": ZERO, "placeholders": ZERO})
        plan = planned.get(discipline.pk, ZERO)
        rows.append({"discipline": discipline, "planned": plan, "people": hours["people"],
                     "placeholders": hours["placeholders"], "unstaffed": max(ZERO, plan - hours["people"]),
                     "over": max(ZERO, hours["people"] - plan)})
    return rows


def project_assignees(project: Project) -> QuerySet[Talent]:
    """The people assigned to the project's live deliverables, each with how many."""
    return (
        Talent.objects.filter(assigned_deliverables__project=project).exclude(assigned_deliverables__status="cancelled")
        .select_related("user", "discipline").annotate(deliverables=Count("assigned_deliverables", distinct=True))
        .order_by("discipline__name", "user__first_name", "user__last_name")
    )
