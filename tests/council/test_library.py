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


# --- The pages ----------------------------------------------------------------------------------


def _entry_of(dossier) -> LibraryEntry:
    return db.session.scalar(select(LibraryEntry).where(LibraryEntry.dossier_id == dossier.id))


def test_the_library_page_finds_without_diacritics_and_filters(library_round, login):
    client = login("member")
    page = client.get("/library/?q=tinh+kinh+te").get_data(as_text=True)
    assert TITLES[1] in page and TITLES[0] not in page and "1 kết quả" in page
    page = client.get("/library/?q=&field=public_service&year=2025&page=abc&level=xyz").get_data(as_text=True)
    public = [d.title for d in library_round.dossiers if d.field is Field.PUBLIC_SERVICE]
    assert public and all(title in page for title in public)
    assert TITLES[0] not in page  # a business dossier


def test_the_public_library_shows_published_rounds_only(library_round, client):
    assert client.get("/library/").status_code == 302  # the full library needs an account
    page = client.get("/library/public/?q=zalo").get_data(as_text=True)
    assert "Không tìm thấy" in page and TITLES[2] not in page
    entry = db.session.scalar(
        select(LibraryEntry).where(LibraryEntry.dossier_id == library_round.dossiers[2].id)
    )
    assert client.get(f"/library/public/{entry.id}").status_code == 404
    library_round.round.status = RoundStatus.PUBLISHED
    db.session.commit()
    assert TITLES[2] in client.get("/library/public/?q=zalo").get_data(as_text=True)
    page = client.get(f"/library/public/{entry.id}").get_data(as_text=True)
    assert TITLES[2] in page and "Ghi nhận" not in page  # read-only


def test_a_unit_records_replication_and_the_library_shows_where(library_round, login):
    entry = db.session.scalar(
        select(LibraryEntry).where(LibraryEntry.dossier_id == library_round.dossiers[0].id)
    )
    client = login("member")  # of the Ủy ban MTTQ unit
    refused = client.post(f"/library/{entry.id}/replications", data={"place": "  "})
    assert refused.status_code == 400 and "Vui lòng nhập nơi đã nhân rộng" in refused.get_data(as_text=True)
    data = {"place": "Chi hội Phú Lộc", "started_on": "2025-04-01", "note": "Tăng thu nhập"}
    assert client.post(f"/library/{entry.id}/replications", data=data).status_code == 302
    data["place"] = "Chi hội Phú Xuân"  # the same unit again: updates, does not duplicate
    assert client.post(f"/library/{entry.id}/replications", data=data).status_code == 302
    page = client.get(f"/library/{entry.id}").get_data(as_text=True)
    assert "Chi hội Phú Xuân" in page and "Chi hội Phú Lộc" not in page and "ngày 01 tháng 4 năm 2025" in page
    assert "Đã nhân rộng tại 1 đơn vị" in client.get("/library/?q=huu+co").get_data(as_text=True)
