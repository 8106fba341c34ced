"""Nomination upward: a district council's package, imported by a province council's installation.

Two app instances, two databases (another SQLite file, or another PostgreSQL schema), two instance
folders: the sender is the usual ``app`` fixture; the receiver is built here. Each works in its own
app context, so each has its own database session; nothing of one is touched inside the other's.
"""

from __future__ import annotations

import io
import json
import os
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from council import create_app
from council.extensions import db
from council.models import (
    Assignment,
    Attachment,
    AwardTier,
    CouncilMember,
    CouncilRole,
    Dossier,
    DossierKind,
    DossierProvenance,
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
from council.services import attachments, decisions, deliberation, nominations, ranking
from council.services.accounts import create_user
from council.services.rounds import create_round
from council.services.scoresheets import save_sheet
from tests.conftest import PASSWORD, POSTGRES_URL, FreshRequestClient

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(40))
SENDER_URL = "https://mttq-huyen.example.vn"
UPWARD, RECOGNISED = "Đề nghị khen thưởng cấp trên", "Công nhận sáng kiến"
SCHOOL = "Trường Tiểu học xã An Bình"
LIMITS = nominations.Limits()


# --- the sending installation (district) ---------------------------------------------------------


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """The sending installation, with the public address its QR codes and verify URLs point to."""
    app = make_app(PUBLIC_URL=SENDER_URL)
    with app.app_context():
        db.create_all()
        yield app


def _root(app: Flask) -> str:
    return os.path.join(app.instance_path, "attachments")


@pytest.fixture
def sender(app, deliberation_round):
    """The district round: full intake fields, three attachments, two tiers (the first goes upward),
    finalised by the chair and its decision issued on 05/3/2025."""
    pr = deliberation_round
    round_, secretary = pr.round, pr.users["secretary"]
    round_.level = Level.DISTRICT
    school = Unit(name=SCHOOL, kind=UnitKind.PUBLIC_SERVICE_UNIT, level=Level.COMMUNE)
    for dossier in pr.dossiers:
        dossier.summary = f"Mô tả của {dossier.code}: áp dụng chuyển đổi số trong sinh hoạt chi hội."
    first, second = pr.dossiers[0], pr.dossiers[1]
    first.co_authors = ["Lê Thị Bình", "Phạm Văn Cường"]
    first.novelty, first.results = "Lần đầu áp dụng ở huyện.", "Tiết kiệm 120 triệu đồng mỗi năm."
    first.applied_time, first.applied_place = "Từ tháng 01/2024", "Xã An Bình, huyện Thử"
    first.applied_work = "Quản lý hội viên bằng ứng dụng trên điện thoại."
    second.unit = school
    db.session.add_all(
        [
            AwardTier(round_id=round_.id, position=1, name=UPWARD, quota=2, nominate_upward=True),
            AwardTier(round_id=round_.id, position=2, name=RECOGNISED, min_score=70.0),
        ]
    )
    db.session.commit()
    for dossier, name, data in (
        (first, "Báo cáo tổng kết.pdf", PDF),
        (first, "Ảnh mô hình.png", PNG),
        (second, "Thuyết minh.pdf", PDF + b"%2"),
    ):
        attachments.store_attachment(dossier, name, data, user=secretary, root=_root(app), max_bytes=10**6)
    deliberation.finalise(round_, user=pr.users["chair"])
    draft = decisions.defaults(round_, deliberation.final_snapshot(round_))
    decisions.save_draft(round_, {**draft, "issued_on": date(2025, 3, 5), "place": "Thử"}, user=secretary)
    pr.decision = decisions.issue(round_, user=secretary)
    pr.payload = deliberation.final_snapshot(round_).payload
    return pr


def _export(client: FlaskClient, round_id: int, codes: list[str]) -> bytes:
    response = client.post(f"/rounds/{round_id}/nomination/export", data={"dossiers": codes})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/zip" and response.headers["Cache-Control"] == "no-store"
    return response.data


@pytest.fixture
def package(sender, login) -> bytes:
    """The package of the two upward dossiers, exported by the district secretary."""
    return _export(login("secretary"), sender.round.id, ["HS-2025-0001", "HS-2025-0002"])


# --- the receiving installation (province) -------------------------------------------------------


@dataclass
class Receiver:
    app: Flask
    round_id: int

    @property
    def root(self) -> str:
        return _root(self.app)

    def client(self, username: str) -> FlaskClient:
        client = self.app.test_client()
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, f"login as {username} failed"
        return client

    def import_(self, data: bytes, **limits: int) -> nominations.ImportPlan:
        round_ = db.session.get(Round, self.round_id)
        limit = nominations.Limits(**limits) if limits else LIMITS
        return nominations.import_package(round_, data, user=None, root=self.root, limits=limit)


def _second_database(tmp_path: Any) -> tuple[dict[str, Any], str | None]:
    if not POSTGRES_URL:
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'province.sqlite3'}"}, None
    schema = f"council_province_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    options = {"connect_args": {"options": f"-csearch_path={schema}"}}
    return {"SQLALCHEMY_DATABASE_URI": POSTGRES_URL, "SQLALCHEMY_ENGINE_OPTIONS": options}, schema


def _seed_province() -> int:
    """The province's own units, accounts and a round at intake; the id of that round."""
    front = Unit(name="Ủy ban MTTQ Việt Nam tỉnh An Hòa", kind=UnitKind.FRONT_COMMITTEE, level=Level.PROVINCE)
    farmers = Unit(name="Hội Nông dân tỉnh Thử", kind=UnitKind.FARMERS_UNION, level=Level.PROVINCE)
    db.session.add_all([front, farmers])
    db.session.commit()
    users = {
        name: create_user(name, f"Cán bộ {name}", PASSWORD, unit=front, roles=set())
        for name in ("thuky", "chutich", "phochutich", "uyvien")
    }
    create_user("quantri", "Quản trị tỉnh", PASSWORD, unit=None, roles={GlobalRole.ADMIN})
    round_ = create_round(
        {"title": "Đợt xét cấp tỉnh năm 2026", "year": 2026, "level": Level.PROVINCE, "issuing_unit": front},
        user=users["thuky"],
    )
    seats = {
        "thuky": CouncilRole.SECRETARY,
        "chutich": CouncilRole.CHAIR,
        "phochutich": CouncilRole.VICE_CHAIR,
        "uyvien": CouncilRole.MEMBER,
    }
    db.session.add_all(CouncilMember(round=round_, user=users[n], role=role) for n, role in seats.items())
    round_.status = RoundStatus.INTAKE
    db.session.commit()
    return round_.id


@pytest.fixture
def receiver(app, tmp_path) -> Iterator[Receiver]:
    """The province's installation: its own database and instance folder (attachments, kept uploads)."""
    database, schema = _second_database(tmp_path)
    settings = {
        "TESTING": True,
        "SECRET_KEY": "province-test",
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "PUBLIC_URL": "https://mttq-tinh.example.vn",
    }
    province = create_app({**settings, **database}, instance_path=str(tmp_path / "province-instance"))
    province.test_client_class = FreshRequestClient
    with province.app_context():
        db.create_all()
        round_id = _seed_province()
    try:
        yield Receiver(province, round_id)
    finally:
        with province.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
        if schema:
            engine = sa.create_engine(POSTGRES_URL)
            with engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()


def _counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Dossier, Unit, Attachment, DossierProvenance)
    }


def _stored_files(root: str) -> list[str]:
    return sorted(name for _folder, _dirs, files in os.walk(root) for name in files)


# --- the package ----------------------------------------------------------------------------------


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _pack(files: dict[str, bytes], *, resum: bool = True) -> bytes:
    """A zip of ``files``; with ``resum``, SHA256SUMS recomputed as a careful forger would."""
    if resum:
        files[nominations.CHECKSUMS] = nominations.checksums_text(files).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _manifest(data: bytes) -> dict[str, Any]:
    return json.loads(_members(data)[nominations.MANIFEST])


def _edit(data: bytes, change: Callable[[dict[str, Any]], None], *, resum: bool = True) -> bytes:
    files = _members(data)
    manifest = json.loads(files[nominations.MANIFEST])
    change(manifest)
    files[nominations.MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
    return _pack(files, resum=resum)


def test_the_package_holds_everything_the_receiver_needs_to_check_it(sender, package):
    files = _members(package)
    manifest = json.loads(files["manifest.json"])
    assert (manifest["format"], manifest["version"]) == ("council-nomination", 1)
    snapshot = deliberation.final_snapshot(sender.round)
    assert manifest["snapshot"]["fingerprint"] == snapshot.fingerprint
    assert ranking.fingerprint(manifest["snapshot"]["payload"]) == snapshot.fingerprint  # recomputable
    code = decisions.vietnamese.short_code(snapshot.fingerprint)
    assert manifest["decision"] | {"sha256": None} == {
        "number": 1,
        "symbol": "QĐ-MTTQ-BTT",
        "number_symbol": "01/QĐ-MTTQ-BTT",
        "issued_on": "2025-03-05",
        "verify_code": code,
        "verify_url": f"{SENDER_URL}/verify/{code}",
        "file": "decision.pdf",
        "sha256": None,
    }
    assert manifest["sender"] == {
        "issuing_unit": "Ủy ban MTTQ Việt Nam tỉnh Thử",
        "issuing_body": "",
        "level": "district",
    }
    assert manifest["round"] == {"title": "Đợt xét thử năm 2025", "year": 2025, "level": "district"}
    assert files["decision.pdf"].startswith(b"%PDF-")
    sums = dict(reversed(line.split("  ")) for line in files["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(files) - {"SHA256SUMS"}
    assert all(nominations.sha256_hex(files[name]) == digest for name, digest in sums.items())
    first, second = manifest["dossiers"]
    row = next(d for d in sender.payload["dossiers"] if d["code"] == "HS-2025-0001")
    assert (first["score"], first["rank"], first["tier"], first["ranked_among"]) == (
        row["score"],
        1,
        UPWARD,
        8,
    )
    assert first["unit"] == {"name": "Hội Nông dân tỉnh Thử", "kind": "farmers_union", "level": "province"}
    assert second["unit"] == {"name": SCHOOL, "kind": "public_service_unit", "level": "commune"}
    assert first["co_authors"] == ["Lê Thị Bình", "Phạm Văn Cường"] and first["results"].startswith(
        "Tiết kiệm"
    )
    assert [(a["filename"], a["kind"], a["size"]) for a in first["attachments"]] == [
        ("Báo cáo tổng kết.pdf", "pdf", len(PDF)),
        ("Ảnh mô hình.png", "png", len(PNG)),
    ]
    assert [files[a["path"]] for a in first["attachments"]] == [PDF, PNG]


def test_default_selection_is_the_tiers_marked_upward(sender, login):
    source = nominations.nominable(sender.round)
    assert source.default_codes == ["HS-2025-0001", "HS-2025-0002"]
    assert len(source.candidates) > 2  # the "Công nhận sáng kiến" tier is listed, not pre-checked
    page = login("secretary").get(f"/rounds/{sender.round.id}/nomination/").get_data(as_text=True)
    assert 'value="HS-2025-0001" checked' in page and 'value="HS-2025-0002" checked' in page
    assert 'value="HS-2025-0003">' in page and "Tải gói đề nghị (.zip)" in page
    response = login("chair").post(f"/rounds/{sender.round.id}/nomination/export", data={})
    assert response.status_code == 400 and "Chọn ít nhất một hồ sơ để đề nghị." in response.get_data(
        as_text=True
    )
    response = login("chair").post(
        f"/rounds/{sender.round.id}/nomination/export", data={"dossiers": ["HS-2025-0008"]}
    )
    assert response.status_code == 400 and "không có trong danh sách được công nhận" in response.get_data(
        as_text=True
    )


def test_nothing_to_nominate_before_the_decision_is_issued(deliberation_round, login, app, tmp_path):
    pr = deliberation_round
    db.session.add(AwardTier(round_id=pr.round.id, position=1, name=UPWARD, quota=2, nominate_upward=True))
    db.session.commit()
    deliberation.finalise(pr.round, user=pr.users["chair"])
    response = login("secretary").get(f"/rounds/{pr.round.id}/nomination/")
    assert response.status_code == 409 and "Quyết định công nhận chưa ban hành" in response.get_data(
        as_text=True
    )
    out = tmp_path / "never.zip"
    result = app.test_cli_runner().invoke(args=["nominate", str(pr.round.id), "--out", str(out)])
    assert result.exit_code != 0 and "chưa ban hành" in result.output and not out.exists()


# --- the round trip --------------------------------------------------------------------------------


def test_round_trip_between_two_installations(sender, package, receiver):
    expected = _manifest(package)
    with receiver.app.app_context():
        client = receiver.client("thuky")
        upload = {"file": (io.BytesIO(package), "de-nghi.zip")}
        preview = client.post(f"/rounds/{receiver.round_id}/nomination/import", data=upload)
        page = preview.get_data(as_text=True)
        assert preview.status_code == 200, page
        assert "Tạo hồ sơ mới HS-2026-0001" in page and "Tạo hồ sơ mới HS-2026-0002" in page
        assert "đơn vị mới, sẽ được tạo" in page and "01/QĐ-MTTQ-BTT" in page
        assert _counts()["dossier"] == 0  # the preview writes nothing
        digest = nominations.sha256_hex(package)
        kept = os.path.join(receiver.app.instance_path, "nominations", f"{digest}.zip")
        assert os.path.exists(kept)
        done = client.post(f"/rounds/{receiver.round_id}/nomination/import/confirm", data={"sha256": digest})
        page = done.get_data(as_text=True)
        assert done.status_code == 200 and "Đã nhập 2 hồ sơ mới; 0 hồ sơ đã nhập trước đây." in page
        assert not os.path.exists(kept)

        imported = db.session.scalars(
            select(Dossier).where(Dossier.round_id == receiver.round_id).order_by(Dossier.code)
        ).all()
        assert [d.code for d in imported] == ["HS-2026-0001", "HS-2026-0002"]
        for dossier, entry in zip(imported, expected["dossiers"], strict=True):
            fields = (
                "kind",
                "field",
                "title",
                "lead_author",
                "co_authors",
                "summary",
                "novelty",
                "applied_time",
                "applied_place",
                "applied_work",
                "results",
            )
            assert {f: getattr(dossier, f) for f in fields} == {f: entry[f] for f in fields}
            unit = {
                "name": dossier.unit.name,
                "kind": dossier.unit.kind.value,
                "level": dossier.unit.level.value,
            }
            assert unit == entry["unit"]
            assert [(a.filename, a.kind, a.size, a.sha256) for a in dossier.attachments] == [
                (a["filename"], a["kind"], a["size"], a["sha256"]) for a in entry["attachments"]
            ]
            for attachment in dossier.attachments:  # the bytes are in the province's own storage
                with open(attachments.open_attachment(attachment, receiver.root), "rb") as handle:
                    assert nominations.sha256_hex(handle.read()) == attachment.sha256
            provenance = nominations.provenance_of(dossier)
            assert provenance is not None and provenance.source_code == entry["code"]
            assert (provenance.score, provenance.rank, provenance.ranked_among, provenance.tier_name) == (
                entry["score"],
                entry["rank"],
                8,
                UPWARD,
            )
            assert provenance.source_fingerprint == expected["snapshot"]["fingerprint"]
            assert provenance.package_sha256 == digest
            assert provenance.verify_url == expected["decision"]["verify_url"]
            assert (provenance.decision_number, provenance.decision_date) == (
                "01/QĐ-MTTQ-BTT",
                date(2025, 3, 5),
            )
            assert provenance.source_council == "Ủy ban MTTQ Việt Nam tỉnh Thử"
            assert (provenance.source_level, provenance.source_year) == (Level.DISTRICT, 2025)
        files = {name for name in _stored_files(receiver.root)}
        assert files == {a["sha256"] for e in expected["dossiers"] for a in e["attachments"]}
        # Units: matched by name (no second "Hội Nông dân tỉnh Thử"), the school created as described.
        assert db.session.scalar(select(func.count(Unit.id)).where(Unit.name == "Hội Nông dân tỉnh Thử")) == 1
        school = db.session.scalar(select(Unit).where(Unit.name == SCHOOL))
        assert (school.kind, school.level) == (UnitKind.PUBLIC_SERVICE_UNIT, Level.COMMUNE)
        # The dossier page shows where it came from, as context.
        page = client.get(f"/rounds/{receiver.round_id}/dossiers/{imported[0].id}").get_data(as_text=True)
        score = f"{expected['dossiers'][0]['score']:.2f}".replace(".", ",")
        assert "Hồ sơ do Ủy ban MTTQ Việt Nam tỉnh Thử (cấp huyện) đề nghị, mã HS-2025-0001" in page
        assert "Quyết định số 01/QĐ-MTTQ-BTT ngày 05 tháng 3 năm 2025." in page
        assert f"Điểm {score}, xếp hạng 1/8; mức khen: {UPWARD}." in page
        assert f'Kiểm tra tại <a href="{expected["decision"]["verify_url"]}"' in page
        # A member of the province council sees it too, on a dossier assigned to them.
        seat = db.session.scalar(select(CouncilMember).join(User).where(User.username == "uyvien"))
        db.session.add(Assignment(dossier=imported[0], member=seat, published_at=utcnow()))
        db.session.commit()
        page = receiver.client("uyvien").get(f"/rounds/{receiver.round_id}/dossiers/{imported[0].id}")
        assert page.status_code == 200 and "Nguồn hồ sơ đề nghị" in page.get_data(as_text=True)


def test_importing_twice_adds_nothing(sender, package, receiver, login):
    again = _export(login("chair"), sender.round.id, ["HS-2025-0001", "HS-2025-0003"])  # a later re-export
    with receiver.app.app_context():
        first = receiver.import_(package)
        assert [(p.code, p.already) for p in first.dossiers] == [
            ("HS-2026-0001", False),
            ("HS-2026-0002", False),
        ]
        before, files = _counts(), _stored_files(receiver.root)
        second = receiver.import_(package)
        assert [(p.code, p.already) for p in second.dossiers] == [
            ("HS-2026-0001", True),
            ("HS-2026-0002", True),
        ]
        assert _counts() == before and _stored_files(receiver.root) == files
        client = receiver.client("thuky")
        upload = {"file": (io.BytesIO(package), "de-nghi.zip")}
        page = client.post(f"/rounds/{receiver.round_id}/nomination/import", data=upload).get_data(
            as_text=True
        )
        assert "Đã nhập trước đây (hồ sơ HS-2026-0001); không nhập lại." in page
        assert "Mọi hồ sơ của gói này đã được nhập trước đây" in page
        # The same snapshot exported again: the dossier sent before is recognised, the new one is added.
        third = receiver.import_(again)
        assert [(p.incoming.source_code, p.code, p.already) for p in third.dossiers] == [
            ("HS-2025-0001", "HS-2026-0001", True),
            ("HS-2025-0003", "HS-2026-0003", False),
        ]
        assert _counts()["dossier_provenance"] == 3


# --- refusals ---------------------------------------------------------------------------------------


def _bump_score(manifest: dict[str, Any]) -> None:
    manifest["dossiers"][0]["score"] += 5


def _bump_payload(manifest: dict[str, Any], *, refingerprint: bool) -> None:
    snapshot = manifest["snapshot"]
    snapshot["payload"]["dossiers"][0]["score"] += 5
    if refingerprint:
        snapshot["fingerprint"] = ranking.fingerprint(snapshot["payload"])


def _change_attachment(data: bytes) -> bytes:
    files = _members(data)
    name = next(n for n in files if n.endswith(".png"))
    files[name] = files[name][:-1] + bytes([files[name][-1] ^ 1])
    return _pack(files, resum=False)


def _without(name_end: str) -> Callable[[bytes], bytes]:
    def remove(data: bytes) -> bytes:
        files = _members(data)
        files.pop(next(n for n in files if n.endswith(name_end)))
        return _pack(files)

    return remove


def _with_member(name: str, content: bytes, *, resum: bool = True) -> Callable[[bytes], bytes]:
    def add(data: bytes) -> bytes:
        return _pack({**_members(data), name: content}, resum=resum)

    return add


TAMPERING = {
    "a score, checksums left": (
        lambda d: _edit(d, _bump_score, resum=False),
        "Tệp “manifest.json” trong gói đã bị thay đổi hoặc hỏng: mã SHA-256 của nó khác với SHA256SUMS.",
    ),
    "a score, checksums recomputed": (
        lambda d: _edit(d, _bump_score),
        "Hồ sơ “HS-2025-0001”: điểm trong manifest.json",
    ),
    "an attachment byte": (_change_attachment, "trong gói đã bị thay đổi hoặc hỏng"),
    "truncated": (lambda d: d[: len(d) * 2 // 3], "Gói bị cắt cụt hoặc hỏng: không đọc được tệp .zip"),
    "the payload, fingerprint left": (
        lambda d: _edit(d, lambda m: _bump_payload(m, refingerprint=False)),
        "Bản chốt kết quả trong gói đã bị thay đổi: mã SHA-256 tính lại từ nội dung",
    ),
    "the payload and its fingerprint, verify code left": (
        lambda d: _edit(d, lambda m: _bump_payload(m, refingerprint=True)),
        "Mã kiểm tra của Quyết định trong gói",
    ),
    "an unknown version": (
        lambda d: _edit(d, lambda m: m.update(version=2)),
        "Gói theo phiên bản định dạng 2, phiên bản này chưa được hỗ trợ (hỗ trợ: 1).",
    ),
    "the decision missing": (_without("decision.pdf"), "Gói thiếu tệp “decision.pdf”."),
    "an attachment missing": (
        _without(".png"),
        "Hồ sơ “HS-2025-0001”: gói thiếu tệp đính kèm “Ảnh mô hình.png”",
    ),
    "not a zip": (
        lambda d: b"Day khong phai tep zip",
        "Tệp không phải gói hồ sơ đề nghị: không phải tệp .zip.",
    ),
    "a path outside": (
        _with_member("../../etc/cron.d/x", b"x"),
        "Gói có tệp không hợp lệ “../../etc/cron.d/x”",
    ),
    "an unlisted file": (
        _with_member(f"attachments/{'0' * 64}.pdf", PDF, resum=False),
        "có trong gói nhưng không có trong SHA256SUMS",
    ),
    "a file of no dossier": (
        _with_member(f"attachments/{'2' * 64}.pdf", PDF),
        "trong gói không thuộc hồ sơ nào của manifest.json",
    ),
    "a dossier the snapshot does not hold": (
        lambda d: _edit(d, lambda m: m["dossiers"][0].update(code="HS-2025-0099")),
        "Hồ sơ “HS-2025-0099” không có trong bản chốt kết quả của gói.",
    ),
    "a verify URL elsewhere": (
        lambda d: _edit(d, lambda m: m["decision"].update(verify_url="javascript:alert(1)")),
        "Địa chỉ kiểm tra “javascript:alert(1)” không phải địa chỉ http(s)",
    ),
    "another sender": (
        lambda d: _edit(d, lambda m: m["sender"].update(issuing_unit="Ủy ban MTTQ Việt Nam tỉnh Khác")),
        "Thông tin Hội đồng gửi trong manifest.json (issuing_unit",
    ),
}


@pytest.mark.parametrize("case", TAMPERING)
def test_a_tampered_package_is_refused_and_nothing_is_written(package, receiver, case):
    tamper, message = TAMPERING[case]
    damaged = tamper(package)
    with receiver.app.app_context():
        before = _counts()
        with pytest.raises(nominations.NominationError) as refusal:
            receiver.import_(damaged)
        assert message in str(refusal.value)
        assert _counts() == before and _stored_files(receiver.root) == []


def test_the_upload_page_names_what_is_wrong(package, receiver):
    with receiver.app.app_context():
        client = receiver.client("thuky")
        damaged = _edit(package, _bump_score)
        response = client.post(
            f"/rounds/{receiver.round_id}/nomination/import", data={"file": (io.BytesIO(damaged), "x.zip")}
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and "Gói không được nhận; không có gì được ghi." in page
        assert "Hồ sơ “HS-2025-0001”: điểm trong manifest.json" in page
        assert not os.path.exists(os.path.join(receiver.app.instance_path, "nominations"))
        assert _counts()["dossier"] == 0


def test_size_limits_and_zip_bombs(package, receiver):
    bomb = _with_member(f"attachments/{'1' * 64}.pdf", b"\0" * (8 * len(package)))(package)
    assert len(bomb) < 2 * len(package)
    with receiver.app.app_context():
        with pytest.raises(nominations.NominationError, match="vượt giới hạn"):
            receiver.import_(package, package_bytes=len(package) - 1)
        with pytest.raises(nominations.NominationError, match="bom zip"):
            receiver.import_(bomb, package_bytes=2 * len(package))
        with pytest.raises(nominations.NominationError, match="vượt giới hạn"):  # each attachment's own limit
            receiver.import_(package, attachment_bytes=len(PNG) - 1)
        assert _counts()["dossier"] == 0 and _stored_files(receiver.root) == []


def test_a_failed_transaction_removes_the_files_it_wrote(package, receiver, monkeypatch):
    with receiver.app.app_context():
        before = _counts()

        def fail() -> None:
            raise sa.exc.OperationalError("COMMIT", {}, Exception("ổ đĩa đầy"))

        monkeypatch.setattr(db.session, "commit", fail)
        with pytest.raises(sa.exc.OperationalError):
            receiver.import_(package)
        monkeypatch.undo()
        assert _counts() == before and _stored_files(receiver.root) == []


def test_only_intake_rounds_take_a_package(package, receiver):
    with receiver.app.app_context():
        round_ = db.session.get(Round, receiver.round_id)
        round_.status = RoundStatus.ASSIGNMENT
        db.session.commit()
        with pytest.raises(
            nominations.NominationError, match="chỉ nhập hồ sơ cấp dưới đề nghị khi đợt xét ở bước"
        ):
            receiver.import_(package)
        page = receiver.client("thuky").get(f"/rounds/{receiver.round_id}/nomination/import")
        assert page.status_code == 200 and "Tiếp nhận hồ sơ" in page.get_data(as_text=True)
        assert _counts()["dossier"] == 0


# --- who may do it ----------------------------------------------------------------------------------


def test_who_may_see_export_and_import(sender, package, login, receiver):
    round_id = sender.round.id
    expected = {"chair": 200, "vice": 200, "secretary": 200, "auditor": 200, "member": 403, "admin": 403}
    for name, status in expected.items():
        assert login(name).get(f"/rounds/{round_id}/nomination/").status_code == status, name
    for name in ("vice", "member", "auditor", "admin", "outsider"):
        response = login(name).post(
            f"/rounds/{round_id}/nomination/export", data={"dossiers": ["HS-2025-0001"]}
        )
        assert response.status_code == 403, name
    page = login("vice").get(f"/rounds/{round_id}/nomination/").get_data(as_text=True)
    assert "Chỉ Thư ký hoặc Chủ tịch Hội đồng lập được gói đề nghị." in page and "disabled" in page
    with receiver.app.app_context():
        url = f"/rounds/{receiver.round_id}/nomination/import"
        for name, status in {
            "thuky": 200,
            "chutich": 200,
            "quantri": 200,
            "phochutich": 403,
            "uyvien": 403,
        }.items():
            client = receiver.client(name)
            assert client.get(url).status_code == status, name
            if status == 403:
                upload = {"file": (io.BytesIO(package), "de-nghi.zip")}
                assert client.post(url, data=upload).status_code == 403
                assert client.post(f"{url}/confirm", data={"sha256": "0" * 64}).status_code == 403
        assert _counts()["dossier"] == 0


# --- the receiving council's own scores ---------------------------------------------------------


def test_the_receiving_ranking_uses_only_its_own_sheets(sender, package, receiver):
    lower_scores = {tuple(row) for row in sender.payload["scores"]}
    with receiver.app.app_context():
        receiver.import_(package)
        round_ = db.session.get(Round, receiver.round_id)
        unit = db.session.scalar(select(Unit).where(Unit.name == "Hội Nông dân tỉnh Thử"))
        for i in (3, 4):
            db.session.add(
                Dossier(
                    round=round_,
                    code=f"HS-2026-000{i}",
                    kind=DossierKind.INITIATIVE,
                    field=Field.BUSINESS,
                    title=f"Sáng kiến cấp tỉnh {i}",
                    lead_author="Võ Thị Dung",
                    unit=unit,
                    summary="Mô tả.",
                )
            )
        users = [
            create_user(n, f"Thành viên {n}", PASSWORD, unit=unit, roles=set())
            for n in ("tv1", "tv2", "tv3", "tv4")
        ]
        seats = [CouncilMember(round=round_, user=user, role=CouncilRole.MEMBER) for user in users]
        db.session.add_all(seats)
        db.session.flush()
        dossiers = sorted(round_.dossiers, key=lambda d: d.code)
        for d, dossier in enumerate(dossiers):
            for j in range(3):
                db.session.add(Assignment(dossier=dossier, member=seats[(d + j) % 4], published_at=utcnow()))
        round_.status = RoundStatus.SCORING
        db.session.commit()
        for d, dossier in enumerate(dossiers):
            for assignment in dossier.assignments:
                points = {c.id: 6.0 + d + (c.position % 2) * 0.5 for c in round_.criteria}
                save_sheet(assignment, points, user=assignment.member.user, submit=True)
        payload = ranking.build_payload(round_)
        assert {row[1] for row in payload["scores"]} == {"tv1", "tv2", "tv3", "tv4"}
        assert not lower_scores & {tuple(row) for row in payload["scores"]}
        provenance = {p.source_code: p for p in db.session.scalars(select(DossierProvenance))}
        rows = {row["code"]: row for row in payload["dossiers"]}
        for source_code, origin in provenance.items():
            row = rows[origin.dossier.code]
            assert row["score"] != origin.score and row["score"] < 50 < origin.score, source_code
        # Without the provenance rows the ranking is the same, figure for figure.
        db.session.execute(sa.delete(DossierProvenance))
        db.session.commit()
        assert ranking.fingerprint(ranking.build_payload(round_)) == ranking.fingerprint(payload)


# --- the command line ---------------------------------------------------------------------------------


def test_command_line_round_trip(sender, receiver, app, tmp_path):
    out = tmp_path / "de-nghi.zip"
    result = app.test_cli_runner().invoke(args=["nominate", str(sender.round.id), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [d["code"] for d in _manifest(out.read_bytes())["dossiers"]] == ["HS-2025-0001", "HS-2025-0002"]
    chosen = tmp_path / "mot-ho-so.zip"
    args = [
        "nominate",
        str(sender.round.id),
        "--out",
        str(chosen),
        "--dossier",
        "HS-2025-0003",
        "--as",
        "secretary",
    ]
    assert app.test_cli_runner().invoke(args=args).exit_code == 0
    manifest = _manifest(chosen.read_bytes())
    assert [d["code"] for d in manifest["dossiers"]] == ["HS-2025-0003"]
    assert manifest["exported_by"] == "Người dùng secretary" and manifest["dossiers"][0]["tier"] == RECOGNISED
    with receiver.app.app_context():
        runner = receiver.app.test_cli_runner()
        result = runner.invoke(args=["import-nomination", str(receiver.round_id), str(out), "--as", "thuky"])
        assert result.exit_code == 0, result.output
        assert "HS-2025-0001 → HS-2026-0001: đã nhập / imported" in result.output
        result = runner.invoke(args=["import-nomination", str(receiver.round_id), str(out)])
        assert "HS-2025-0002 → HS-2026-0002: đã nhập trước đây / imported before" in result.output
        assert "0 mới / new, 2 đã có / already there" in result.output
        damaged = tmp_path / "hong.zip"
        damaged.write_bytes(out.read_bytes()[:1000])
        result = runner.invoke(args=["import-nomination", str(receiver.round_id), str(damaged)])
        assert result.exit_code != 0 and "Gói bị cắt cụt hoặc hỏng" in result.output
        thuky = db.session.scalar(select(User).where(User.username == "thuky"))
        assert {p.imported_by_id for p in db.session.scalars(select(DossierProvenance))} == {thuky.id}
