"""The recognition decision: drafted from the final snapshot, issued with a number, printed, checked."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from council.documents.vietnamese import format_date
from council.extensions import db
from council.models import AwardTier, Decision, Dossier, RoundStatus
from council.services import decisions, deliberation


@pytest.fixture
def final_round(deliberation_round):
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
    pr.payload = deliberation.final_snapshot(pr.round).payload
    return pr


def _awarded(payload):
    return [d for d in payload["dossiers"] if d["tier"] is not None]


def _issue(pr, client):
    assert client.get(f"/rounds/{pr.round.id}/decision/").status_code == 200
    decision = decisions.draft(pr.round)
    data = decisions.defaults(pr.round, decision.snapshot)
    form = {k: v for k, v in data.items() if k not in decisions.LIST_FIELDS and k != "issued_on"}
    form.update({k: "\n".join(data[k]) for k in decisions.LIST_FIELDS})
    form["issued_on"] = "2025-03-05"
    form["place"] = "Hà Nội"
    assert client.post(f"/rounds/{pr.round.id}/decision/", data=form).status_code == 302
    assert client.post(f"/rounds/{pr.round.id}/decision/issue").status_code == 302
    return db.session.scalar(select(Decision).order_by(Decision.id.desc()))


def _text(pdf_bytes: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_nothing_before_finalisation(deliberation_round, login, app):
    round_ = deliberation_round.round
    response = login("secretary").get(f"/rounds/{round_.id}/decision/")
    assert response.status_code == 409 and "Chưa chốt kết quả" in response.get_data(as_text=True)
    with pytest.raises(decisions.DecisionError):
        decisions.draft(round_)
    result = app.test_cli_runner().invoke(args=["decision", str(round_.id), "--out", "/tmp/never.pdf"])
    assert result.exit_code != 0 and "Chưa chốt kết quả" in result.output


def test_the_pdf_holds_every_awarded_dossier_by_tier_with_number_and_date(final_round, login):
    pr = final_round
    client = login("secretary")
    decision = _issue(pr, client)
    assert (decision.number, decision.issuer_symbol, decision.year) == (1, "QĐ-MTTQ-BTT", 2025)
    response = client.get(f"/rounds/{pr.round.id}/decision/{decision.id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _text(response.data)
    assert "QUYẾT ĐỊNH" in text and "Số: 01/QĐ-MTTQ-BTT" in text
    assert f"Hà Nội, {format_date(decision.issued_on)}" in text and "ngày 05 tháng 3 năm 2025" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    awarded = _awarded(pr.payload)
    assert awarded and all(d["title"] in text for d in awarded)
    not_awarded = [d for d in pr.payload["dossiers"] if d["tier"] is None]
    assert all(f"{d['title']} " not in text.split("DANH SÁCH")[-1] for d in not_awarded)
    upper = text.index("I. ĐỀ NGHỊ KHEN THƯỞNG CẤP TRÊN")
    recognised = text.index("II. CÔNG NHẬN SÁNG KIẾN")
    tiers = {t["id"]: t["name"] for t in pr.payload["tiers"]}
    for d in awarded:
        position = text.index(d["title"], upper)
        assert (position < recognised) == (tiers[d["tier"]] == "Đề nghị khen thưởng cấp trên")
    assert "Nguyễn Thị Ánh" in text  # Vietnamese extracted intact
    reader = PdfReader(io.BytesIO(response.data))
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    assert fonts and all(
        "/FontFile2" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object() for f in fonts
    )


def test_documents_come_from_the_snapshot_not_live_data(final_round, login):
    pr = final_round
    client = login("secretary")
    decision = _issue(pr, client)
    first = _awarded(pr.payload)[0]
    db.session.execute(
        sa.update(Dossier).where(Dossier.id == first["id"]).values(title="Tên đã bị sửa sau khi chốt")
    )
    db.session.commit()
    text = _text(client.get(f"/rounds/{pr.round.id}/decision/{decision.id}/pdf").data)
    assert first["title"] in text and "Tên đã bị sửa sau khi chốt" not in text


def test_the_docx_is_editable_times_new_roman_with_the_list(final_round, login):
    pr = final_round
    client = login("chair")
    decision = _issue(pr, client)
    response = client.get(f"/rounds/{pr.round.id}/decision/{decision.id}/docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "QUYẾT ĐỊNH" in body + cells and "Số: 01/QĐ-MTTQ-BTT" in body + cells
    assert all(d["title"] in cells for d in _awarded(pr.payload))
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert 13 <= document.styles["Normal"].font.size.pt <= 14


def test_xlsx_and_print_page(final_round, login):
    pr = final_round
    client = login("secretary")
    decision = _issue(pr, client)
    response = client.get(f"/rounds/{pr.round.id}/decision/{decision.id}/xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    page = client.get(f"/rounds/{pr.round.id}/decision/{decision.id}/html").get_data(as_text=True)
    assert "Số: 01/QĐ-MTTQ-BTT" in page and all(d["title"] in page for d in _awarded(pr.payload))
    assert "<script" not in page and "style=" not in page  # the CSP allows neither


def test_numbers_are_never_reused(final_round, login):
    pr = final_round
    first = _issue(pr, login("secretary"))
    # Another body's earlier decision this year already took number 7 of the same symbol.
    db.session.add(
        Decision(
            round_id=pr.round.id,
            snapshot_id=first.snapshot_id,
            number=7,
            issuer_symbol="QĐ-MTTQ-BTT",
            year=2025,
        )
    )
    db.session.commit()
    chair = login("chair")
    reopen = {"target": "deliberation", "reason": "Bổ sung biên bản họp, cần chốt lại kết quả."}
    assert chair.post(f"/rounds/{pr.round.id}/reopen", data=reopen).status_code == 302
    assert chair.post(f"/rounds/{pr.round.id}/ranking/finalise", data={"confirm": "y"}).status_code == 302
    second = _issue(pr, login("secretary"))
    assert second.id != first.id and second.number == 8
    numbers = db.session.scalars(select(Decision.number).where(Decision.number.is_not(None))).all()
    assert sorted(numbers) == [1, 7, 8]
    db.session.refresh(first)
    assert first.number == 1  # the first decision keeps its number and its snapshot


def test_issued_decisions_cannot_be_edited_and_required_lines_are_named(final_round, login):
    pr = final_round
    client = login("secretary")
    client.get(f"/rounds/{pr.round.id}/decision/")
    response = client.post(
        f"/rounds/{pr.round.id}/decision/", data={"issuer_symbol": "QĐ-MTTQ-BTT", "place": "Huế"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Họ tên người ký: không được để trống." in page and "Huế" in page
    decision = _issue(pr, client)
    response = client.post(f"/rounds/{pr.round.id}/decision/", data={"signer_name": "Người khác"})
    assert response.status_code == 403
    db.session.refresh(decision)
    assert decision.signer_name != "Người khác"
    client.post(f"/rounds/{pr.round.id}/decision/issue")
    assert db.session.scalar(sa.func.count(Decision.id)) == 1


def test_verification_page_accepts_the_right_code_and_rejects_a_wrong_one(final_round, login, app):
    pr = final_round
    decision = _issue(pr, login("secretary"))
    anonymous = app.test_client()
    code = decision.verify_code
    assert code == decisions.vietnamese.short_code(decision.snapshot.fingerprint)
    page = anonymous.get(f"/verify/{code}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "01/QĐ-MTTQ-BTT" in text and "ngày 05 tháng 3 năm 2025" in text
    assert all(d["title"] in text for d in _awarded(pr.payload))
    assert anonymous.get(f"/verify/{code.lower().replace('-', '')}").status_code == 200
    wrong = anonymous.get("/verify/0000-0000-0000")
    assert wrong.status_code == 404 and "Không tìm thấy" in wrong.get_data(as_text=True)
    assert anonymous.get(f"/verify/?code={code}").status_code == 302
    assert anonymous.get("/verify/").status_code == 200
    # The PDF carries the code and a link to this page.
    text = _text(login("secretary").get(f"/rounds/{pr.round.id}/decision/{decision.id}/pdf").data)
    assert code in text


def test_a_drafts_code_is_not_verified(final_round, login, app):
    pr = final_round
    client = login("secretary")
    client.get(f"/rounds/{pr.round.id}/decision/")
    code = decisions.vietnamese.short_code(deliberation.final_snapshot(pr.round).fingerprint)
    assert app.test_client().get(f"/verify/{code}").status_code == 404


@pytest.mark.parametrize(
    ("username", "view", "edit"),
    [("secretary", 200, 302), ("chair", 200, 302), ("vice", 200, 403), ("auditor", 200, 403),
     ("member", 403, 403), ("outsider", 403, 403), ("admin", 403, 403)],
)  # fmt: skip
def test_who_sees_and_issues_the_decision(final_round, login, username, view, edit):
    pr = final_round
    client = login(username)
    assert client.get(f"/rounds/{pr.round.id}/decision/").status_code == view
    assert client.post(f"/rounds/{pr.round.id}/decision/issue").status_code == edit


def test_cli_writes_each_format(final_round, app, tmp_path):
    runner = app.test_cli_runner()
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK"), ("html", b"<!doctype html>")):
        out = tmp_path / f"decision.{fmt}"
        result = runner.invoke(
            args=["decision", str(final_round.round.id), "--format", fmt, "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert out.read_bytes().lstrip()[: len(magic)].lower() == magic.lower()
    assert final_round.round.status is RoundStatus.FINALISED


def test_certificates_one_page_per_recognised_dossier(final_round, login):
    pr = final_round
    client = login("secretary")
    decision = _issue(pr, client)
    response = client.get(f"/rounds/{pr.round.id}/decision/{decision.id}/certificates")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    awarded = _awarded(pr.payload)
    assert len(reader.pages) == len(awarded)
    texts = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    assert all("GIẤY CHỨNG NHẬN" in t and "01/QĐ-MTTQ-BTT" in t for t in texts)
    assert {d["title"] for d in awarded} == {d["title"] for d in awarded for t in texts if d["title"] in t}
