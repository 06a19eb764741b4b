"""From ask to brief: brand requests (open, accepted, declined), briefs with
their approved versions, and who each version was sent to and who read it."""

import datetime as dt

from briefs.models import Brief, BriefDistribution, BriefVersion, Request, RequestItem
from projects.models import Project

from . import names
from .context import Demo

P = Project.Status
DAY = dt.timedelta(days=1)
OBJECTIVES = "Reach new customers with the range; keep the brand recognisable; a measurable uplift."


def build_intake(demo: Demo) -> None:
    _requests(demo)
    _briefs(demo)


def _manager(demo: Demo, brand):
    return demo.managers_of[brand.pk][0]


def _requests(demo: Demo) -> None:
    rng = demo.rng
    requests, items = [], []

    def add(brand, title, status, deadline, budget, created, kinds, **extra):
        request = Request(
            title=title,
            brand=brand,
            submitted_by=_manager(demo, brand),
            status=status,
            deadline=deadline,
            budget=budget,
            created_at=demo.at(created, rng.randint(9, 17)),
            objectives=OBJECTIVES,
            **extra,
        )
        requests.append(request)
        items.extend(
            RequestItem(request=request, deliverable_type=kind, quantity=quantity)
            for kind, quantity in kinds
        )

    # Projects that came in as requests: every intake project and about half the others.
    for plan in demo.plans:
        project = plan.project
        if project.is_internal or not (
            project.status == P.INTAKE or plan.showcase or rng.random() < 0.5
        ):
            continue
        kinds = {}
        for kind, _name, quantity, *_rest in plan.specs:
            kinds[kind] = kinds.get(kind, 0) + quantity
        add(
            project.brand,
            f"{project.name}",
            Request.Status.ACCEPTED,
            project.due_date,
            project.fee,
            project.created_at.date() - 2 * DAY,
            kinds.items(),
            project=project,
        )

    # Open asks: every brand has one; `brand`'s two brands one waiting and one with a question back.
    titles = iter(names.REQUEST_TITLES * (1 + demo.scale))
    open_statuses = (Request.Status.SUBMITTED, Request.Status.INFO_REQUESTED)
    for index, brand in enumerate(demo.brands):
        count = 1 + (rng.random() < 0.4)
        for n in range(count):
            status = open_statuses[index % 2] if n == 0 and index < 2 else rng.choice(open_statuses)
            add(
                brand,
                next(titles),
                status,
                demo.day(rng.randint(21, 70)),
                demo.money(8000, 60000, 500),
                demo.day(-rng.randint(1, 12)),
                _some_kinds(demo),
            )
    for unit in range(demo.scale):
        brand = demo.brands[(unit * 5 + 2) % len(demo.brands)]
        add(
            brand,
            next(titles),
            Request.Status.DECLINED,
            demo.day(10),
            demo.money(3000, 8000, 500),
            demo.day(-20),
            _some_kinds(demo),
            decline_reason=names.DECLINE_REASON,
        )
        add(
            demo.brands[(unit * 5 + 3) % len(demo.brands)],
            next(titles),
            Request.Status.WITHDRAWN,
            demo.day(30),
            demo.money(5000, 20000, 500),
            demo.day(-15),
            _some_kinds(demo),
        )
    Request.objects.bulk_create(requests)
    RequestItem.objects.bulk_create(items, batch_size=2000)
    demo.requests = requests
    demo.request_for = {request.project.pk: request for request in requests if request.project}


def _some_kinds(demo: Demo):
    kinds = demo.rng.sample(demo.types, demo.rng.randint(1, 3))
    return [(kind, demo.rng.randint(1, 4)) for kind in kinds]


def _sections(demo: Demo, plan) -> dict:
    project = plan.project
    who = project.brand.name if project.brand else names.STUDIO_NAME
    text = {
        key: value.format(brand=who, campaign_lower=project.name.lower())
        for key, value in names.BRIEF_COPY.items()
    }
    deliverables = "\n".join(f"{quantity} × {name}" for _kind, name, quantity, *_rest in plan.specs)
    budget = (
        f"Fee {project.fee:,.2f}, contingency included."
        if not project.is_internal
        else "Internal time only."
    )
    return text | {
        "deliverables": deliverables,
        "deadline": project.due_date,
        "budget_summary": budget,
    }


def _briefs(demo: Demo) -> None:
    rng = demo.rng
    briefs, versions, sends = [], [], []
    in_review_done = False
    for plan in demo.plans:
        project = plan.project
        brief = Brief(
            project=project,
            request=demo.request_for.get(project.pk),
            title=f"{project.name}: brief",
            created_by=project.pm,
            created_at=project.created_at + DAY,
            **_sections(demo, plan),
        )
        briefs.append(brief)
        if project.status == P.INTAKE:
            continue  # a draft, still being written
        if project.status == P.PLANNED and not in_review_done and not project.is_internal:
            brief.status, in_review_done = Brief.Status.IN_REVIEW, True
            demo.brief_in_review = brief
            continue
        approved_on = min(project.planned_start - 3 * DAY, demo.day(-4))
        approver = project.pm if project.is_internal else _manager(demo, project.brand)
        numbers = (1, 2) if plan.showcase else (1,)
        brief.status, brief.current_version_number = Brief.Status.APPROVED, numbers[-1]
        for number in numbers:
            if number == 2:
                approved_on = demo.day(-3)
                brief.key_message = "Made the way you like it, now in three new flavours."
            version = BriefVersion(
                brief=brief,
                number=number,
                title=brief.title,
                content=brief.content(),
                approved_at=demo.at(approved_on, 16),
                approved_by=approver,
            )
            versions.append((version, plan, number == numbers[-1]))
    Brief.objects.bulk_create(briefs)
    BriefVersion.objects.bulk_create([version for version, _plan, _latest in versions])

    team: dict[int, list] = {}
    for booking in demo.bookings:
        if booking.talent is not None and booking.talent.user not in team.setdefault(
            booking.project.pk, []
        ):
            team[booking.project.pk].append(booking.talent.user)
    for version, plan, latest in versions:
        sent = version.approved_at.date() + DAY
        for user in team.get(plan.project.pk, ()):
            send = BriefDistribution(
                version=version,
                recipient=user,
                sent_by=plan.project.pm,
                sent_at=demo.at(sent, 9, 30),
            )
            roll = rng.random()
            named = user.username in ("creative", "freelancer") and plan.showcase and latest
            if named:
                # The named people have the new version to read today.
                if user.username == "freelancer":
                    send.opened_at = demo.at(sent, 14)
            elif not latest or plan.project.status != P.ACTIVE or roll < 0.65:
                send.opened_at = demo.at(sent, 11)
                send.acknowledged_at = demo.at(sent, 11, 20)
            elif roll < 0.8:
                send.opened_at = demo.at(sent, 15)
            elif roll < 0.85:
                send.opened_at = demo.at(sent, 12)
                send.question = "Is the legal line needed on the six-second cut-downs too?"
                send.questioned_at = demo.at(sent, 12, 10)
            sends.append(send)
    BriefDistribution.objects.bulk_create(sends, batch_size=2000)
