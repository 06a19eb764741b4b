"""From ask to brief, played through the services: brand requests still open (one with a
question back) and one declined; each project's brief written, approved through the
engine, sent to the team, and read by most of them; and the studio's brief templates."""

import datetime as dt

from approvals.models import Decision
from approvals.services import approval_decide
from briefs.models import Brief, BriefTemplate
from briefs.services.briefs import (
    brief_distribute,
    brief_submit,
    brief_update,
    distribution_acknowledge,
    distribution_comment,
    distribution_open,
)
from briefs.services.requests import request_ask_info, request_decline, request_submit
from projects.models import Project

from . import names
from .context import Demo, ProjectPlan, moment
from .projects import OBJECTIVES

P = Project.Status
DAY = dt.timedelta(days=1)
QUESTION = "Is the legal line needed on the six-second cut-downs too?"
ASK = "Which markets does this run in, and do you have the final pack shots yet?"


def build_requests(demo: Demo) -> None:
    """Every brand has an ask waiting; `brand`'s two brands one waiting for triage and one
    with a question back from the studio. One ask per scale unit was declined."""
    rng, pm = demo.rng, demo.users["pm"]
    titles = iter(names.REQUEST_TITLES * (1 + demo.scale))
    for index, brand in enumerate(demo.brands):
        for n in range(1 + (rng.random() < 0.4)):
            question = (index % 2 == 1) if n == 0 and index < 2 else rng.random() < 0.5
            created = demo.at(demo.day(-rng.randint(1, 12)), rng.randint(9, 15))
            request = _submit(demo, brand, next(titles), demo.day(rng.randint(21, 70)), created,
                              demo.money(8000, 60000, 500))
            if question:
                with moment(created + dt.timedelta(hours=2)):
                    request_ask_info(request=request, user=pm, question=ASK)
    for unit in range(demo.scale):
        brand = demo.brands[(unit * 5 + 2) % len(demo.brands)]
        request = _submit(demo, brand, next(titles), demo.day(10), demo.at(demo.day(-20)), demo.money(3000, 8000, 500))
        with moment(demo.at(demo.day(-19), 11)):
            request_decline(request=request, user=pm, reason=names.DECLINE_REASON)


# The studio's brief templates, kept in the admin like the catalogue: a name, the deliverable
# type it is for (None: any brief) and the sections it pre-fills.
BRIEF_TEMPLATES = (
    ("Campaign launch", "Campaign concept", {
        "background": "What the brand launches, when, and what the last campaign taught us.",
        "objectives": "Awareness first: who should know about it by launch week, and how we will tell.",
        "audience": "Who they are, where they spend their time, what they think of the brand today.",
        "mandatories": "Logo lock-up, legal line, brand colours; the claims legal has cleared.",
        "tone": "As the brand book says; note anything that differs for this launch.",
        "references": "The brand book; last season's key visuals.",
    }),
    ("Social asset pack", "Social asset pack", {
        "objectives": "Reach and engagement on the channels below; one call to action per asset.",
        "mandatories": "Safe zones per platform; captions burnt in; legal line where the market needs it.",
        "deliverables": "Sizes: 1080×1080, 1080×1920, 1200×628; a still and a six-second loop of each.",
    }),
    ("Video cut", "30-second cut", {
        "objectives": "What the viewer remembers after one watch; where the cut airs.",
        "mandatories": "Pack shot in the last three seconds; end card with logo and legal line; subtitles.",
        "deliverables": "Master, cut-downs and the delivery specs of each channel.",
    }),
    ("Any brief", None, {
        "background": "Why now: what the brand needs and what happened before.",
        "objectives": "What success looks like, in numbers where possible.",
        "audience": "Who it is for.",
        "key_message": "The one thing they should take away.",
    }),
)


def build_brief_templates(demo: Demo) -> None:
    """The templates a PM picks from when writing a brief (the brief form's "Template")."""
    types = {kind.name: kind for kind in demo.types}
    BriefTemplate.objects.bulk_create(
        BriefTemplate(name=name, deliverable_type=types.get(kind) if kind else None, **sections)
        for name, kind, sections in BRIEF_TEMPLATES
    )


def _submit(demo: Demo, brand, title, deadline, created, budget):
    """A brand manager of `brand` asks for one to three kinds of work."""
    kinds = demo.rng.sample(demo.types, demo.rng.randint(1, 3))
    items = [(kind, demo.rng.randint(1, 4)) for kind in kinds]
    with moment(created):
        return request_submit(
            submitted_by=demo.managers_of[brand.pk][0], brand=brand, title=title, objectives=OBJECTIVES,
            deadline=deadline, budget=budget, items=items,
        )


def _sections(plan: ProjectPlan) -> dict:
    """What the PM writes into the brief."""
    text = {
        key: value.format(brand=plan.brand.name, campaign_lower=plan.name.lower())
        for key, value in names.BRIEF_COPY.items()
    }
    deliverables = "\n".join(f"{d.quantity} × {d.name}" for d in plan.deliverables)
    budget = f"Fee {plan.fee:,.2f}, contingency included."
    return text | {"deliverables": deliverables, "deadline": plan.due, "budget_summary": budget}


def build_briefs(demo: Demo) -> None:
    """Accepting a request drafted the project's brief; a day later the PM writes it. One
    planned brief waits for its brand; the rest were approved and sent to the team. The
    showcase brief has a second version."""
    in_review = False
    for plan in demo.plans:
        if plan.request is None:
            continue
        pm = plan.pm
        with moment(plan.created + DAY):
            brief = Brief.objects.get(project=plan.project)
            plan.brief = brief_update(brief=brief, edited_by=pm, values=_sections(plan), version=brief.version)
        if plan.status == P.PLANNED and not in_review:
            in_review = True
            with moment(demo.at(demo.day(-1), 15)):
                brief_submit(brief=plan.brief, user=pm)
            continue
        approved_on = min(plan.start - 3 * DAY, demo.day(-4))
        _approve(demo, plan, approved_on)
        _send(demo, plan, approved_on + DAY, latest=not plan.showcase)
        if plan.showcase:
            with moment(demo.at(demo.day(-4), 11)):
                plan.brief = brief_update(
                    brief=plan.brief, edited_by=pm, version=plan.brief.version,
                    values={"key_message": "Made the way you like it, now in three new flavours."},
                )
            _approve(demo, plan, demo.day(-3))
            _send(demo, plan, demo.day(-2), latest=True)


def _approve(demo: Demo, plan: ProjectPlan, day: dt.date) -> None:
    """The PM submits in the morning (their own step is skipped); the brand approves in the
    afternoon."""
    with moment(demo.at(day, 10)):
        approval = brief_submit(brief=plan.brief, user=plan.pm)
    with moment(demo.at(day, 16)):
        approval_decide(approval=approval, user=demo.managers_of[plan.brand.pk][0], outcome=Decision.Outcome.APPROVE)
    plan.brief.refresh_from_db()


def _send(demo: Demo, plan: ProjectPlan, day: dt.date, *, latest: bool) -> None:
    """Sent to the team at half past nine; most read and acknowledge it before lunch.
    On the showcase's latest version the named people still have it to read."""
    rng = demo.rng
    with moment(demo.at(day, 9, 30)):
        sent = brief_distribute(brief=plan.brief, sent_by=plan.pm)
    for distribution in sent:
        user = distribution.recipient
        roll = rng.random()
        if plan.showcase and latest and user.username in ("creative", "freelancer"):
            if user.username == "freelancer":
                with moment(demo.at(day, 14)):
                    distribution_open(distribution=distribution)
        elif not latest or plan.status != P.ACTIVE or roll < 0.65:
            with moment(demo.at(day, 11)):
                distribution_open(distribution=distribution)
            with moment(demo.at(day, 11, 20)):
                distribution_acknowledge(distribution=distribution, user=user)
        elif roll < 0.8:
            with moment(demo.at(day, 15)):
                distribution_open(distribution=distribution)
        elif roll < 0.85:
            with moment(demo.at(day, 12)):
                distribution_open(distribution=distribution)
            with moment(demo.at(day, 12, 10)):
                distribution_comment(distribution=distribution, author=user, body=QUESTION)
