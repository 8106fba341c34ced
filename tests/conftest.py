"""Fixtures: an app on a fresh database, a client, and a populated round in a few lines.

The suite runs on SQLite (a new file per test). With ``COUNCIL_TEST_DATABASE_URL`` set to a
PostgreSQL URL it runs there instead, in a schema of its own that is dropped at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import flask_babel
import pytest
import sqlalchemy as sa
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient

from council import create_app
from council.extensions import db
from council.models import (
    Assignment,
    CouncilMember,
    CouncilRole,
    Dossier,
    DossierKind,
    Field,
    GlobalRole,
    Level,
    Round,
    RoundStatus,
    Unit,
    UnitKind,
    User,
)
from council.models.base import utcnow
from council.services.accounts import create_user
from council.services.rounds import create_round
from council.services.scoresheets import save_sheet

PASSWORD = "mat-khau-thu"
POSTGRES_URL = os.environ.get("COUNCIL_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str | None]:
    """A schema of this run's own on the PostgreSQL test server (None on SQLite)."""
    if not POSTGRES_URL:
        yield None
        return
    schema = f"council_test_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield schema
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture
def database_config(tmp_path: Any, postgres_schema: str | None) -> dict[str, Any]:
    if postgres_schema is None:
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}"}
    return {
        "SQLALCHEMY_DATABASE_URI": POSTGRES_URL,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={postgres_schema}"}},
    }


class FreshRequestClient(FlaskClient):
    """A test client whose every request starts from a clean ``g``.

    The tests keep one app context open (so fixtures and requests share the database session),
    and Flask reuses it for each request; without this, the signed-in user and the language
    cached on ``g`` by Flask-Login, Flask-WTF and Flask-Babel would leak from one request to the next.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            g.pop("_login_user", None)
            g.pop("csrf_token", None)  # Flask-WTF's token of the last request's session
            flask_babel.refresh()
        return super().open(*args, **kwargs)


@pytest.fixture
def make_app(tmp_path: Any, database_config: dict[str, Any]) -> Iterator[Callable[..., Flask]]:
    """Build an app on an empty database (tables not created); extra config by keyword."""
    made: list[Flask] = []

    def factory(**config: Any) -> Flask:
        settings = {
            "TESTING": True,
            "SECRET_KEY": "test-only",
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            **database_config,
        }
        app = create_app({**settings, **config}, instance_path=str(tmp_path / "instance"))
        app.test_client_class = FreshRequestClient
        made.append(app)
        return app

    yield factory
    for app in made:
        with app.app_context():
            db.session.remove()
            with db.engine.begin() as conn:  # leave the next test an empty schema
                db.metadata.drop_all(conn)
                conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    app = make_app()
    with app.app_context():
        db.create_all()
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def login(client: FlaskClient) -> Callable[[str], FlaskClient]:
    """Sign the test client in as ``username`` (password :data:`PASSWORD`)."""

    def sign_in(username: str) -> FlaskClient:
        client.post("/logout")
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, f"login as {username} failed"
        return client

    return sign_in


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    def factory(username: str, *, roles: set[GlobalRole] | None = None, unit: Unit | None = None) -> User:
        return create_user(username, f"Người dùng {username}", PASSWORD, unit=unit, roles=roles or set())

    return factory


@pytest.fixture
def make_unit(app: Flask) -> Callable[..., Unit]:
    def factory(name: str, *, kind: UnitKind = UnitKind.AGENCY, level: Level = Level.PROVINCE) -> Unit:
        unit = Unit(name=name, kind=kind, level=level)
        db.session.add(unit)
        db.session.commit()
        return unit

    return factory


@dataclass
class PopulatedRound:
    round: Round
    other_round: Round
    assigned: Dossier  # assigned to "member"
    unassigned: Dossier
    users: dict[str, User]


@pytest.fixture
def populated_round(
    app: Flask, make_user: Callable[..., User], make_unit: Callable[..., Unit]
) -> PopulatedRound:
    """A round in scoring with chair, vice-chair, secretary and member; a second round with "outsider".

    Also an admin and an auditor (global roles, no seat).
    """
    unit = make_unit("Ủy ban MTTQ Việt Nam tỉnh Thử", kind=UnitKind.FRONT_COMMITTEE)
    other_unit = make_unit("Hội Nông dân tỉnh Thử", kind=UnitKind.FARMERS_UNION)
    users = {
        name: make_user(name, unit=unit) for name in ("chair", "vice", "secretary", "member", "outsider")
    }
    users["admin"] = make_user("admin", roles={GlobalRole.ADMIN})
    users["auditor"] = make_user("auditor", roles={GlobalRole.AUDITOR})
    round_ = create_round(
        {"title": "Đợt xét thử năm 2025", "year": 2025, "level": Level.PROVINCE, "issuing_unit": unit},
        user=users["secretary"],
    )
    other = create_round(
        {"title": "Đợt xét khác năm 2025", "year": 2025, "level": Level.PROVINCE, "issuing_unit": unit},
        user=users["admin"],
    )
    seats = {
        "chair": CouncilRole.CHAIR,
        "vice": CouncilRole.VICE_CHAIR,
        "secretary": CouncilRole.SECRETARY,
        "member": CouncilRole.MEMBER,
    }
    members = {name: CouncilMember(round=round_, user=users[name], role=role) for name, role in seats.items()}
    db.session.add(CouncilMember(round=other, user=users["outsider"], role=CouncilRole.CHAIR))
    dossiers = [
        Dossier(
            round=round_,
            code=f"HS-2025-000{i}",
            kind=DossierKind.MODEL,
            field=Field.BUSINESS,
            title=f"Mô hình thử số {i}",
            lead_author="Trần Văn Thử",
            unit=other_unit,
        )
        for i in (1, 2)
    ]
    db.session.add_all([*members.values(), *dossiers])
    db.session.add(Assignment(dossier=dossiers[0], member=members["member"], published_at=utcnow()))
    db.session.commit()
    return PopulatedRound(round_, other, dossiers[0], dossiers[1], users)


@pytest.fixture
def scoring_round(populated_round: PopulatedRound) -> PopulatedRound:
    """The populated round at the scoring step, with no deadline: "member" can score HS-2025-0001."""
    populated_round.round.status = RoundStatus.SCORING
    db.session.commit()
    return populated_round


@pytest.fixture
def new_client(app: Flask) -> Callable[[str], FlaskClient]:
    """A separate test client (its own cookies: another tab, another device) signed in as ``username``."""

    def sign_in(username: str) -> FlaskClient:
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, f"login as {username} failed"
        return client

    return sign_in


def pytest_report_header() -> str:
    return f"council database: {'PostgreSQL ' + POSTGRES_URL if POSTGRES_URL else 'SQLite (a file per test)'}"


# Merit per criterion of HS-2025-0001..0008 (best first) and each scorer's leniency per criterion.
MERIT = (18.0, 17.0, 16.0, 15.5, 15.5, 13.0, 12.0, 10.0)  # 0004 and 0005: equal merit
LENIENCY = {"member": 0.0, "m1": 3.0, "m2": 0.0, "m3": -1.0, "m4": 0.0}
NOISE = (0.5, -0.5, 0.0, 0.5, -0.5)


@pytest.fixture
def deliberation_round(populated_round, make_user):
    """Eight dossiers, three sheets each from five members (m1 lenient), all submitted; at deliberation."""
    pr = populated_round
    round_ = pr.round
    other_unit = pr.unassigned.unit
    dossiers = [pr.assigned, pr.unassigned]
    for i in range(3, 9):
        dossiers.append(
            dossier := Dossier(
                round=round_,
                code=f"HS-2025-000{i}",
                kind=DossierKind.INITIATIVE,
                field=Field.PUBLIC_SERVICE if i % 2 else Field.BUSINESS,
                title=f"Sáng kiến thử số {i}",
                lead_author="Nguyễn Thị Ánh",
                unit=other_unit,
            )
        )
        db.session.add(dossier)
    seats = {"member": next(m for m in round_.members if m.user.username == "member")}
    for name in ("m1", "m2", "m3", "m4"):
        pr.users[name] = make_user(name, unit=pr.users["chair"].unit)
        seats[name] = CouncilMember(round=round_, user=pr.users[name], role=CouncilRole.MEMBER)
        db.session.add(seats[name])
    db.session.flush()
    names = list(LENIENCY)
    for d, dossier in enumerate(dossiers):
        for j in range(3):
            name = names[(d + j) % len(names)]
            if dossier is pr.assigned and name == "member":
                continue  # the fixture already assigned it
            db.session.add(Assignment(dossier=dossier, member=seats[name], published_at=utcnow()))
    round_.status = RoundStatus.SCORING
    db.session.commit()
    for d, dossier in enumerate(dossiers):
        for assignment in dossier.assignments:
            name = assignment.member.user.username
            points = {
                c.id: min(20.0, MERIT[d] + LENIENCY[name] + NOISE[(d + c.position) % len(NOISE)])
                for c in round_.criteria
            }
            save_sheet(assignment, points, user=assignment.member.user, submit=True)
    round_.status = RoundStatus.DELIBERATION
    db.session.commit()
    pr.dossiers = dossiers
    return pr
