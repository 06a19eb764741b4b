"""The people page: productivity and utilization per discipline and per person as of the
latest night, for production managers and executives only; figures from the right scope
keys, utilization colours by the studio's target, filters, search, sorting, bad query
parameters, and the queries a page runs.

The studio's today is Wed 25 Nov 2026; "the night" shown is Tue 24 Nov."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from metrics.portfolio import AMBER, GREEN, GREY, RED
from studio.models import StudioSettings
from tests import factories as f
from tests.factories import TODAY

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("studio_today"),
]

NIGHT = TODAY - dt.timedelta(days=1)  # Tue 24 Nov 2026
URL = "/metrics/people/"
KEYS = ("output_units", "approved_hours", "productivity", "capacity", "logged_utilization", "booked_utilization")


def snap(scope: str, day=NIGHT, **values):
    """Snapshot rows of the scope key `scope` on `day`, a value by metric key."""
    for metric, value in values.items():
        f.MetricSnapshotFactory(date=day, scope_key=scope, metric=metric, value=D(value))


def person(first, last, discipline, **kwargs):
    return f.TalentFactory(user__first_name=first, user__last_name=last, discipline=discipline, **kwargs)


def names(response) -> list[str]:
    return [str(row.subject) for row in response.context["people"]]


def by_name(response) -> dict:
    return {str(row.subject): row for row in response.context["people"]}


def values(row) -> dict:
    return {key: row.value(key) for key in KEYS}


def settings_set(**fields):
    StudioSettings.objects.filter(pk=1).update(**fields)


@pytest.fixture
def studio():
    """Two active disciplines and a retired one; Ann and Cat design, Bob animates, Dee has left.
    Ann, Bob and Dee have figures on the night; Cat has none."""
    design = f.DisciplineFactory(name="Design")
    motion = f.DisciplineFactory(name="Motion")
    retired = f.DisciplineFactory(name="Retired craft", active=False)
    ann = person("Ann", "Lee", design)
    bob = person("Bob", "Stone", motion)
    cat = person("Cat", "Ode", design)
    dee = person("Dee", "Gone", design, active=False)
    # Design: 12.5 units × 100 / 160 h = 7.8125 per 100 h.
    snap(
        f"discipline:{design.pk}",
        output_units="12.5",
        approved_hours="160",
        productivity="7.8125",
        capacity="320",
        logged_utilization="0.45",
        booked_utilization="0.8",
    )
    # Motion: 3 × 100 / 60 = 5.
    snap(
        f"discipline:{motion.pk}",
        output_units="3",
        approved_hours="60",
        productivity="5",
        capacity="160",
        logged_utilization="0.3",
        booked_utilization="0.9",
    )
    snap(f"discipline:{retired.pk}", output_units="1")  # not shown: the discipline is retired
    # The studio: 20 × 100 / 250 = 8.
    snap(
        "studio",
        output_units="20",
        approved_hours="250",
        productivity="8",
        capacity="480",
        logged_utilization="0.7",
        booked_utilization="0.85",
    )
    # Ann: 10 × 100 / 120 = 8.333333.
    snap(
        f"talent:{ann.pk}",
        output_units="10",
        approved_hours="120",
        productivity="8.333333",
        capacity="160",
        logged_utilization="0.7",
        booked_utilization="0.8",
    )
    snap(
        f"talent:{bob.pk}",
        output_units="3",
        approved_hours="60",
        productivity="5",
        capacity="160",
        logged_utilization="0.3",
        booked_utilization="0.9",
    )
    snap(f"talent:{dee.pk}", output_units="2.5", approved_hours="40")
    # Decoys: the same ids under other kinds of scope, another night, a night after today.
    for pk in {ann.pk, bob.pk, design.pk, motion.pk}:
        snap(f"project:{pk}", output_units="999", logged_utilization="0.01")
        snap(f"brand:{pk}", output_units="998")
    snap(f"talent:{ann.pk}", day=NIGHT - dt.timedelta(days=1), output_units="888", logged_utilization="0.02")
    snap(f"discipline:{design.pk}", day=TODAY + dt.timedelta(days=1), output_units="777")
    snap("studio", day=NIGHT - dt.timedelta(days=7), output_units="666")
    return {"design": design, "motion": motion, "retired": retired, "ann": ann, "bob": bob, "cat": cat, "dee": dee}


# --- who may see it ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status",
    [
        ("pm", 200),
        ("executive", 200),
        # `metric.people` is the managers' alone: `require` answers a forbidden action with 403.
        ("admin_user", 403),
        ("creative", 403),
        ("freelancer", 403),
        ("brand_manager", 403),
        ("outsider", 403),
    ],
)
def test_only_production_managers_and_executives_see_the_page(client, request, studio, role, status):
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == status
    if status == 403:
        content = response.content.decode()
        assert "Ann Lee" not in content and "Design" not in content and "7.81" not in content


def test_anonymous_visitors_are_sent_to_log_in(client, studio):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_url_is_named_people_in_the_portfolio_namespace():
    assert reverse("portfolio:people") == URL


def test_the_page_only_reads(client, pm, studio):
    client.force_login(pm)
    assert client.post(URL).status_code == 405


# --- the figures --------------------------------------------------------------------------------------


def test_each_discipline_and_the_studio_from_their_own_scope_keys(client, pm, studio):
    client.force_login(pm)

    response = client.get(URL)

    assert response.status_code == 200
    table = response.context["disciplines"]
    # Active disciplines by name; the retired one is not computed by a night, nor shown.
    assert [row.subject.name for row in table.rows] == ["Design", "Motion"]
    assert values(table.rows[0]) == {
        "output_units": D("12.5"),
        "approved_hours": D("160"),
        "productivity": D("7.8125"),
        "capacity": D("320"),
        "logged_utilization": D("0.45"),
        "booked_utilization": D("0.8"),
    }
    assert values(table.rows[1])["productivity"] == D("5")
    assert table.total.subject is None
    assert values(table.total) == {
        "output_units": D("20"),
        "approved_hours": D("250"),
        "productivity": D("8"),
        "capacity": D("480"),
        "logged_utilization": D("0.7"),
        "booked_utilization": D("0.85"),
    }
    content = response.content.decode()
    section = content.split('id="disciplines-title"')[1].split("</section>")[0]
    assert "Retired craft" not in section and "777" not in content and "666" not in content
    # 12.5 units; 160 h; 7.8125 to two places; 0.45 = 45 %; the studio's 8 and 85 %.
    for shown in ("12.50", "160.0", "7.81", "45.0 %", "480.0", "85.0 %", "The studio"):
        assert shown in section


def test_each_active_person_from_their_own_scope_key(client, executive, studio):
    client.force_login(executive)

    response = client.get(URL)

    got = by_name(response)
    assert set(got) == {"Ann Lee", "Bob Stone", "Cat Ode"}  # Dee is no longer active
    assert values(got["Ann Lee"]) == {
        "output_units": D("10"),
        "approved_hours": D("120"),
        "productivity": D("8.333333"),
        "capacity": D("160"),
        "logged_utilization": D("0.7"),
        "booked_utilization": D("0.8"),
    }
    assert values(got["Bob Stone"])["logged_utilization"] == D("0.3")
    assert values(got["Cat Ode"]) == dict.fromkeys(KEYS)  # nothing computed for her: dashes, grey
    assert got["Cat Ode"].utilization["logged_utilization"].status == GREY
    content = response.content.decode()
    for decoy in ("999", "998", "888", "Dee Gone"):
        assert decoy not in content
    assert "8.33" in content  # Ann's productivity, to two places
    # A name leads to the person's page in the talent directory.
    assert f'href="{reverse("studio:talent-detail", args=[studio["ann"].pk])}"' in content


def test_the_utilization_colours_follow_the_studio_target(client, pm, studio):
    client.force_login(pm)

    def statuses():
        response = client.get(URL)
        ann, design = by_name(response)["Ann Lee"], response.context["disciplines"].rows[0]
        total = response.context["disciplines"].total
        return (
            ann.utilization["logged_utilization"].status,
            ann.utilization["booked_utilization"].status,
            design.utilization["logged_utilization"].status,
            total.utilization["booked_utilization"].status,
        )

    # Target 0.75: Ann's 0.70 is below it, not below 0.65 (amber); her 0.80 green; Design's 0.45 < 0.65 red;
    # the studio's 0.85 green.
    assert statuses() == (AMBER, GREEN, RED, GREEN)
    settings_set(utilization_target=D("0.7"))
    # 0.70 ≥ 0.70 green; 0.45 < 0.60 still red.
    assert statuses() == (GREEN, GREEN, RED, GREEN)
    settings_set(utilization_target=D("0.85"))
    # 0.70 < 0.75 red; 0.80 < 0.85 amber; 0.85 ≥ 0.85 green.
    assert statuses() == (RED, AMBER, RED, GREEN)
    content = client.get(URL).content.decode()
    assert '<span class="rag rag-red"' in content and ">Red</span>" in content
    assert "the target of 0.85" in content


def test_a_night_after_today_is_not_the_night_shown(client, pm, studio):
    client.force_login(pm)
    response = client.get(URL)
    assert response.context["night"] == NIGHT
    assert "Tue 24 Nov" in response.content.decode()


def test_no_night_yet_says_how_to_compute_one(client, pm, executive):
    person("Ann", "Lee", f.DisciplineFactory(name="Design"))
    client.force_login(pm)
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "No night's metrics have been computed yet." in content and "python manage.py compute_metrics" in content
    assert "Ann Lee" not in content
    client.force_login(executive)  # who does not recompute: the words without the command
    content = client.get(URL).content.decode()
    assert "computed yet" in content and "compute_metrics" not in content


# --- filters, search and sorting -----------------------------------------------------------------------


def test_filtered_by_discipline(client, pm, studio):
    client.force_login(pm)
    assert names(client.get(URL, {"discipline": studio["motion"].pk})) == ["Bob Stone"]
    assert names(client.get(URL, {"discipline": studio["design"].pk})) == ["Ann Lee", "Cat Ode"]
    # A retired discipline is still a discipline: its active people, here none.
    response = client.get(URL, {"discipline": studio["retired"].pk})
    assert names(response) == [] and "No active person matches these filters." in response.content.decode()


def test_an_unknown_discipline_is_a_clear_message(client, pm, studio):
    client.force_login(pm)
    response = client.get(URL, {"discipline": "999999"})
    assert response.status_code == 200
    assert "There is no such discipline: people of every discipline are shown." in response.content.decode()
    assert names(response) == ["Ann Lee", "Bob Stone", "Cat Ode"]


@pytest.mark.parametrize(
    "q, expected",
    [
        ("ann", ["Ann Lee"]),
        ("ANN lee", ["Ann Lee"]),  # every word, any case
        ("stone", ["Bob Stone"]),
        ("o", ["Bob Stone", "Cat Ode"]),
        ("ann stone", []),
        ("dee", []),  # no longer active
        ("   ", ["Ann Lee", "Bob Stone", "Cat Ode"]),
    ],
)
def test_searched_by_name(client, pm, studio, q, expected):
    client.force_login(pm)
    assert names(client.get(URL, {"q": q})) == expected


def test_search_and_discipline_together(client, pm, studio):
    client.force_login(pm)
    assert names(client.get(URL, {"q": "o", "discipline": studio["design"].pk})) == ["Cat Ode"]


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("", ["Ann Lee", "Bob Stone", "Cat Ode"]),  # by name
        ("-name", ["Cat Ode", "Bob Stone", "Ann Lee"]),
        # 0.7, 0.3, then Cat without a value: last either way.
        ("-logged_utilization", ["Ann Lee", "Bob Stone", "Cat Ode"]),
        ("logged_utilization", ["Bob Stone", "Ann Lee", "Cat Ode"]),
        ("output_units", ["Bob Stone", "Ann Lee", "Cat Ode"]),  # 3, 10
        ("-booked_utilization", ["Bob Stone", "Ann Lee", "Cat Ode"]),  # 0.9, 0.8
        ("productivity", ["Bob Stone", "Ann Lee", "Cat Ode"]),  # 5, 8.33
        # Equal capacities (160 h each) fall back to the name, in both directions.
        ("capacity", ["Ann Lee", "Bob Stone", "Cat Ode"]),
        ("-capacity", ["Ann Lee", "Bob Stone", "Cat Ode"]),
        ("garbage", ["Ann Lee", "Bob Stone", "Cat Ode"]),
    ],
)
def test_sorted_by_name_or_any_figure(client, pm, studio, sort, expected):
    client.force_login(pm)
    response = client.get(URL, {"sort": sort})
    assert names(response) == expected
    assert response.context["sort"] == (sort if sort not in ("", "garbage") else "name")


def test_sorting_by_a_figure_spans_the_pages(client, pm):
    """30 people, output units 1 … 30 (Person 01 … 30); a page holds 25."""
    discipline = f.DisciplineFactory(name="Design")
    for n in range(1, 31):
        talent = person("Person", f"{n:02}", discipline)
        snap(f"talent:{talent.pk}", output_units=str(n))
    client.force_login(pm)

    first = client.get(URL, {"sort": "-output_units"})
    second = client.get(URL, {"sort": "-output_units", "page": "2"})

    assert names(first)[:2] == ["Person 30", "Person 29"] and len(names(first)) == 25
    assert names(second) == ["Person 05", "Person 04", "Person 03", "Person 02", "Person 01"]
    content = first.content.decode()
    assert "30 people" in content and "Page 1 of 2" in content and 'aria-sort="descending"' in content


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "x" * 10_000},
        {"q": "x" * 10_000},
        {"discipline": "9" * 40},
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-1"},
        {"discipline": "1\x00", "q": "a\x00b", "sort": "\x00", "page": "\x00"},
        {"discipline": "abc"},
    ],
)
def test_bad_query_parameters_never_fail(client, pm, studio, params):
    client.force_login(pm)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert len(names(response)) <= 3
    assert response.context["sort"] in ("name", "-name") or response.context["sort"] in KEYS


def test_a_refused_search_says_why(client, pm, studio):
    client.force_login(pm)
    content = client.get(URL, {"q": "x" * 10_000}).content.decode()
    assert "Ensure this value has at most 100 characters" in content
    content = client.get(URL, {"q": "a\x00b"}).content.decode()
    assert "Null characters are not allowed." in content


def test_htmx_gets_the_peoples_table_alone(client, pm, studio):
    client.force_login(pm)
    response = client.get(URL, {"sort": "-output_units"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="people-results"')
    assert "<html" not in content and "Ann Lee" in content
    assert "disciplines" not in response.context  # the disciplines' table is not read for a swap
    assert "HX-Request" in response["Vary"]


def test_no_inline_style_and_a_cell_under_each_heading(client, pm, studio):
    client.force_login(pm)
    content = client.get(URL).content.decode()
    main = content.split("<main")[1]
    assert "style=" not in main
    people_table = main.split('id="people-results"')[1]
    head = people_table.split("<thead>")[1].split("</thead>")[0]
    first_row = people_table.split("<tbody>")[1].split("</tr>")[0]
    # Name, discipline and the six figures.
    assert head.count("<th ") == first_row.count("<th ") + first_row.count("<td") == 8


# --- queries ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["", "-logged_utilization"])
@pytest.mark.parametrize("count", [1, 30])
def test_the_page_runs_a_fixed_number_of_queries(client, pm, count, sort, django_assert_num_queries):
    design = f.DisciplineFactory(name="Design")
    snap(f"discipline:{design.pk}", output_units="5", logged_utilization="0.5")
    snap("studio", output_units="5", logged_utilization="0.5")
    for n in range(count):
        talent = person("Person", f"{n:02}", design)
        snap(f"talent:{talent.pk}", output_units=str(n), logged_utilization="0.5", booked_utilization="0.6")
    client.force_login(pm)
    client.get(URL)  # the studio's time zone, cached

    # Session, user; the settings (context processor, thresholds); the night; the people
    # counted, one page of them, their snapshots; the disciplines, theirs and the studio's;
    # the filter form's disciplines; the discipline asked for.
    with django_assert_num_queries(12):
        response = client.get(URL, {"sort": sort, "discipline": design.pk})
    assert len(names(response)) == min(count, 25)
