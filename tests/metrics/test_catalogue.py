"""One catalogue names every metric: the families compute exactly its metrics for exactly
its scopes, and `docs/metrics.md` is generated from it."""

from pathlib import Path

import pytest

from metrics.catalogue import CATALOGUE, METRICS, SCOPES, catalogue_markdown
from metrics.nightly import FAMILIES
from studio import clock
from tests import factories as f

DOCS = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"

# The list, at least.
REQUIRED = {
    "pv", "ev", "bac", "sv", "spi", "es", "at", "sv_t", "spi_t", "forecast_finish", "cv", "cpi", "eac", "vac",
    "fee_in_force", "revenue_earned", "cost", "roi", "margin", "margin_at_completion", "output_units",
    "approved_hours", "productivity", "capacity", "logged_utilization", "booked_utilization", "responses", "csat",
    "average_rating", "first_pass_rate", "mean_revision_rounds",
}


def test_the_catalogue_names_each_metric_once_with_what_it_is():
    assert len(CATALOGUE) == len(METRICS)
    assert REQUIRED <= set(CATALOGUE)
    for metric in METRICS:
        assert metric.scopes and set(metric.scopes) <= set(SCOPES), metric.key
        assert str(metric.label) and str(metric.formula), metric.key


def test_the_documented_catalogue_is_the_code():
    assert DOCS.read_text() == catalogue_markdown(), "run: python manage.py metrics_table > docs/metrics.md"


@pytest.mark.django_db
@pytest.mark.usefixtures("studio_today")
@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.__name__.rsplit(".", 1)[-1])
def test_each_family_computes_only_catalogued_metrics_for_their_scopes(family, brand):

    project = f.ProjectFactory(brand=brand)
    f.DeliverableFactory(project=project)
    for value in family.compute(clock.today()):
        metric = CATALOGUE[value.metric]
        scope = value.scope_key.split(":")[0]
        assert scope in metric.scopes, (value.metric, value.scope_key)
