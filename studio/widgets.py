"""Searchable pickers for choices too many for a drop-down: people, projects, deliverables.

The page shows a text box; typing asks a search endpoint (through htmx) for at most a
screenful of matches, and static/js/search_select.js puts the one chosen into a hidden
input under the field's name. The field itself is a plain ModelChoiceField (or
ModelMultipleChoiceField): the pk posted is still checked against its QuerySet.
"""

from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

# The longest search text an endpoint takes (studio.widgets.SearchForm).
SEARCH_MAX_LENGTH = 100
# Matches one search answers with; more means "type more".
SEARCH_LIMIT = 20


class SearchForm(forms.Form):
    """The query string of a search endpoint: the text typed and, for some kinds, the
    project it is limited to. Too long, a NUL byte or a bad number is a 400."""

    q = forms.CharField(required=False, max_length=SEARCH_MAX_LENGTH)
    project = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


def as_pk(value) -> str:
    """`value` as the text of a primary key, or "" when it cannot be one (the page posts text)."""
    text = str(getattr(value, "pk", value) if value is not None else "")
    return text if text.isascii() and text.isdigit() and 0 < int(text) < 2**31 else ""


# What a posted value that cannot be a pk becomes: refused by the field as an invalid choice,
# never looked up (a 30-digit number overflows the database's integer).
NOT_A_PK = "not-a-pk"


def _posted_pk(value):
    if value in (None, "") or as_pk(value):
        return value
    return NOT_A_PK


def search_matching(queryset: QuerySet, text: str, fields: tuple[str, ...]) -> QuerySet:
    """Rows where each word typed is found in one of `fields` ("cleo rey" finds Cleo Reyes)."""
    for word in text.split()[:5]:
        queryset = queryset.filter(Q.create([(f"{field}__icontains", word) for field in fields], connector=Q.OR))
    return queryset


class SearchSelect(forms.Widget):
    """One object chosen through a search: its pk in a hidden input, its label in the box."""

    template_name = "widgets/search_select.html"
    multiple = False

    def __init__(self, search_url: str = "", *, params: dict | None = None, placeholder: str = "", attrs=None):
        super().__init__(attrs)
        self.search_url = search_url
        self.params = dict(params or {})
        self.placeholder = placeholder
        # A model choice field sets its ModelChoiceIterator here; only the chosen rows are read.
        self.choices = ()

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.params = dict(self.params)
        return copied

    def url(self) -> str:
        params = {key: value for key, value in self.params.items() if value not in (None, "")}
        return f"{self.search_url}?{urlencode(params)}" if params else str(self.search_url)

    def format_value(self, value):
        values = value if isinstance(value, (list, tuple)) else [value]
        return [pk for pk in map(as_pk, values) if pk]

    def chosen(self, values: list[str]) -> list[dict]:
        """The rows of the pks given, labelled as the field labels them: one query."""
        if not values or not hasattr(self.choices, "queryset"):
            return []
        field = self.choices.field
        rows = {str(obj.pk): obj for obj in self.choices.queryset.filter(pk__in=values)}
        return [{"value": pk, "label": field.label_from_instance(rows[pk])} for pk in values if pk in rows]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["attrs"].pop("required", None)
        chosen = self.chosen(widget["value"])
        widget.update(
            search_url=self.url(), multiple=self.multiple, chosen=chosen, placeholder=self.placeholder,
            label=chosen[0]["label"] if chosen and not self.multiple else "",
            single_value=chosen[0]["value"] if chosen and not self.multiple else "",
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates (templates/widgets/), which the form renderer does not search.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def value_from_datadict(self, data, files, name):
        return _posted_pk(data.get(name))

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class SearchSelectMultiple(SearchSelect):
    """Several objects chosen one search at a time, each a removable item of a list."""

    multiple = True

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        values = getter(name) if getter else data.get(name)
        return [_posted_pk(value) for value in values] if isinstance(values, list | tuple) else _posted_pk(values)

    def value_omitted_from_data(self, data, files, name):
        # An empty list posts nothing: that is "nobody", not "left out".
        return False
