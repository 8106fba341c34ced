"""Fuzzing every form (issue #9, part 6): random and hostile input must never break the app.

Each test drives one form (or JSON endpoint, or list page) through the test client with text that
mixes Vietnamese in NFC and NFD, combining marks, right-to-left and zero-width characters, NUL and
other control characters, the highest code points, very long text, numbers written oddly ("7,5",
"1e309", "NaN", "-0", "١٢"), HTML and script injection, and spreadsheet formulas. The properties:

* no 5xx answer (in TESTING mode an exception propagates into the test and fails it too);
* a refused request changes nothing: every row of every table is read before and after and compared;
* an accepted request stores what was submitted, modulo the normalisation the service documents
  (strip, NFC, single spaces);
* injected markup is shown escaped on the page that displays it afterwards.

The strategies and helpers here are shared with ``test_fuzz_imports.py``. Examples are derandomised
(the same inputs on every run) and few per test, so that both modules together stay near a minute.
"""

from __future__ import annotations

import io
import json
import math
import re
import unicodedata
import weakref
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import delete, func, select

from council.extensions import db
from council.models import (
    Assignment,
    AssignmentRun,
    AwardTier,
    ConflictDeclaration,
    CouncilMember,
    Criterion,
    Decision,
    DeliberationEntry,
    DeliberationKind,
    Dossier,
    Round,
    RoundStatus,
    RoundStatusChange,
    ScoreEvent,
    ScoreEventKind,
    ScoreSheet,
    SheetStatus,
    Unit,
    User,
)
from council.models.enums import AssignmentStatus
from council.services import decisions, deliberation
from council.services.dossiers import DOSSIER_FIELDS, UNSTORABLE
from council.services.imports.sheets import FORMULA_START
from tests.conftest import PASSWORD

# --- hostile input --------------------------------------------------------------------------------

MARKUP = (
    "<script>alert('fuzz')</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><svg/onload=alert(2)>",
    '<a href="javascript:alert(3)">x</a>',
)
FORMULAS = (
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(A1)",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",
)
UNICODE = (
    "Nguyễn Thị Ánh",
    unicodedata.normalize("NFD", "Nguyễn Thị Ánh Hồng"),  # decomposed Vietnamese
    "Nguye\u0302\u0303n",  # e + circumflex + tilde, not composed
    "\u0301\u0323",  # combining marks with nothing to combine with
    "\u202eexe.fdp",  # right-to-left override
    "مرحبا بالعالم",  # Arabic (right to left)
    "a\u200bb\u200c\u200d\u2060\ufeff",  # zero-width characters
    "\u0958\u0958\u0958",  # grows under NFC (composition exclusion)
    "\U0010ffff\U000e0001\U0001f600",  # the highest code point, a tag, an emoji
    "İß\u01c5ﬃ",  # case mapping that changes the length
    "\u2028\u2029\u0085",  # Unicode line and paragraph separators, NEL
)
CONTROL = ("a\x00b", "\x00", "\x01\x02\x1b\x1f", "\x7f", "line\r\nbreak", "\x0b\x0c", "tab\there")
NUMBERS = (
    "7,5",
    "7.5",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "-Infinity",
    "-0",
    "0",
    "١٢",
    "٣,٥",
    "１２",
    "²",
    "1_0",
    "0x10",
    " 7 ",
    "7.25",
    "1e-400",
    "9" * 30,
    "-1",
    "20",
    "",
)
FIXED = MARKUP + FORMULAS + UNICODE + CONTROL + NUMBERS

SAFE_CHARACTERS = st.characters(codec="utf-8")  # every code point except surrogates


def long_texts(min_size: int = 10_000, max_size: int = 100_000) -> st.SearchStrategy[str]:
    """10k–100k characters: a hostile piece repeated (cheap to generate, hard to store and show)."""
    pieces = st.sampled_from(["ạ", "Nguyễn ", "<b>", "=", "\u0301", "\x00", "ﷺ", "a\u200b"])
    return st.builds(lambda piece, n: (piece * n)[:n], pieces, st.integers(min_size, max_size))


def hostile_texts(max_size: int = 60, *, long: bool = True) -> st.SearchStrategy[str]:
    """Fixed hostile strings, random Unicode, both glued together, and (``long``) very long text."""
    parts = [
        st.sampled_from(FIXED),
        st.text(SAFE_CHARACTERS, max_size=max_size),
        st.text(SAFE_CHARACTERS, min_size=1, max_size=max_size),
        st.builds(lambda a, b: a + b, st.sampled_from(FIXED), st.text(SAFE_CHARACTERS, max_size=12)),
    ]
    if long:
        parts.append(long_texts())
    return st.one_of(*parts)


def mostly(valid: Any, strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``valid`` two times in three, else ``strategy``: enough otherwise valid input that fuzzing one
    field reaches the save path, not only the first validation error."""
    return st.one_of(st.just(valid), st.just(valid), strategy)


def reasons() -> st.SearchStrategy[str]:
    """Hostile reasons, half of them long enough (10 characters) to pass the length check."""
    return st.one_of(hostile_texts(), hostile_texts(max_size=30).map(lambda text: "Lý do đủ dài: " + text))


def number_texts() -> st.SearchStrategy[str]:
    """Numbers as people (and attackers) type them."""
    return st.one_of(
        st.sampled_from(NUMBERS),
        st.integers(-(10**25), 10**25).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.text(SAFE_CHARACTERS, max_size=8),
    )


def fuzz(examples: int) -> settings:
    """Few, deterministic examples; fixtures are per test, so the database carries over between them."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


def examples(name: str, values: tuple[Any, ...]) -> Callable[[Any], Any]:
    """Hypothesis ``@example`` for each value of one argument: known attacks are always tried."""
    return cases({}, *({name: value} for value in values))


def cases(defaults: dict[str, Any], *overrides: dict[str, Any]) -> Callable[[Any], Any]:
    """An explicit ``@example`` per override (on top of ``defaults``): tried on every run, first."""

    def apply(test: Any) -> Any:
        for override in reversed(overrides):
            test = example(**{**defaults, **override})(test)
        return test

    return apply


# --- the database, whole ---------------------------------------------------------------------------

Rows = dict[str, list[tuple[Any, ...]]]


def database_rows() -> Rows:
    """Every row of every table, ordered by primary key: the database's whole content.

    The session is rolled back first, as the end of every request does in production (there the
    session is removed): what counts is what was committed.
    """
    db.session.rollback()
    return {
        table.name: [
            tuple(row) for row in db.session.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in db.metadata.sorted_tables
    }


def assert_unchanged(before: Rows, what: str) -> None:
    """Nothing was written: every table has the same rows with the same values."""
    after = database_rows()
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"{what}: refused, yet tables changed: {changed}"


def count(model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


# --- requests --------------------------------------------------------------------------------------

_signed_in: weakref.WeakKeyDictionary[Any, tuple[str, FlaskClient]] = weakref.WeakKeyDictionary()


def signed_in(login: Callable[[str], FlaskClient], username: str) -> FlaskClient:
    """The test client signed in as ``username``, signing in only when the last example was someone else."""
    known = _signed_in.get(login)
    if known is None or known[0] != username:
        known = (username, login(username))
        _signed_in[login] = known
    return known[1]


def checked(response: Any, what: str) -> Any:
    """The response, after checking it is not a server error."""
    assert response.status_code < 500, f"{what}: answered {response.status_code}"
    return response


def refused(response: Any) -> bool:
    """A form that saved redirects (302); anything else (200 with errors, 4xx) saved nothing.

    The outcome is counted (``pytest --hypothesis-show-statistics``): fuzzing that never gets
    past validation would test little.
    """
    outcome = response.status_code != 302
    event(f"refused ({response.status_code})" if outcome else "accepted")
    return outcome


def page_text(response: Any) -> str:
    return response.get_data(as_text=True)


def assert_escaped(page: str, text: str, *, shown: bool = True) -> None:
    """Injected markup (text holding one of :data:`MARKUP`) is never in the page as markup;
    ``shown``: it is there, escaped. (Other text with a ``<`` may match the page's own tags.)"""
    if not any(payload in text for payload in MARKUP):
        return
    assert text not in page, f"unescaped markup in the page: {text!r}"
    if shown:
        assert str(escape(text)) in page, f"the text is not on the page: {text!r}"


def unstorable(*texts: str) -> bool:
    """Whether any text has a character the app refuses (``UNSTORABLE``: NUL, other controls)."""
    return any(UNSTORABLE.search(text) for text in texts)


def stripped_nfc(text: str) -> str:
    """What the dossier and decision services store for a text: stripped, then NFC."""
    return unicodedata.normalize("NFC", text.strip())


def single_spaced(text: str) -> str:
    """NFC, single spaces, trimmed (``council.services.dossiers.normalise``)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def assert_xlsx_neutralised(data: bytes, *, quote_prefix: bool = False) -> None:
    """No cell of any sheet is a formula; text that looks like one is a plain string (and, with
    ``quote_prefix``, carries Excel's quote prefix as :func:`council.documents.xlsx.neutralise` sets it)."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    assert cell.data_type in {"s", "inlineStr"}, cell.coordinate
                    assert cell.quotePrefix or not quote_prefix, f"{cell.coordinate} lacks the quote prefix"


# --- sign-in ---------------------------------------------------------------------------------------


@pytest.fixture
def open_app(make_app: Callable[..., Flask], make_user: Callable[..., User]) -> Iterator[Flask]:
    """An app without the sign-in limit (so that fuzzing reaches the form, not the 429)."""
    app = make_app(RATELIMIT_ENABLED=False)
    with app.app_context():
        db.create_all()
        yield app


@fuzz(25)
@cases(
    {"username": "thanhvien", "password": "sai", "next_": ""},
    {"username": "thanh\x00vien"},
    {"password": "\x00"},
    {"username": MARKUP[0]},
    {"username": "ạ" * 100_000},
)
@given(username=hostile_texts(), password=hostile_texts(), next_=hostile_texts(long=False))
def test_login_form_refuses_anything_but_the_right_password(
    open_app: Flask, username: str, password: str, next_: str
) -> None:
    """Any username, password and ``next``: a 200 or 4xx with no account touched, never a 5xx."""
    from council.services.accounts import create_user

    if count(User) == 0:
        create_user("thanhvien", "Thành viên", PASSWORD)
    before = database_rows()
    client = open_app.test_client()
    response = checked(
        client.post("/login", data={"username": username, "password": password, "next": next_}), "login"
    )
    assert refused(response)
    assert_unchanged(before, "login")
    assert_escaped(page_text(response), username, shown=False)


def _is_on_site(location: str) -> bool:
    """A redirect that stays on this site: a path, never ``//host`` (nor what a browser reads so)."""
    cleaned = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    parts = urlsplit(cleaned)
    return not parts.scheme and not parts.netloc and cleaned.startswith("/") and not cleaned.startswith("//")


OPEN_REDIRECTS = (
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/%2F%2Fevil.example",
    "/\x00//evil.example",
    "///evil.example",
    " //evil.example",
)


@fuzz(30)
@examples("next_", OPEN_REDIRECTS)
@given(next_=st.one_of(hostile_texts(long=False), st.sampled_from(OPEN_REDIRECTS)))
def test_login_and_language_redirects_stay_on_the_site(open_app: Flask, next_: str) -> None:
    """After signing in (and after switching language) ``next`` never sends the user elsewhere."""
    from council.services.accounts import create_user

    if count(User) == 0:
        create_user("thanhvien", "Thành viên", PASSWORD)
    client = open_app.test_client()
    for url, data in (
        ("/login", {"username": "thanhvien", "password": PASSWORD, "next": next_}),
        ("/language", {"lang": "en", "next": next_}),
    ):
        response = checked(client.post(url, data=data), url)
        if unstorable(next_):  # refused as a whole, with a message naming the field
            assert response.status_code == 400 and "“next”" in page_text(response)
            continue
        assert response.status_code == 302 and _is_on_site(response.headers["Location"]), response.headers


@fuzz(20)
@given(current=hostile_texts(), new=hostile_texts(), confirm=hostile_texts(long=False))
def test_password_form_changes_only_with_the_right_password(
    populated_round: Any, login: Callable[[str], FlaskClient], current: str, new: str, confirm: str
) -> None:
    """A wrong current password, a short or unmatched new one: refused, and the hash is the same."""
    client = signed_in(login, "member")
    before = database_rows()
    response = checked(
        client.post("/account/password", data={"current": current, "new": new, "confirm": confirm}),
        "password",
    )
    assert refused(response)  # the current password is never PASSWORD here
    assert_unchanged(before, "password")


# --- administration --------------------------------------------------------------------------------

usernames = st.one_of(
    st.from_regex(r"[a-z0-9_.-]{1,20}", fullmatch=True), hostile_texts(max_size=20, long=False)
)
USERNAME = re.compile(r"^[a-z0-9_.-]+$")  # the rule of the account form and the members import
id_texts = st.one_of(st.sampled_from(["0", "1", "2", "-1", "999999", "²", "١", "1e3"]), number_texts())


@fuzz(30)
@cases(
    {"username": "nguoimoi", "full_name": "Người mới", "title": "", "password": "mat-khau-moi-1"}
    | {"unit_id": "0", "roles": []},
    {"full_name": MARKUP[0], "title": MARKUP[1]},
    {"full_name": "a\x00b"},
    {"title": "\x00"},
    {"username": "abc\n"},
    {"username": "ABC"},
    {"unit_id": "²"},
    {"unit_id": "9" * 30},
    {"full_name": "ạ" * 256},
)
@given(
    username=usernames,
    full_name=hostile_texts(),
    title=hostile_texts(),
    password=mostly("mat-khau-moi-1", hostile_texts(long=False)),
    unit_id=mostly("0", id_texts),
    roles=st.lists(st.sampled_from(["admin", "auditor", "chair", "", "<x>"]), max_size=3),
)
def test_admin_creates_accounts_only_from_valid_input(
    populated_round: Any,
    login: Callable[[str], FlaskClient],
    username: str,
    full_name: str,
    title: str,
    password: str,
    unit_id: str,
    roles: list[str],
) -> None:
    """A new account is saved as typed (username lower-case and stripped, name stripped), or not at all."""
    client = signed_in(login, "admin")
    before, users = database_rows(), count(User)
    data = {
        "username": username,
        "full_name": full_name,
        "title": title,
        "password": password,
        "unit_id": unit_id,
        "roles": roles,
        "active": "y",
    }
    response = checked(client.post("/admin/users/new", data=data), "create user")
    if refused(response):
        assert_unchanged(before, "create user")
        return
    assert count(User) == users + 1
    user = db.session.scalar(select(User).order_by(User.id.desc()).limit(1))
    assert (user.username, user.full_name, user.title) == (username.strip().lower(), full_name.strip(), title)
    assert user.check_password(password)
    page = page_text(client.get("/admin/users"))
    assert_escaped(page, user.full_name)
    assert_escaped(page, user.title)


@fuzz(25)
@cases(
    {"full_name": "Người dùng member", "title": "", "unit_id": "0", "password": ""},
    {"full_name": MARKUP[2]},
    {"full_name": "x\x00"},
    {"password": "mat\x00khau-moi"},
)
@given(
    full_name=hostile_texts(),
    title=hostile_texts(),
    unit_id=mostly("0", id_texts),
    password=mostly("", hostile_texts(long=False)),
)
def test_admin_edits_accounts_only_from_valid_input(
    populated_round: Any,
    login: Callable[[str], FlaskClient],
    full_name: str,
    title: str,
    unit_id: str,
    password: str,
) -> None:
    """Editing an account: saved as typed (name stripped), or nothing changes."""
    client = signed_in(login, "admin")
    member = populated_round.users["member"]
    before = database_rows()
    data = {"username": "member", "full_name": full_name, "title": title, "unit_id": unit_id}
    data |= {"password": password, "active": "y"}
    response = checked(client.post(f"/admin/users/{member.id}/edit", data=data), "edit user")
    if refused(response):
        assert_unchanged(before, "edit user")
        return
    user = db.session.get(User, member.id)
    assert (user.username, user.full_name, user.title) == ("member", full_name.strip(), title)
    if password:
        assert user.check_password(password)
    assert_escaped(page_text(client.get("/admin/users")), user.full_name)


@fuzz(30)
@cases(
    {"name": "Đơn vị mới", "kind": "agency", "level": "province", "parent_id": "0", "existing": False},
    {"name": MARKUP[0]},
    {"name": "a\x00b"},
    {"name": " Ủy ban MTTQ Việt Nam tỉnh Thử "},
    {"name": unicodedata.normalize("NFD", "Hội Nông dân tỉnh Thử")},
    {"name": "Đơn vị cha", "parent_id": "1", "existing": True},
)
@given(
    name=hostile_texts(),
    kind=mostly("agency", st.one_of(st.sampled_from(["commune", "other"]), hostile_texts(max_size=10))),
    level=mostly("province", st.one_of(st.sampled_from(["commune"]), hostile_texts(max_size=10))),
    parent_id=mostly("0", id_texts),
    existing=st.booleans(),
)
def test_unit_form_saves_the_name_stripped_or_nothing(
    populated_round: Any,
    login: Callable[[str], FlaskClient],
    name: str,
    kind: str,
    level: str,
    parent_id: str,
    existing: bool,
) -> None:
    """A unit (new or edited) is saved with its name stripped, or not at all; its page escapes it."""
    client = signed_in(login, "admin")
    unit = populated_round.assigned.unit
    url = f"/admin/units/{unit.id}/edit" if existing else "/admin/units/new"
    before, units = database_rows(), count(Unit)
    response = checked(
        client.post(url, data={"name": name, "kind": kind, "level": level, "parent_id": parent_id}), "unit"
    )
    if refused(response):
        assert_unchanged(before, "unit")
        return
    assert count(Unit) == units + (0 if existing else 1)
    saved = db.session.scalar(select(Unit).where(Unit.name == name.strip()))
    assert saved is not None and (saved.kind.value, saved.level.value) == (kind, level)
    assert_escaped(page_text(client.get("/admin/units")), saved.name)


# --- rounds ----------------------------------------------------------------------------------------

datetime_texts = st.one_of(
    st.sampled_from(["", "2026-05-20T17:00", "2026-02-30T10:00", "9999-12-31T23:59", "0001-01-01T00:00"]),
    st.sampled_from(["2026-05-20", "20/05/2026 17:00", "1e309", "NaN", "2026-05-20T25:61"]),
    hostile_texts(max_size=20, long=False),
)


def round_form(round_: Round, **changes: Any) -> dict[str, Any]:
    data = {
        "title": round_.title,
        "year": str(round_.year),
        "level": round_.level.value,
        "issuing_unit_id": str(round_.issuing_unit_id),
        "issuing_body": round_.issuing_body,
        "reviewers_per_dossier": str(round_.reviewers_per_dossier),
        "intake_deadline": "",
        "scoring_deadline": "",
    }
    return {**data, **changes}


@fuzz(30)
@cases(
    {"title": "Đợt xét", "year": "2025", "reviewers": "3", "issuing_body": "", "intake": "", "scoring": ""},
    {"title": MARKUP[0], "issuing_body": MARKUP[1]},
    {"title": "a\x00b"},
    {"year": "1e309"},
    {"year": "２０２５"},
    {"reviewers": "9" * 30},
    {"reviewers": "-0"},
    {"intake": "9999-12-31T23:59"},
    {"intake": "0001-01-01T00:00"},
    {"intake": "2026-05-20T17:00", "scoring": "2026-05-20T17:00"},
)
@given(
    title=hostile_texts(),
    year=mostly("2025", number_texts()),
    reviewers=mostly("3", number_texts()),
    issuing_body=hostile_texts(),
    intake=mostly("", datetime_texts),
    scoring=mostly("", datetime_texts),
)
def test_round_edit_form_saves_exactly_what_was_typed_or_nothing(
    populated_round: Any,
    login: Callable[[str], FlaskClient],
    title: str,
    year: str,
    reviewers: str,
    issuing_body: str,
    intake: str,
    scoring: str,
) -> None:
    """Round details: odd numbers and dates are refused with nothing saved; accepted ones are stored."""
    client = signed_in(login, "secretary")
    round_ = populated_round.round
    before = database_rows()
    data = round_form(
        round_,
        title=title,
        year=year,
        reviewers_per_dossier=reviewers,
        issuing_body=issuing_body,
        intake_deadline=intake,
        scoring_deadline=scoring,
    )
    response = checked(client.post(f"/rounds/{round_.id}/edit", data=data), "edit round")
    if refused(response):
        assert_unchanged(before, "edit round")
        return
    saved = db.session.get(Round, round_.id)
    assert saved.title == title and saved.issuing_body == issuing_body
    assert 2000 <= saved.year <= 2100 and saved.year == int(year)
    assert 1 <= saved.reviewers_per_dossier <= 15
    assert_escaped(page_text(client.get(f"/rounds/{round_.id}/")), saved.title)


@fuzz(20)
@cases(
    {"title": "Đợt mới", "year": "2026", "secretary": "3", "chair": "1", "unit": "1"},
    {"title": MARKUP[0]},
    {"title": "\x00"},
    {"secretary": "1", "chair": "1"},
)
@given(
    title=hostile_texts(),
    year=mostly("2026", number_texts()),
    secretary=mostly("3", id_texts),
    chair=mostly("1", id_texts),
    unit=mostly("1", id_texts),
)
def test_new_round_form_creates_one_round_or_none(
    populated_round: Any,
    login: Callable[[str], FlaskClient],
    title: str,
    year: str,
    secretary: str,
    chair: str,
    unit: str,
) -> None:
    """Opening a round: exactly one new round with the title as typed, or nothing at all."""
    client = signed_in(login, "admin")
    before, rounds = database_rows(), count(Round)
    data = round_form(populated_round.round, title=title, year=year, issuing_unit_id=unit)
    data |= {"secretary_id": secretary, "chair_id": chair}
    response = checked(client.post("/rounds/new", data=data), "new round")
    if refused(response):
        assert_unchanged(before, "new round")
        return
    assert count(Round) == rounds + 1
    created = db.session.scalar(select(Round).order_by(Round.id.desc()).limit(1))
    assert created.title == title and created.year == int(year) and len(created.criteria) == 5


@fuzz(25)
@cases(
    {"reason": "Cần bổ sung hồ sơ còn thiếu.", "target": "intake"},
    {"reason": MARKUP[0] + " đủ dài"},
    {"reason": "Lý do có \x00 ký tự NUL"},
    {"reason": "ạ" * 100_000},
)
@given(reason=reasons(), target=mostly("intake", st.one_of(st.just("draft"), hostile_texts(max_size=10))))
def test_round_reopen_reason_is_kept_as_typed_or_nothing_changes(
    populated_round: Any, login: Callable[[str], FlaskClient], reason: str, target: str
) -> None:
    """Taking a round back: a refused reason changes nothing; an accepted one is recorded stripped."""
    round_ = db.session.get(Round, populated_round.round.id)
    if round_.status is not RoundStatus.ASSIGNMENT:
        round_.status = RoundStatus.ASSIGNMENT  # back where each example starts
        db.session.commit()
    client = signed_in(login, "chair")
    before = database_rows()
    data = {"reason": reason, "target": target}
    response = checked(client.post(f"/rounds/{round_.id}/reopen", data=data), "reopen round")
    if refused(response):
        assert_unchanged(before, "reopen round")
        assert_escaped(page_text(response), reason, shown=False)
        return
    assert db.session.get(Round, round_.id).status.value == target
    change = db.session.scalar(select(RoundStatusChange).order_by(RoundStatusChange.id.desc()).limit(1))
    assert (change.to_status.value, change.reason) == (target, reason.strip())


# --- rubric ----------------------------------------------------------------------------------------


def rubric_rows(round_: Round) -> dict[str, str]:
    return {
        f"rows-{i}-{key}": str(value)
        for i, c in enumerate(round_.criteria)
        for key, value in {
            "criterion_id": c.id,
            "position": c.position,
            "name": c.name,
            "descriptor": c.descriptor,
            "max_points": c.max_points,
            "weight": c.weight,
        }.items()
    }


@fuzz(30)
@cases(
    {"row": 0, "name": "Tính mới", "descriptor": "", "max_points": "20", "weight": "1", "position": "1"}
    | {"criterion_id": None},
    {"max_points": "NaN"},
    {"max_points": "1e309"},
    {"max_points": "-0"},
    {"row": 1, "weight": "NaN"},
    {"row": 1, "weight": "inf"},
    {"row": 2, "position": "NaN"},
    {"row": 2, "position": "1e309"},
    {"row": 5, "name": MARKUP[0], "max_points": "7,5"},
    {"row": 5, "name": "a\x00b", "max_points": "10"},
    {"row": 3, "descriptor": "x\x00y"},
    {"row": 4, "name": "\u0958" * 255},
    {"row": 0, "criterion_id": "abc"},
    {"row": 1, "criterion_id": "²"},
    {"row": 2, "criterion_id": "9" * 30},
)
@given(
    row=st.integers(0, 5),
    name=hostile_texts(),
    descriptor=hostile_texts(),
    max_points=mostly("20", number_texts()),
    weight=mostly("1", number_texts()),
    position=mostly("", number_texts()),
    criterion_id=mostly(None, id_texts),
)
def test_rubric_editor_saves_finite_positive_values_or_nothing(
    populated_round: Any,
    login: Callable[[str], FlaskClient],
    row: int,
    name: str,
    descriptor: str,
    max_points: str,
    weight: str,
    position: str,
    criterion_id: str | None,
) -> None:
    """One row of the rubric made hostile (row 5 is a new row; its hidden id tampered with, unless
    None): all rows saved right, or none. A saved rubric has finite maximum points above 0, finite
    weights not below 0, names stripped."""
    client = signed_in(login, "secretary")
    round_ = populated_round.round
    data = rubric_rows(round_)
    for key, value in {
        "name": name,
        "descriptor": descriptor,
        "max_points": max_points,
        "weight": weight,
        "position": position,
    }.items():
        data[f"rows-{row}-{key}"] = value
    if criterion_id is not None:
        data[f"rows-{row}-criterion_id"] = criterion_id
    before = database_rows()
    response = checked(client.post(f"/rounds/{round_.id}/rubric", data=data), "rubric")
    if refused(response):
        assert_unchanged(before, "rubric")
        return
    db.session.expire_all()
    criteria = db.session.get(Round, round_.id).criteria
    for criterion in criteria:
        assert math.isfinite(criterion.max_points) and criterion.max_points > 0
        assert math.isfinite(criterion.weight) and criterion.weight >= 0
        assert criterion.name == criterion.name.strip() and criterion.name
    assert name.strip() in {c.name for c in criteria} or not name.strip()
    page = page_text(client.get(f"/rounds/{round_.id}/rubric"))
    for criterion in criteria:
        assert_escaped(page, criterion.name)


# --- council ---------------------------------------------------------------------------------------


@fuzz(30)
@cases(
    {"username": "uyvien", "full_name": "Ủy viên", "unit_id": "0", "role": "member", "expertise": []}
    | {"keywords": ""},
    {"full_name": MARKUP[0], "keywords": MARKUP[1]},
    {"full_name": "a\x00b"},
    {"keywords": "chuyển đổi số,\x00 nông nghiệp"},
    {"keywords": "ạ " * 400},
    {"role": "chair"},
    {"username": "=cmd|' /C calc'!A0"},
    {"username": "-1+1"},
)
@given(
    username=usernames,
    full_name=hostile_texts(),
    unit_id=mostly("0", id_texts),
    role=mostly("member", st.one_of(st.sampled_from(["vice_chair", "chair"]), hostile_texts(max_size=10))),
    expertise=st.lists(st.sampled_from(["business", "public_service", "x", "<b>"]), max_size=3),
    keywords=hostile_texts(),
)
def test_council_form_seats_a_new_account_as_typed_or_nothing(
    populated_round: Any,
    login: Callable[[str], FlaskClient],
    username: str,
    full_name: str,
    unit_id: str,
    role: str,
    expertise: list[str],
    keywords: str,
) -> None:
    """A member created on the spot: account and seat saved (keywords single-spaced), or nothing."""
    client = signed_in(login, "secretary")
    round_ = populated_round.round
    before, seats = database_rows(), count(CouncilMember)
    data = {"user_id": "0", "username": username, "full_name": full_name, "unit_id": unit_id}
    data |= {"role": role, "expertise": expertise, "keywords": keywords}
    response = checked(client.post(f"/rounds/{round_.id}/council", data=data), "council")
    if refused(response):
        assert_unchanged(before, "council")
        return
    assert count(CouncilMember) == seats + 1
    seat = db.session.scalar(select(CouncilMember).order_by(CouncilMember.id.desc()).limit(1))
    assert seat.user.username == username.strip().lower() and seat.user.full_name == full_name.strip()
    assert USERNAME.match(seat.user.username), "a username the account forms would refuse"
    assert seat.role.value == role and sorted(seat.expertise) == sorted(expertise)
    assert seat.expertise_note == " ".join(keywords.split())[:500]
    assert_escaped(page_text(client.get(f"/rounds/{round_.id}/council")), seat.user.full_name)


@fuzz(25)
@cases(
    {"role": "member", "expertise": [], "keywords": ""},
    {"keywords": MARKUP[0]},
    {"keywords": "x\x00y"},
    {"keywords": "\u0958" * 300},
)
@given(
    role=mostly("member", st.one_of(st.just("vice_chair"), hostile_texts(max_size=10))),
    expertise=st.lists(st.sampled_from(["business", "armed_forces", "?"]), max_size=3),
    keywords=hostile_texts(),
)
def test_member_edit_form_saves_role_and_keywords_or_nothing(
    populated_round: Any, login: Callable[[str], FlaskClient], role: str, expertise: list[str], keywords: str
) -> None:
    """A seat's role, fields and keywords: saved (keywords single-spaced, at most 500), or nothing."""
    client = signed_in(login, "secretary")
    round_ = populated_round.round
    seat = next(m for m in round_.members if m.user.username == "member")
    before = database_rows()
    data = {"role": role, "expertise": expertise, "keywords": keywords}
    response = checked(client.post(f"/rounds/{round_.id}/council/{seat.id}/edit", data=data), "member")
    if refused(response):
        assert_unchanged(before, "member")
        return
    seat = db.session.get(CouncilMember, seat.id)
    assert seat.role.value == role and sorted(seat.expertise) == sorted(expertise)
    assert seat.expertise_note == " ".join(keywords.split())[:500]
    assert_escaped(page_text(client.get(f"/rounds/{round_.id}/council")), seat.expertise_note)


@fuzz(20)
@cases(
    {"reason": "Người thân của tác giả.", "member": "valid", "dossier": "valid"},
    {"reason": MARKUP[0]},
    {"reason": "Lý do \x00"},
    {"reason": "ạ" * 501},
)
@given(reason=reasons(), member=mostly("valid", id_texts), dossier=mostly("valid", id_texts))
def test_conflict_form_records_the_reason_stripped_or_nothing(
    populated_round: Any, login: Callable[[str], FlaskClient], reason: str, member: str, dossier: str
) -> None:
    """A declared conflict of interest: saved with its reason stripped, or nothing."""
    client = signed_in(login, "secretary")
    round_ = populated_round.round
    before, declared = database_rows(), count(ConflictDeclaration)
    seat = next(m for m in round_.members if m.user.username == "member")
    member = str(seat.id) if member == "valid" else member
    dossier = str(populated_round.unassigned.id) if dossier == "valid" else dossier
    data = {"reason": reason, "member_id": member, "dossier_id": dossier}
    response = checked(client.post(f"/rounds/{round_.id}/conflicts", data=data), "conflict")
    if refused(response):
        assert_unchanged(before, "conflict")
        return
    assert count(ConflictDeclaration) == declared + 1
    saved = db.session.scalar(select(ConflictDeclaration).order_by(ConflictDeclaration.id.desc()).limit(1))
    assert saved.reason == reason.strip()
    assert_escaped(page_text(client.get(f"/rounds/{round_.id}/conflicts")), saved.reason)


# --- dossiers --------------------------------------------------------------------------------------

VALID_DOSSIER = {
    "code": "",
    "kind": "model",
    "field": "business",
    "title": "Mô hình tổ hợp tác trồng rau an toàn",
    "lead_author": "Nguyễn Văn Bình",
    "co_authors": "Lê Thị Hoa\nTrần Văn Nam",
    "unit": "Hội Nông dân tỉnh Thử",
    "summary": "Liên kết 30 hộ trồng rau theo quy trình an toàn.",
    "novelty": "",
    "applied_time": "",
    "applied_place": "",
    "applied_work": "",
    "results": "",
}
DOSSIER_NAMES = [spec.name for spec in DOSSIER_FIELDS]


def stored_dossier_value(dossier: Dossier, name: str) -> Any:
    value = getattr(dossier, name)
    if name == "co_authors":
        return value or []
    if name == "unit":
        return value.name
    return value.value if name in {"kind", "field"} else value


@fuzz(40)
@cases(
    {"existing": False},
    {"changes": {"title": MARKUP[0], "lead_author": MARKUP[1]}},
    {"changes": {"title": "a\x00b"}},
    {"changes": {"summary": "\x01\x02 control"}},
    {"changes": {"co_authors": "A;\x00;B\nC"}},
    {"changes": {"title": unicodedata.normalize("NFD", "Ứng dụng mã QR")}},
    {"changes": {"title": "\u0958" * 200}},
    {"changes": {"summary": "ạ" * 10_001}},
    {"changes": {"code": "HS-2025-0002"}},
    {"changes": {"code": "²"}},
    {"changes": {"field": "١"}},
    {"changes": {"title": FORMULAS[0]}, "existing": True},
)
@given(
    changes=st.dictionaries(st.sampled_from(DOSSIER_NAMES), hostile_texts(), min_size=1, max_size=3),
    existing=st.booleans(),
)
def test_dossier_form_stores_the_text_stripped_and_nfc_or_nothing(
    populated_round: Any, login: Callable[[str], FlaskClient], changes: dict[str, str], existing: bool
) -> None:
    """Up to three fields of the intake form made hostile: stored stripped and in NFC, or not at all."""
    client = signed_in(login, "secretary")
    round_ = populated_round.round
    dossier = populated_round.unassigned
    url = (
        f"/rounds/{round_.id}/dossiers/{dossier.id}/edit" if existing else f"/rounds/{round_.id}/dossiers/new"
    )
    data = {**VALID_DOSSIER, **changes}
    if existing and not changes.get("code"):
        data["code"] = dossier.code
    before, dossiers = database_rows(), count(Dossier)
    response = checked(client.post(url, data=data), "dossier")
    if refused(response):
        assert_unchanged(before, "dossier")
        return
    assert count(Dossier) == dossiers + (0 if existing else 1)
    saved_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    saved = db.session.get(Dossier, saved_id)
    for name, raw in changes.items():
        expected: Any = stripped_nfc(raw)
        if name == "co_authors":
            expected = [single_spaced(p) for p in re.split(r"[;\n]", expected) if single_spaced(p)]
        elif name == "code" and not expected:
            continue  # a generated code
        elif name in {"kind", "field", "unit"}:
            continue  # a choice: checked to exist, stored as the choice
        assert stored_dossier_value(saved, name) == expected, name
    page = page_text(client.get(f"/rounds/{round_.id}/dossiers/{saved.id}"))
    for name in ("title", "lead_author", "summary"):
        assert_escaped(page, getattr(saved, name))


@fuzz(15)
@given(status=st.one_of(st.sampled_from(["accepted", "returned", "withdrawn"]), hostile_texts(max_size=12)))
def test_dossier_status_form_sets_a_known_status_or_nothing(
    populated_round: Any, login: Callable[[str], FlaskClient], status: str
) -> None:
    """The status select: a known value is stored; anything else changes nothing."""
    client = signed_in(login, "secretary")
    round_, dossier = populated_round.round, populated_round.unassigned
    before = database_rows()
    response = checked(
        client.post(f"/rounds/{round_.id}/dossiers/{dossier.id}/status", data={"status": status}), "status"
    )
    assert response.status_code == (400 if unstorable(status) else 302)  # else back to the dossier page
    if status in {"accepted", "returned", "withdrawn"}:
        assert db.session.get(Dossier, dossier.id).status.value == status
    else:
        assert_unchanged(before, "status")


# --- the score sheet -------------------------------------------------------------------------------

INVALID = object()  # a typed value the sheet must refuse
versions = st.sampled_from(["current", "current", "current", "0", "²", "-1", "", "abc", "9" * 30, "١"])


def typed_points(raw: Any, maximum: float) -> Any:
    """What the sheet stores for a typed value, by the documented rule, or :data:`INVALID`.

    Blank is "not scored"; "7", "7,5", "7.5" (any decimal digits Python reads) or a JSON number;
    whole or half points from 0 to the criterion's maximum.
    """
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:
            return INVALID
    else:
        text = str(raw).strip().replace(" ", "").replace(",", ".")
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            return INVALID
    if not (math.isfinite(value) and 0 <= value <= maximum and (value * 2).is_integer()):
        return INVALID
    return value


def current_sheet(assignment_id: int) -> ScoreSheet | None:
    db.session.expire_all()
    return db.session.scalar(select(ScoreSheet).where(ScoreSheet.assignment_id == assignment_id))


def version_text(choice: str, assignment_id: int) -> str:
    sheet = current_sheet(assignment_id)
    return str(sheet.version if sheet else 0) if choice == "current" else choice


@fuzz(30)
@cases(
    {"points": ["7"] * 5, "note": "", "comment": "", "version": "current", "submit": False, "reason": ""},
    {"points": ["7,5", "1e309", "NaN", "-0", "١٢"]},
    {"points": ["-0", "١٢", "٣,٥", " 7 ", "0"]},
    {"points": ["inf", "", "", "", ""]},
    {"points": ["20,5", "2e1", "0x10", "1_0", "٣,٥"]},
    {"points": ["9" * 400, "", "", "", ""]},
    {"points": ["7"] * 5, "note": MARKUP[3], "comment": MARKUP[0]},
    {"points": ["7"] * 5, "note": "x\x00y"},
    {"points": ["7"] * 5, "comment": "ạ" * 5001},
    {"points": ["7"] * 5, "version": "²"},
    {"points": ["7"] * 5, "submit": True},
    {"points": ["8"] * 5, "reason": MARKUP[1] + " sửa lại điểm"},
)
@given(
    points=st.lists(mostly("7,5", number_texts()), min_size=5, max_size=5),
    note=hostile_texts(),
    comment=hostile_texts(),
    version=mostly("current", versions),
    submit=st.booleans(),
    reason=reasons(),
)
def test_score_sheet_stores_valid_points_or_nothing(
    scoring_round: Any,
    login: Callable[[str], FlaskClient],
    points: list[str],
    note: str,
    comment: str,
    version: str,
    submit: bool,
    reason: str,
) -> None:
    """Points in any format: each stored value is the documented reading of what was typed, or
    nothing changes; notes and the comment are stored stripped and shown escaped."""
    client = signed_in(login, "member")
    assignment = scoring_round.assigned.assignments[0]
    criteria = scoring_round.round.criteria
    data = {"version": version_text(version, assignment.id), "comment": comment, "reason": reason}
    data |= {f"points_{c.id}": p for c, p in zip(criteria, points, strict=True)}
    data |= {f"note_{criteria[0].id}": note, "action": "submit" if submit else "save", "confirm": "y"}
    url = f"/review/rounds/{scoring_round.round.id}/sheets/{assignment.id}"
    before = database_rows()
    response = checked(client.post(url, data=data), "sheet")
    if refused(response):
        assert response.status_code in {400, 403, 409}
        assert_unchanged(before, "sheet")
        return
    expected = [typed_points(p, c.max_points) for c, p in zip(criteria, points, strict=True)]
    assert INVALID not in expected, f"accepted invalid points {points}"
    sheet = current_sheet(assignment.id)
    stored = sheet.points_by_criterion()
    assert [stored.get(c.id) for c in criteria] == expected
    assert all(math.copysign(1, v) > 0 for v in stored.values() if v is not None), "a negative zero"
    assert not submit or None not in expected, "submitted with a criterion left blank"
    assert sheet.notes_by_criterion().get(criteria[0].id) == note.strip()
    assert sheet.comment == comment.strip()
    page = page_text(client.get(url))
    assert_escaped(page, sheet.comment)
    assert_escaped(page, note.strip())


json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**400), 10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    number_texts(),
    hostile_texts(max_size=20, long=False),
)
json_values = st.recursive(
    json_leaves,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)
sheet_entries = st.lists(
    st.tuples(st.sampled_from(["points", "note", "comment", "other"]), st.integers(0, 6), json_values),
    max_size=7,
)


def autosave_body(entries: list[tuple[str, int, Any]], criteria: list[Criterion]) -> dict[str, Any]:
    """The ``fields`` of an autosave request: index 5 and 6 name criteria that do not exist."""
    fields: dict[str, Any] = {}
    for kind, index, value in entries:
        cid = criteria[index].id if index < len(criteria) else 10_000 + index
        key = {"points": f"points_{cid}", "note": f"note_{cid}", "comment": "comment"}.get(kind, f"x{index}")
        fields[key] = value
    return fields


@fuzz(40)
@cases(
    {"entries": [("points", 0, "7,5")], "version": "current", "shape": "sheet"},
    {"entries": [("points", 0, 10**400)]},
    {"entries": [("points", 1, 1e308 * 10)]},
    {"entries": [("points", 2, float("nan"))]},
    {"entries": [("points", 3, [7])]},
    {"entries": [("points", 4, {"$gt": 0})]},
    {"entries": [("note", 0, "x\x00y")]},
    {"entries": [("note", 1, 12)]},
    {"entries": [("comment", 0, MARKUP[0])]},
    {"entries": [("points", 0, "7")], "version": "²"},
    {"entries": [("points", 0, "7")], "version": "9" * 30},
    {"entries": [], "shape": "fields-list"},
    {"entries": [], "shape": "array"},
    {"entries": [], "shape": "garbage"},
    {"entries": [], "shape": "deep"},
)
@given(
    entries=sheet_entries,
    version=st.one_of(versions, json_values.map(lambda v: ("raw", v))),
    shape=st.sampled_from(["sheet", "sheet", "sheet", "fields-list", "array", "garbage", "deep"]),
)
def test_autosave_json_stores_valid_points_or_answers_4xx(
    scoring_round: Any, login: Callable[[str], FlaskClient], entries: list[Any], version: Any, shape: str
) -> None:
    """Any JSON body (wrong types, huge numbers, NaN, nesting): 200 with the documented reading of
    the points, or a 4xx with nothing changed. Valid points on the current version are saved."""
    client = signed_in(login, "member")
    assignment = scoring_round.assigned.assignments[0]
    criteria = list(scoring_round.round.criteria)
    fields = autosave_body(entries, criteria)
    raw_version = version[1] if isinstance(version, tuple) else version_text(version, assignment.id)
    body: Any = {"version": raw_version, "fields": fields}
    if shape == "fields-list":
        body = {"version": raw_version, "fields": list(fields.items())}
    elif shape == "array":
        body = [raw_version, fields]
    url = f"/review/rounds/{scoring_round.round.id}/sheets/{assignment.id}/autosave"
    broken = {"garbage": b'{"version": 1, "fields": {', "deep": b"[" * 100_000}  # cut short; nested too deep
    payload = broken.get(shape) or json.dumps(body).encode()
    before = database_rows()
    response = checked(client.post(url, data=payload, content_type="application/json"), "autosave")
    assert response.status_code in {200, 400, 403, 409, 422}, response.status_code
    assert response.is_json
    if response.status_code != 200:
        assert_unchanged(before, "autosave")
        return
    sheet = current_sheet(assignment.id)
    assert response.get_json()["version"] == sheet.version
    stored = sheet.points_by_criterion()
    for c in criteria:
        key = f"points_{c.id}"
        if key in fields:
            assert INVALID is not typed_points(fields[key], c.max_points)
            assert stored.get(c.id) == typed_points(fields[key], c.max_points)
        if f"note_{c.id}" in fields:
            assert sheet.notes_by_criterion()[c.id] == str(fields[f"note_{c.id}"] or "").strip()


@fuzz(25)
@cases(
    {"reason": "Tôi từng góp ý xây dựng mô hình này.", "confirm": True},
    {"reason": MARKUP[0] + " người thân"},
    {"reason": "Lý do \x00 NUL"},
    {"reason": "ạ" * 100_000},
    {"reason": "   "},
    {"reason": "ngắn"},
)
@given(reason=reasons(), confirm=mostly(True, st.just(False)))
def test_recusal_reason_is_recorded_stripped_or_nothing_changes(
    scoring_round: Any, login: Callable[[str], FlaskClient], reason: str, confirm: bool
) -> None:
    """Xin không chấm: recorded with the reason stripped (declaration and history), or nothing."""
    client = signed_in(login, "member")
    assignment = scoring_round.assigned.assignments[0]
    url = f"/review/rounds/{scoring_round.round.id}/sheets/{assignment.id}/recuse"
    before = database_rows()
    data = {"reason": reason, "confirm": "y" if confirm else ""}
    response = checked(client.post(url, data=data), "recuse")
    if refused(response):
        assert_unchanged(before, "recuse")
        assert_escaped(page_text(response), reason.strip()[:100], shown=False)
        return
    declaration = db.session.scalar(select(ConflictDeclaration))
    event = db.session.scalar(
        select(ScoreEvent)
        .where(ScoreEvent.kind == ScoreEventKind.RECUSE)
        .order_by(ScoreEvent.id.desc())
        .limit(1)
    )
    assert declaration.reason == reason.strip() and event.reason == reason.strip()
    assert_escaped(page_text(client.get(f"/rounds/{scoring_round.round.id}/")), "")
    # Undo, so that the next example can recuse again (the history keeps its event).
    db.session.delete(declaration)
    db.session.get(type(assignment), assignment.id).status = AssignmentStatus.ACTIVE
    db.session.commit()


@fuzz(20)
@cases(
    {"reason": "Thành viên nhập nhầm điểm tiêu chí 2."},
    {"reason": MARKUP[1] + " nhập nhầm điểm"},
    {"reason": "\x00" * 12},
    {"reason": "ạ" * 100_000},
)
@given(reason=reasons())
def test_sheet_reopen_reason_is_recorded_stripped_or_nothing_changes(
    deliberation_round: Any, login: Callable[[str], FlaskClient], reason: str
) -> None:
    """The chair re-opens a sheet: the history records the reason stripped, or nothing changes."""
    client = signed_in(login, "chair")
    round_ = deliberation_round.round
    assignment = deliberation_round.dossiers[2].assignments[0]
    url = f"/review/rounds/{round_.id}/sheets/{assignment.id}/reopen"
    before = database_rows()
    response = checked(client.post(url, data={"reason": reason}), "reopen sheet")
    if refused(response):
        assert_unchanged(before, "reopen sheet")
        return
    event = db.session.scalar(select(ScoreEvent).order_by(ScoreEvent.id.desc()).limit(1))
    assert event.kind is ScoreEventKind.REOPEN and event.reason == reason.strip()
    page = page_text(client.get(f"/rounds/{round_.id}/history/?dossier_id={assignment.dossier_id}"))
    assert_escaped(page, event.reason[:300], shown=False)
    sheet = current_sheet(assignment.id)
    sheet.reopened, sheet.status = False, SheetStatus.SUBMITTED  # as it was, for the next example
    db.session.commit()


# --- deliberation ----------------------------------------------------------------------------------


@fuzz(25)
@cases(
    {"row": 0, "name": "Công nhận", "min_score": "70", "quota": "", "position": "1", "remove": False}
    | {"tier_id": None},
    {"min_score": "NaN"},
    {"min_score": "1e309"},
    {"min_score": "-0"},
    {"min_score": "70,5"},
    {"quota": "9" * 30},
    {"quota": "2147483648"},
    {"quota": "-0"},
    {"quota": "²"},
    {"position": "NaN"},
    {"name": MARKUP[0]},
    {"name": "x\x00y"},
    {"name": "ạ" * 256},
    {"row": 2, "name": "Mức mới", "quota": "3"},
    {"tier_id": "abc"},
    {"tier_id": "²"},
    {"row": 1, "tier_id": "9" * 30},
)
@given(
    row=st.integers(0, 2),
    name=hostile_texts(),
    min_score=mostly("", number_texts()),
    quota=mostly("2", number_texts()),
    position=mostly("1", number_texts()),
    remove=mostly(False, st.just(True)),
    tier_id=mostly(None, id_texts),
)
def test_tiers_editor_saves_valid_tiers_or_nothing(
    deliberation_round: Any,
    login: Callable[[str], FlaskClient],
    row: int,
    name: str,
    min_score: str,
    quota: str,
    position: str,
    remove: bool,
    tier_id: str | None,
) -> None:
    """Award tiers (one row hostile, its hidden id tampered with unless None): a saved tier has its
    name stripped, a finite minimum score in range and a quota from 1 that the database can hold;
    otherwise nothing changes."""
    client = signed_in(login, "secretary")
    round_ = deliberation_round.round
    tiers = list(db.session.scalars(select(AwardTier).where(AwardTier.round_id == round_.id)))
    data: dict[str, str] = {}
    for i, tier in enumerate(tiers[:2]):
        data |= {f"rows-{i}-tier_id": str(tier.id), f"rows-{i}-name": tier.name, f"rows-{i}-position": str(i)}
        data |= {f"rows-{i}-min_score": "" if tier.min_score is None else str(tier.min_score)}
        data |= {f"rows-{i}-quota": "" if tier.quota is None else str(tier.quota)}
    data |= {f"rows-{row}-name": name, f"rows-{row}-min_score": min_score, f"rows-{row}-quota": quota}
    data |= {f"rows-{row}-position": position, f"rows-{row}-remove": "y" if remove else ""}
    if tier_id is not None:
        data[f"rows-{row}-tier_id"] = tier_id
    before = database_rows()
    response = checked(client.post(f"/rounds/{round_.id}/ranking/tiers", data=data), "tiers")
    if refused(response):
        assert_unchanged(before, "tiers")
        assert_escaped(page_text(response), name.strip(), shown=False)
        return
    saved = list(db.session.scalars(select(AwardTier).where(AwardTier.round_id == round_.id)))
    top = db.session.get(Round, round_.id).max_total
    for tier in saved:
        assert tier.name == tier.name.strip() and tier.name
        assert tier.min_score is None or (math.isfinite(tier.min_score) and 0 <= tier.min_score <= top)
        assert tier.quota is None or 1 <= tier.quota < 2**31
    if not remove and name.strip():
        assert name.strip() in {t.name for t in saved}
    page = page_text(client.get(f"/rounds/{round_.id}/ranking/tiers"))
    for tier in saved:
        assert_escaped(page, tier.name)


@fuzz(15)
@cases(
    {"kind": "vote", "dossier": 0, "tier": 0, "votes": ["7", "2", "0"], "reason": "Hội đồng biểu quyết."},
    {"votes": ["9" * 30, "", ""]},
    {"votes": ["2147483648", "0", "0"]},
    {"votes": ["-0", "-1", ""]},
    {"votes": ["7,5", "1e309", "NaN"]},
    {"votes": ["١٢", "", ""]},
    {"reason": MARKUP[0] + " đủ dài"},
    {"reason": "Lý do \x00 có NUL"},
    {"reason": "ạ" * 100_000},
    {"kind": "<script>"},
    {"kind": "withdraw"},
    {"dossier": -1},
)
@given(
    kind=mostly(
        "vote", st.one_of(st.sampled_from(["move", "include", "exclude"]), hostile_texts(max_size=10))
    ),
    dossier=st.integers(-1, 7),
    tier=st.integers(0, 2),
    votes=st.lists(mostly("3", number_texts()), min_size=3, max_size=3),
    reason=reasons(),
)
def test_deliberation_entries_store_votes_and_reasons_as_typed_or_nothing(
    deliberation_round: Any,
    login: Callable[[str], FlaskClient],
    kind: str,
    dossier: int,
    tier: int,
    votes: list[str],
    reason: str,
) -> None:
    """Votes and adjustments: the entry keeps the vote counts and the reason (stripped), or nothing
    is recorded; the ranking page shows the reason escaped."""
    client = signed_in(login, "chair")
    round_ = deliberation_round.round
    if count(AwardTier) == 0:
        db.session.add(AwardTier(round_id=round_.id, position=1, name="Công nhận", min_score=60.0))
        db.session.commit()
    tiers = list(db.session.scalars(select(AwardTier).where(AwardTier.round_id == round_.id)))
    dossier_id = deliberation_round.dossiers[dossier].id if dossier >= 0 else 10_000
    data = {"dossier_id": str(dossier_id), "kind": kind, "reason": reason}
    data |= {"tier_id": str(tiers[tier - 1].id) if 0 < tier <= len(tiers) else "0"}
    data |= dict(zip(("votes_for", "votes_against", "votes_abstain"), votes, strict=True))
    before, entries = database_rows(), count(DeliberationEntry)
    response = checked(client.post(f"/rounds/{round_.id}/ranking/entries", data=data), "entry")
    if refused(response):
        assert_unchanged(before, "entry")
        assert_escaped(page_text(response), reason.strip()[:100], shown=False)
        return
    assert count(DeliberationEntry) == entries + 1
    entry = db.session.scalar(select(DeliberationEntry).order_by(DeliberationEntry.id.desc()).limit(1))
    assert entry.reason == reason.strip() and entry.kind.value == kind
    typed = [int(v) if v.strip() else None for v in votes]
    assert [entry.votes_for, entry.votes_against, entry.votes_abstain] == typed
    if any(payload in entry.reason for payload in MARKUP):  # the ranking page is slow: only when it tells
        assert_escaped(page_text(client.get(f"/rounds/{round_.id}/ranking/")), entry.reason)


@fuzz(10)
@given(method=st.one_of(st.sampled_from(["raw", "auto", "zscore"]), hostile_texts(max_size=20)))
def test_method_form_stores_a_known_method_or_nothing(
    deliberation_round: Any, login: Callable[[str], FlaskClient], method: str
) -> None:
    """The normalisation method: one of the listed ones is stored; anything else changes nothing."""
    client = signed_in(login, "secretary")
    round_ = deliberation_round.round
    before = database_rows()
    response = checked(client.post(f"/rounds/{round_.id}/ranking/method", data={"method": method}), "")
    assert response.status_code == (400 if unstorable(method) else 302)
    if method in {"raw", "auto", "zscore"}:
        assert db.session.get(Round, round_.id).ranking_method == method
    else:
        assert_unchanged(before, "method")


@fuzz(15)
@cases({"reason": "Kiểm tra lại: giữ nguyên kết quả."}, {"reason": "ngắn"}, {"reason": "x\x00" * 10})
@given(reason=reasons())
def test_withdrawing_an_adjustment_records_the_reason_or_nothing(
    deliberation_round: Any, login: Callable[[str], FlaskClient], reason: str
) -> None:
    """Withdrawing an adjustment: a reason of 10 characters or more (stripped, storable) records the
    withdrawal with that reason; any other changes nothing."""
    round_ = deliberation_round.round
    if count(AwardTier) == 0:
        db.session.add(AwardTier(round_id=round_.id, position=1, name="Công nhận", min_score=0.0))
        db.session.commit()
    adjustment = db.session.scalar(select(DeliberationEntry).where(DeliberationEntry.withdraws_id.is_(None)))
    if adjustment is None:
        on_list = deliberation.current(round_).payload["dossiers"][0]["id"]
        entry = deliberation.EntryInput(
            on_list, DeliberationKind.EXCLUDE, None, None, None, None, "Lý do loại."
        )
        adjustment = deliberation.record_entry(round_, entry, user=deliberation_round.users["chair"])
    client = signed_in(login, "chair")
    url = f"/rounds/{round_.id}/ranking/entries/{adjustment.id}/withdraw"
    before, entries = database_rows(), count(DeliberationEntry)
    response = checked(client.post(url, data={"reason": reason}), "withdraw")
    assert response.status_code == (400 if unstorable(reason) else 302)
    valid = len(reason.strip()) >= 10 and not unstorable(reason)
    if count(DeliberationEntry) == entries:
        assert not valid, f"a valid reason was refused: {reason!r}"
        assert_unchanged(before, "withdraw")
        return
    undo = db.session.scalar(select(DeliberationEntry).order_by(DeliberationEntry.id.desc()).limit(1))
    assert valid and undo.withdraws_id == adjustment.id and undo.reason == reason.strip()
    # So that the next example can withdraw it again (the ORM refuses: the record is append-only).
    db.session.execute(delete(DeliberationEntry).where(DeliberationEntry.id == undo.id))
    db.session.commit()


# --- the decision ----------------------------------------------------------------------------------


@pytest.fixture
def final_round(deliberation_round: Any) -> Any:
    """The deliberation round with two tiers, finalised by its chair."""
    pr = deliberation_round
    db.session.add_all(
        [
            AwardTier(round_id=pr.round.id, position=1, name="Đề nghị khen thưởng cấp trên", quota=2),
            AwardTier(round_id=pr.round.id, position=2, name="Công nhận sáng kiến", min_score=70.0),
        ]
    )
    db.session.commit()
    deliberation.finalise(pr.round, user=pr.users["chair"])
    return pr


def decision_form(round_: Round) -> dict[str, str]:
    """The decision's draft form filled with the service's defaults."""
    decision = decisions.draft(round_)
    data = decisions.defaults(round_, decision.snapshot)
    form = {k: v for k, v in data.items() if k not in decisions.LIST_FIELDS and k != "issued_on"}
    form.update({k: "\n".join(data[k]) for k in decisions.LIST_FIELDS})
    form["issued_on"] = "2025-03-05"
    return form


DECISION_FIELDS = [*decisions.TEXT_FIELDS, *decisions.LIST_FIELDS]
date_texts = st.one_of(
    st.sampled_from(["2025-03-05", "", "0001-01-01", "9999-12-31", "2025-02-30", "05/03/2025", "NaN"]),
    hostile_texts(max_size=12, long=False),
)


@fuzz(15)
@cases(
    {"changes": {"summary": "Về việc công nhận"}, "issued_on": "2025-03-05"},
    {"changes": {"list_title": FORMULAS[0], "signer_name": FORMULAS[1], "place": "@SUM(A1)"}},
    {"changes": {"summary": MARKUP[0], "grounds": MARKUP[1] + "\n" + MARKUP[2]}},
    {"changes": {"issuer_symbol": "\u0958" * 64}},
    {"changes": {"signer_name": "x\x00y"}},
    {"changes": {"articles": "\x0b\x0c\x01"}},
    {"changes": {"list_title": "\ufffe\uffff"}},
    {"changes": {"summary": unicodedata.normalize("NFD", "Về việc công nhận sáng kiến")}},
    {"changes": {"authority": "ạ" * 100_000}},
    {"changes": {}, "issued_on": "0001-01-01"},
    {"changes": {}, "issued_on": "9999-12-31"},
)
@given(
    changes=st.dictionaries(st.sampled_from(DECISION_FIELDS), hostile_texts(), max_size=3),
    issued_on=mostly("2025-03-05", date_texts),
)
def test_decision_draft_stores_lines_in_nfc_or_nothing(
    final_round: Any, login: Callable[[str], FlaskClient], changes: dict[str, str], issued_on: str
) -> None:
    """The draft decision: saved stripped and in NFC (lists: one stripped line each, blanks dropped),
    or nothing changes; then its page and print page escape it and its list (.xlsx) has no formula."""
    client = signed_in(login, "secretary")
    round_ = final_round.round
    data = {**decision_form(round_), **changes, "issued_on": issued_on}
    before = database_rows()
    response = checked(client.post(f"/rounds/{round_.id}/decision/", data=data), "decision")
    if refused(response):
        assert_unchanged(before, "decision")
        return
    decision = db.session.scalar(select(Decision).order_by(Decision.id.desc()).limit(1))
    for name, raw in changes.items():
        if name in decisions.LIST_FIELDS:
            expected: Any = [stripped_nfc(line) for line in raw.splitlines() if line.strip()]
        else:
            expected = stripped_nfc(raw)
        assert getattr(decision, name) == expected, name
    page = page_text(client.get(f"/rounds/{round_.id}/decision/"))
    for name in decisions.TEXT_FIELDS:
        assert_escaped(page, getattr(decision, name))
    assert_documents_render(client, decision, formats=("html", "xlsx"))  # the PDFs: the test below


def assert_documents_render(client: FlaskClient, decision: Decision, formats: tuple[str, ...]) -> None:
    """Each format of the decision downloads (200); the print page escapes, the list has no formula."""
    for fmt in formats:
        document = checked(client.get(f"/rounds/{decision.round_id}/decision/{decision.id}/{fmt}"), fmt)
        assert document.status_code == 200, fmt
        if fmt == "html":
            assert_escaped(page_text(document), decision.list_title)
        if fmt == "xlsx":
            assert_xlsx_neutralised(document.data, quote_prefix=True)


HOSTILE_DECISIONS = (
    {"list_title": FORMULAS[0], "signer_name": FORMULAS[1], "place": FORMULAS[3], "summary": MARKUP[0]},
    {
        "summary": UNICODE[1] + UNICODE[4] + UNICODE[6],
        "grounds": "\n".join(UNICODE),
        "signer_name": UNICODE[8],
    },
    {"articles": "ạ" * 20_000 + "\n" + "Điều " * 2_000, "recipients": "\n" * 50 + FORMULAS[5]},
)


@pytest.mark.parametrize("changes", HOSTILE_DECISIONS, ids=["formulas", "unicode", "long"])
def test_every_decision_document_renders_hostile_text(
    final_round: Any, login: Callable[[str], FlaskClient], changes: dict[str, str]
) -> None:
    """PDF, Word, Excel, print page and certificates of a decision drafted with formulas, markup,
    decomposed and right-to-left text, the highest code points and very long lines: all render."""
    client = signed_in(login, "secretary")
    round_ = final_round.round
    data = {**decision_form(round_), **changes}
    assert checked(client.post(f"/rounds/{round_.id}/decision/", data=data), "decision").status_code == 302
    decision = db.session.scalar(select(Decision).order_by(Decision.id.desc()).limit(1))
    assert_documents_render(client, decision, formats=tuple(decisions.FORMATS))


@fuzz(30)
@examples(
    "code", ("A1B2-C3D4-E5F6", "a1b2c3d4e5f6", "\x00", "../../etc/passwd", MARKUP[0], "%00", "/", "ạ" * 5000)
)
@given(code=hostile_texts(long=False))
def test_public_verify_form_answers_any_code(final_round: Any, app: Flask, code: str) -> None:
    """The public check: any code, typed or in the path, is a page (200, 302 or 404), shown escaped."""
    from urllib.parse import quote

    client = app.test_client()
    response = checked(client.get("/verify/", query_string={"code": code}), "verify form")
    assert response.status_code in {200, 302, 400, 404}
    if response.status_code == 302:
        assert _is_on_site(response.headers["Location"])
        followed = checked(client.get(response.headers["Location"], follow_redirects=True), "verify redirect")
        assert followed.status_code in {200, 400, 404}
    direct = checked(client.get("/verify/" + quote(code, safe="")), "verify path")
    assert direct.status_code in {200, 308, 400, 404}
    assert_escaped(page_text(direct), code[:32], shown=False)


# --- list pages: search and filter query strings ----------------------------------------------------

LIST_PAGES = (
    "/",
    "/rounds/",
    "/review/",
    "/admin/users",
    "/rounds/{id}/",
    "/rounds/{id}/dossiers/",
    "/rounds/{id}/dossiers/export.xlsx",
    "/rounds/{id}/dossiers/export.csv",
    "/rounds/{id}/council",
    "/rounds/{id}/conflicts",
    "/rounds/{id}/assignment/",
    "/rounds/{id}/history/",
    "/rounds/{id}/history/export.xlsx",
    "/rounds/{id}/history/export.csv",
    "/rounds/{id}/ranking/",
    "/rounds/{id}/ranking/members",
    "/rounds/{id}/ranking/tiers",
    "/rounds/{id}/ranking/scores.csv",
    "/rounds/{id}/decision/",
)
KNOWN_PARAMETERS = (
    "q", "field", "unit_id", "kind", "status", "dossier_id", "member_id", "date_from", "date_to",
    "page", "sort", "unit", "tier", "preview", "next", "lang",
)  # fmt: skip
ODD_PARAMETERS = (
    "²", "١٢", "9" * 30, "-1", "0", "9999-12-31", "0001-01-01", "2025-02-30", "%", "_", "\\",
    "' OR 1=1 --", "business", "raw", "affine", "none", "score", "movement", "1e309", "NaN",
)  # fmt: skip
parameter_values = st.one_of(st.sampled_from(ODD_PARAMETERS), hostile_texts(max_size=30, long=False))


@fuzz(40)
@cases(
    {"path": "/rounds/{id}/dossiers/", "params": [("unit_id", "²")]},
    {"path": "/rounds/{id}/dossiers/", "params": [("unit_id", "9" * 30)]},
    {"path": "/rounds/{id}/dossiers/", "params": [("q", "\x00")]},
    {"path": "/rounds/{id}/dossiers/export.xlsx", "params": [("q", "%"), ("unit_id", "99999999999")]},
    {"path": "/rounds/{id}/history/", "params": [("dossier_id", "²")]},
    {"path": "/rounds/{id}/history/", "params": [("member_id", "9" * 30)]},
    {"path": "/rounds/{id}/history/", "params": [("date_to", "9999-12-31")]},
    {"path": "/rounds/{id}/history/", "params": [("date_from", "0001-01-01")]},
    {"path": "/rounds/{id}/history/", "params": [("page", "9" * 30)]},
    {"path": "/rounds/{id}/history/export.csv", "params": [("date_to", "9999-12-31")]},
    {"path": "/rounds/{id}/ranking/", "params": [("preview", "raw"), ("sort", "<x>")]},
    {"path": "/rounds/{id}/ranking/", "params": [("unit", "\x00"), ("tier", "none")]},
)
@given(
    path=st.sampled_from(LIST_PAGES),
    params=st.lists(
        st.tuples(st.one_of(st.sampled_from(KNOWN_PARAMETERS), st.text(max_size=8)), parameter_values),
        max_size=5,
    ),
)
def test_list_pages_answer_any_query_string(
    deliberation_round: Any, login: Callable[[str], FlaskClient], path: str, params: list[tuple[str, str]]
) -> None:
    """Search, filters, sort and page numbers of every list page and export: never a 5xx, and a GET
    changes nothing."""
    client = signed_in(login, "chair")
    url = path.format(id=deliberation_round.round.id)
    before = database_rows()
    response = checked(client.get(url, query_string=params), url)
    assert response.status_code in {200, 302, 400, 403, 404, 409}, (url, response.status_code)
    assert_unchanged(before, url)
    if response.mimetype == "text/html":
        for _name, value in params:
            assert_escaped(page_text(response), value, shown=False)


# --- assignment ------------------------------------------------------------------------------------


@fuzz(15)
@cases(
    {"max_load": "", "min_load": "", "seed": "0", "fair": False},
    {"max_load": "9" * 30},
    {"min_load": "NaN", "seed": "1e309"},
    {"max_load": "1", "min_load": "5"},
    {"seed": "-1"},
)
@given(
    max_load=mostly("", number_texts()),
    min_load=mostly("", number_texts()),
    seed=mostly("0", number_texts()),
    fair=st.booleans(),
)
def test_assignment_run_form_runs_on_valid_settings_or_changes_nothing(
    populated_round: Any,
    login: Callable[[str], FlaskClient],
    max_load: str,
    min_load: str,
    seed: str,
    fair: bool,
) -> None:
    """Solver settings in odd formats: a run is recorded, or nothing changes."""
    round_ = populated_round.round
    if round_.status is not RoundStatus.ASSIGNMENT:
        round_.status = RoundStatus.ASSIGNMENT
        db.session.commit()
    client = signed_in(login, "secretary")
    data = {"max_load": max_load, "min_load": min_load, "seed": seed, "fair": "y" if fair else ""}
    before, runs = database_rows(), count(AssignmentRun)
    response = checked(client.post(f"/rounds/{round_.id}/assignment/run", data=data), "run")
    if refused(response):
        assert_unchanged(before, "run")
        return
    assert count(AssignmentRun) == runs + 1
    run = db.session.scalar(select(AssignmentRun).order_by(AssignmentRun.id.desc()).limit(1))
    assert run.params["seed"] == (int(seed) if seed.strip() else 0)


@fuzz(15)
@given(dossier=mostly("valid", id_texts), member=mostly("valid", id_texts))
def test_assignment_pair_form_adds_a_pair_of_this_round_or_nothing(
    populated_round: Any, login: Callable[[str], FlaskClient], dossier: str, member: str
) -> None:
    """A pair added by hand: ids in any format add a pair of this round, or nothing."""
    round_ = populated_round.round
    if round_.status is not RoundStatus.ASSIGNMENT:
        round_.status = RoundStatus.ASSIGNMENT
        db.session.commit()
    client = signed_in(login, "secretary")
    seat = next(m for m in round_.members if m.user.username == "vice")
    dossier = str(populated_round.unassigned.id) if dossier == "valid" else dossier
    member = str(seat.id) if member == "valid" else member
    before, pairs = database_rows(), count(Assignment)
    data = {"dossier_id": dossier, "member_id": member}
    response = checked(client.post(f"/rounds/{round_.id}/assignment/pairs", data=data), "pair")
    if refused(response):
        assert_unchanged(before, "pair")
        return
    assert count(Assignment) == pairs + 1
    pair = db.session.scalar(select(Assignment).order_by(Assignment.id.desc()).limit(1))
    assert (pair.dossier_id, pair.member_id) == (int(dossier), int(member))
    assert pair.dossier.round_id == pair.member.round_id == round_.id


# --- NUL and other control characters: refused with a message naming the field ----------------------


def test_control_characters_are_refused_with_a_message_naming_the_field(
    scoring_round: Any, login: Callable[[str], FlaskClient]
) -> None:
    """NUL (which PostgreSQL cannot store) and the other characters no .xlsx or .docx can hold: a 400
    that names the field, in Vietnamese, for a form, a query string and a JSON body; nothing saved."""
    round_id = scoring_round.round.id
    assignment = scoring_round.assigned.assignments[0]
    client = signed_in(login, "member")
    before = database_rows()
    sheet = f"/review/rounds/{round_id}/sheets/{assignment.id}"
    response = client.post(sheet, data={"version": "0", "comment": "Nhận xét\x00"})
    assert response.status_code == 400
    assert "Trường “comment” có ký tự điều khiển không hợp lệ" in page_text(response)
    response = client.post(f"{sheet}/autosave", json={"version": 0, "fields": {"comment": "a\x0bb"}})
    assert response.status_code == 400 and "“fields.comment”" in response.get_json()["error"]
    response = client.get("/review/", query_string={"q": "\ufffe"})
    assert response.status_code == 400 and "“q”" in page_text(response)
    assert_unchanged(before, "control characters")
