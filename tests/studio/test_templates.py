"""Every template can be served under a strict Content-Security-Policy
(`script-src 'self'; style-src 'self'`): scripts and styles come from files in static/,
data for a script from `data-` attributes or `json_script`, never inline code.

The one exception is `style` attributes carrying geometry the server computes (a bar's
place on a timeline or on the schedule's grid): they may set only the properties in
GEOMETRY, so nothing else slips in beside them.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATE_SUFFIXES = {".html", ".txt", ".xml"}

# Django comments never reach the browser, so what they mention does not count.
COMMENTS = re.compile(r"{#.*?#}|{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}", re.DOTALL)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
LOADS_A_FILE = re.compile(r"\bsrc\s*=", re.IGNORECASE)
JSON_DATA = re.compile(r"""\btype\s*=\s*["']?application/json\b""", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b[^>]*>", re.IGNORECASE)
# Attribute values the browser runs as code: onclick=…, hx-on:…, javascript: URLs.
INLINE_CODE = re.compile(
    r"""<[a-z][^>]*?\s(on[a-z]+\s*=|(?:data-)?hx-on[:-]|[a-z-]+\s*=\s*["']?\s*javascript:)""",
    re.IGNORECASE,
)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
GEOMETRY = {"left", "width", "grid-column", "grid-row", "--days", "--lanes"}


def inline_scripts(text: str) -> list[str]:
    """<script> elements that hold code: neither loading a file nor carrying JSON data."""
    return [match.group(0) for match in SCRIPT_TAG.finditer(text)
            if not LOADS_A_FILE.search(match.group(1)) and not JSON_DATA.search(match.group(1))]


def style_elements(text: str) -> list[str]:
    return STYLE_ELEMENT.findall(text)


def inline_code(text: str) -> list[str]:
    return [match.group(1) for match in INLINE_CODE.finditer(text)]


def non_geometry_styles(text: str) -> list[str]:
    found = []
    for match in STYLE_ATTRIBUTE.finditer(text):
        properties = {part.split(":", 1)[0].strip().lower() for part in match.group(2).split(";") if part.strip()}
        if properties - GEOMETRY:
            found.append(match.group(0).strip())
    return found


def template_files() -> list[Path]:
    return sorted(path for folder in settings.TEMPLATES[0]["DIRS"] for path in Path(folder).rglob("*")
                  if path.suffix in TEMPLATE_SUFFIXES)


def offenders(check) -> list[str]:
    found = []
    for path in template_files():
        text = COMMENTS.sub("", path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(settings.BASE_DIR)}: {what}" for what in check(text)]
    return found


def test_the_walk_reaches_every_app():
    names = {str(path.relative_to(settings.BASE_DIR)) for path in template_files()}
    assert {"templates/base.html", "templates/schedules/my_day.html", "templates/briefs/request_form.html",
            "templates/projects/timeline.html"} <= names


@pytest.mark.parametrize("check", [inline_scripts, style_elements, inline_code, non_geometry_styles],
                         ids=lambda check: check.__name__)
def test_no_template_has(check):
    assert offenders(check) == []


# The checks themselves, on markup they must refuse and markup they must let through.
REFUSED = {
    inline_scripts: ['<script>go()</script>', '<script type="module">go()</script>'],
    style_elements: ["<style>p { color: red }</style>", '<style media="print">p {}</style>'],
    inline_code: ['<button type="button" onclick="go()">', '<div hx-on:click="go()">', '<a href="javascript:go()">',
                  "<input\n  onchange='go()'>"],
    non_geometry_styles: ['<p style="color: red">', '<span style="left: 3%; display: none">'],
}
ALLOWED = [
    '<script src="/static/js/my_day.js" defer></script>',
    '<script id="days" type="application/json">[1, 2]</script>',
    '<span class="tl-bar" style="left: 3.5%; width: 12%" data-online="yes"></span>',
    '<div style="--days: 7">', '<a style="grid-column: 2 / span 3; grid-row: 4">',
    '<button type="button" class="no-print" data-print>Print</button>',
    "<p>Booked on=Monday, if the studio is open</p>",
]


@pytest.mark.parametrize("check", list(REFUSED), ids=lambda check: check.__name__)
def test_the_check_refuses_inline_code_and_lets_files_and_data_through(check):
    for markup in REFUSED[check]:
        assert check(markup), markup
    for markup in ALLOWED:
        assert not check(markup), markup


def test_comments_do_not_count():
    text = '{# no <style> element here #}{% comment %}<script>go()</script>{% endcomment %}<p>'
    assert COMMENTS.sub("", text) == "<p>"
