"""Every URL pattern of the project against the nine identities (tests/security/matrix.py):
no pattern without a row; each answers each identity as its row says, for brand A's object
and for brand B's or a colleague's; and no answer a user may read shows the other side's
rows or money they may not see, in any format, nor does any e-mail it sends."""

import json
import os

import pytest
from django.core import mail
from django.db import transaction

from tests.security.conftest import IDENTITIES
from tests.security.leaks import body_text, foreign_markers, found, money_markers
from tests.security.matrix import ALLOWED, ANONYMOUS_API, LOGIN, ROWS, row_for
from tests.security.urls import TARGETS, all_patterns, formats, has_foreign, target_object, url_for

pytestmark = pytest.mark.django_db

PATTERNS = all_patterns()
API_WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _cells():
    """(pattern, method, foreign) for every pattern the matrix requests: the admin once, by its index."""
    for pattern in PATTERNS:
        row = row_for(pattern.name)
        if row is None or (pattern.route.startswith("admin/") and pattern.name != "admin:index"):
            continue
        methods = pattern.methods or row.methods or ()
        for method in methods:
            if row.expect(method) is None:
                continue
            for foreign in (False, True) if has_foreign(pattern) else (False,):
                for fmt in formats(pattern):
                    side = (" foreign" if foreign else "") + (f" {fmt}" if fmt != "csv" else "")
                    yield pytest.param(pattern, method, foreign, fmt, id=f"{pattern.name} {method}{side}")


CELLS = list(_cells())


def test_every_url_pattern_has_a_row():
    """A new route cannot skip the matrix: every pattern of the resolver, the API's and the
    admin's included, falls under a row."""
    missing = sorted({pattern.route for pattern in PATTERNS if row_for(pattern.name) is None})
    assert not missing, f"URL patterns without a row in tests/security/matrix.py: {missing}"


def test_every_row_names_a_pattern():
    names = {pattern.name for pattern in PATTERNS}
    stale = [name for row in ROWS for name in row.names if not name.endswith("*") and name not in names]
    assert not stale, f"rows for patterns that no longer exist: {stale}"


def test_every_target_and_api_method_is_covered():
    """Each pattern that takes an object is reversed with brand A's and another brand's or
    person's, and each row answers each method its pattern serves."""
    assert all(name in {p.name for p in PATTERNS} for name in TARGETS)
    unanswered = [
        f"{pattern.name} {method}" for pattern in PATTERNS if pattern.methods and not pattern.name.startswith("admin:")
        for method in pattern.methods if row_for(pattern.name).expect(method) is None
    ]
    assert not unanswered, f"API methods the matrix does not request: {unanswered}"


def outcome_of(response) -> object:
    status = response.status_code
    if status in (301, 302) and "/login/" in response["Location"]:
        return LOGIN
    if status >= 500 or status in (401, 403, 404, 405):
        return status
    return ALLOWED


@pytest.mark.parametrize(("pattern", "method", "foreign", "fmt"), CELLS)
def test_url_answers_each_identity_as_its_row_says(pattern, method, foreign, fmt, world, clients):
    row = row_for(pattern.name)
    url = url_for(pattern, world, foreign, fmt)
    target = TARGETS.get(pattern.name)
    obj = target_object(world, target, foreign) if target else None
    data = row.params(world, foreign) if row.params else {}
    wrong, leaks = [], []
    for identity in IDENTITIES:
        user = world.user(identity)
        if user is None:
            expected = row.anonymous if row.anonymous is not None else (ANONYMOUS_API if pattern.is_api else LOGIN)
        else:
            expected = row.expect(method)(user, obj)
        client = world.client(identity) if pattern.name == "logout" else clients[identity]
        mail.outbox = []
        with transaction.atomic():
            response = _request(client, method, url, data, pattern.is_api)
            got = response.status_code if isinstance(expected, int) else outcome_of(response)
            if got == ALLOWED and method == "GET":
                text = body_text(response)
                if not row.token:  # a token's holder reads as its owner
                    leaks += [f"{identity}: {marker!r}" for marker in found(text, foreign_markers(identity))]
                leaks += [f"{identity}: money {marker!r}" for marker in found(text, money_markers(user))]
            for message in mail.outbox:
                leaks += _mail_leaks(world, message)
            transaction.set_rollback(True)
        if got != expected:
            wrong.append(f"{identity}: expected {expected}, got {response.status_code}")
    assert not wrong, f"{method} {url}: " + "; ".join(wrong)
    assert not leaks, f"{method} {url} shows what it must not: " + "; ".join(leaks)


def _request(client, method, url, data, is_api):
    if method == "GET":
        return client.get(url, data)
    if is_api:
        return client.generic(method, url, data=json.dumps(data), content_type="application/json")
    return client.post(url, data)


def _mail_leaks(world, message) -> list[str]:
    """An e-mail to one of the world's people shows only what they may read."""
    leaks = []
    for identity in IDENTITIES[:-1]:
        user = world.user(identity)
        if user.email and user.email in message.to:
            text = message.body + "".join(str(content) for content, _type in getattr(message, "alternatives", []))
            leaks += [f"mail to {identity}: {marker!r}" for marker in
                      found(text, set(foreign_markers(identity)) | money_markers(user))]
    return leaks


def test_every_pattern_is_requested(capsys):
    """Every pattern outside the admin is requested with at least one method (the admin by its
    index); the number of cells (pattern × method × object × format × identity) is printed."""
    requested = {param.values[0].name for param in CELLS}
    silent = sorted({p.name for p in PATTERNS if not p.route.startswith("admin/")} - requested)
    assert not silent, f"patterns whose row requests no method: {silent}"
    with capsys.disabled():
        print(f"\nURL matrix: {len(PATTERNS)} patterns, {len(CELLS)} requests each made as {len(IDENTITIES)} "
              f"identities = {len(CELLS) * len(IDENTITIES)} cells")


SHORT = {ALLOWED: "ok", LOGIN: "login", 403: "403", 404: "404"}


def test_matrix_is_readable(world, capsys):
    """The table evaluated for the world: who gets what, one line a pattern, method and object.
    Every cell has an outcome; `CALLSHEET_PRINT_MATRIX=1` prints it."""
    lines = [" | ".join(["pattern", "method", "object", *IDENTITIES])]
    for param in CELLS:
        pattern, method, foreign, fmt = param.values
        row = row_for(pattern.name)
        target = TARGETS.get(pattern.name)
        obj = target_object(world, target, foreign) if target else None
        outcomes = [
            row.expect(method)(world.user(identity), obj) if world.user(identity) is not None
            else row.anonymous if row.anonymous is not None else (ANONYMOUS_API if pattern.is_api else LOGIN)
            for identity in IDENTITIES
        ]
        assert all(outcome is not None for outcome in outcomes), pattern.name
        side = ("other's" if foreign else "own") if target else ""
        lines.append(" | ".join([pattern.name, method, side, *(str(SHORT.get(o, o)) for o in outcomes)]))
    assert len(lines) == len(CELLS) + 1
    if os.environ.get("CALLSHEET_PRINT_MATRIX"):
        with capsys.disabled():
            print("\n" + "\n".join(lines))
