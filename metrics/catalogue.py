"""Every metric the studio is judged by, named once (DESIGN §3): its key, the scopes it exists
for, its unit, its formula in words and whether higher is better. The nightly job, the
dashboard, the "how is this computed?" panels, the API and `docs/metrics.md` read it.

A snapshot's scope is a key: `studio`, `project:<id>`, `brand:<id>`, `discipline:<id>` or
`talent:<id>` (`scope_key`)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

STUDIO, PROJECT, BRAND, DISCIPLINE, TALENT = "studio", "project", "brand", "discipline", "talent"
SCOPES = (STUDIO, PROJECT, BRAND, DISCIPLINE, TALENT)

# Units: how a value is stored and shown.
HOURS, MONEY, RATIO, DAYS, DATE, UNITS, COUNT, RATING, PER_100_HOURS = (
    "hours", "money", "ratio", "working days", "date", "units", "count", "rating", "units per 100 hours",
)

SCHEDULE, MONEY_FAMILY, PRODUCTIVITY, SATISFACTION = "schedule", "money", "productivity", "satisfaction"


def scope_key(scope: str, pk: int | None = None) -> str:
    """`studio`, or `<scope>:<id>`."""
    return scope if scope == STUDIO else f"{scope}:{pk}"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    family: str
    scopes: tuple[str, ...]
    unit: str
    formula: str
    # None where neither way is better (a forecast date, a count of hours).
    higher_is_better: bool | None
    # Money and what is derived from it: the studio's only (DESIGN §1), never a brand manager's.
    costs: bool = False


_P, _PS, _PBS = (PROJECT,), (PROJECT, STUDIO), (PROJECT, BRAND, STUDIO)
_PEOPLE = (STUDIO, DISCIPLINE, TALENT)

METRICS = (
    # --- schedule variance, per project, in planned hours and working days ---
    Metric("pv", _("Planned value"), SCHEDULE, _P, HOURS, _(
        "Σ planned hours × planned fraction on d (working days from start to d / working days from start to "
        "due, clamped to 0–1)."), None),
    Metric("ev", _("Earned value"), SCHEDULE, _P, HOURS, _(
        "Σ planned hours × percent complete as last recorded on or before d (approved and delivered: 100 %)."),
        True),
    Metric("bac", _("Budget at completion (hours)"), SCHEDULE, _P, HOURS, _(
        "Σ planned hours of the deliverables of the current plan, cancelled ones excluded."), None),
    Metric("sv", _("Schedule variance"), SCHEDULE, _P, HOURS, _("EV − PV."), True),
    Metric("spi", _("Schedule performance index"), SCHEDULE, _P, RATIO, _("EV / PV; undefined while PV is 0."),
           True),
    Metric("es", _("Earned schedule"), SCHEDULE, _P, DAYS, _(
        "w + (EV − PV(w)) / (PV(w+1) − PV(w)), w the last working day whose PV ≤ EV; N once EV = BAC."), True),
    Metric("at", _("Actual time"), SCHEDULE, _P, DAYS, _(
        "Working days from the project's start to d; stops at the last approval once all is approved."), None),
    Metric("sv_t", _("Schedule variance (time)"), SCHEDULE, _PS, DAYS, _(
        "ES − AT in working days; negative is behind. The studio: the mean over its active projects."), True),
    Metric("spi_t", _("Schedule performance index (time)"), SCHEDULE, _P, RATIO, _(
        "ES / AT; undefined while AT is 0."), True),
    Metric("forecast_finish", _("Forecast finish"), SCHEDULE, _P, DATE, _(
        "The working day at index ⌈N / SPI(t)⌉ from the start; none while SPI(t) is 0 or undefined."), None),
    Metric("share_ahead", _("Projects ahead"), SCHEDULE, (STUDIO,), RATIO, _(
        "Active projects with SV(t) > +1 working day / active projects with an SV(t)."), True),
    Metric("share_on_time", _("Projects on time"), SCHEDULE, (STUDIO,), RATIO, _(
        "Active projects with SV(t) from −1 to +1 working day / active projects with an SV(t)."), True),
    Metric("share_behind", _("Projects behind"), SCHEDULE, (STUDIO,), RATIO, _(
        "Active projects with SV(t) < −1 working day / active projects with an SV(t)."), False),
    # --- money: return on investment and budget health ---
    Metric("fee_in_force", _("Fee in force"), MONEY_FAMILY, _P, MONEY, _(
        "The fee + fee changes of change orders approved up to d."), None, costs=True),
    Metric("revenue_earned", _("Revenue earned"), MONEY_FAMILY, _PBS, MONEY, _(
        "Fee in force × EV / BAC, client projects; summed for a brand and the studio."), True, costs=True),
    Metric("cost", _("Cost"), MONEY_FAMILY, _PBS, MONEY, _(
        "Approved hours up to d × the cost rate valid on each entry's date + costs invoiced or paid up to d "
        "(the studio: every project, internal ones included)."), False, costs=True),
    Metric("roi", _("Return on investment"), MONEY_FAMILY, _PBS, RATIO, _(
        "(Revenue earned − cost) / cost; undefined while cost is 0."), True, costs=True),
    Metric("margin", _("Margin"), MONEY_FAMILY, _PBS, RATIO, _(
        "(Revenue earned − cost) / revenue earned; undefined while revenue is 0."), True, costs=True),
    Metric("bac_money", _("Budget at completion"), MONEY_FAMILY, _P, MONEY, _(
        "The baseline in force on d + budget changes of change orders approved up to d."), None, costs=True),
    Metric("cv", _("Cost variance"), MONEY_FAMILY, _P, MONEY, _("EVm − AC, EVm = BACm × EV / BAC."), True,
           costs=True),
    Metric("cpi", _("Cost performance index"), MONEY_FAMILY, _P, RATIO, _("EVm / AC; undefined while AC is 0."),
           True, costs=True),
    Metric("eac", _("Estimate at completion"), MONEY_FAMILY, _P, MONEY, _("BACm / CPI; BACm while CPI is undefined."),
           False, costs=True),
    Metric("vac", _("Variance at completion"), MONEY_FAMILY, _P, MONEY, _("BACm − EAC."), True, costs=True),
    Metric("margin_at_completion", _("Margin at completion"), MONEY_FAMILY, _P, RATIO, _(
        "(Fee in force − EAC) / fee in force."), True, costs=True),
    # --- productivity and utilization, over the 28 days ending d ---
    Metric("output_units", _("Output units"), PRODUCTIVITY, _PEOPLE, UNITS, _(
        "Units of deliverables approved in the 28 days ending d; a person's or discipline's share in proportion "
        "to their hours on each deliverable up to d."), True),
    Metric("approved_hours", _("Approved hours"), PRODUCTIVITY, _PEOPLE, HOURS, _(
        "Hours logged in the 28 days ending d on any project, their timesheet approved."), None),
    Metric("productivity", _("Productivity"), PRODUCTIVITY, _PEOPLE, PER_100_HOURS, _(
        "Output units × 100 / approved hours; undefined without hours."), True),
    Metric("capacity", _("Capacity"), PRODUCTIVITY, _PEOPLE, HOURS, _(
        "Working hours in the 28 days ending d, less holidays and time off."), None),
    Metric("logged_utilization", _("Logged utilization"), PRODUCTIVITY, _PEOPLE, RATIO, _(
        "Approved hours on client projects / capacity."), None),
    Metric("booked_utilization", _("Booked utilization"), PRODUCTIVITY, _PEOPLE, RATIO, _(
        "Hours confirmed bookings land on client projects / capacity."), None),
    # --- client satisfaction, over the 90 days ending d by response date ---
    Metric("responses", _("Responses"), SATISFACTION, _PBS, COUNT, _(
        "Survey answers in the 90 days ending d."), None),
    Metric("csat", _("Client satisfaction"), SATISFACTION, _PBS, RATIO, _(
        "Answers rated 4 or 5 / all answers."), True),
    Metric("average_rating", _("Average rating"), SATISFACTION, _PBS, RATING, _("The mean rating, 1 to 5."), True),
    Metric("first_pass_rate", _("First-pass rate"), SATISFACTION, _PBS, RATIO, _(
        "Deliverables approved in the 90 days ending d at their first client review / deliverables approved in "
        "them."), True),
    Metric("mean_revision_rounds", _("Mean revision rounds"), SATISFACTION, _PBS, COUNT, _(
        "The mean number of times changes were requested on those deliverables, at either review step."), False),
)

CATALOGUE: dict[str, Metric] = {metric.key: metric for metric in METRICS}


def metrics_of(family: str) -> list[Metric]:
    return [metric for metric in METRICS if metric.family == family]


UNIT_LABELS = {
    HOURS: _("hours"), MONEY: _("money (studio currency)"), RATIO: _("ratio"), DAYS: _("working days"),
    DATE: _("date"), UNITS: _("output units"), COUNT: _("count"), RATING: _("rating 1–5"),
    PER_100_HOURS: _("units per 100 hours"),
}
FAMILY_TITLES = {
    SCHEDULE: _("Schedule variance"), MONEY_FAMILY: _("Return on investment and budget health"),
    PRODUCTIVITY: _("Productivity and utilization"), SATISFACTION: _("Client satisfaction"),
}


def catalogue_markdown() -> str:
    """The catalogue as `docs/metrics.md` holds it (`manage.py metrics_table`)."""
    better = {True: "higher", False: "lower", None: "—"}
    lines = [
        "# The metrics",
        "",
        "Generated from `metrics/catalogue.py` by `python manage.py metrics_table > docs/metrics.md`;",
        "a test fails when the two differ. Definitions: DESIGN §3. Money metrics (marked $) reach the",
        "studio's roles only. Scopes: studio, project, brand, discipline, talent.",
    ]
    for family, title in FAMILY_TITLES.items():
        lines += ["", f"## {title}", "", "| key | metric | scopes | unit | better | formula |", "|---" * 6 + "|"]
        for metric in metrics_of(family):
            name = f"{metric.label}{' $' if metric.costs else ''}"
            row = [f"`{metric.key}`", name, ", ".join(metric.scopes), str(UNIT_LABELS[metric.unit]),
                   better[metric.higher_is_better], str(metric.formula).replace("|", "\\|")]
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"
