"""The client-satisfaction family (DESIGN §3): every figure worked out by hand.

The night computed is Fri 20 Nov 2026: the 90 days ending it run from Sun 23 Aug to Fri 20 Nov
(20 − 89 days: 20 days back to 31 Oct, 31 more to 30 Sep, 30 more to 31 Aug, 8 more to 23 Aug).
The clock stands at Wed 25 Nov, so some records fall after the night."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from metrics.families.satisfaction import compute
from studio.clock import studio_zone
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("studio_today")]

METRICS = ["responses", "csat", "average_rating", "first_pass_rate", "mean_revision_rounds"]
NIGHT = dt.date(2026, 11, 20)


def on(month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment of 2026 in the studio's time zone."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=studio_zone())


def q4(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def figures(day: dt.date = NIGHT) -> dict[str, dict[str, Decimal | None]]:
    """{scope key: {metric: value}} of `compute(day)`."""
    result: dict[str, dict] = {}
    for value in compute(day):
        result.setdefault(value.scope_key, {})[value.metric] = value.value
    return result


def answer(survey, rating: int | None, at: dt.datetime | None):
    """A brand manager's answer to `survey` (an invitation still unanswered without a rating)."""
    return f.SurveyResponseFactory(survey=survey, rating=rating, responded_at=at if rating else None)


def approved(project, at: dt.datetime, passed: bool | None, rounds: int):
    """A deliverable approved at `at`, after `rounds` requests for changes; `passed`: whether its
    first client review approved it (None: it never went to a client review)."""
    return f.DeliverableFactory(
        project=project,
        status="approved",
        percent_complete=100,
        approved_at=at,
        passed_first_client_review=passed,
        revision_rounds=rounds,
    )


def test_answers_and_reviews_per_project_brand_and_studio(brand, other_brand):
    first = f.ProjectFactory(brand=brand)
    survey = f.SatisfactionSurveyFactory(project=first)
    answer(survey, 5, on(9, 2))
    answer(survey, 4, on(10, 15))
    answer(survey, 2, on(11, 20, 23, 30))  # the night's last hour: counted
    answer(survey, 5, on(8, 22, 23, 30))  # the day before the window: not counted
    answer(survey, 1, on(11, 21, 0, 30))  # after the night: not counted
    answer(survey, None, None)  # asked, never answered: not an answer
    first_pass = approved(first, on(11, 10), passed=True, rounds=0)
    approved(first, on(11, 18), passed=False, rounds=3)  # the client asked for changes, then two more rounds
    approved(first, on(8, 1), passed=True, rounds=0)  # approved before the window
    approved(first, on(11, 21), passed=False, rounds=5)  # approved after the night
    f.DeliverableFactory(project=first, status="client_review", passed_first_client_review=False, revision_rounds=1)
    answer(f.SatisfactionSurveyFactory(project=first, deliverable=first_pass), 4, on(11, 11))
    # Delivered in June, so not among the night's projects; an answer in the window brings it in.
    earlier = f.ProjectFactory(
        brand=brand, status="delivered", planned_start=dt.date(2026, 5, 1), due_date=dt.date(2026, 6, 1)
    )
    approved(earlier, on(6, 1), passed=True, rounds=0)
    answer(f.SatisfactionSurveyFactory(project=earlier), 3, on(9, 5))
    other = f.ProjectFactory(brand=other_brand)
    approved(other, on(11, 12), passed=True, rounds=1)  # changes at the internal review, then a first pass
    internal = f.ProjectFactory(brand=None, is_internal=True)
    approved(internal, on(11, 16), passed=None, rounds=2)  # internal work: no client review, left out
    dormant = f.ProjectFactory(
        brand=other_brand, status="delivered", planned_start=dt.date(2026, 5, 1), due_date=dt.date(2026, 6, 1)
    )
    approved(dormant, on(6, 1), passed=True, rounds=0)  # nothing in the window: not computed

    got = figures()

    assert got[f"project:{first.pk}"] == {
        "responses": Decimal("4"),  # 5, 4, 2 and the deliverable survey's 4
        "csat": Decimal("0.75"),  # 3 rated 4 or 5 / 4
        "average_rating": Decimal("3.75"),  # (5 + 4 + 2 + 4) / 4 = 15 / 4
        "first_pass_rate": Decimal("0.5"),  # 1 passed first time / 2 approved in the window
        "mean_revision_rounds": Decimal("1.5"),  # (0 + 3) / 2
    }
    assert got[f"project:{earlier.pk}"] == {
        "responses": Decimal("1"),
        "csat": Decimal("0"),  # 0 rated 4 or 5 / 1
        "average_rating": Decimal("3"),
        "first_pass_rate": None,  # nothing approved in the window
        "mean_revision_rounds": None,
    }
    assert got[f"project:{other.pk}"] == {
        "responses": Decimal("0"),
        "csat": None,
        "average_rating": None,
        "first_pass_rate": Decimal("1"),  # 1 / 1
        "mean_revision_rounds": Decimal("1"),  # 1 / 1
    }
    assert got[f"project:{internal.pk}"] == dict.fromkeys(METRICS, None) | {"responses": Decimal("0")}
    assert got[f"brand:{brand.pk}"] == {
        "responses": Decimal("5"),  # 4 + 1
        "csat": Decimal("0.6"),  # 3 / 5
        "average_rating": Decimal("3.6"),  # (15 + 3) / 5
        "first_pass_rate": Decimal("0.5"),  # the first project's: 1 / 2
        "mean_revision_rounds": Decimal("1.5"),
    }
    assert got[f"brand:{other_brand.pk}"] == got[f"project:{other.pk}"]
    studio = got["studio"]
    assert studio["responses"] == Decimal("5")
    assert studio["csat"] == Decimal("0.6")
    assert studio["average_rating"] == Decimal("3.6")
    assert q4(studio["first_pass_rate"]) == Decimal("0.6667")  # (1 + 1) / 3 = 0.66666…
    assert q4(studio["mean_revision_rounds"]) == Decimal("1.3333")  # (0 + 3 + 1) / 3 = 1.33333…
    assert set(got) == {
        f"project:{first.pk}",
        f"project:{earlier.pk}",
        f"project:{other.pk}",
        f"project:{internal.pk}",
        f"brand:{brand.pk}",
        f"brand:{other_brand.pk}",
        "studio",
    }
    assert all(list(values) == METRICS for values in got.values())


def test_an_answer_leaves_the_window_ninety_days_on(brand):
    project = f.ProjectFactory(brand=brand)
    answer(f.SatisfactionSurveyFactory(project=project), 5, on(8, 23, 0, 30))  # the window's first hour

    assert figures(NIGHT)["studio"]["responses"] == Decimal("1")  # 23 Aug is the first of the 90 days
    assert figures(NIGHT + dt.timedelta(days=1))["studio"]["responses"] == Decimal("0")  # from 24 Aug on


def test_nothing_to_count():
    assert figures() == {"studio": dict.fromkeys(METRICS, None) | {"responses": Decimal("0")}}


@pytest.mark.parametrize("size", [1, 3])
def test_query_count_does_not_grow_with_projects(size, django_assert_num_queries):
    for n in range(size):
        brand = f.BrandFactory()
        for _ in range(2):
            project = f.ProjectFactory(brand=brand)
            survey = f.SatisfactionSurveyFactory(project=project)
            answer(survey, 4, on(10, 1 + n))
            answer(survey, 2, on(11, 1 + n))
            approved(project, on(11, 2), passed=True, rounds=0)
            approved(project, on(11, 3), passed=False, rounds=2)
    studio_zone()  # the studio's time zone is read once and cached: not the family's query

    # The projects, the answers by project, the approved deliverables by project.
    with django_assert_num_queries(3):
        values = compute(NIGHT)

    assert len(values) == 5 * (2 * size + size + 1)
    studio = {value.metric: value.value for value in values if value.scope_key == "studio"}
    assert studio["responses"] == 4 * size  # 2 projects × 2 answers a brand
    assert studio["csat"] == Decimal("0.5")  # one 4 and one 2 a project
    assert studio["mean_revision_rounds"] == Decimal("1")  # (0 + 2) / 2 a project
