"""The team schedule's day cells, rendered in Python.

A four-week page holds over a thousand cells; as template code (or one `format_html`
per piece) they cost more than every query of the page together. The markup is the
one a template would give: numbers and dates are ours, the only free text (holiday
names, time-off reasons) is escaped.
"""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def schedule_cells(row, can_write: bool) -> SafeString:
    """The day cells of a row: links that open the booking form for a person's day when
    the user may book, plain boxes otherwise."""
    person = row.talent is not None
    bookable = can_write and person
    new_url = escape(reverse("schedules:booking-new")) if bookable else ""
    book, tentative_hours, clash = escape(_("Book")), escape(_("tentative hours")), escape(_("Clash"))
    cells = []
    for column, cell in enumerate(row.cells, start=1):
        text, why = cell.note
        title = f' title="{escape(text)} {escape(why)}"' if text else ""
        if person:
            inside = f'<span class="cell-hours">{cell.booked_text}<span class="of">/{cell.capacity_text}</span></span>'
            if cell.tentative:
                inside += f'<span class="cell-tentative" title="{tentative_hours}">{cell.tentative_text}?</span>'
        else:
            inside = f'<span class="cell-hours">{cell.tentative_text}</span>' if cell.tentative else ""
        if text:
            inside += f'<span class="cell-note">{escape(text)}</span>'
        if cell.is_clash:
            inside += f'<span class="visually-hidden">{clash}</span>'
        common = f'class="cell {cell.css}" style="grid-column: {column}" data-day="{cell.iso}"{title}'
        if bookable:
            cells.append(
                f'<a {common} href="{new_url}?talent={row.talent.pk}&amp;start={cell.iso}" '
                f'aria-label="{book} {cell.iso}: {cell.booked_text}/{cell.capacity_text} h" '
                f'aria-describedby="{row.dom_id}-name">{inside}</a>'
            )
        else:
            cells.append(f"<div {common}>{inside}</div>")
    return mark_safe("\n".join(cells))  # noqa: S308 - built from escaped text and our own values
