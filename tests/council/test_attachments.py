"""Attachments: type from content, size limit, storage by SHA-256, who may upload, download, delete."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import zipfile
import zlib

import openpyxl
import pytest
from flask import render_template
from sqlalchemy import select

from council.extensions import db
from council.forms.attachments import AttachmentForm
from council.models import Attachment, RoundStatus
from council.services import attachments as service
from council.services.rounds import advance_round

# --- Tiny real files, built in memory ------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"  # noqa: E501
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode."
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
OLD_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64  # Word 97-2003 (OLE compound file)


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xa5\x1d\x24")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _docx(text: str = "Báo cáo sáng kiến") -> bytes:
    return _zip(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"/>',
            "word/document.xml": f"<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body>"
            "</w:document>",
        }
    )


def _xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Mã hồ sơ", "Điểm"])
    workbook.active.append(["HS-2025-0001", 87.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PNG = _png()
DOCX = _docx()
XLSX = _xlsx()
FILES = {"pdf": PDF, "docx": DOCX, "xlsx": XLSX, "jpg": JPEG, "png": PNG}


# --- Helpers --------------------------------------------------------------------------------------


def _upload_url(populated_round, dossier=None):
    dossier = dossier or populated_round.assigned
    return f"/rounds/{populated_round.round.id}/dossiers/{dossier.id}/attachments"


def _dossier_url(populated_round, dossier=None):
    dossier = dossier or populated_round.assigned
    return f"/rounds/{populated_round.round.id}/dossiers/{dossier.id}"


def _upload(client, populated_round, *files, dossier=None, follow=False):
    return client.post(
        _upload_url(populated_round, dossier),
        data={"files": [(io.BytesIO(data), name) for name, data in files]},
        content_type="multipart/form-data",
        follow_redirects=follow,
    )


def _download(client, round_, attachment):
    """GET an attachment; the response is read and closed (it holds the stored file open)."""
    with client.get(f"/rounds/{round_.id}/attachments/{attachment.id}") as response:
        response.get_data()
    return response


def _root(app) -> str:
    return os.path.join(app.instance_path, "attachments")


def _attachments(dossier=None) -> list[Attachment]:
    query = select(Attachment).order_by(Attachment.id)
    if dossier is not None:
        query = query.where(Attachment.dossier_id == dossier.id)
    return list(db.session.scalars(query))


def _stored_files(app) -> list[str]:
    found = []
    for folder, _subfolders, files in os.walk(_root(app)):
        found += [os.path.relpath(os.path.join(folder, name), _root(app)) for name in files]
    return sorted(found)


@pytest.fixture
def attached(app, populated_round, login):
    """A PDF attached to the assigned dossier by the secretary."""
    _upload(login("secretary"), populated_round, ("Báo cáo tóm tắt.pdf", PDF))
    (attachment,) = _attachments()
    return attachment


# --- Detecting the type from the content ----------------------------------------------------------


@pytest.mark.parametrize(("kind", "data"), FILES.items())
def test_detect_kind_recognises_each_allowed_type(kind, data):
    assert service.detect_kind(data) == kind


@pytest.mark.parametrize(
    "data",
    [
        EXE,
        HTML,
        OLD_DOC,
        b"",
        b"PK\x03\x04 not really a zip",
        _zip({"readme.txt": "chỉ là tệp nén"}),
        _zip({"word/document.xml": "<w:document/>"}),  # no [Content_Types].xml
        _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>", "word/vbaProject.bin": "x"}),
        EXE + _docx(),  # a self-extracting archive: a zip at the end, a program at the start
    ],
    ids=["exe", "html", "doc", "empty", "broken-zip", "zip", "zip-no-types", "docm", "exe-with-zip"],
)
def test_detect_kind_refuses_everything_else(data):
    assert service.detect_kind(data) is None


def test_format_size_uses_the_vietnamese_decimal_comma(app):
    assert service.format_size(512) == "512 byte"
    assert service.format_size(1536) == "1,5 KB"
    assert service.format_size(int(25.3 * 1024 * 1024)) == "25,3 MB"
    assert service.format_size(20 * 1024 * 1024) == "20 MB"


@pytest.mark.parametrize(
    ("uploaded", "kind", "shown"),
    [
        ("Báo cáo sáng kiến.pdf", "pdf", "Báo cáo sáng kiến.pdf"),
        ("ẢNH HIỆN TRƯỜNG.JPEG", "jpg", "ẢNH HIỆN TRƯỜNG.JPEG"),
        ("anh.png", "jpg", "anh.jpg"),  # a JPEG named .png
        ("bao-cao.docx", "pdf", "bao-cao.pdf"),
        ("bao-cao.exe", "pdf", "bao-cao.exe.pdf"),
        ("bảng điểm", "xlsx", "bảng điểm.xlsx"),
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("C:\\Users\\Thư ký\\Tờ trình.docx", "docx", "Tờ trình.docx"),
        ("to\x00trinh\u202egnp.pdf", "pdf", "totrinhgnp.pdf"),  # NUL and a right-to-left override
        ("", "png", "tệp đính kèm.png"),
        ("..", "png", "tệp đính kèm.png"),
    ],
)
def test_clean_filename_keeps_vietnamese_and_matches_the_detected_kind(uploaded, kind, shown):
    assert service.clean_filename(uploaded, kind) == shown


def test_clean_filename_is_at_most_255_characters():
    name = service.clean_filename("đ" * 400 + ".docx", "docx")
    assert len(name) == 255
    assert name.endswith("đ.docx")


# --- Uploading ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "data"), FILES.items())
def test_secretary_uploads_each_allowed_type(app, populated_round, login, kind, data):
    name = f"Hồ sơ minh chứng.{kind}"
    response = _upload(login("secretary"), populated_round, (name, data))

    assert response.status_code == 302
    assert response.headers["Location"] == _dossier_url(populated_round)
    (attachment,) = _attachments(populated_round.assigned)
    assert (attachment.filename, attachment.kind, attachment.size) == (name, kind, len(data))
    assert attachment.content_type == service.CONTENT_TYPES[kind]
    assert attachment.uploaded_by == populated_round.users["secretary"]
    download = _download(login("member"), populated_round.round, attachment)
    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == service.CONTENT_TYPES[kind]


def test_success_is_flashed_on_the_dossier_page(app, populated_round, login):
    page = _upload(login("chair"), populated_round, ("a.pdf", PDF), ("b.png", PNG), follow=True)

    assert page.status_code == 200
    assert "Đã lưu 2 tệp đính kèm." in page.text


@pytest.mark.parametrize(
    ("name", "data"), [("bao-cao.pdf", EXE), ("trang-tin.pdf", HTML), ("cu.doc", OLD_DOC)]
)
def test_content_that_is_not_an_allowed_type_is_refused_by_name(app, populated_round, login, name, data):
    page = _upload(login("secretary"), populated_round, (name, data), follow=True)

    assert (
        f"Tệp “{name}” không phải PDF, DOCX, XLSX, JPG hoặc PNG (nhận dạng theo nội dung tệp)." in page.text
    )
    assert _attachments() == []
    assert _stored_files(app) == []


def test_a_pdf_named_docx_is_kept_as_a_pdf(app, populated_round, login):
    _upload(login("secretary"), populated_round, ("Tờ trình.docx", PDF))

    (attachment,) = _attachments()
    assert (attachment.kind, attachment.filename, attachment.content_type) == (
        "pdf",
        "Tờ trình.pdf",
        "application/pdf",
    )


def test_several_files_at_once_keep_the_good_ones_and_name_each_bad_one(app, populated_round, login):
    page = _upload(
        login("secretary"),
        populated_round,
        ("Báo cáo.pdf", PDF),
        ("virus.pdf", EXE),
        ("Bảng điểm.xlsx", XLSX),
        ("rong.png", b""),
        follow=True,
    )

    assert [a.filename for a in _attachments()] == ["Báo cáo.pdf", "Bảng điểm.xlsx"]
    assert "Tệp “virus.pdf” không phải PDF, DOCX, XLSX, JPG hoặc PNG" in page.text
    assert "Tệp “rong.png” rỗng (0 byte)." in page.text
    assert "Đã lưu 2 tệp đính kèm." in page.text


def test_no_file_chosen_asks_for_one(app, populated_round, login):
    page = login("secretary").post(
        _upload_url(populated_round), data={}, content_type="multipart/form-data", follow_redirects=True
    )

    assert "Vui lòng chọn ít nhất một tệp." in page.text
    assert _attachments() == []


def test_a_file_over_the_limit_is_refused_with_its_size(app, populated_round, login, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 1000)
    client = login("secretary")

    page = _upload(client, populated_round, ("Ảnh lớn.png", PNG + b"\x00" * 2000), follow=True)

    size = service.format_size(len(PNG) + 2000)
    assert f"Tệp “Ảnh lớn.png” lớn {size}, vượt giới hạn 1000 byte." in page.text
    assert _attachments() == []
    assert _stored_files(app) == []
    _upload(client, populated_round, ("Ảnh nhỏ.png", PNG))
    assert [a.filename for a in _attachments()] == ["Ảnh nhỏ.png"]


def test_the_limit_message_names_file_size_and_limit(app, populated_round):
    with pytest.raises(service.AttachmentInvalid) as refused:
        service.check_upload("x.pdf", PDF + b"\x00" * 3000, max_bytes=2048)
    assert (
        str(refused.value) == f"Tệp “x.pdf” lớn {service.format_size(len(PDF) + 3000)}, vượt giới hạn 2 KB."
    )


def test_the_same_file_twice_on_one_dossier_is_refused(app, populated_round, login):
    client = login("secretary")
    _upload(client, populated_round, ("Báo cáo.pdf", PDF))
    page = _upload(client, populated_round, ("Bản sao báo cáo.pdf", PDF), follow=True)

    assert "Tệp “Bản sao báo cáo.pdf” đã có trong hồ sơ này (trùng nội dung với “Báo cáo.pdf”)." in page.text
    assert len(_attachments()) == 1


def test_bytes_are_stored_once_by_sha256(app, populated_round, login):
    client = login("secretary")
    _upload(client, populated_round, ("Báo cáo.pdf", PDF))
    _upload(client, populated_round, ("Cùng nội dung.pdf", PDF), dossier=populated_round.unassigned)

    digest = hashlib.sha256(PDF).hexdigest()
    assert [(a.dossier_id, a.sha256) for a in _attachments()] == [
        (populated_round.assigned.id, digest),
        (populated_round.unassigned.id, digest),
    ]
    assert _stored_files(app) == [os.path.join(digest[:2], digest)]  # no temporary file left behind
    with open(os.path.join(_root(app), digest[:2], digest), "rb") as stored:
        assert stored.read() == PDF


@pytest.mark.parametrize("username", ["member", "vice", "auditor", "outsider"])
def test_only_secretary_chair_and_admin_may_upload(app, populated_round, login, username):
    response = _upload(login(username), populated_round, ("a.pdf", PDF))

    assert response.status_code == 403
    assert _attachments() == []
    assert _stored_files(app) == []


def test_admin_may_upload(app, populated_round, login):
    assert _upload(login("admin"), populated_round, ("a.pdf", PDF)).status_code == 302
    assert len(_attachments()) == 1


def test_a_dossier_of_another_round_is_not_found(app, populated_round, login):
    url = f"/rounds/{populated_round.other_round.id}/dossiers/{populated_round.assigned.id}/attachments"
    response = login("admin").post(
        url, data={"files": [(io.BytesIO(PDF), "a.pdf")]}, content_type="multipart/form-data"
    )

    assert response.status_code == 404
    assert _attachments() == []


# --- Downloading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["secretary", "chair", "vice", "auditor", "admin", "member"])
def test_people_who_see_the_dossier_may_download(populated_round, login, attached, username):
    response = _download(login(username), populated_round.round, attached)

    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "private" in response.headers["Cache-Control"]
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20t%C3%B3m%20t%E1%BA%AFt.pdf"
        in (response.headers["Content-Disposition"])
    )


def test_images_open_in_the_browser(app, populated_round, login):
    client = login("secretary")
    _upload(client, populated_round, ("anh.png", PNG))
    (attachment,) = _attachments()

    response = _download(client, populated_round.round, attachment)

    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.mimetype == "image/png"


def test_a_member_may_not_download_from_a_dossier_not_assigned_to_them(app, populated_round, login):
    _upload(login("secretary"), populated_round, ("a.pdf", PDF), dossier=populated_round.unassigned)
    (attachment,) = _attachments()

    response = _download(login("member"), populated_round.round, attachment)

    assert response.status_code == 403
    assert PDF not in response.data


def test_someone_from_another_round_may_not_download(populated_round, login, attached):
    response = _download(login("outsider"), populated_round.round, attached)

    assert response.status_code == 403


def test_an_attachment_through_another_rounds_url_is_not_found(populated_round, login, attached):
    response = _download(login("admin"), populated_round.other_round, attached)

    assert response.status_code == 404


def test_a_missing_stored_file_is_not_found(app, populated_round, login, attached):
    os.remove(os.path.join(_root(app), attached.sha256[:2], attached.sha256))

    response = _download(login("secretary"), populated_round.round, attached)

    assert response.status_code == 404


# --- Deleting -------------------------------------------------------------------------------------


def test_secretary_deletes_an_attachment_and_its_file(app, populated_round, login, attached):
    response = login("secretary").post(
        f"/rounds/{populated_round.round.id}/attachments/{attached.id}/delete", follow_redirects=True
    )

    assert "Đã xóa tệp “Báo cáo tóm tắt.pdf”." in response.text
    assert _attachments() == []
    assert _stored_files(app) == []


def test_deleting_keeps_the_file_another_dossier_still_uses(app, populated_round, login, attached):
    client = login("secretary")
    _upload(client, populated_round, ("Bản khác.pdf", PDF), dossier=populated_round.unassigned)

    client.post(f"/rounds/{populated_round.round.id}/attachments/{attached.id}/delete")

    assert [a.filename for a in _attachments()] == ["Bản khác.pdf"]
    assert _stored_files(app) == [os.path.join(attached.sha256[:2], attached.sha256)]


def test_delete_is_refused_once_scoring_has_started(app, populated_round, login, attached):
    for _step in range(3):  # draft → intake → assignment → scoring
        advance_round(populated_round.round, user=populated_round.users["secretary"])
    assert populated_round.round.status is RoundStatus.SCORING

    page = login("secretary").post(
        f"/rounds/{populated_round.round.id}/attachments/{attached.id}/delete", follow_redirects=True
    )

    assert "Đợt xét đang ở bước “Chấm điểm”: không thể xóa tệp “Báo cáo tóm tắt.pdf”." in page.text
    assert len(_attachments()) == 1
    assert len(_stored_files(app)) == 1


@pytest.mark.parametrize("username", ["member", "auditor", "outsider"])
def test_only_the_round_staff_may_delete(populated_round, login, attached, username):
    response = login(username).post(f"/rounds/{populated_round.round.id}/attachments/{attached.id}/delete")

    assert response.status_code == 403
    assert len(_attachments()) == 1


def test_removing_unused_files_spares_those_in_use(app, populated_round, login, attached):
    unused = hashlib.sha256(b"orphan").hexdigest()
    os.makedirs(os.path.join(_root(app), unused[:2]), exist_ok=True)
    with open(os.path.join(_root(app), unused[:2], unused), "wb") as orphan:
        orphan.write(b"orphan")

    assert service.remove_unused_files(_root(app), min_age_seconds=3600) == 0  # too young to judge
    assert service.remove_unused_files(_root(app), min_age_seconds=-1) == 1
    assert _stored_files(app) == [os.path.join(attached.sha256[:2], attached.sha256)]


# --- The partial on the dossier page --------------------------------------------------------------


def _render_list(app, populated_round, *, with_form: bool) -> str:
    with app.test_request_context():
        form = AttachmentForm() if with_form else None
        return render_template(
            "attachments/_list.html",
            round=populated_round.round,
            dossier=populated_round.assigned,
            attachment_form=form,
        )


def test_the_list_shows_name_kind_size_uploader_and_time(app, populated_round, attached):
    html = _render_list(app, populated_round, with_form=False)

    assert "Tệp đính kèm" in html
    assert f'href="/rounds/{populated_round.round.id}/attachments/{attached.id}"' in html
    assert "Báo cáo tóm tắt.pdf" in html
    assert f"PDF · {len(PDF)} byte" in html
    assert "Người dùng secretary" in html
    assert "năm 20" in html  # the vndatetime filter: "14:05, ngày 12 tháng 3 năm 2025"
    assert "multipart/form-data" not in html  # no upload form …
    assert "/delete" not in html  # … and no delete button for readers


def test_the_list_offers_upload_and_delete_to_staff(app, populated_round, attached):
    html = _render_list(app, populated_round, with_form=True)

    assert 'enctype="multipart/form-data"' in html
    assert (
        f'action="/rounds/{populated_round.round.id}/dossiers/{populated_round.assigned.id}/attachments"'
        in html
    )
    assert 'type="file"' in html
    assert "multiple" in html
    assert f'action="/rounds/{populated_round.round.id}/attachments/{attached.id}/delete"' in html
    assert "mỗi tệp tối đa 20 MB" in html


def test_the_list_hides_delete_once_scoring_has_started(app, populated_round, attached):
    populated_round.round.status = RoundStatus.SCORING
    db.session.commit()

    html = _render_list(app, populated_round, with_form=True)

    assert "/delete" not in html
    assert 'enctype="multipart/form-data"' in html


def test_an_empty_list_says_so(app, populated_round):
    assert "Chưa có tệp đính kèm." in _render_list(app, populated_round, with_form=False)


def test_the_dossier_page_lists_attachments_with_upload_for_staff(app, populated_round, login):
    client = login("secretary")
    _upload(client, populated_round, ("Báo cáo tóm tắt.pdf", PDF), ("Bảng điểm.xlsx", XLSX))

    page = client.get(_dossier_url(populated_round))

    assert page.status_code == 200
    assert "Báo cáo tóm tắt.pdf" in page.text
    assert "Bảng điểm.xlsx" in page.text
    assert "XLSX · " in page.text
    assert 'enctype="multipart/form-data"' in page.text


def test_the_dossier_page_lists_attachments_read_only_for_the_assigned_member(
    app, populated_round, login, attached
):
    page = login("member").get(_dossier_url(populated_round))

    assert page.status_code == 200
    assert "Báo cáo tóm tắt.pdf" in page.text
    assert f"/rounds/{populated_round.round.id}/attachments/{attached.id}" in page.text
    assert 'enctype="multipart/form-data"' not in page.text
    assert "/delete" not in page.text
