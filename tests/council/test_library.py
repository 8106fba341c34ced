"""The library of recognised initiatives: filled at finalising, searched with and without diacritics."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from council.extensions import db
from council.models import AwardTier, Field, LibraryEntry, RoundStatus
from council.services import decisions, deliberation, library
from council.services.library import LibraryQuery, fold, query_words

TITLES = {
    0: "Mô hình “Tổ hợp tác nông dân trồng lúa hữu cơ”",
    1: "Sáng kiến nâng cao tính kinh tế của bếp ăn tập thể",
    2: "Ứng dụng Zalo trong sinh hoạt chi đoàn",
    3: "Đường điện thắp sáng đường quê",
}


@pytest.fixture
def library_round(deliberation_round):
    """The deliberation round with Vietnamese titles, one tier recognising every dossier, finalised."""
    pr = deliberation_round
    for i, title in TITLES.items():
        pr.dossiers[i].title = title
    pr.dossiers[4].summary = "Giúp hội viên tiêu thụ nông sản."
    pr.dossiers[2].summary = "Mỗi chi đoàn một nhóm Zalo."
    pr.dossiers[5].summary = "Sổ tay điện tử cho cán bộ cơ sở, " * 20 + "gửi qua Zalo."
    db.session.add(AwardTier(round_id=pr.round.id, position=1, name="Công nhận sáng kiến", min_score=0.0))
    db.session.commit()
    pr.snapshot = deliberation.finalise(pr.round, user=pr.users["chair"])
    return pr


def _titles(query: str, **filters) -> list[str]:
    return [e.dossier.title for e in library.search(LibraryQuery(words=query, **filters)).entries]


def test_fold_removes_diacritics_and_d_stroke():
    assert fold("Tính kinh tế") == "tinh kinh te"
    assert fold("ĐOÀN Thanh niên, Hội Nông dân") == "doan thanh nien, hoi nong dan"
    assert fold("Tính kinh tế") == fold("Ti\u0301nh kinh tê\u0301")  # NFD input folds the same
    assert query_words('"nông" OR dân* -(x)') == ["nong", "or", "dan", "x"]


def test_finalising_fills_the_library_with_the_recognised_dossiers(library_round):
    count = db.session.scalar(select(func.count()).select_from(LibraryEntry))
    assert count == len(library_round.dossiers)
    entry = db.session.scalar(
        select(LibraryEntry).where(LibraryEntry.dossier_id == library_round.dossiers[1].id)
    )
    assert (
        entry.tier_name == "Công nhận sáng kiến"
        and entry.year == 2025
        and entry.snapshot_id == library_round.snapshot.id
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tinh kinh te", TITLES[1]),
        ("Tính kinh tế", TITLES[1]),
        ("TINH KINH TẾ", TITLES[1]),
        ("zalo chi doan", TITLES[2]),
        ("đường quê", TITLES[3]),
        ("duong que", TITLES[3]),
        ("huu co", TITLES[0]),
    ],
)
def test_search_works_with_and_without_diacritics(library_round, query, expected):
    assert _titles(query) == [expected]


def test_every_word_must_match_as_a_whole_word(library_round):
    assert _titles("tiêu thụ nong san") == [library_round.dossiers[4].title]  # in its summary
    assert len(_titles("nong dan")) == 8  # every dossier's unit is the Hội Nông dân
    assert _titles("zalo lua") == []
    assert _titles("nâng ca") == []  # "ca" is not "cao"


def test_more_mentions_rank_first(library_round):
    # "Zalo" in the title and the short summary beats one mention at the end of a long summary.
    assert _titles("zalo") == [TITLES[2], library_round.dossiers[5].title]


def test_operators_and_quotes_typed_in_the_box_are_words_not_syntax(library_round):
    for query in [
        '"',
        "nong AND",
        "NOT zalo",
        "zalo OR",
        "*",
        "(",
        'nông dân"*',
        "NEAR(a b)",
        "-x",
        "'; DROP",
    ]:
        library.search(LibraryQuery(words=query))  # no error from the full-text engine


def test_filters_narrow_the_search(library_round):
    business = _titles("", field=Field.BUSINESS)
    public = _titles("", field=Field.PUBLIC_SERVICE)
    assert business and public and not set(business) & set(public)
    assert _titles("", year=2024) == [] and len(_titles("", year=2025)) == 8


def test_reopening_takes_the_round_out_and_issuing_adds_the_decision(library_round):
    pr = library_round
    decision = decisions.issue(pr.round, user=pr.users["secretary"])
    assert {e.decision_id for e in db.session.scalars(select(LibraryEntry))} == {decision.id}
    deliberation.mark_reopened(pr.round, "Sai sót", user=pr.users["chair"])
    pr.round.status = RoundStatus.DELIBERATION
    db.session.commit()
    assert _titles("tinh kinh te") == []
    library.sync_all()
    assert _titles("tinh kinh te") == []  # a re-opened round stays out until finalised again
