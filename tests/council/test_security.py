"""Security: every route as every role, objects of other rounds, CSRF on every POST, headers, cookies.

The route lists come from the app's URL map, so a new route fails these tests until it is placed in
the matrix: nobody can add a page without saying who may open it.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from council.extensions import db
from council.models import (
    Assignment,
    AwardTier,
    CouncilMember,
    DeliberationKind,
    Dossier,
    DossierKind,
    Field,
    GlobalRole,
    LibraryEntry,
    ReportPlan,
)
from council.models.base import utcnow
from council.security import CONTENT_SECURITY_POLICY
from council.services import attachments, decisions, deliberation
from tests.conftest import PASSWORD

ROLES = ("chair", "vice", "secretary", "member", "m3", "outsider", "admin", "auditor")

# Text a hostile user could type into a dossier, a name or a reason.
SCRIPT = '<script>alert("xss")</script>'
IMAGE = '"><img src=x onerror=alert(1)>'
PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


@dataclass
class World:
    """A finalised round with every kind of object, and another round with its own."""

    ids: dict[str, int]  # placeholders of this round's objects
    other: dict[str, int]  # the same placeholders in the other round


@pytest.fixture
def world(app: Flask, deliberation_round) -> World:
    pr = deliberation_round
    round_, chair, secretary = pr.round, pr.users["chair"], pr.users["secretary"]
    root = os.path.join(app.instance_path, "attachments")
    pr.assigned.title = f"Mô hình {SCRIPT}"  # every page below shows hostile text, escaped
    pr.assigned.lead_author = f"Nguyễn Văn {IMAGE}"
    pr.assigned.unit.name = f"Hội {SCRIPT}"
    pr.users["m1"].full_name = f"Trần {IMAGE}"
    attachment = attachments.store_attachment(
        pr.assigned, "Báo cáo.pdf", PDF, user=secretary, root=root, max_bytes=10**6
    )
    db.session.add(AwardTier(round_id=round_.id, position=1, name="Công nhận sáng kiến", min_score=0.0))
    db.session.commit()
    entry = deliberation.record_entry(
        round_,
        deliberation.EntryInput(pr.assigned.id, DeliberationKind.VOTE, None, 5, 0, 0, f"Biểu quyết {SCRIPT}"),
        user=chair,
    )
    snapshot = deliberation.finalise(round_, user=chair)
    decision = decisions.issue(round_, user=secretary)
    member_sheet = next(a for a in pr.assigned.assignments if a.member.user.username == "member")
    council_member = next(m for m in round_.members if m.user.username == "m1")

    plan = ReportPlan(
        unit_id=round_.issuing_unit_id, title="Kế hoạch số 12/KH-MTTQ", year=2025,
        half_year_from=date(2025, 1, 1), half_year_to=date(2025, 6, 30), half_year_due=date(2025, 6, 5),
        year_from=date(2025, 1, 1), year_to=date(2025, 12, 31), year_due=date(2025, 11, 20),
    )  # fmt: skip
    db.session.add(plan)
    other_round = pr.other_round
    outsider_seat = db.session.scalar(select(CouncilMember).where(CouncilMember.round_id == other_round.id))
    other_dossier = Dossier(
        round=other_round, code="HS-2025-0101", kind=DossierKind.MODEL, field=Field.BUSINESS,
        title="Mô hình của đợt khác", lead_author="Lê Văn Khác", unit=pr.assigned.unit,
    )  # fmt: skip
    other_sheet = Assignment(dossier=other_dossier, member=outsider_seat, published_at=utcnow())
    db.session.add_all([other_dossier, other_sheet])
    db.session.commit()
    other_attachment = attachments.store_attachment(
        other_dossier, "Khác.pdf", PDF + b"%", user=secretary, root=root, max_bytes=10**6
    )
    return World(
        ids={
            "round_id": round_.id,
            "dossier_id": pr.assigned.id,
            "assignment_id": member_sheet.id,
            "attachment_id": attachment.id,
            "member_id": council_member.id,
            "entry_id": entry.id,
            "snapshot_id": snapshot.id,
            "decision_id": decision.id,
            "pair_id": member_sheet.id,
            "unit_id": round_.issuing_unit_id,  # the unit whose reports the round's staff write
            "plan_id": plan.id,
            "user_id": pr.users["m1"].id,
            "item_id": db.session.scalar(
                select(LibraryEntry.id).where(LibraryEntry.dossier_id == pr.assigned.id)
            ),
        },
        other={
            "round_id": other_round.id,
            "dossier_id": other_dossier.id,
            "assignment_id": other_sheet.id,
            "attachment_id": other_attachment.id,
            "member_id": outsider_seat.id,
            "pair_id": other_sheet.id,
        },
    )


# --- Every route as every role --------------------------------------------------------------------
#
# The world: a finalised round with an issued decision. "member" is assigned the dossier in the
# URLs, "m3" sits on the council but is not assigned it, "outsider" chairs another round, "admin"
# and "auditor" hold global roles and no seat. Anonymous visitors: test_routes.py.

# fmt: off
GET_MATRIX = {  # chair vice secretary member m3 outsider admin auditor
    "/":                                              "200 200 200 200 200 200 200 200",
    "/account/password":                              "200 200 200 200 200 200 200 200",
    "/admin/units":                                   "403 403 403 403 403 403 200 403",
    "/admin/units/<int:unit_id>/edit":                "403 403 403 403 403 403 200 403",
    "/admin/units/new":                               "403 403 403 403 403 403 200 403",
    "/admin/users":                                   "403 403 403 403 403 403 200 403",
    "/admin/users/<int:user_id>/edit":                "403 403 403 403 403 403 200 403",
    "/admin/users/new":                               "403 403 403 403 403 403 200 403",
    "/library/":                                      "200 200 200 200 200 200 200 200",
    "/library/<int:item_id>":                         "200 200 200 200 200 200 200 200",
    "/library/public/":                               "200 200 200 200 200 200 200 200",
    "/library/public/<int:item_id>":                  "404 404 404 404 404 404 404 404",  # not published
    "/login":                                         "302 302 302 302 302 302 302 302",
    "/reports/":                                      "200 200 200 200 200 200 200 200",
    "/reports/units/<int:unit_id>/":                  "200 403 200 403 403 200 200 200",
    "/reports/units/<int:unit_id>/chart.svg":         "200 403 200 403 403 200 200 200",
    "/reports/units/<int:unit_id>/report.xlsx":       "200 403 200 403 403 200 200 200",
    "/reports/units/<int:unit_id>/plans":             "200 403 200 403 403 200 200 200",
    "/reports/units/<int:unit_id>/plans/new":         "200 403 200 403 403 200 200 403",
    "/reports/units/<int:unit_id>/plans/<int:plan_id>/edit": "200 403 200 403 403 200 200 403",
    "/review/":                                       "200 200 200 200 200 200 200 200",
    "/review/rounds/<int:round_id>/sheets/<int:assignment_id>":        "403 403 403 200 403 403 403 403",
    "/review/rounds/<int:round_id>/sheets/<int:assignment_id>/recuse": "403 403 403 200 403 403 403 403",
    "/review/rounds/<int:round_id>/sheets/<int:assignment_id>/reopen": "200 403 403 403 403 403 403 403",
    "/rounds/":                                       "200 200 200 200 200 200 200 200",
    "/rounds/<int:round_id>/":                        "200 200 200 200 200 403 200 200",
    "/rounds/<int:round_id>/assignment/":             "200 200 200 403 403 403 200 200",
    "/rounds/<int:round_id>/attachments/<int:attachment_id>": "200 200 200 200 403 403 200 200",
    "/rounds/<int:round_id>/conflicts":               "200 200 200 403 403 403 200 200",
    "/rounds/<int:round_id>/council":                 "200 200 200 403 403 403 200 200",
    "/rounds/<int:round_id>/council/<int:member_id>/edit": "200 403 200 403 403 403 200 403",
    "/rounds/<int:round_id>/council/import":          "200 403 200 403 403 403 200 403",
    "/rounds/<int:round_id>/council/import/template.xlsx": "200 403 200 403 403 403 200 403",
    "/rounds/<int:round_id>/decision/":               "200 200 200 403 403 403 403 200",
    "/rounds/<int:round_id>/decision/<int:decision_id>/<fmt>": "200 200 200 403 403 403 403 200",
    "/rounds/<int:round_id>/dossiers/":               "200 200 200 403 403 403 200 200",
    "/rounds/<int:round_id>/dossiers/<int:dossier_id>": "200 200 200 200 403 403 200 200",
    "/rounds/<int:round_id>/dossiers/<int:dossier_id>/edit": "200 403 200 403 403 403 200 403",
    "/rounds/<int:round_id>/dossiers/export.csv":     "200 403 200 403 403 403 200 403",
    "/rounds/<int:round_id>/dossiers/export.xlsx":    "200 403 200 403 403 403 200 403",
    "/rounds/<int:round_id>/dossiers/import":         "200 403 200 403 403 403 200 403",
    "/rounds/<int:round_id>/dossiers/import/template.xlsx": "200 403 200 403 403 403 200 403",
    "/rounds/<int:round_id>/dossiers/new":            "200 403 200 403 403 403 200 403",
    "/rounds/<int:round_id>/edit":                    "200 403 200 403 403 403 200 403",
    "/rounds/<int:round_id>/history/":                "200 403 200 403 403 403 403 200",
    "/rounds/<int:round_id>/history/export.csv":      "200 403 200 403 403 403 403 200",
    "/rounds/<int:round_id>/history/export.xlsx":     "200 403 200 403 403 403 403 200",
    "/rounds/<int:round_id>/nomination/":             "200 200 200 403 403 403 403 200",
    "/rounds/<int:round_id>/nomination/import":       "200 403 200 403 403 403 200 403",
    "/rounds/<int:round_id>/ranking/":                "200 200 200 403 403 403 403 200",
    "/rounds/<int:round_id>/ranking/charts/<name>.svg": "200 200 200 403 403 403 403 200",
    "/rounds/<int:round_id>/ranking/members":         "200 200 200 403 403 403 403 200",
    "/rounds/<int:round_id>/ranking/scores.csv":      "200 200 200 403 403 403 403 200",
    "/rounds/<int:round_id>/ranking/snapshots/<int:snapshot_id>": "200 200 200 403 403 403 403 200",
    "/rounds/<int:round_id>/ranking/snapshots/<int:snapshot_id>.json": "200 200 200 403 403 403 403 200",
    "/rounds/<int:round_id>/ranking/tiers":           "200 403 200 403 403 403 403 403",
    "/rounds/<int:round_id>/rubric":                  "200 403 200 403 403 403 200 403",
    "/rounds/new":                                    "403 403 403 403 403 403 200 403",
    "/verify/":                                       "200 200 200 200 200 200 200 200",
    "/verify/<code>":                                 "404 404 404 404 404 404 404 404",
}
# "+": past the permission check (the request is handled: 200, 302, 400 or 409); a number: refused.
# The decision is issued, so nobody edits it; the round is finalised, so nobody saves a sheet.
POST_MATRIX = {  # chair vice secretary member m3 outsider admin auditor
    "/account/password":                              "+ + + + + + + +",
    "/admin/units/<int:unit_id>/edit":                "403 403 403 403 403 403 + 403",
    "/admin/units/new":                               "403 403 403 403 403 403 + 403",
    "/admin/users/<int:user_id>/edit":                "403 403 403 403 403 403 + 403",
    "/admin/users/new":                               "403 403 403 403 403 403 + 403",
    "/language":                                      "+ + + + + + + +",
    "/library/<int:item_id>/replications":            "+ + + + + + 403 403",  # needs a unit
    "/login":                                         "+ + + + + + + +",
    "/logout":                                        "+ + + + + + + +",
    "/reports/units/<int:unit_id>/report.docx":       "+ 403 + 403 403 + + 403",
    "/reports/units/<int:unit_id>/plans/new":         "+ 403 + 403 403 + + 403",
    "/reports/units/<int:unit_id>/plans/<int:plan_id>/edit":   "+ 403 + 403 403 + + 403",
    "/reports/units/<int:unit_id>/plans/<int:plan_id>/delete": "+ 403 + 403 403 + + 403",
    "/review/rounds/<int:round_id>/sheets/<int:assignment_id>":          "403 403 403 403 403 403 403 403",
    "/review/rounds/<int:round_id>/sheets/<int:assignment_id>/autosave": "403 403 403 + 403 403 403 403",
    "/review/rounds/<int:round_id>/sheets/<int:assignment_id>/recuse":   "403 403 403 + 403 403 403 403",
    "/review/rounds/<int:round_id>/sheets/<int:assignment_id>/reopen":   "+ 403 403 403 403 403 403 403",
    "/rounds/<int:round_id>/advance":                 "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/assignment/pairs":        "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/assignment/pairs/<int:pair_id>/lock":   "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/assignment/pairs/<int:pair_id>/remove": "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/assignment/publish":      "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/assignment/run":          "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/attachments/<int:attachment_id>/delete": "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/conflicts":               "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/council":                 "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/council/<int:member_id>/edit":   "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/council/<int:member_id>/remove": "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/council/import":          "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/council/import/confirm":  "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/decision/":               "403 403 403 403 403 403 403 403",
    "/rounds/<int:round_id>/decision/issue":          "+ 403 + 403 403 403 403 403",
    "/rounds/<int:round_id>/dossiers/<int:dossier_id>/attachments": "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/dossiers/<int:dossier_id>/edit":        "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/dossiers/<int:dossier_id>/status":      "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/dossiers/import":         "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/dossiers/import/confirm": "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/dossiers/new":            "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/edit":                    "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/nomination/export":       "+ 403 + 403 403 403 403 403",
    "/rounds/<int:round_id>/nomination/import":       "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/nomination/import/confirm": "+ 403 + 403 403 403 + 403",
    "/rounds/<int:round_id>/ranking/entries":         "+ 403 403 403 403 403 403 403",
    "/rounds/<int:round_id>/ranking/entries/<int:entry_id>/withdraw": "+ 403 403 403 403 403 403 403",
    "/rounds/<int:round_id>/ranking/finalise":        "+ 403 403 403 403 403 403 403",
    "/rounds/<int:round_id>/ranking/method":          "+ 403 + 403 403 403 403 403",
    "/rounds/<int:round_id>/ranking/tiers":           "+ 403 + 403 403 403 403 403",
    "/rounds/<int:round_id>/reopen":                  "+ 403 403 403 403 403 403 403",
    "/rounds/<int:round_id>/rubric":                  "+ 403 + 403 403 403 + 403",
    "/rounds/new":                                    "403 403 403 403 403 403 + 403",
}
# fmt: on
PLACEHOLDER = re.compile(r"<(?:int:)?(\w+)>")


def _rules(app: Flask, method: str) -> set[str]:
    return {r.rule for r in app.url_map.iter_rules() if method in r.methods and r.endpoint != "static"}


def _url(rule: str, ids: dict[str, int], **extra: object) -> str:
    values = {**ids, "fmt": "pdf", "name": "ranking", "code": "KHONGCO", **extra}
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), rule)


def _state(app: Flask) -> str:
    """A digest of every row of every table: equal digests, nothing written."""
    digest = hashlib.sha256()
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            for row in conn.execute(sa.select(table).order_by(*order)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _call(client: FlaskClient, method: str, url: str) -> int:
    response = client.open(url, method=method)
    response.close()  # downloads stream from files
    return response.status_code


def test_every_route_is_in_the_matrix(app):
    assert _rules(app, "GET") == set(GET_MATRIX), "a GET route is missing from GET_MATRIX (or gone)"
    assert _rules(app, "POST") == set(POST_MATRIX), "a POST route is missing from POST_MATRIX (or gone)"


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_which_page(world, login, role):
    client = login(role)
    column = ROLES.index(role)
    wrong = []
    for rule, row in GET_MATRIX.items():
        expected = int(row.split()[column])
        got = _call(client, "GET", _url(rule, world.ids))
        if got != expected:
            wrong.append(f"{rule}: {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_post_where_and_refusals_write_nothing(app, world, login, role):
    client = login(role)
    column = ROLES.index(role)
    wrong = []
    refused = [(rule, row.split()[column]) for rule, row in POST_MATRIX.items() if row.split()[column] != "+"]
    allowed = [rule for rule, row in POST_MATRIX.items() if row.split()[column] == "+"]
    before = _state(app)
    for rule, expected in refused:
        got = _call(client, "POST", _url(rule, world.ids))
        if got != int(expected):
            wrong.append(f"POST {rule}: {got}, expected {expected}")
    assert _state(app) == before, "a refused request changed the database"
    for rule in allowed:  # last: these may change the round
        if rule in {"/logout", "/login"}:
            continue  # they would end the session that the rest of the loop needs
        got = _call(client, "POST", _url(rule, world.ids))
        if got in (401, 403, 404) or got >= 500:
            wrong.append(f"POST {rule}: {got}, expected to be handled")
    assert not wrong, "\n".join(wrong)


# --- Objects of another round ---------------------------------------------------------------------

OBJECTS = ("dossier_id", "assignment_id", "attachment_id", "member_id", "pair_id", "entry_id", "snapshot_id",
           "decision_id")  # fmt: skip


def _object_rules(app: Flask, method: str, available: dict[str, int]) -> list[str]:
    """Rules naming an object of a round, for which ``available`` holds an id."""
    found = []
    for rule in sorted(_rules(app, method)):
        names = set(PLACEHOLDER.findall(rule))
        if "round_id" in names and names & set(OBJECTS) and names & set(OBJECTS) <= set(available):
            found.append(rule)
    return found


@pytest.mark.parametrize("role", ["chair", "secretary", "admin", "auditor", "member"])
def test_another_rounds_objects_are_not_found_through_this_round(app, world, login, role):
    """This round's URL with the other round's dossier, sheet, attachment, seat: 404, nothing written."""
    client = login(role)
    foreign = {k: v for k, v in world.other.items() if k != "round_id"}
    before = _state(app)
    wrong = []
    for method in ("GET", "POST"):
        for rule in _object_rules(app, method, foreign):
            url = _url(rule, {**world.ids, **foreign})
            got = _call(client, method, url)
            if got not in (403, 404):
                wrong.append(f"{method} {url}: {got}")
    assert not wrong, "\n".join(wrong)
    assert _state(app) == before


def test_a_chair_of_another_round_reaches_nothing_of_this_one_through_their_own(app, world, login):
    """The outsider chairs the other round: their round's URLs with this round's object ids are 404."""
    client = login("outsider")
    mine = {k: v for k, v in world.ids.items() if k in OBJECTS}
    before = _state(app)
    wrong = []
    for method in ("GET", "POST"):
        for rule in _object_rules(app, method, mine):
            url = _url(rule, {**mine, "round_id": world.other["round_id"]})
            got = _call(client, method, url)
            if got not in (403, 404):
                wrong.append(f"{method} {url}: {got}")
    assert not wrong, "\n".join(wrong)
    assert _state(app) == before


# --- CSRF on every POST ---------------------------------------------------------------------------

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _sign_in_with_token(app: Flask, username: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    token = TOKEN.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    token = TOKEN.search(client.get("/account/password").get_data(as_text=True)).group(1)
    return client, token


def test_every_post_without_a_valid_token_is_refused_and_writes_nothing(app, world):
    app.config["WTF_CSRF_ENABLED"] = True
    chair, chair_token = _sign_in_with_token(app, "chair")
    _, other_token = _sign_in_with_token(app, "secretary")
    before = _state(app)
    wrong = []
    for rule in sorted(POST_MATRIX):
        url = _url(rule, world.ids)
        for data in ({}, {"csrf_token": "gia-mao"}, {"csrf_token": other_token}):
            response = chair.post(url, data=data)
            if response.status_code != 400 or "Phiên làm việc đã hết hạn" not in response.get_data(
                as_text=True
            ):
                wrong.append(f"POST {rule} with {data or 'no token'}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert _state(app) == before
    # The chair's own token passes the check (and the request is then handled on its merits).
    assert chair.post("/language", data={"language": "en", "csrf_token": chair_token}).status_code == 302


# --- What the pages send: escaped text, a policy they pass, headers ------------------------------


class InlineCode(HTMLParser):
    """Collects what a strict policy blocks: inline scripts, style blocks and attributes, handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if (tag == "script" and "src" not in names) or tag == "style":
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if (
                name == "style"
                or name.startswith("on")
                or (value or "").strip().lower().startswith("javascript:")
            ):
                self.found.append(f"<{tag} {name}>")


def _inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def _pages(app: Flask, client: FlaskClient, ids: dict[str, int]) -> Iterator[tuple[str, object]]:
    """Every GET page of the matrix that this client may open, with its response."""
    for rule in sorted(GET_MATRIX):
        response = client.get(_url(rule, ids))
        if response.status_code == 200:
            yield rule, response
        response.close()


@pytest.mark.parametrize("role", ["chair", "secretary", "auditor", "admin", "member"])
def test_hostile_text_is_escaped_on_every_page(app, world, login, role):
    shown = []
    for rule, response in _pages(app, login(role), world.ids):
        if response.mimetype not in ("text/html", "image/svg+xml"):
            continue
        body = response.get_data(as_text=True)
        assert SCRIPT not in body and "<img src=x" not in body, rule
        shown += [rule] if "&lt;script&gt;" in body or "&#34;&gt;&lt;img" in body else []
    assert "/rounds/<int:round_id>/dossiers/<int:dossier_id>" in shown  # the hostile text is there


@pytest.mark.parametrize("role", ["chair", "admin", "member"])
def test_every_page_carries_the_policy_and_passes_it(app, world, login, role):
    """No inline script, style or event handler, which the Content-Security-Policy would block."""
    assert _inline_code('<p style="x"><a href="javascript:x" onclick="y">') == [
        "<p style>",
        "<a href>",
        "<a onclick>",
    ]
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY
    for rule, response in _pages(app, login(role), world.ids):
        headers = response.headers
        assert headers.get("Content-Security-Policy"), rule
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
        assert "private" in headers["Cache-Control"] or "no-store" in headers["Cache-Control"], rule
        if response.mimetype == "text/html":
            assert _inline_code(response.get_data(as_text=True)) == [], rule


def test_error_pages_carry_the_policy_too(app, world, login):
    response = login("member").get(f"/rounds/{world.ids['round_id']}/ranking/")
    assert response.status_code == 403
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: no HSTS promise


# --- Sessions, proxies, passwords, logs ----------------------------------------------------------


def _session_cookie(response) -> str:
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


@pytest.mark.parametrize("secure", [False, True])
def test_the_session_cookie_is_http_only_same_site_and_secure_when_asked(make_app, make_user, secure):
    app = make_app(SESSION_COOKIE_SECURE=secure)
    with app.app_context():
        db.create_all()
        make_user("thanhvien")
        response = app.test_client().post("/login", data={"username": "thanhvien", "password": PASSWORD})
        db.session.remove()
    cookie = _session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("Secure" in cookie) is secure


def _failed_sign_ins(app: Flask, forwarded_for: str, times: int) -> list[int]:
    client = app.test_client()
    headers = {"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https"}
    return [
        client.post("/login", data={"username": "thanhvien", "password": "sai"}, headers=headers).status_code
        for _ in range(times)
    ]


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_trusted_proxy_the_throttle_keys_on_the_clients_address(make_app, make_user, proxies):
    """With one trusted proxy, two people behind it are throttled apart; without, a forged header is
    ignored (everyone is the proxy's address) and HTTPS is not assumed."""
    app = make_app(TRUSTED_PROXIES=proxies, LOGIN_LIMIT_PER_ACCOUNT="2 per 15 minutes")
    with app.app_context():
        db.create_all()
        make_user("thanhvien")
        first = _failed_sign_ins(app, "203.0.113.7", 3)
        second = _failed_sign_ins(app, "198.51.100.9", 1)
        page = app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
        db.session.remove()
    assert first == [200, 200, 429]
    assert second == ([200] if proxies else [429])
    assert ("Strict-Transport-Security" in page.headers) is bool(proxies)


def test_passwords_are_stored_with_scrypt_by_default(make_app):
    app = make_app(PASSWORD_HASH_METHOD="scrypt")  # the default, which the suite swaps for a cheap one
    from council.config import DEFAULTS
    from council.services.accounts import create_user

    assert DEFAULTS["PASSWORD_HASH_METHOD"] == "scrypt"
    with app.app_context():
        db.create_all()
        user = create_user("thanhvien", "Thành Viên", "mot-mat-khau-dai")
        db.session.remove()
    assert user.password_hash.startswith("scrypt:") and "mot-mat-khau-dai" not in user.password_hash


def test_logs_hold_no_password_name_or_secret(app, make_user, client, caplog):
    """Accounts are named by id in the logs; what is typed into the login form never appears."""
    caplog.set_level("DEBUG")
    make_user("thanhvien", roles=set())
    admin = make_user("quantri", roles={GlobalRole.ADMIN})
    client.post("/login", data={"username": "MatKhauGoNham#2025", "password": "bi-mat-1"})
    client.post("/login", data={"username": "thanhvien", "password": "bi-mat-2"})
    client.post("/login", data={"username": "quantri", "password": PASSWORD})
    new_user = {"username": "nguoimoi", "full_name": "Phạm Thị Riêng Tư", "unit_id": "0", "active": "y"}
    created = client.post("/admin/users/new", data={**new_user, "password": "bi-mat-3-dai-hon"})
    assert created.status_code == 302
    changed = {"current": PASSWORD, "new": "bi-mat-4-dai-hon", "confirm": "bi-mat-4-dai-hon"}
    assert client.post("/account/password", data=changed).status_code == 302
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "failed login" in logged and f"user {admin.id} logged in" in logged  # the log is not empty
    for secret in ("MatKhauGoNham", "bi-mat-", PASSWORD, "Riêng Tư", "Người dùng", app.config["SECRET_KEY"]):
        assert secret not in logged


def test_the_throttle_storage_comes_from_the_configuration(make_app):
    """Several gunicorn workers share counts only if RATELIMIT_STORAGE_URI reaches the limiter."""
    from council.extensions import limiter

    make_app(RATELIMIT_STORAGE_URI="memory://")
    assert type(limiter.storage).__name__ == "MemoryStorage"
    with pytest.raises(Exception, match=r"(?i)redis"):  # no redis client installed: proof it was read
        make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379")
