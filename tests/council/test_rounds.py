"""The round workflow: forward one step at a time, back only with a reason, every step recorded."""

from __future__ import annotations

import pytest

from council.models import RoundStatus
from council.services.rounds import DEFAULT_RUBRIC, WorkflowError, advance_round, reopen_round


def test_new_round_has_the_default_rubric(populated_round):
    criteria = populated_round.round.criteria
    assert [c.name for c in criteria] == [name for name, _ in DEFAULT_RUBRIC]
    assert [c.name for c in criteria] == [
        "Tính mới",
        "Tính phù hợp",
        "Tính tập thể",
        "Tính thiết thực, hiệu quả",
        "Tính kinh tế",
    ]
    assert all(c.max_points == 20 and c.weight == 1 for c in criteria)
    assert populated_round.round.max_total == 100
    assert (
        populated_round.round.status is RoundStatus.DRAFT and populated_round.round.reviewers_per_dossier == 3
    )


def test_advance_walks_every_step_but_finalising_then_stops(populated_round):
    round_, secretary = populated_round.round, populated_round.users["secretary"]
    seen = [round_.status]
    for _ in range(4):
        seen.append(advance_round(round_, user=secretary))
    assert seen == list(RoundStatus)[:5]
    # Finalising stores the snapshot: it has its own service, not a plain step forward.
    with pytest.raises(WorkflowError, match="chốt kết quả"):
        advance_round(round_, user=secretary)
    assert round_.status is RoundStatus.DELIBERATION
    round_.status = RoundStatus.FINALISED
    assert advance_round(round_, user=secretary) is RoundStatus.PUBLISHED
    with pytest.raises(WorkflowError, match="bước cuối cùng"):
        advance_round(round_, user=secretary)


def test_reopen_needs_an_earlier_step_and_a_reason(populated_round):
    round_, chair = populated_round.round, populated_round.users["chair"]
    for _ in range(4):
        advance_round(round_, user=chair)
    assert round_.status is RoundStatus.DELIBERATION
    with pytest.raises(WorkflowError, match="bước trước"):
        reopen_round(round_, RoundStatus.FINALISED, "Lý do đủ dài để ghi nhận.", user=chair)
    with pytest.raises(WorkflowError, match="Lý do"):
        reopen_round(round_, RoundStatus.SCORING, "ngắn", user=chair)
    reopen_round(round_, RoundStatus.SCORING, "Một thành viên chấm nhầm hồ sơ HS-2025-0001.", user=chair)
    last = round_.status_changes[-1]
    assert (last.from_status, last.to_status, last.actor) == (
        RoundStatus.DELIBERATION,
        RoundStatus.SCORING,
        chair,
    )
    assert "chấm nhầm" in last.reason


def test_advance_page_says_what_the_step_locks(populated_round, login):
    page = login("secretary").get(f"/rounds/{populated_round.round.id}/").get_data(as_text=True)
    assert "Chuyển bước tiếp theo: Tiếp nhận hồ sơ" in page and "Mở tiếp nhận hồ sơ" in page


def test_a_refused_reopen_keeps_what_the_chair_typed(populated_round, login):
    round_ = populated_round.round
    advance_round(round_, user=populated_round.users["chair"])
    client = login("chair")
    response = client.post(f"/rounds/{round_.id}/reopen", data={"target": "draft", "reason": "ngắn quá"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "ngắn quá" in page and "ít nhất 10 ký tự" in page
    assert round_.status is RoundStatus.INTAKE


def test_round_history_is_shown(populated_round, login):
    round_ = populated_round.round
    client = login("chair")
    client.post(f"/rounds/{round_.id}/advance")
    page = client.get(f"/rounds/{round_.id}/").get_data(as_text=True)
    assert "Lịch sử đợt xét" in page and "Nháp → Tiếp nhận hồ sơ" in page
