"""`{% feasibility_verdicts asks as verdicts %}` and `{% feasibility_verdict verdicts key %}`:
a list of requests (briefs) shows each one's feasibility verdict, computed for the whole
page at once (`requests_feasibility`), without importing schedules."""

from django import template

from ..feasibility import requests_feasibility

register = template.Library()


@register.simple_tag
def feasibility_verdicts(asks):
    """{key: Feasibility or None} for {key: (items, deadline)}, as of today."""
    return requests_feasibility(asks or {})


@register.inclusion_tag("schedules/_feasibility_verdict.html")
def feasibility_verdict(verdicts, key):
    """One row's compact verdict: fits, needs about N freelance hours, or cannot be met."""
    return {"result": verdicts.get(key) if verdicts else None}
