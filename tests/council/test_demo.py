"""The demo round: realistic, consistent with the rules, loaded once."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

import numpy as np
from sqlalchemy import func, select

from council.extensions import db
from council.models import (
    Assignment,
    AssignmentStatus,
    CouncilMember,
    CouncilRole,
    CriterionScore,
    Dossier,
    Field,
    Round,
    RoundStatus,
    ScoreEvent,
    ScoreSheet,
    SheetStatus,
    Unit,
    User,
)
from council.services.demo import load_demo


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_is_idempotent(app):
    first = load_demo("mat-khau-demo")
    counts = {m.__name__: _count(m) for m in (Round, Unit, User, Dossier, Assignment, ScoreSheet, ScoreEvent)}
    second = load_demo("mat-khau-demo")
    assert first.created and not second.created and first.round.id == second.round.id
    assert counts == {
        m.__name__: _count(m) for m in (Round, Unit, User, Dossier, Assignment, ScoreSheet, ScoreEvent)
    }


def test_demo_round_shape(app):
    round_ = load_demo("mat-khau-demo").round
    assert round_.status is RoundStatus.SCORING
    assert 55 <= len(round_.dossiers) <= 65
    assert {d.field for d in round_.dossiers} == set(Field)
    assert 9 <= len({d.unit_id for d in round_.dossiers}) <= 12
    roles = [m.role for m in round_.members]
    assert (
        len(roles) == 12 and roles.count(CouncilRole.CHAIR) == 1 and roles.count(CouncilRole.SECRETARY) == 1
    )


def test_demo_assignments_respect_k_and_conflicts(app):
    round_ = load_demo("mat-khau-demo").round
    loads: dict[int, int] = defaultdict(int)
    for dossier in round_.dossiers:
        members = [a.member for a in dossier.assignments]
        assert len({m.id for m in members}) == round_.reviewers_per_dossier
        assert all(m.user.unit_id != dossier.unit_id for m in members)  # nobody scores their own unit
        assert all(m.role is not CouncilRole.SECRETARY for m in members)
        for a in dossier.assignments:
            loads[a.member_id] += 1
    assert max(loads.values()) - min(loads.values()) <= 2  # balanced


def test_demo_scores_are_partial_and_show_lenient_and_harsh_members(app):
    load_demo("mat-khau-demo")
    statuses = [s.status for s in db.session.scalars(select(ScoreSheet))]
    assignments = _count(Assignment)
    assert 0.5 * assignments < statuses.count(SheetStatus.SUBMITTED) < 0.95 * assignments
    assert statuses.count(SheetStatus.DRAFT) > 0
    recused = db.session.scalars(
        select(Assignment).where(Assignment.status == AssignmentStatus.RECUSED)
    ).all()
    assert len(recused) == 1
    rows = db.session.execute(
        select(User.username, CriterionScore.points)
        .join(ScoreSheet, CriterionScore.sheet_id == ScoreSheet.id)
        .join(Assignment)
        .join(CouncilMember)
        .join(User)
    ).all()
    by_member: dict[str, list[float]] = defaultdict(list)
    for username, points in rows:
        by_member[username].append(points)
    mean = {name: np.mean(points) for name, points in by_member.items()}
    spread = {name: np.std(points) for name, points in by_member.items()}
    assert mean["uyvien02"] - mean["uyvien04"] > 4  # a lenient and a harsh member, visibly apart
    assert spread["uyvien08"] > 2 * spread["uyvien07"]  # a wide and a narrow scorer
    assert all(0 <= p <= 20 and (2 * p) == int(2 * p) for _, p in rows)  # whole or half points


def test_every_sheet_has_its_history(app):
    load_demo("mat-khau-demo")
    sheets = db.session.scalars(select(ScoreSheet)).all()
    assert all(sheet.events and sheet.events[-1].payload["version"] == sheet.version for sheet in sheets)
    events = db.session.scalars(select(ScoreEvent).order_by(ScoreEvent.id)).all()
    assert all(b.prev_digest == a.digest for a, b in pairwise(events))


def test_demo_command_prints_logins(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert (
        "chutich" in result.output
        and "thuky" in result.output
        and app.config["DEMO_PASSWORD"] in result.output
    )
    again = app.test_cli_runner().invoke(args=["demo", "--if-empty"])
    assert "Đã có sẵn" in again.output and _count(Round) == 1


def test_demo_logins_see_pages_for_their_role(app):
    load_demo(app.config["DEMO_PASSWORD"])
    client = app.test_client()
    round_id = db.session.scalar(select(Round.id))

    def sign_in(username: str) -> None:
        client.post("/logout")
        response = client.post("/login", data={"username": username, "password": app.config["DEMO_PASSWORD"]})
        assert response.status_code == 302

    sign_in("chutich")
    assert "Tiến độ chấm điểm" in client.get(f"/rounds/{round_id}/").get_data(as_text=True)
    sign_in("thuky")
    assert "Chuyển bước tiếp theo" in client.get(f"/rounds/{round_id}/").get_data(as_text=True)
    assert client.get(f"/rounds/{round_id}/dossiers/").status_code == 200
    sign_in("uyvien01")
    page = client.get("/review/").get_data(as_text=True)
    assert "Đã nộp" in page and "HS-" in page
    assert client.get(f"/rounds/{round_id}/dossiers/").status_code == 403


def test_demo_round_can_be_taken_to_a_finalised_verdict(app):
    """What the README walks through: close scoring, look at the ranking, finalise."""
    from council.services import deliberation
    from council.services.rounds import advance_round

    round_ = load_demo("mat-khau-demo").round
    chair = next(m.user for m in round_.members if m.role is CouncilRole.CHAIR)
    advance_round(round_, user=chair)
    payload = deliberation.current(round_).payload
    tiers = {t["name"]: t for t in payload["tiers"]}
    assert "Đề nghị đưa vào Sách vàng sáng tạo Việt Nam" in tiers
    on_list = [d for d in payload["dossiers"] if d["tier"] is not None]
    assert 10 <= len(on_list) < len(payload["dossiers"])
    snapshot = deliberation.finalise(round_, user=chair)
    assert round_.status is RoundStatus.FINALISED and deliberation.verify(snapshot)
