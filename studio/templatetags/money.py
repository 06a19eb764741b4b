"""`{{ amount|money:studio_currency }}` → "EUR 43,109.28"; `{{ amount|money }}` → "43,109.28",
for a table column whose heading already names the currency. Both go through format_money."""

from django import template

from studio.money import format_money

register = template.Library()


@register.filter
def money(amount, currency=""):
    return format_money(amount, currency or "")
