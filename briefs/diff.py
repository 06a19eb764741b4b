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
# A diff costs about the product of the two sides' lengths, and far more on repeated words:
# two 100,000-character sections once took minutes. One section compares at most this many
# pairs (a 150-word paragraph against another); past it, the unchanged beginning and end
# are set aside, what is left is compared line by line, and a stretch still too long is
# shown replaced as a whole.
MAX_DIFF_WORK = 100_000


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


class _Budget:
    """The pairs of words or lines one diff may still compare."""

    def __init__(self, pairs: int):
        self.left = pairs

    def spend(self, before: list, after: list) -> bool:
        work = len(before) * len(after)
        if work > self.left:
            return False
        self.left -= work
        return True


def _marked(before: list[str], after: list[str]) -> list[str]:
    """`after` as escaped HTML pieces, what changed from `before` in <del> and <ins>."""
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
    return parts


def _replaced(old: str, new: str) -> list[str]:
    return [f"<del>{escape(old)}</del>"] * bool(old) + [f"<ins>{escape(new)}</ins>"] * bool(new)


def _common_ends(before: list[str], after: list[str]) -> tuple[int, int]:
    """How many pieces the two sides share at their start, and then at their end."""
    limit = min(len(before), len(after))
    start = 0
    while start < limit and before[start] == after[start]:
        start += 1
    end = 0
    while end < limit - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return start, end


def _by_lines(old: str, new: str, budget: _Budget) -> list[str]:
    """Changed lines word by word while the budget lasts, then replaced whole."""
    before, after = old.splitlines(keepends=True), new.splitlines(keepends=True)
    if len(before) < 2 and len(after) < 2 or not budget.spend(before, after):
        return _replaced(old, new)
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        old_part, new_part = "".join(before[a1:a2]), "".join(after[b1:b2])
        if op == "equal":
            parts.append(escape(new_part))
            continue
        words_before, words_after = _tokens(old_part), _tokens(new_part)
        if budget.spend(words_before, words_after):
            parts += _marked(words_before, words_after)
        else:
            parts += _replaced(old_part, new_part)
    return parts


def diff_text(old: str, new: str) -> SafeString:
    """`new` as HTML, with removed words in <del> and added words in <ins>."""
    before, after = _tokens(old), _tokens(new)
    budget = _Budget(MAX_DIFF_WORK)
    if budget.spend(before, after):
        parts = _marked(before, after)
    else:
        start, end = _common_ends(before, after)
        old_middle, new_middle = before[start : len(before) - end], after[start : len(after) - end]
        if budget.spend(old_middle, new_middle):
            middle = _marked(old_middle, new_middle)
        else:
            middle = _by_lines("".join(old_middle), "".join(new_middle), budget)
        parts = [escape("".join(after[:start])), *middle, escape("".join(after[len(after) - end :]))]
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
