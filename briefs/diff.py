"""A readable difference between two versions of a brief, section by section.

Words are compared, not characters: a changed word reads as one deletion and one
insertion, the way an editor marks up a printed page."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from .models import SECTIONS, Brief

# Words and the whitespace between them, so the marked-up text keeps its line breaks.
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class SectionDiff:
    name: str
    label: str
    changed: bool
    html: SafeString


def section_label(name: str) -> str:
    return capfirst(Brief._meta.get_field(name).verbose_name)


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def diff_text(old: str, new: str) -> SafeString:
    """`new` as HTML, with removed words in <del> and added words in <ins>."""
    before, after = _tokens(old), _tokens(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(after[b1:b2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(before[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(after[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308  every piece of text above is escaped


def diff_contents(old: dict, new: dict, *, hidden: tuple[str, ...] = ()) -> list[SectionDiff]:
    """Each section of the brief (those not hidden), with what changed between `old` and `new`."""
    sections = []
    for name in SECTIONS:
        if name in hidden:
            continue
        before, after = str(old.get(name) or ""), str(new.get(name) or "")
        sections.append(SectionDiff(name, section_label(name), before != after, diff_text(before, after)))
    return sections
