"""Attachments (tệp đính kèm): the type from the content, a size limit, storage by SHA-256.

A file is accepted when its *content* is a PDF, DOCX, XLSX, JPG or PNG, whatever its name says:
an ``.exe`` renamed ``.pdf`` is refused, a PDF named ``.docx`` is kept as a PDF and offered for
download as ``.pdf``. The bytes live once under ``<root>/<sha[:2]>/<sha>`` however many dossiers
carry them; a row of :class:`~council.models.Attachment` names them. Nothing here reads the request:
the blueprint passes the bytes, the name, the acting user and the storage root.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import re
import tempfile
import time
import unicodedata
import zipfile

from babel.numbers import format_decimal
from flask import abort
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from council.extensions import db
from council.models import Attachment, Dossier, Round, User
from council.models.enums import SETUP_STEPS

log = logging.getLogger(__name__)

CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}
# Extensions that already name a kind correctly (compared in lower case).
EXTENSIONS: dict[str, frozenset[str]] = {
    "pdf": frozenset({"pdf"}),
    "docx": frozenset({"docx"}),
    "xlsx": frozenset({"xlsx"}),
    "jpg": frozenset({"jpg", "jpeg"}),
    "png": frozenset({"png"}),
}
KNOWN_EXTENSIONS = frozenset().union(*EXTENSIONS.values())
# Shown in the browser; everything else (PDF included) is downloaded. The app-wide CSP
# (object-src 'none', no inline styles) stops Chrome's built-in PDF viewer, so a PDF is
# opened by the reader's own PDF application instead.
INLINE_KINDS = frozenset({"jpg", "png"})

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_SIGNATURE = b"%PDF-"
ZIP_SIGNATURE = b"PK\x03\x04"
FILENAME_LIMIT = 255
FALLBACK_STEM = "tệp đính kèm"
TEMPORARY_PREFIX = ".upload-"
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
UNSAFE_CHARACTERS = re.compile(r'[<>:"|?*]')


class AttachmentInvalid(ValueError):
    """A file that cannot be attached (or removed); the message, in Vietnamese, names the file."""


def detect_kind(data: bytes) -> str | None:
    """``pdf``, ``docx``, ``xlsx``, ``jpg`` or ``png`` from the bytes themselves, else None.

    Office files are zip archives: one counts as DOCX (XLSX) when it starts like a zip, opens as
    one, and lists ``[Content_Types].xml`` and ``word/document.xml`` (``xl/workbook.xml``).
    Macro-enabled documents (a ``vbaProject.bin`` inside) are refused. Only the archive's
    directory is read, never its members, so a zip bomb costs nothing.
    """
    if data.startswith(PDF_SIGNATURE):
        return "pdf"
    if data.startswith(PNG_SIGNATURE):
        return "png"
    if data.startswith(JPEG_SIGNATURE):
        return "jpg"
    if data.startswith(ZIP_SIGNATURE):
        return _office_kind(data)
    return None


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def format_size(size: int) -> str:
    """``512 byte``, ``12,5 KB``, ``25,3 MB``: binary units, the reader's decimal comma."""
    locale = str(get_locale() or "vi")
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{format_decimal(size / 1024, format='#,##0.#', locale=locale)} KB"
    return f"{format_decimal(size / (1024 * 1024), format='#,##0.#', locale=locale)} MB"


def display_name(filename: str | None) -> str:
    """An uploaded name made safe to show: its last path part, NFC, without control or format
    characters (bidirectional overrides included) and without ``<>:"|?*``, single spaces."""
    name = unicodedata.normalize("NFC", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    return " ".join(UNSAFE_CHARACTERS.sub("_", name).split()).strip(" .")


def clean_filename(filename: str | None, kind: str) -> str:
    """The name to show and to offer on download: :func:`display_name`, at most 255 characters,
    ending in the extension of the detected ``kind``.

    A wrong known extension is replaced (``anh.png`` holding a JPEG → ``anh.jpg``); any other is
    kept and the right one added (``bao-cao.exe`` holding a PDF → ``bao-cao.exe.pdf``).
    """
    name = display_name(filename)
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    if extension.lower() in EXTENSIONS[kind]:
        suffix = extension
    else:
        suffix = kind
        if extension and extension.lower() not in KNOWN_EXTENSIONS:
            stem = name
    stem = stem[: FILENAME_LIMIT - len(suffix) - 1].rstrip(" .")
    return f"{stem or FALLBACK_STEM}.{suffix}"


def stored_path(root: str, sha256: str) -> str:
    """Where the bytes with this digest live: ``<root>/<sha[:2]>/<sha>``."""
    if not SHA256_PATTERN.match(sha256):
        raise ValueError(f"not a SHA-256 digest: {sha256!r}")
    return os.path.join(root, sha256[:2], sha256)


def _write_blob(root: str, sha256: str, data: bytes) -> bool:
    """Store the bytes unless already there; True when this call wrote them.

    The bytes go to a temporary file in the same folder, flushed to disk, then renamed into
    place: a crash leaves either the whole file or none, never half of one.
    """
    path = stored_path(root, sha256)
    if os.path.exists(path):
        return False
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=TEMPORARY_PREFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return True


def _digest_in_use(sha256: str) -> bool:
    return db.session.scalar(select(Attachment.id).where(Attachment.sha256 == sha256).limit(1)) is not None


def _remove_blob(root: str, sha256: str) -> None:
    path = stored_path(root, sha256)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    with contextlib.suppress(OSError):  # the shard folder, when that was its last file
        os.rmdir(os.path.dirname(path))


def check_upload(filename: str, data: bytes, *, max_bytes: int) -> str:
    """The detected kind of an upload, or :class:`AttachmentInvalid` saying why it is refused."""
    shown = display_name(filename)[:FILENAME_LIMIT]
    if not data:
        raise AttachmentInvalid(_("Tệp “%(name)s” rỗng (0 byte).", name=shown))
    if len(data) > max_bytes:
        raise AttachmentInvalid(
            _(
                "Tệp “%(name)s” lớn %(size)s, vượt giới hạn %(limit)s.",
                name=shown,
                size=format_size(len(data)),
                limit=format_size(max_bytes),
            )
        )
    kind = detect_kind(data)
    if kind is None:
        raise AttachmentInvalid(
            _(
                "Tệp “%(name)s” không phải PDF, DOCX, XLSX, JPG hoặc PNG (nhận dạng theo nội dung tệp).",
                name=shown,
            )
        )
    return kind


def store_attachment(
    dossier: Dossier, filename: str, data: bytes, *, user: User, root: str, max_bytes: int
) -> Attachment:
    """Check, store and record one uploaded file; raises :class:`AttachmentInvalid`."""
    kind = check_upload(filename, data, max_bytes=max_bytes)
    name = clean_filename(filename, kind)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = db.session.scalar(
        select(Attachment).where(Attachment.dossier_id == dossier.id, Attachment.sha256 == sha256)
    )
    if existing is not None:
        raise AttachmentInvalid(
            _(
                "Tệp “%(name)s” đã có trong hồ sơ này (trùng nội dung với “%(existing)s”).",
                name=name,
                existing=existing.filename,
            )
        )
    written = _write_blob(root, sha256, data)
    attachment = Attachment(
        dossier=dossier,
        filename=name,
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        size=len(data),
        sha256=sha256,
        uploaded_by_id=user.id,
    )
    db.session.add(attachment)
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if written and not _digest_in_use(sha256):
            _remove_blob(root, sha256)
        raise
    log.info("attachment %s (%s) added to dossier %s by %s", attachment.id, kind, dossier.id, user.id)
    return attachment


def get_attachment_or_404(round_: Round, attachment_id: int) -> Attachment:
    """The attachment with this id *of a dossier in this round*; another round's is a 404."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.dossier.round_id != round_.id:
        abort(404)
    return attachment


def open_attachment(attachment: Attachment, root: str) -> str:
    """The path of the stored bytes; :class:`FileNotFoundError` if they are missing."""
    path = stored_path(root, attachment.sha256)
    if not os.path.isfile(path):
        log.error("attachment %s: stored file %s is missing", attachment.id, attachment.sha256)
        raise FileNotFoundError(path)
    return path


def can_delete(round_: Round) -> bool:
    """Whether the round's step still allows adding or removing attachments (not once scoring starts)."""
    return round_.status in SETUP_STEPS  # like a dossier's fields


def delete_attachment(attachment: Attachment, *, user: User, root: str) -> None:
    """Remove the row; the bytes too unless another attachment (any dossier) has the same digest."""
    round_ = attachment.dossier.round
    if not can_delete(round_):
        raise AttachmentInvalid(
            _(
                "Đợt xét đang ở bước “%(step)s”: không thể xóa tệp “%(name)s”.",
                step=round_.status.label,
                name=attachment.filename,
            )
        )
    attachment_id, dossier_id, sha256 = attachment.id, attachment.dossier_id, attachment.sha256
    db.session.delete(attachment)
    db.session.commit()
    if not _digest_in_use(sha256):
        _remove_blob(root, sha256)
    log.info("attachment %s removed from dossier %s by %s", attachment_id, dossier_id, user.id)


def remove_unused_files(root: str, *, min_age_seconds: float = 3600) -> int:
    """Delete stored files no attachment names (left by deleted dossiers) and temporary files of
    interrupted uploads; how many were removed. Files younger than ``min_age_seconds`` are kept:
    their upload may not have committed its row yet."""
    if not os.path.isdir(root):
        return 0
    used = set(db.session.scalars(select(Attachment.sha256).distinct()))
    cutoff = time.time() - min_age_seconds
    removed = 0
    for folder, _subfolders, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            unused = SHA256_PATTERN.match(name) and name not in used
            if (unused or name.startswith(TEMPORARY_PREFIX)) and os.path.getmtime(path) < cutoff:
                os.unlink(path)
                removed += 1
    log.info("%s unused attachment files removed", removed)
    return removed
