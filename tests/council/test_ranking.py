"""The chair's deliberation: ranking pages, award tiers, votes and adjustments, finalising, re-opening."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from council.documents.vietnamese import short_code
from council.extensions import db
from council.models import (
    AwardTier,
    DeliberationEntry,
    Dossier,
    RankingSnapshot,
    RoundStatus,
)
from council.services import deliberation, ranking
from council.services.scoresheets import SheetClosed, save_sheet


def _add_tiers(round_, *specs):
    for position, (name, min_score, quota) in enumerate(specs, start=1):
        db.session.add(
            AwardTier(round_id=round_.id, position=position, name=name, min_score=min_score, quota=quota)
        )
    db.session.commit()


def _payload(round_):
    return deliberation.current(round_).payload


def _row(payload, code):
    return next(d for d in payload["dossiers"] if d["code"] == code)


def _tier_name(payload, tier_id):
    return {t["id"]: t["name"] for t in payload["tiers"]}.get(tier_id)


# --- the ranking equals the command line's ---------------------------------------------------------


def test_app_ranking_equals_the_command_line_on_the_exported_scores(deliberation_round, login, tmp_path):
    round_ = deliberation_round.round
    _add_tiers(round_, ("Công nhận", 70.0, None))
    response = login("chair").get(f"/rounds/{round_.id}/ranking/scores.csv")
    assert response.status_code == 200
    scores = tmp_path / "scores.csv"
    scores.write_bytes(response.data)
    payload = _payload(round_)
    out = tmp_path / "ranking.csv"
    command = [sys.executable, "-m", "scoring", "rank", str(scores), "--out", str(out)]
    command += ["--top", str(payload["params"]["top_k"])]
    subprocess.run(command, check=True, capture_output=True)
    with out.open(encoding="utf-8-sig") as handle:
        expected = list(csv.DictReader(handle))
    assert [r["dossier"] for r in expected] == [d["code"] for d in payload["dossiers"]]
    for want, got in zip(expected, payload["dossiers"], strict=True):
        assert int(want["rank"]) == got["rank"]
        for column in ("score", "raw_mean", "ci_low", "ci_high", "p_top"):
            assert float(want[column]) == pytest.approx(got[column], abs=1e-4), (got["code"], column)
        assert (int(want["rank_low"]), int(want["rank_high"])) == (got["rank_low"], got["rank_high"])


def test_ranking_page_shows_scores_intervals_and_explanations(deliberation_round, login):
    round_ = deliberation_round.round
    page = login("chair").get(f"/rounds/{round_.id}/ranking/").get_data(as_text=True)
    payload = _payload(round_)
    assert all(d["code"] in page for d in payload["dossiers"])
    best = payload["dossiers"][0]
    assert f"{best['score']:.1f}".replace(".", ",") in page  # decimal comma
    # m1 adds 3 points a criterion: the dossiers m1 scored are adjusted down, and the page says why.
    lenient = [d for d in payload["dossiers"] if d["reviewer_flags"]["lenient"]]
    assert lenient and all(d["score"] < d["raw_mean"] for d in lenient)
    assert "chấm dễ; hiệu chỉnh −" in page
    m1 = next(m for m in payload["members"] if m["username"] == "m1")
    assert "lenient" in m1["flags"] and m1["leniency_low"] > 0


def test_ranking_filters_by_field_and_sorts_by_movement(deliberation_round, login):
    round_ = deliberation_round.round
    client = login("secretary")
    page = client.get(f"/rounds/{round_.id}/ranking/?field=public_service").get_data(as_text=True)
    assert "HS-2025-0003" in page and "HS-2025-0004" not in page.split("Bảng xếp hạng")[1]
    page = client.get(f"/rounds/{round_.id}/ranking/?sort=movement").get_data(as_text=True)
    payload = _payload(round_)
    mover = max(payload["dossiers"], key=lambda d: (abs(d["raw_rank"] - d["rank"]), -d["rank"]))
    table = page.split("<tbody>")[1]
    assert table.index(f'id="d-{mover["code"]}"') == min(
        table.index(f'id="d-{d["code"]}"') for d in payload["dossiers"]
    )


def test_method_preview_shows_the_difference_before_saving(deliberation_round, login):
    round_ = deliberation_round.round
    client = login("chair")
    page = client.get(f"/rounds/{round_.id}/ranking/?preview=raw").get_data(as_text=True)
    assert "Hạng theo phương pháp xem trước" in page and "Lưu phương pháp này" in page
    db.session.refresh(round_)
    assert round_.ranking_method == "auto"  # a preview saves nothing
    client.post(f"/rounds/{round_.id}/ranking/method", data={"method": "raw"})
    db.session.refresh(round_)
    assert round_.ranking_method == "raw"
    payload = _payload(round_)
    assert payload["method"] == "raw"
    assert all(d["score"] == pytest.approx(d["raw_mean"]) for d in payload["dossiers"])


def test_members_page_shows_leniency_and_agreement_in_words(deliberation_round, login):
    round_ = deliberation_round.round
    page = login("vice").get(f"/rounds/{round_.id}/ranking/members").get_data(as_text=True)
    assert "Krippendorff" in page and "Chấm dễ" in page
    assert all(name in page for name in ("m1", "m2", "m3", "m4"))


def test_charts_are_svg_with_a_text_alternative(deliberation_round, login):
    round_ = deliberation_round.round
    client = login("auditor")
    for name in ("ranking", "leniency", "slope", "distribution"):
        response = client.get(f"/rounds/{round_.id}/ranking/charts/{name}.svg")
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        assert b"<svg" in response.data
    page = client.get(f"/rounds/{round_.id}/ranking/").get_data(as_text=True)
    assert 'class="chart"' in page and "Mô tả bằng lời" in page
    assert client.get(f"/rounds/{round_.id}/ranking/charts/other.svg").status_code == 404


def test_ranking_waits_until_scoring_closes(scoring_round, login):
    page = login("chair").get(f"/rounds/{scoring_round.round.id}/ranking/").get_data(as_text=True)
    assert "sau khi đóng chấm điểm" in page
    response = login("chair").get(f"/rounds/{scoring_round.round.id}/ranking/charts/ranking.svg")
    assert response.status_code == 404


# --- tiers -------------------------------------------------------------------------------------------


def test_tiers_form_names_the_row_and_keeps_the_input(deliberation_round, login):
    round_ = deliberation_round.round
    client = login("secretary")
    data = {
        "rows-0-position": "1", "rows-0-name": "Sách vàng", "rows-0-quota": "2",
        "rows-1-position": "2", "rows-1-name": "Công nhận", "rows-1-min_score": "",
    }  # fmt: skip
    response = client.post(f"/rounds/{round_.id}/ranking/tiers", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Dòng 2: cần điểm tối thiểu, số lượng tối đa, hoặc cả hai." in page and "Sách vàng" in page
    assert db.session.scalar(select(func.count(AwardTier.id))) == 0  # all or nothing
    data["rows-1-min_score"] = "150"
    assert "Dòng 2, Điểm tối thiểu: phải từ 0 đến 100" in client.post(
        f"/rounds/{round_.id}/ranking/tiers", data=data
    ).get_data(as_text=True)
    data["rows-1-min_score"] = "70"
    assert client.post(f"/rounds/{round_.id}/ranking/tiers", data=data).status_code == 302
    tiers = ranking.tiers_of(round_)
    assert [(t.name, t.min_score, t.quota) for t in tiers] == [
        ("Sách vàng", None, 2),
        ("Công nhận", 70.0, None),
    ]


def test_tiers_by_quota_and_threshold_in_the_app(deliberation_round):
    round_ = deliberation_round.round
    _add_tiers(round_, ("Sách vàng", None, 2), ("Cấp trên", 80.0, 2), ("Công nhận", 60.0, None))
    payload = _payload(round_)
    names = [_tier_name(payload, d["tier"]) for d in payload["dossiers"]]
    scores = [d["score"] for d in payload["dossiers"]]
    assert names[:2] == ["Sách vàng", "Sách vàng"]
    second = [s for s, n in zip(scores, names, strict=True) if n == "Cấp trên"]
    assert len(second) <= 2 and all(s >= 80 for s in second)
    assert all((n is None) == (s < 60) for s, n in zip(scores[4:], names[4:], strict=True) if n != "Cấp trên")


def test_a_tie_at_the_cutoff_is_highlighted(deliberation_round, login):
    """HS-2025-0004 and 0005 have equal merit: a quota that cuts between them cannot be trusted."""
    round_ = deliberation_round.round
    codes = [d["code"] for d in _payload(round_)["dossiers"]]
    first = min(codes.index("HS-2025-0004"), codes.index("HS-2025-0005"))
    assert abs(codes.index("HS-2025-0004") - codes.index("HS-2025-0005")) == 1
    _add_tiers(round_, ("Cấp trên", None, first + 1))
    payload = _payload(round_)
    assert _row(payload, "HS-2025-0004")["cutoff"] in ("near", "tie")
    assert _row(payload, "HS-2025-0005")["cutoff"] in ("near", "tie")
    assert payload["dossiers"][0]["cutoff"] == ""  # far from the cut
    page = login("chair").get(f"/rounds/{round_.id}/ranking/").get_data(as_text=True)
    assert "sát ngưỡng mức khen: Hội đồng cần xem xét" in page


# --- deliberation ---------------------------------------------------------------------------------


def _entry(client, round_, dossier, kind, *, tier=None, reason="Hội đồng biểu quyết thống nhất.", **votes):
    data = {"dossier_id": dossier.id, "kind": kind, "tier_id": tier.id if tier else 0, "reason": reason}
    data.update({k: str(v) for k, v in votes.items()})
    return client.post(f"/rounds/{round_.id}/ranking/entries", data=data)


def test_adjustments_need_a_reason_and_stand_beside_the_statistics(deliberation_round, login):
    pr = deliberation_round
    round_ = pr.round
    _add_tiers(round_, ("Cấp trên", None, 2), ("Công nhận", 70.0, None))
    upper, recognised = ranking.tiers_of(round_)
    client = login("chair")
    payload = _payload(round_)
    last_on_list = [d for d in payload["dossiers"] if d["tier"] == recognised.id][-1]
    dossier = db.session.get(Dossier, last_on_list["id"])
    response = _entry(client, round_, dossier, "move", tier=upper, reason="ngắn")
    assert response.status_code == 400 and "ít nhất 10 ký tự" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(DeliberationEntry.id))) == 0
    response = _entry(client, round_, dossier, "move", tier=upper, reason="Mô hình đã nhân rộng ra 5 huyện.")
    assert response.status_code == 302
    row = _row(_payload(round_), dossier.code)
    assert (row["tier"], row["statistical_tier"]) == (upper.id, recognised.id)
    assert row["score"] == last_on_list["score"]  # the statistics are untouched
    # Include needs the dossier off the list; exclude needs it on.
    off = next(d for d in payload["dossiers"] if d["tier"] is None)
    off_dossier = db.session.get(Dossier, off["id"])
    assert _entry(client, round_, off_dossier, "exclude").status_code == 400
    assert _entry(client, round_, off_dossier, "include", tier=recognised).status_code == 302
    assert _row(_payload(round_), off["code"])["tier"] == recognised.id
    # A vote records the count; it changes no tier.
    assert (
        _entry(client, round_, off_dossier, "vote", votes_for=7, votes_against=2, votes_abstain=0).status_code
        == 302
    )
    entries = list(db.session.scalars(select(DeliberationEntry).order_by(DeliberationEntry.id)))
    assert [e.kind.value for e in entries] == ["move", "include", "vote"]
    assert entries[2].votes_for == 7 and "nhân rộng" in entries[0].reason


def test_withdrawing_an_adjustment_restores_the_statistical_tier(deliberation_round, login):
    round_ = deliberation_round.round
    _add_tiers(round_, ("Công nhận", 70.0, None))
    client = login("chair")
    on = next(d for d in _payload(round_)["dossiers"] if d["tier"] is not None)
    dossier = db.session.get(Dossier, on["id"])
    _entry(client, round_, dossier, "exclude", reason="Hồ sơ trùng với sáng kiến đã công nhận năm 2023.")
    assert _row(_payload(round_), on["code"])["tier"] is None
    entry = db.session.scalar(select(DeliberationEntry))
    url = f"/rounds/{round_.id}/ranking/entries/{entry.id}/withdraw"
    client.post(url, data={"reason": "x"})
    assert _row(_payload(round_), on["code"])["tier"] is None  # no reason, not withdrawn
    client.post(url, data={"reason": "Kiểm tra lại: không trùng, giữ nguyên kết quả."})
    assert _row(_payload(round_), on["code"])["tier"] == on["tier"]
    assert db.session.scalar(select(func.count(DeliberationEntry.id))) == 2  # nothing deleted


# --- finalising and re-opening ----------------------------------------------------------------------


def _finalise(client, round_):
    return client.post(f"/rounds/{round_.id}/ranking/finalise", data={"confirm": "y"})


def test_finalise_stores_a_verifiable_snapshot_with_every_figure(deliberation_round, login):
    round_ = deliberation_round.round
    _add_tiers(round_, ("Công nhận", 70.0, None))
    client = login("chair")
    on = next(d for d in _payload(round_)["dossiers"] if d["tier"] is not None)
    _entry(
        client, round_, db.session.get(Dossier, on["id"]), "exclude", reason="Đã được công nhận ở đợt trước."
    )
    live = _payload(round_)
    assert client.post(f"/rounds/{round_.id}/ranking/finalise", data={}).status_code == 400  # not confirmed
    assert _finalise(client, round_).status_code == 302
    db.session.refresh(round_)
    assert round_.status is RoundStatus.FINALISED
    snapshot = db.session.scalar(select(RankingSnapshot))
    assert snapshot.is_final and deliberation.verify(snapshot)
    payload = snapshot.payload
    for key in ("dossiers", "members", "agreement", "tiers", "adjustments", "scores", "params"):
        assert payload[key] == live[key], key
    assert payload["adjustments"][0]["reason"] == "Đã được công nhận ở đợt trước."
    assert payload["finalised"]["by_username"] == "chair"
    download = client.get(f"/rounds/{round_.id}/ranking/snapshots/{snapshot.id}.json").data
    assert hashlib.sha256(download).hexdigest() == snapshot.fingerprint
    page = client.get(f"/rounds/{round_.id}/ranking/").get_data(as_text=True)
    assert "Kết quả đã chốt" in page and short_code(snapshot.fingerprint) in page


def test_after_finalising_scores_tiers_and_adjustments_are_refused(deliberation_round, login):
    pr = deliberation_round
    round_ = pr.round
    _add_tiers(round_, ("Công nhận", 70.0, None))
    chair = login("chair")
    assert _finalise(chair, round_).status_code == 302
    assignment = pr.assigned.assignments[0]
    with pytest.raises(SheetClosed):
        save_sheet(
            assignment,
            {c.id: 1.0 for c in round_.criteria},
            user=assignment.member.user,
            submit=True,
            reason="Sửa sau khi đã chốt kết quả.",
        )
    tier = ranking.tiers_of(round_)[0]
    response = login("secretary").post(
        f"/rounds/{round_.id}/ranking/tiers",
        data={
            "rows-0-tier_id": tier.id,
            "rows-0-position": "1",
            "rows-0-name": "Khác",
            "rows-0-min_score": "10",
        },
    )
    assert response.status_code == 400 and "Kết quả đã chốt" in response.get_data(as_text=True)
    chair = login("chair")
    response = _entry(chair, round_, pr.assigned, "exclude", reason="Thử sửa sau khi đã chốt kết quả.")
    assert response.status_code == 400
    chair.post(f"/rounds/{round_.id}/ranking/method", data={"method": "raw"})
    assert _finalise(chair, round_).status_code == 400  # a second finalisation
    db.session.expire_all()
    assert ranking.tiers_of(round_)[0].name == "Công nhận" and round_.ranking_method == "auto"
    assert db.session.scalar(select(func.count(DeliberationEntry.id))) == 0
    assert db.session.scalar(select(func.count(RankingSnapshot.id))) == 1
    assert round_.status is RoundStatus.FINALISED


def test_reopening_needs_the_chair_and_a_reason_and_keeps_the_old_snapshot(deliberation_round, login):
    round_ = deliberation_round.round
    _add_tiers(round_, ("Công nhận", 70.0, None))
    assert _finalise(login("chair"), round_).status_code == 302
    first = db.session.scalar(select(RankingSnapshot))
    secretary = login("secretary")
    reopen = {"target": "deliberation", "reason": "Phát hiện sai sót trong phiếu của HS-2025-0003."}
    assert secretary.post(f"/rounds/{round_.id}/reopen", data=reopen).status_code == 403
    chair = login("chair")
    assert chair.post(f"/rounds/{round_.id}/reopen", data={**reopen, "reason": "ngắn"}).status_code == 400
    assert chair.post(f"/rounds/{round_.id}/reopen", data=reopen).status_code == 302
    db.session.expire_all()
    assert round_.status is RoundStatus.DELIBERATION
    assert first.reopened_at is not None and "sai sót" in first.reopen_reason and deliberation.verify(first)
    page = chair.get(f"/rounds/{round_.id}/ranking/").get_data(as_text=True)
    assert "Xếp hạng tạm thời" in page and "đã mở lại" in page
    tier = ranking.tiers_of(round_)[0]
    tier.min_score = 75.0
    db.session.commit()
    assert _finalise(chair, round_).status_code == 302
    snapshots = deliberation.snapshots(round_)
    assert len(snapshots) == 2 and snapshots[0].payload["tiers"][0]["min_score"] == 75.0
    assert deliberation.final_snapshot(round_).id == snapshots[0].id


def test_a_tampered_snapshot_fails_verification(deliberation_round, login):
    round_ = deliberation_round.round
    assert _finalise(login("chair"), round_).status_code == 302
    snapshot = db.session.scalar(select(RankingSnapshot))
    payload = dict(snapshot.payload)
    payload["dossiers"] = [{**payload["dossiers"][0], "rank": 99}, *payload["dossiers"][1:]]
    db.session.execute(
        sa.update(RankingSnapshot).where(RankingSnapshot.id == snapshot.id).values(payload=payload)
    )
    db.session.commit()
    db.session.expire_all()
    assert not deliberation.verify(db.session.get(RankingSnapshot, snapshot.id))
    page = login("auditor").get(f"/rounds/{round_.id}/ranking/snapshots/{snapshot.id}").get_data(as_text=True)
    assert "KHÔNG khớp" in page


def test_finalise_waits_for_reopened_sheets(deliberation_round, login):
    pr = deliberation_round
    from council.services.scoresheets import reopen_sheet

    reopen_sheet(pr.assigned.assignments[0], "Thành viên chấm nhầm tiêu chí.", user=pr.users["chair"])
    response = _finalise(login("chair"), pr.round)
    assert response.status_code == 400 and "chưa nộp lại" in response.get_data(as_text=True)


# --- who may do what --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "view", "tiers", "deliberate"),
    [
        ("chair", 200, 200, True),
        ("vice", 200, 403, False),
        ("secretary", 200, 200, False),
        ("auditor", 200, 403, False),
        ("member", 403, 403, False),
        ("m1", 403, 403, False),
        ("outsider", 403, 403, False),
        ("admin", 403, 403, False),
    ],
)
def test_who_sees_and_changes_the_ranking(deliberation_round, login, username, view, tiers, deliberate):
    round_ = deliberation_round.round
    client = login(username)
    base = f"/rounds/{round_.id}/ranking"
    for path in ("/", "/members", "/charts/ranking.svg", "/scores.csv"):
        assert client.get(base + path).status_code == view, path
    assert client.get(base + "/tiers").status_code == tiers
    expected = 302 if deliberate else 403
    response = _entry(client, round_, deliberation_round.assigned, "vote", votes_for=5)
    assert response.status_code == expected
    assert _finalise(client, round_).status_code == expected


def test_other_rounds_snapshots_are_not_reachable(deliberation_round, login):
    pr = deliberation_round
    assert _finalise(login("chair"), pr.round).status_code == 302
    snapshot = db.session.scalar(select(RankingSnapshot))
    client = login("outsider")  # chair of the other round
    assert client.get(f"/rounds/{pr.other_round.id}/ranking/snapshots/{snapshot.id}").status_code == 404
    assert client.get(f"/rounds/{pr.round.id}/ranking/snapshots/{snapshot.id}").status_code == 403


# --- command line -----------------------------------------------------------------------------------


def test_cli_prints_the_ranking_and_finalises(deliberation_round, app):
    round_ = deliberation_round.round
    runner = app.test_cli_runner()
    result = runner.invoke(args=["rank", str(round_.id)])
    assert result.exit_code == 0, result.output
    payload = _payload(round_)
    lines = [line for line in result.output.splitlines() if "HS-2025-" in line]
    assert [line.split()[1] for line in lines] == [d["code"] for d in payload["dossiers"]]
    result = runner.invoke(args=["rank", str(round_.id), "--method", "raw"])
    assert "method raw" in result.output
    result = runner.invoke(args=["finalise", str(round_.id), "--as", "chair"])
    assert result.exit_code == 0, result.output
    snapshot = db.session.scalar(select(RankingSnapshot))
    assert snapshot.fingerprint in result.output and snapshot.created_by.username == "chair"
    again = runner.invoke(args=["finalise", str(round_.id)])
    assert again.exit_code != 0 and "Họp xét" in again.output
    assert "final snapshot" in runner.invoke(args=["rank", str(round_.id)]).output
    assert runner.invoke(args=["rank", "9999"]).exit_code != 0


def test_the_record_cannot_be_rewritten_through_the_app(deliberation_round, login):
    from council.models.outcome import VerdictIsFrozen

    round_ = deliberation_round.round
    _add_tiers(round_, ("Công nhận", 70.0, None))
    client = login("chair")
    _entry(client, round_, deliberation_round.assigned, "vote", votes_for=5)
    assert _finalise(client, round_).status_code == 302
    entry = db.session.scalar(select(DeliberationEntry))
    entry.reason = "sửa lén"
    with pytest.raises(VerdictIsFrozen):
        db.session.commit()
    db.session.rollback()
    snapshot = db.session.scalar(select(RankingSnapshot))
    snapshot.fingerprint = "0" * 64
    with pytest.raises(VerdictIsFrozen):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.scalar(select(RankingSnapshot)))
    with pytest.raises(VerdictIsFrozen):
        db.session.commit()
    db.session.rollback()


def test_a_malformed_tier_row_is_named_by_row_and_column(deliberation_round, login):
    client = login("secretary")
    data = {"rows-0-name": "Công nhận", "rows-0-min_score": "bảy mươi", "rows-0-quota": ""}
    response = client.post(f"/rounds/{deliberation_round.round.id}/ranking/tiers", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Dòng 1, Điểm tối thiểu:" in page
    assert "{" not in page.split("<main>")[1]  # not a Python dict of errors
