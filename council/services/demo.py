"""The demo round: one realistic province-level round, loaded once (idempotent).

About 60 dossiers from about 10 units across the five fields, 12 council members, three
reviewers per dossier with no one scoring their own unit's dossier, and a partial set of
scores in which some members are visibly lenient or harsh, some narrow or wide. Names are
fictional (``council/demo_data.py``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import select

from council import demo_data as data
from council.extensions import db
from council.models import (
    Assignment,
    AssignmentStatus,
    AwardTier,
    ConflictDeclaration,
    CouncilMember,
    CouncilRole,
    Dossier,
    DossierKind,
    DossierStatus,
    Field,
    GlobalRole,
    Level,
    Round,
    ScoreEventKind,
    Unit,
    UnitKind,
    User,
)
from council.models.base import utcnow
from council.services import assignment as assignment_service
from council.services.accounts import create_user
from council.services.assignment import RunSettings
from council.services.rounds import advance_round, create_round
from council.services.scoresheets import append_event, save_sheet

log = logging.getLogger(__name__)

SEED = 2025
# How each demo member scores, as (leniency in points per criterion, spread): the statistics
# issue must find these again. Usernames not listed score fairly (0.0, 1.0).
SCORING_STYLE: dict[str, tuple[float, float]] = {
    "phochutich": (2.5, 1.0),  # lenient
    "uyvien02": (3.0, 0.8),  # very lenient
    "uyvien04": (-3.0, 1.0),  # harsh
    "uyvien06": (-2.0, 1.2),  # harsh
    "uyvien07": (0.0, 0.4),  # narrow: everything 12-15
    "uyvien08": (0.0, 1.8),  # wide: uses the whole scale
}
# Share of assignments each member has submitted so far (the rest: some drafts, some not started).
DEFAULT_COMPLETION = 0.75
COMPLETION: dict[str, float] = {"uyvien03": 0.3, "uyvien09": 0.5, "chutich": 0.6}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str


@dataclass(frozen=True)
class DemoResult:
    created: bool
    round: Round
    logins: list[DemoLogin]


def find_demo_round() -> Round | None:
    """The demo round, if it has been loaded."""
    return db.session.scalar(
        select(Round).where(Round.title == data.ROUND["title"], Round.year == data.ROUND["year"])
    )


def load_demo(password: str) -> DemoResult:
    """Load the demo round unless it is already there; either way return it and the demo logins."""
    existing = find_demo_round()
    if existing is None:
        existing = _load(data.ROUND["title"], data.ROUND["year"], password)
        created = True
    else:
        created = False
    logins = [
        DemoLogin(p["username"], p["full_name"], _role_label(p["role"])) for p in data.STAFF + data.COUNCIL
    ]
    return DemoResult(created, existing, logins)


def _role_label(role: str) -> str:
    return str((GlobalRole(role) if role in GlobalRole._value2member_map_ else CouncilRole(role)).label)


def _load(title: str, year: int, password: str) -> Round:
    units = _units()
    users = _users(units, password)
    issuing = units[data.UNITS[0]["key"]]
    round_ = create_round(
        {
            "title": title,
            "year": year,
            "level": Level.PROVINCE,
            "issuing_unit": issuing,
            "issuing_body": "Ban Thường trực",  # the standing board issues the decision
            "reviewers_per_dossier": 3,
            "intake_deadline": _five_pm_vietnam(days_from_today=-20),
            "scoring_deadline": _five_pm_vietnam(days_from_today=14),
        },
        user=users["thuky"],
        commit=False,
    )
    seats = {
        p["username"]: CouncilMember(
            round=round_,
            user=users[p["username"]],
            role=CouncilRole(p["role"]),
            expertise=list(p["expertise"]),
        )
        for p in data.COUNCIL
    }
    dossiers = [
        Dossier(
            round=round_,
            code=f"HS-{year}-{number:04d}",
            kind=DossierKind(d["kind"]),
            field=Field(d["field"]),
            title=d["title"],
            lead_author=d["lead_author"],
            co_authors=list(d["co_authors"]),
            unit=units[d["unit"]],
            summary=d["summary"],
            novelty=d["novelty"],
            applied_time=d["applied_time"],
            applied_place=d["applied_place"],
            applied_work=d["applied_work"],
            results=d["results"],
            status=DossierStatus.ACCEPTED,
        )
        for number, d in enumerate(data.DOSSIERS, start=1)
    ]
    db.session.add_all([*seats.values(), *dossiers, *_tiers(round_)])
    for _step in range(3):  # draft -> intake -> assignment -> scoring
        advance_round(round_, user=users["thuky"], commit=False)
    db.session.commit()
    # The same solver and publishing step the secretary uses: conflicts avoided, loads balanced.
    assignment_service.run(round_, RunSettings(seed=SEED), user=users["thuky"])
    assignment_service.publish(round_, user=users["thuky"])
    assignments = sorted(
        (a for d in dossiers for a in d.assignments), key=lambda a: (a.dossier.code, a.member.user.username)
    )
    _score(round_, assignments)
    log.info("demo round %s loaded: %d dossiers, %d assignments", round_.id, len(dossiers), len(assignments))
    return round_


def _tiers(round_: Round) -> list[AwardTier]:
    """The award tiers of a provincial round, best first (the chair can change them)."""
    return [
        AwardTier(
            round=round_,
            position=1,
            name="Đề nghị đưa vào Sách vàng sáng tạo Việt Nam",
            quota=2,
            nominate_upward=True,
        ),
        AwardTier(
            round=round_, position=2, name="Đề nghị khen thưởng cấp trên", quota=4, nominate_upward=True
        ),
        AwardTier(round=round_, position=3, name="Công nhận sáng kiến", min_score=60.0),
    ]


def _five_pm_vietnam(days_from_today: int) -> datetime:
    """17:00 Vietnam time (10:00 UTC), ``days_from_today`` days away, as stored (naive UTC)."""
    day = utcnow().date() + timedelta(days=days_from_today)
    return datetime(day.year, day.month, day.day, 10, 0)


def _units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for spec in data.UNITS:
        unit = db.session.scalar(select(Unit).where(Unit.name == spec["name"]))
        if unit is None:
            unit = Unit(
                name=spec["name"],
                kind=UnitKind(spec["kind"]),
                level=Level(spec["level"]),
                parent=units.get(spec["parent"]) if spec["parent"] else None,
            )
            db.session.add(unit)
        units[spec["key"]] = unit
    db.session.flush()
    return units


def _users(units: dict[str, Unit], password: str) -> dict[str, User]:
    users: dict[str, User] = {}
    for spec in data.STAFF + data.COUNCIL:
        user = db.session.scalar(select(User).where(User.username == spec["username"]))
        if user is None:
            roles = {GlobalRole(spec["role"])} if spec["role"] in GlobalRole._value2member_map_ else set()
            user = create_user(
                spec["username"],
                spec["full_name"],
                password,
                unit=units[spec["unit"]],
                title=spec.get("title", ""),
                roles=roles,
                commit=False,
            )
        users[spec["username"]] = user
    db.session.flush()
    return users


def _score(round_: Round, assignments: list[Assignment]) -> None:
    """Scores from a model: merit per dossier, then each member's leniency and spread, plus noise."""
    rng = np.random.default_rng(SEED)
    merit = {a.dossier_id: rng.normal(13.0, 2.5) for a in assignments}
    criteria = round_.criteria
    recused = False
    for assignment in assignments:
        username = assignment.member.user.username
        draw = rng.random()
        completion = COMPLETION.get(username, DEFAULT_COMPLETION)
        if not recused and username == "uyvien05":
            _recuse(assignment)
            recused = True
            continue
        if draw > completion + 0.1:
            continue  # not started yet
        leniency, spread = SCORING_STYLE.get(username, (0.0, 1.0))
        points = {}
        for criterion in criteria:
            raw = 13.0 + spread * (merit[assignment.dossier_id] - 13.0 + rng.normal(0, 1.2)) + leniency
            points[criterion.id] = float(np.clip(np.round(raw * 2) / 2, 0, criterion.max_points))
        save_sheet(assignment, points, user=assignment.member.user, submit=draw <= completion)


def _recuse(assignment: Assignment) -> None:
    reason = "Tôi từng tham gia góp ý xây dựng mô hình này khi còn công tác tại đơn vị."
    assignment.status = AssignmentStatus.RECUSED
    db.session.add(
        ConflictDeclaration(
            member=assignment.member,
            dossier=assignment.dossier,
            reason=reason,
            declared_by=assignment.member.user,
        )
    )
    append_event(assignment, ScoreEventKind.RECUSE, {}, user=assignment.member.user, reason=reason)
    db.session.commit()
