"""The studio's people: settings and holidays, disciplines and skills, users,
talent with rate cards, clients, brands and their managers. These are kept in the
admin, not written by services, so they go in as rows."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password

from studio.models import (
    Brand,
    Client,
    Discipline,
    Holiday,
    NotificationDelivery,
    RateCard,
    Role,
    Skill,
    StudioSettings,
    Talent,
    User,
)

from . import names
from .context import Demo

DEMO_PASSWORD = "callsheet-demo"  # noqa: S105 - the published password of the demo logins


def build_people(demo: Demo) -> None:
    # One hash for every demo login: hashing is deliberately slow, and hundreds
    # of users would otherwise take most of the seed's time.
    demo.password_hash = make_password(DEMO_PASSWORD)
    _holidays(demo)
    _disciplines(demo)
    _staff_users(demo)
    _talent(demo)
    _clients_and_brands(demo)


def studio_settings() -> StudioSettings:
    studio, _created = StudioSettings.objects.update_or_create(
        pk=1, defaults={"name": names.STUDIO_NAME, "time_zone": settings.TIME_ZONE}
    )
    return studio


def _holidays(demo: Demo) -> None:
    """Three or four studio days off inside the booking window, never this week."""
    offsets = (-33, -16, 17, 36)[: 3 + demo.rng.randrange(2)]
    holidays = []
    for offset, name in zip(offsets, names.HOLIDAY_NAMES, strict=False):
        day = demo.calendar.on_or_after(demo.day(offset))
        holidays.append(Holiday(date=day, name=name))
    Holiday.objects.bulk_create(holidays)
    demo.calendar.holidays = {holiday.date for holiday in holidays}


def _disciplines(demo: Demo) -> None:
    rows = [
        Discipline(
            name=name,
            freelance_bill_rate=Decimal(bill),
            freelance_cost_rate=Decimal(cost),
            freelance_hours_per_week=Decimal(hours * demo.scale),
            standard_cost_rate=Decimal((staff_cost[0] + staff_cost[1]) // 2),
        )
        for name, bill, cost, hours, _staff, _freelance, staff_cost, _staff_bill in names.DISCIPLINES
    ]
    demo.disciplines = {row.name: row for row in Discipline.objects.bulk_create(rows)}
    skills = [Skill(name=skill) for group in names.SKILLS.values() for skill in group]
    Skill.objects.bulk_create(skills)
    demo.skills = {skill.name: skill for skill in skills}


class _Usernames:
    """first.last, with a number when the name is taken."""

    def __init__(self, taken):
        self.taken = set(taken)

    def __call__(self, first, last):
        base = f"{first}.{last}".lower().replace("ö", "o").replace(" ", "")
        name, n = base, 1
        while name in self.taken:
            n += 1
            name = f"{base}{n}"
        self.taken.add(name)
        return name


def _user(demo: Demo, username, first, last, role, domain=names.STUDIO_DOMAIN, **extra):
    return User(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@{domain}",
        role=role,
        password=demo.password_hash,
        date_joined=demo.at(demo.day(-400)),
        # Nothing the build notifies anyone of is mailed; `builder` restores the default.
        notification_delivery=NotificationDelivery.NONE,
        **extra,
    )


def _random_name(demo: Demo):
    return demo.rng.choice(names.FIRST_NAMES), demo.rng.choice(names.LAST_NAMES)


def _staff_users(demo: Demo) -> None:
    """Admin, production managers and the executive; talent and brand managers follow."""
    demo.usernames = _Usernames(names.NAMED_PEOPLE)
    named = names.NAMED_PEOPLE
    users = [
        _user(demo, "admin", *named["admin"], Role.ADMIN, is_staff=True, is_superuser=True),
        _user(demo, "pm", *named["pm"], Role.PM, is_staff=True),
        _user(demo, "exec", *named["exec"], Role.EXECUTIVE),
    ]
    for _n in range(3 * demo.scale - 1):
        first, last = _random_name(demo)
        users.append(_user(demo, demo.usernames(first, last), first, last, Role.PM, is_staff=True))
    User.objects.bulk_create(users)
    demo.users.update({user.username: user for user in users})
    demo.pms = [user for user in users if user.role == Role.PM]


def _talent(demo: Demo) -> None:
    """About forty people per scale unit over six disciplines, a quarter freelance."""
    rng, week = demo.rng, demo.week
    specs = []  # (user, discipline name, employment)
    named = names.NAMED_PEOPLE
    specs.append((_user(demo, "creative", *named["creative"], Role.CREATIVE), "Design", "staff"))
    specs.append(
        (_user(demo, "freelancer", *named["freelancer"], Role.FREELANCER), "Motion", "freelance")
    )
    for name, *_rates, staff, freelance, _cost, _bill in names.DISCIPLINES:
        for employment, count in (("staff", staff), ("freelance", freelance)):
            count *= demo.scale
            # The two named people count toward their discipline.
            count -= sum(1 for _u, disc, emp in specs[:2] if disc == name and emp == employment)
            for _n in range(count):
                first, last = _random_name(demo)
                role = Role.CREATIVE if employment == "staff" else Role.FREELANCER
                specs.append(
                    (_user(demo, demo.usernames(first, last), first, last, role), name, employment)
                )
    User.objects.bulk_create([user for user, _d, _e in specs])
    demo.users.update({user.username: user for user, _d, _e in specs})

    talent = []
    for user, discipline, employment in specs:
        person = Talent(user=user, discipline=demo.disciplines[discipline], employment=employment)
        person.phone = f"+44 20 7946 {rng.randrange(1000):03d}{len(talent) % 10}"
        if user.username == "creative":
            person.overtime_hours_per_day = Decimal("1")
        elif user.username == "freelancer":
            person.contract_start, person.contract_end = (
                week - dt.timedelta(weeks=8),
                week + dt.timedelta(weeks=9),
            )
        elif employment == "freelance":
            person.contract_start, person.contract_end = _contract(demo)
            person.time_zone = rng.choice(
                (settings.TIME_ZONE, settings.TIME_ZONE, "Europe/Lisbon", "Europe/Berlin")
            )
        else:
            roll = rng.random()
            if roll < 0.08:
                person.hours_per_day, person.working_days = Decimal("6"), "1234"
            elif roll < 0.25:
                person.hours_per_day = Decimal("7.5")
            person.overtime_hours_per_day = Decimal(rng.choice((0, 0, 1, 2)))
        talent.append(person)
    Talent.objects.bulk_create(talent)
    demo.talent = talent
    _skills(demo)
    _rate_cards(demo)


def _contract(demo: Demo):
    """Freelance contracts: running now, ended a while ago, or starting soon."""
    week, rng = demo.week, demo.rng
    pattern = rng.choices(("long", "now", "ended", "soon"), weights=(4, 3, 1, 2))[0]
    start_week, end_week = {
        "long": (-rng.randint(8, 14), rng.randint(6, 14)),
        "now": (-rng.randint(1, 5), rng.randint(1, 5)),
        "ended": (-rng.randint(8, 12), -rng.randint(1, 3)),
        "soon": (rng.randint(1, 3), rng.randint(5, 10)),
    }[pattern]
    return week + dt.timedelta(weeks=start_week), week + dt.timedelta(weeks=end_week, days=4)


def _skills(demo: Demo) -> None:
    through = Talent.skills.through
    rows = []
    everything = [skill for group in names.SKILLS.values() for skill in group]
    for person in demo.talent:
        own = names.SKILLS[person.discipline.name]
        picked = set(demo.rng.sample(own, demo.rng.randint(2, 4)))
        if demo.rng.random() < 0.3:
            picked.add(demo.rng.choice(everything))
        rows += [
            through(talent_id=person.pk, skill_id=demo.skills[name].pk) for name in sorted(picked)
        ]
    through.objects.bulk_create(rows)


def _rate_cards(demo: Demo) -> None:
    """One card each; about a third had a rate change during the last six weeks."""
    rng = demo.rng
    ranges = {name: (cost, bill) for name, *_r, cost, bill in names.DISCIPLINES}
    cards = []
    for person in demo.talent:
        discipline = person.discipline
        if person.is_freelance:
            cost = discipline.freelance_cost_rate + rng.randrange(-10, 11, 5)
            bill = discipline.freelance_bill_rate + rng.randrange(-10, 11, 5)
            since = min(person.contract_start, demo.day(-120))
        else:
            (cost_low, cost_high), (bill_low, bill_high) = ranges[discipline.name]
            cost, bill = (
                Decimal(rng.randint(cost_low, cost_high)),
                Decimal(rng.randint(bill_low, bill_high)),
            )
            since = demo.day(-rng.randint(200, 900))
        cards.append(RateCard(talent=person, cost_rate=cost, bill_rate=bill, valid_from=since))
        if not person.is_freelance and (person.user.username == "creative" or rng.random() < 0.33):
            raise_by = Decimal(rng.choice((2, 3, 4, 5)))
            cards.append(
                RateCard(
                    talent=person,
                    cost_rate=cost + raise_by,
                    bill_rate=bill + 2 * raise_by,
                    valid_from=demo.day(-rng.randint(10, 38)),
                )
            )
    RateCard.objects.bulk_create(cards)
    for card in cards:
        demo.cards_by_talent.setdefault(card.talent_id, []).append(card)


def _clients_and_brands(demo: Demo) -> None:
    """Two clients and five brands per scale unit; four brand managers, `brand` runs two brands."""
    rng = demo.rng
    clients, brand_specs = [], []
    for n in range(2 * demo.scale):
        name, domain, brand_names = names.CLIENTS[n % len(names.CLIENTS)]
        suffix = "" if n < len(names.CLIENTS) else f" {n // len(names.CLIENTS) + 1}"
        first, last = _random_name(demo)
        client = Client(
            name=f"{name}{suffix}",
            contact_name=f"{first} {last}",
            contact_email=f"{first.lower()}@{domain}",
        )
        clients.append(client)
        prefix_suffix = "" if n < len(names.CLIENTS) else str(n // len(names.CLIENTS) + 1)
        brand_specs += [
            (client, f"{brand}{suffix}", f"{prefix}{prefix_suffix}", domain) for brand, prefix in brand_names
        ]
    Client.objects.bulk_create(clients)
    brands = [Brand(client=client, name=name, code_prefix=prefix) for client, name, prefix, _domain in brand_specs]
    Brand.objects.bulk_create(brands)
    demo.brands = brands

    first_domain = brand_specs[0][3]
    managers = [
        _user(demo, "brand", *names.NAMED_PEOPLE["brand"], Role.BRAND_MANAGER, domain=first_domain)
    ]
    for n in range(4 * demo.scale - 1):
        first, last = _random_name(demo)
        domain = brand_specs[(n + 1) * len(brands) // (4 * demo.scale)][3]
        managers.append(
            _user(demo, demo.usernames(first, last), first, last, Role.BRAND_MANAGER, domain=domain)
        )
    User.objects.bulk_create(managers)
    demo.users.update({user.username: user for user in managers})
    demo.brand_managers = managers

    # `brand` runs the first two brands; every brand has a manager; some brands have two.
    pairs = {(0, 0), (0, 1)}
    for index in range(len(brands)):
        manager = 1 + index * (len(managers) - 1) // len(brands)
        pairs.add((manager, index))
        if rng.random() < 0.25:
            pairs.add((1 + rng.randrange(len(managers) - 1), index))
    through = Brand.managers.through
    through.objects.bulk_create(
        [through(brand_id=brands[b].pk, user_id=managers[m].pk) for m, b in sorted(pairs)]
    )
    for m, b in sorted(pairs):
        demo.managers_of.setdefault(brands[b].pk, []).append(managers[m])
