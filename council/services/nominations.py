"""Nomination upward (đề nghị cấp trên): a package from a finalised round, imported by a higher council.

The sending council exports ONE .zip holding

``manifest.json``
    the format and its version; the sending council (issuing unit, body, level) and its round; the
    issued decision (number, symbol, date, short verify code, verify URL, the SHA-256 of its PDF);
    the final snapshot's fingerprint *and its whole payload*, so that the receiver recomputes the
    fingerprint with :func:`council.services.ranking.fingerprint`; and per nominated dossier every
    intake field, its score, rank, tier, the number of ranked dossiers, and its attachments.
``decision.pdf``
    the issued decision as printed (:func:`council.services.decisions.render`).
``attachments/<sha256>.<kind>``
    the dossiers' files, one member per distinct content.
``SHA256SUMS``
    ``sha256sum -c`` lines for every other member.

The receiving council (another installation, another database) checks everything before it writes
anything: the zip itself (size, truncation, member names, unpacked size), every checksum, the format
version, the payload against its fingerprint, the decision's verify code against the fingerprint, and
each dossier's figures and fields against the payload. Then, in one transaction, it creates the
dossiers in a round at intake with codes of its own, the missing units, the attachments (files written
only now, removed again if the transaction fails) and one :class:`~council.models.DossierProvenance`
row per dossier. The provenance is context for the higher council, never an input to its scores.
Importing the same package (or a re-export of the same snapshot) twice adds nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import re
import secrets
import time
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from council.documents.vietnamese import short_code
from council.extensions import db
from council.models import (
    Attachment,
    Decision,
    Dossier,
    DossierProvenance,
    DossierStatus,
    Level,
    RankingSnapshot,
    Round,
    Unit,
    UnitKind,
    User,
)
from council.models.base import utcnow
from council.models.enums import INTAKE_STEPS
from council.services import decisions, deliberation, ranking
from council.services.attachments import (
    CONTENT_TYPES,
    SHA256_PATTERN,
    ZIP_SIGNATURE,
    AttachmentInvalid,
    check_upload,
    clean_filename,
    format_size,
    open_attachment,
)

# The attachments service's own storage primitives: atomic write, removal, "still used?".
from council.services.attachments import _digest_in_use as digest_in_use
from council.services.attachments import _remove_blob as remove_blob
from council.services.attachments import _write_blob as write_blob
from council.services.dossiers import (
    CODE_PATTERN,
    UNSTORABLE,
    clean_dossier,
    name_key,
    next_code,
    normalise,
    units_by_key,
)

log = logging.getLogger(__name__)

FORMAT = "council-nomination"
VERSION = 1
SUPPORTED_VERSIONS = (1,)
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
DECISION_PDF = "decision.pdf"
ATTACHMENT_FOLDER = "attachments/"  # a directory entry some zip tools add; carries nothing
ATTACHMENT_MEMBER = re.compile(r"attachments/([0-9a-f]{64})\.(pdf|docx|xlsx|jpg|png)")
CHECKSUM_LINE = re.compile(r"([0-9a-f]{64}) [ *](\S.*)")
VERIFY_URL = re.compile(r"https?://[^\s<>\"']+")
MAX_MEMBERS = 5000
UNPACKED_FACTOR = 4  # attachments are PDFs, images and Office files: already compressed
DEFAULT_PACKAGE_BYTES = 25 * 1024 * 1024
DEFAULT_ATTACHMENT_BYTES = 20 * 1024 * 1024
KEPT_FOLDER = "nominations"
KEPT_MAX_AGE = 24 * 3600
SHOWN_VALUE = 80  # characters of a manifest value quoted in a message
MAX_NUMBER = 10**6  # decision numbers, ranks: far below an integer column's limit
YEARS = (1900, 2999)
# The intake fields a package carries as text, in the order of the intake form.
TEXT_FIELDS = ("kind", "field", "title", "lead_author", "summary", "novelty", "applied_time",
               "applied_place", "applied_work", "results")  # fmt: skip


class NominationError(ValueError):
    """A refused export or package; the message, in Vietnamese, says what is wrong."""


@dataclass(frozen=True)
class Limits:
    """How large a package (as uploaded), its unpacked members, and each attachment may be."""

    package_bytes: int = DEFAULT_PACKAGE_BYTES
    attachment_bytes: int = DEFAULT_ATTACHMENT_BYTES

    @property
    def unpacked_bytes(self) -> int:
        return self.package_bytes * UNPACKED_FACTOR

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Limits:
        """``NOMINATION_MAX_BYTES`` if set, else the request limit ``MAX_CONTENT_LENGTH``."""
        package = config.get("NOMINATION_MAX_BYTES") or config.get("MAX_CONTENT_LENGTH")
        attachment = config.get("ATTACHMENT_MAX_BYTES")
        return cls(int(package or DEFAULT_PACKAGE_BYTES), int(attachment or DEFAULT_ATTACHMENT_BYTES))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the sending council: what may be nominated --------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A recognised dossier of the final snapshot, as the nomination page lists it."""

    row: dict[str, Any]  # the dossier's row in the snapshot payload
    tier: dict[str, Any]  # its tier in the payload
    dossier: Dossier | None  # the record (for the fields the payload does not hold)

    @property
    def code(self) -> str:
        return str(self.row["code"])

    @property
    def nominate_upward(self) -> bool:
        return bool(self.tier.get("nominate_upward"))

    @property
    def attachment_bytes(self) -> int:
        return sum(a.size for a in self.dossier.attachments) if self.dossier else 0


@dataclass(frozen=True)
class Nominable:
    """A finalised round with an issued decision: the recognised dossiers it may send upward."""

    round: Round
    decision: Decision
    snapshot: RankingSnapshot
    candidates: list[Candidate]

    @property
    def ranked_among(self) -> int:
        return len(self.snapshot.payload["dossiers"])

    @property
    def default_codes(self) -> list[str]:
        """Đề nghị cấp trên by default: the dossiers whose tier says so."""
        return [c.code for c in self.candidates if c.nominate_upward]

    @property
    def verify_code(self) -> str:
        return short_code(self.snapshot.fingerprint)


def nominable(round_: Round) -> Nominable:
    """What the round may nominate; :class:`NominationError` before finalisation or an issued decision."""
    snapshot = deliberation.final_snapshot(round_) if deliberation.locked(round_) else None
    if snapshot is None:
        raise NominationError(
            _("Chưa chốt kết quả: chỉ đề nghị cấp trên từ bản chốt kết quả của Chủ tịch Hội đồng.")
        )
    decision = decisions.current_decision(round_)
    if decision is None or not decision.issued:
        raise NominationError(
            _("Quyết định công nhận chưa ban hành: gói đề nghị cần số, ngày và mã kiểm tra của Quyết định.")
        )
    if not deliberation.verify(snapshot):
        raise NominationError(
            _("Bản chốt kết quả không còn khớp với mã SHA-256 của nó; không lập được gói đề nghị.")
        )
    payload = snapshot.payload
    tiers = {t["id"]: t for t in payload["tiers"]}
    records = {d.id: d for d in round_.dossiers}
    candidates = [
        Candidate(row, tiers[row["tier"]], records.get(row["id"]))
        for row in sorted(payload["dossiers"], key=lambda r: (r["rank"], r["code"]))
        if row.get("tier") in tiers
    ]
    return Nominable(round_, decision, snapshot, candidates)


# --- the sending council: the package -------------------------------------------------------------


@dataclass(frozen=True)
class Package:
    """A built nomination package."""

    data: bytes
    filename: str
    sha256: str
    dossiers: int


def build_package(round_: Round, codes: Iterable[str], *, user: User | None, root: str) -> Package:
    """The nomination package of the chosen recognised dossiers (``codes``), as one .zip.

    Raises
    ------
    NominationError
        If the round cannot nominate, nothing or an unrecognised dossier is chosen, or a stored
        attachment is missing or altered.
    """
    source = nominable(round_)
    chosen = _chosen(source, codes)
    files = {DECISION_PDF: decisions.render(source.decision, "pdf").data}
    entries = [_dossier_entry(source, candidate, files, root) for candidate in chosen]
    moment = utcnow()
    manifest = _manifest(source, entries, files[DECISION_PDF], user, moment)
    files[MANIFEST] = json.dumps(
        manifest, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False
    ).encode()
    files[CHECKSUMS] = checksums_text(files).encode()
    data = _zip(files, moment)
    number = source.decision.number or 0
    filename = f"de-nghi-cap-tren-{round_.year}-qd-{number:02d}-{source.verify_code}.zip"
    log.info(
        "round %s: nomination package of %d dossiers (%d bytes) built by %s",
        round_.id,
        len(entries),
        len(data),
        user.id if user else "cli",
    )
    return Package(data, filename, sha256_hex(data), len(entries))


def _chosen(source: Nominable, codes: Iterable[str]) -> list[Candidate]:
    wanted = {str(code).strip() for code in codes if str(code).strip()}
    if not wanted:
        raise NominationError(_("Chọn ít nhất một hồ sơ để đề nghị."))
    unknown = sorted(wanted - {c.code for c in source.candidates})
    if unknown:
        raise NominationError(
            _(
                "Hồ sơ “%(code)s” không có trong danh sách được công nhận của bản chốt kết quả.",
                code=unknown[0],
            )
        )
    chosen = [c for c in source.candidates if c.code in wanted]
    for candidate in chosen:
        if candidate.dossier is None:
            raise NominationError(_("Hồ sơ “%(code)s” không còn trong cơ sở dữ liệu.", code=candidate.code))
    return chosen


def _dossier_entry(
    source: Nominable, candidate: Candidate, files: dict[str, bytes], root: str
) -> dict[str, Any]:
    """One dossier as the manifest lists it: recognised fields from the snapshot, the rest from the record."""
    row, dossier = candidate.row, candidate.dossier
    assert dossier is not None  # _chosen refused the others
    return {
        "code": row["code"],
        "kind": row["kind"],
        "field": row["field"],
        "title": row["title"],
        "lead_author": row["lead_author"],
        "co_authors": list(row.get("co_authors", [])),
        "unit": {"name": row["unit"], "kind": dossier.unit.kind.value, "level": dossier.unit.level.value},
        **{name: getattr(dossier, name) for name in TEXT_FIELDS if name not in row},
        "score": row["score"],
        "rank": row["rank"],
        "tier": candidate.tier["name"],
        "nominate_upward": candidate.nominate_upward,
        "ranked_among": source.ranked_among,
        "attachments": [_attachment_entry(candidate.code, a, files, root) for a in dossier.attachments],
    }


def _attachment_entry(
    code: str, attachment: Attachment, files: dict[str, bytes], root: str
) -> dict[str, Any]:
    try:
        data = Path(open_attachment(attachment, root)).read_bytes()
    except FileNotFoundError:
        raise NominationError(
            _(
                "Hồ sơ “%(code)s”: không tìm thấy tệp “%(name)s” trong kho lưu trữ.",
                code=code,
                name=attachment.filename,
            )
        ) from None
    if sha256_hex(data) != attachment.sha256:
        raise NominationError(
            _(
                "Hồ sơ “%(code)s”: tệp “%(name)s” trong kho lưu trữ đã bị thay đổi.",
                code=code,
                name=attachment.filename,
            )
        )
    path = f"attachments/{attachment.sha256}.{attachment.kind}"
    files[path] = data
    return {
        "filename": attachment.filename,
        "kind": attachment.kind,
        "content_type": attachment.content_type,
        "size": len(data),
        "sha256": attachment.sha256,
        "path": path,
    }


def _manifest(
    source: Nominable, entries: list[dict[str, Any]], pdf: bytes, user: User | None, moment: datetime
) -> dict[str, Any]:
    payload, decision = source.snapshot.payload, source.decision
    info = payload["round"]
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": moment.isoformat(timespec="seconds") + "Z",
        "exported_by": user.full_name if user else "",
        "sender": {
            "issuing_unit": info["issuing_unit"],
            "issuing_body": info["issuing_body"],
            "level": info["level"],
        },
        "round": {"title": info["title"], "year": info["year"], "level": info["level"]},
        "decision": {
            "number": decision.number,
            "symbol": decision.issuer_symbol,
            "number_symbol": f"{decision.number:02d}/{decision.issuer_symbol}",
            "issued_on": decision.issued_on.isoformat() if decision.issued_on else None,
            "verify_code": source.verify_code,
            "verify_url": decisions.verify_url(source.verify_code),
            "file": DECISION_PDF,
            "sha256": sha256_hex(pdf),
        },
        "snapshot": {
            "fingerprint": source.snapshot.fingerprint,
            "method": source.snapshot.method,
            "payload": payload,
        },
        "ranked_among": source.ranked_among,
        "checksums": CHECKSUMS,
        "dossiers": entries,
    }


def checksums_text(files: Mapping[str, bytes]) -> str:
    """``sha256sum`` lines (digest, two spaces, name) for every member but SHA256SUMS itself."""
    return "".join(f"{sha256_hex(files[name])}  {name}\n" for name in sorted(files) if name != CHECKSUMS)


def _zip(files: Mapping[str, bytes], moment: datetime) -> bytes:
    first = [MANIFEST, CHECKSUMS, DECISION_PDF]
    order = first + sorted(name for name in files if name not in first)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in order:
            member = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            archive.writestr(member, files[name])
    return buffer.getvalue()


# --- the receiving council: checking a package (nothing written) ----------------------------------


@dataclass(frozen=True)
class IncomingFile:
    filename: str  # cleaned, as it will be shown
    kind: str
    size: int
    sha256: str
    path: str  # the member in the package


@dataclass(frozen=True)
class Incoming:
    """One dossier of a checked package."""

    source_code: str
    values: dict[str, Any]  # the intake fields, cleaned as the intake form cleans them
    unit_name: str
    unit_kind: UnitKind
    unit_level: Level
    score: float | None
    rank: int | None
    tier: str
    attachments: tuple[IncomingFile, ...]

    @property
    def title(self) -> str:
        return str(self.values["title"])


@dataclass(frozen=True)
class Sender:
    """Who sent a checked package, under which decision and snapshot."""

    council: str  # issuing body and unit
    level: Level
    round_title: str
    year: int
    decision_number: str  # "01/QĐ-MTTQ-BTT"
    decision_date: date
    verify_code: str
    verify_url: str
    fingerprint: str
    ranked_among: int


@dataclass(frozen=True)
class CheckedPackage:
    """A package that passed every check."""

    sha256: str
    sender: Sender
    dossiers: list[Incoming]
    files: dict[str, bytes]


def check_package(data: bytes, limits: Limits) -> CheckedPackage:
    """Every check of a package, in the order a reader would make them; no database, nothing written.

    Raises
    ------
    NominationError
        Naming the first thing wrong: not a zip, too large, truncated, a strange member name, a
        missing file, a checksum, the format version, the payload's fingerprint, the decision's
        verify code, a dossier's figures or fields, an attachment.
    """
    files = _unzip(data, limits)
    for name in (MANIFEST, CHECKSUMS, DECISION_PDF):
        if name not in files:
            raise NominationError(_("Gói thiếu tệp “%(name)s”.", name=name))
    _check_sums(files)
    manifest = _load_manifest(files[MANIFEST])
    payload, fingerprint = _checked_snapshot(manifest)
    sender = _sender(manifest, payload, fingerprint, files[DECISION_PDF])
    dossiers = _incoming(manifest, payload, sender, files, limits)
    used = {MANIFEST, CHECKSUMS, DECISION_PDF} | {f.path for d in dossiers for f in d.attachments}
    strays = sorted(set(files) - used)
    if strays:
        raise NominationError(
            _("Tệp “%(name)s” trong gói không thuộc hồ sơ nào của manifest.json.", name=strays[0])
        )
    return CheckedPackage(sha256_hex(data), sender, dossiers, files)


def _shown(value: Any) -> str:
    """A value from the package, quoted safely and briefly in a message."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = "".join(ch if ch.isprintable() else "\ufffd" for ch in text)
    return text if len(text) <= SHOWN_VALUE else text[: SHOWN_VALUE - 1] + "…"


def _unzip(data: bytes, limits: Limits) -> dict[str, bytes]:
    if len(data) > limits.package_bytes:
        raise NominationError(
            _(
                "Gói lớn %(size)s, vượt giới hạn %(limit)s.",
                size=format_size(len(data)),
                limit=format_size(limits.package_bytes),
            )
        )
    if not data.startswith(ZIP_SIGNATURE):
        raise NominationError(_("Tệp không phải gói hồ sơ đề nghị: không phải tệp .zip."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if m.filename != ATTACHMENT_FOLDER]
            _check_members(members, limits)
            return {member.filename: archive.read(member) for member in members}
    except NominationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, OSError, ValueError,
            NotImplementedError, RuntimeError) as error:  # fmt: skip
        raise NominationError(
            _("Gói bị cắt cụt hoặc hỏng: không đọc được tệp .zip (%(reason)s).", reason=_shown(str(error)))
        ) from error


def _check_members(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Names (no paths of one's own, so nothing can land outside), count, encryption, unpacked size."""
    if len(members) > MAX_MEMBERS:
        raise NominationError(
            _("Gói có quá nhiều tệp (%(n)d, tối đa %(max)d).", n=len(members), max=MAX_MEMBERS)
        )
    seen: set[str] = set()
    unpacked = 0
    for member in members:
        name = member.filename
        if name not in (MANIFEST, CHECKSUMS, DECISION_PDF) and not ATTACHMENT_MEMBER.fullmatch(name):
            raise NominationError(
                _(
                    "Gói có tệp không hợp lệ “%(name)s”: chỉ nhận manifest.json, SHA256SUMS, decision.pdf và "
                    "attachments/<SHA-256>.<loại tệp>.",
                    name=_shown(name),
                )
            )
        if name in seen:
            raise NominationError(_("Gói có hai tệp cùng tên “%(name)s”.", name=name))
        if member.flag_bits & 0x1:
            raise NominationError(_("Tệp “%(name)s” trong gói được mã hóa bằng mật khẩu.", name=name))
        seen.add(name)
        unpacked += member.file_size
        if unpacked > limits.unpacked_bytes:
            raise NominationError(
                _(
                    "Gói giải nén ra hơn %(limit)s: vượt giới hạn (có thể là “bom zip”).",
                    limit=format_size(limits.unpacked_bytes),
                )
            )


def _check_sums(files: Mapping[str, bytes]) -> None:
    try:
        lines = files[CHECKSUMS].decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise NominationError(_("Tệp SHA256SUMS không đọc được.")) from None
    listed: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if line.strip():
            match = CHECKSUM_LINE.fullmatch(line)
            if match is None:
                raise NominationError(_("Dòng %(n)d của tệp SHA256SUMS không hợp lệ.", n=number))
            listed[match[2]] = match[1]
    for name in sorted(files):
        if name != CHECKSUMS and name not in listed:
            raise NominationError(
                _("Tệp “%(name)s” có trong gói nhưng không có trong SHA256SUMS.", name=name)
            )
    for name, digest in sorted(listed.items()):
        if name not in files:
            raise NominationError(_("Gói thiếu tệp “%(name)s” (có trong SHA256SUMS).", name=_shown(name)))
        if sha256_hex(files[name]) != digest:
            raise NominationError(
                _(
                    "Tệp “%(name)s” trong gói đã bị thay đổi hoặc hỏng: mã SHA-256 của nó khác với "
                    "SHA256SUMS.",
                    name=name,
                )
            )


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _load_manifest(raw: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise NominationError(_("Tệp manifest.json không đọc được (không phải JSON UTF-8 hợp lệ).")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise NominationError(
            _(
                "Tệp không phải gói hồ sơ đề nghị: manifest.json không ghi định dạng “%(format)s”.",
                format=FORMAT,
            )
        )
    version = manifest.get("version")
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        raise NominationError(
            _(
                "Gói theo phiên bản định dạng %(version)s, phiên bản này chưa được hỗ trợ "
                "(hỗ trợ: %(supported)s).",
                version=_shown(version),
                supported=", ".join(str(v) for v in SUPPORTED_VERSIONS),
            )
        )
    return manifest


def _bad_field(where: str) -> NominationError:
    return NominationError(_("Tệp manifest.json thiếu hoặc sai mục “%(name)s”.", name=where))


def _get(mapping: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    """``mapping[key]`` if it is of ``kind`` (a bool is never a number here), else a clear refusal."""
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
        raise _bad_field(f"{where}.{key}" if where else key)
    return value


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _text(mapping: Any, key: str, where: str, max_length: int) -> str:
    value = _get(mapping, key, str, where)
    if len(value) > max_length:
        raise _bad_field(f"{where}.{key}" if where else key)
    return value


def _storable(text: str, max_length: int) -> bool:
    """Non-empty, short enough for its column, and free of what PostgreSQL cannot store (NUL …)."""
    return 0 < len(text) <= max_length and not UNSTORABLE.search(text)


def _checked_snapshot(manifest: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The payload, and its fingerprint once recomputed and found equal to the stated one."""
    snapshot = _get(manifest, "snapshot", dict, "")
    payload = _get(snapshot, "payload", dict, "snapshot")
    stated = _get(snapshot, "fingerprint", str, "snapshot")
    if not SHA256_PATTERN.match(stated):
        raise _bad_field("snapshot.fingerprint")
    try:
        computed = ranking.fingerprint(payload)
    except (TypeError, ValueError):
        computed = ""
    if computed != stated:
        raise NominationError(
            _(
                "Bản chốt kết quả trong gói đã bị thay đổi: mã SHA-256 tính lại từ nội dung (%(computed)s…) "
                "khác mã ghi trong manifest.json (%(stated)s…).",
                computed=computed[:12],
                stated=stated[:12],
            )
        )
    for key in ("round", "tiers", "dossiers"):
        _get(payload, key, dict if key == "round" else list, "snapshot.payload")
    return payload, stated


def _sender(manifest: dict[str, Any], payload: dict[str, Any], fingerprint: str, pdf: bytes) -> Sender:
    """The decision (its code belongs to the fingerprint) and the council, as the payload records it."""
    decision = _get(manifest, "decision", dict, "")
    expected = short_code(fingerprint)
    stated = _text(decision, "verify_code", "decision", 32)
    if stated != expected:
        raise NominationError(
            _(
                "Mã kiểm tra của Quyết định trong gói (%(stated)s) không khớp với bản chốt kết quả "
                "(%(expected)s): Quyết định không thuộc bản chốt này hoặc gói đã bị sửa.",
                stated=_shown(stated),
                expected=expected,
            )
        )
    url = _text(decision, "verify_url", "decision", 500)
    if not VERIFY_URL.fullmatch(url) or not url.endswith(f"/verify/{expected}"):
        raise NominationError(
            _(
                "Địa chỉ kiểm tra “%(url)s” không phải địa chỉ http(s) của mã %(code)s.",
                url=_shown(url),
                code=expected,
            )
        )
    if _get(decision, "sha256", str, "decision") != sha256_hex(pdf) or not pdf.startswith(b"%PDF-"):
        raise NominationError(
            _("Tệp decision.pdf không phải bản PDF của Quyết định ghi trong manifest.json.")
        )
    info = _same_as_payload(manifest, payload["round"])
    number = _get(decision, "number", int, "decision")
    symbol = _text(decision, "symbol", "decision", 50)
    try:
        issued_on = date.fromisoformat(_get(decision, "issued_on", str, "decision"))
        level = Level(info["level"])
    except ValueError:
        raise _bad_field("decision.issued_on / sender.level") from None
    council = normalise(f"{info['issuing_body']} {info['issuing_unit']}")
    title = normalise(info["title"])
    if not (_storable(council, 500) and _storable(title, 500) and _storable(symbol, 50)):
        raise _bad_field("sender / round / decision.symbol")
    if not (0 < number <= MAX_NUMBER and YEARS[0] <= info["year"] <= YEARS[1]):
        raise _bad_field("decision.number / round.year")
    return Sender(
        council=council,
        level=level,
        round_title=title,
        year=info["year"],
        decision_number=f"{number:02d}/{symbol}",
        decision_date=issued_on,
        verify_code=expected,
        verify_url=url,
        fingerprint=fingerprint,
        ranked_among=len(payload["dossiers"]),
    )


def _same_as_payload(manifest: dict[str, Any], recorded: dict[str, Any]) -> dict[str, Any]:
    """The sending council and round as the manifest states them, refused unless the payload agrees."""
    sender = _get(manifest, "sender", dict, "")
    round_info = _get(manifest, "round", dict, "")
    stated = {
        "issuing_unit": _get(sender, "issuing_unit", str, "sender"),
        "issuing_body": _get(sender, "issuing_body", str, "sender"),
        "level": _get(sender, "level", str, "sender"),
        "title": _get(round_info, "title", str, "round"),
        "year": _get(round_info, "year", int, "round"),
    }
    for key, value in stated.items():
        if recorded.get(key) != value:
            raise NominationError(
                _(
                    "Thông tin Hội đồng gửi trong manifest.json (%(name)s: “%(stated)s”) khác với bản chốt "
                    "kết quả (“%(recorded)s”).",
                    name=key,
                    stated=_shown(value),
                    recorded=_shown(recorded.get(key)),
                )
            )
    return stated


def _incoming(
    manifest: dict[str, Any],
    payload: dict[str, Any],
    sender: Sender,
    files: Mapping[str, bytes],
    limits: Limits,
) -> list[Incoming]:
    entries = _get(manifest, "dossiers", list, "")
    if not entries:
        raise NominationError(_("Gói không có hồ sơ nào."))
    if _get(manifest, "ranked_among", int, "") != sender.ranked_among:
        raise _bad_field("ranked_among")
    rows = {row.get("code"): row for row in payload["dossiers"] if isinstance(row, dict)}
    tiers = {tier.get("id"): tier for tier in payload["tiers"] if isinstance(tier, dict)}
    result: list[Incoming] = []
    for i, entry in enumerate(entries):
        where = f"dossiers[{i}]"
        code = _text(entry, "code", where, 32)
        if not CODE_PATTERN.match(code):
            raise _bad_field(f"{where}.code")
        if any(item.source_code == code for item in result):
            raise NominationError(_("Gói ghi hồ sơ “%(code)s” hai lần.", code=code))
        row = rows.get(code)
        if row is None:
            raise NominationError(_("Hồ sơ “%(code)s” không có trong bản chốt kết quả của gói.", code=code))
        tier = tiers.get(row.get("tier")) if row.get("tier") is not None else None
        if tier is None:
            raise NominationError(
                _(
                    "Hồ sơ “%(code)s” không được công nhận (không có mức khen) trong bản chốt kết quả.",
                    code=code,
                )
            )
        _compare(code, entry, row, tier, sender.ranked_among)
        result.append(_incoming_dossier(code, entry, row, tier, where, files, limits))
    return result


def _compare(code: str, entry: dict[str, Any], row: dict[str, Any], tier: dict[str, Any], among: int) -> None:
    """What the manifest says of a dossier must be what the fingerprinted payload recorded."""
    unit = entry.get("unit") if isinstance(entry.get("unit"), dict) else {}
    checks = (
        (_("điểm"), entry.get("score"), row.get("score")),
        (_("thứ hạng"), entry.get("rank"), row.get("rank")),
        (_("mức khen"), entry.get("tier"), tier.get("name")),
        (_("số hồ sơ được xếp hạng"), entry.get("ranked_among"), among),
        (_("tên"), entry.get("title"), row.get("title")),
        (_("loại"), entry.get("kind"), row.get("kind")),
        (_("lĩnh vực"), entry.get("field"), row.get("field")),
        (_("người chủ trì"), entry.get("lead_author"), row.get("lead_author")),
        (_("người thực hiện"), entry.get("co_authors"), row.get("co_authors", [])),
        (_("đơn vị"), unit.get("name"), row.get("unit")),
    )
    for label, stated, recorded in checks:
        if stated != recorded or isinstance(stated, bool) != isinstance(recorded, bool):
            raise NominationError(
                _(
                    "Hồ sơ “%(code)s”: %(what)s trong manifest.json (%(stated)s) khác với bản chốt kết quả "
                    "(%(recorded)s).",
                    code=code,
                    what=label,
                    stated=_shown(stated),
                    recorded=_shown(recorded),
                )
            )


def _incoming_dossier(
    code: str,
    entry: dict[str, Any],
    row: dict[str, Any],
    tier: dict[str, Any],
    where: str,
    files: Mapping[str, bytes],
    limits: Limits,
) -> Incoming:
    """The dossier's fields through the intake form's own validation, its unit and its files."""
    unit = _get(entry, "unit", dict, where)
    unit_name = normalise(_get(unit, "name", str, f"{where}.unit"))
    try:
        unit_kind = UnitKind(_get(unit, "kind", str, f"{where}.unit"))
        unit_level = Level(_get(unit, "level", str, f"{where}.unit"))
    except ValueError:
        raise _bad_field(f"{where}.unit.kind / level") from None
    co_authors = _get(entry, "co_authors", list, where)
    if not all(isinstance(name, str) for name in co_authors):
        raise _bad_field(f"{where}.co_authors")
    raw = {name: _get(entry, name, str, where) for name in TEXT_FIELDS}
    raw.update(code="", unit=unit_name, co_authors="\n".join(co_authors))
    placeholder = Unit(name=unit_name, kind=unit_kind, level=unit_level)  # never added to a session
    cleaned = clean_dossier(raw, {name_key(unit_name): placeholder})
    if cleaned.errors:
        raise NominationError(
            _("Hồ sơ “%(code)s”: %(problems)s", code=code, problems=" ".join(cleaned.errors.values()))
        )
    values = {k: v for k, v in cleaned.values.items() if k not in ("code", "unit")}
    score, rank = row.get("score"), row.get("rank")
    if not (score is None or (isinstance(score, int | float) and -MAX_NUMBER <= score <= MAX_NUMBER)):
        raise _bad_field(f"{where}.score")
    if not (rank is None or (isinstance(rank, int) and 0 < rank <= MAX_NUMBER)):
        raise _bad_field(f"{where}.rank")
    tier_name = tier.get("name")
    if not isinstance(tier_name, str) or not _storable(tier_name, 255):
        raise _bad_field(f"{where}.tier")
    attachments = _incoming_files(code, _get(entry, "attachments", list, where), where, files, limits)
    return Incoming(code, values, unit_name, unit_kind, unit_level, score, rank, tier_name, attachments)


def _incoming_files(
    code: str, items: list[Any], where: str, files: Mapping[str, bytes], limits: Limits
) -> tuple[IncomingFile, ...]:
    result: list[IncomingFile] = []
    for j, item in enumerate(items):
        at = f"{where}.attachments[{j}]"
        digest, kind = _text(item, "sha256", at, 64), _text(item, "kind", at, 8)
        name, path, size = (
            _text(item, "filename", at, 255),
            _text(item, "path", at, 200),
            _get(item, "size", int, at),
        )
        if (
            not SHA256_PATTERN.match(digest)
            or kind not in CONTENT_TYPES
            or path != f"attachments/{digest}.{kind}"
        ):
            raise _bad_field(f"{at}.path")
        data = files.get(path)
        if data is None:
            raise NominationError(
                _(
                    "Hồ sơ “%(code)s”: gói thiếu tệp đính kèm “%(name)s” (%(path)s).",
                    code=code,
                    name=name,
                    path=path,
                )
            )
        if sha256_hex(data) != digest or len(data) != size:
            raise NominationError(
                _(
                    "Hồ sơ “%(code)s”: tệp đính kèm “%(name)s” khác với mô tả trong manifest.json "
                    "(kích thước hoặc mã SHA-256).",
                    code=code,
                    name=name,
                )
            )
        try:
            detected = check_upload(name, data, max_bytes=limits.attachment_bytes)
        except AttachmentInvalid as error:
            raise NominationError(_("Hồ sơ “%(code)s”: %(problem)s", code=code, problem=str(error))) from None
        if detected != kind or any(f.sha256 == digest for f in result):
            raise NominationError(
                _(
                    "Hồ sơ “%(code)s”: tệp đính kèm “%(name)s” ghi sai loại hoặc bị ghi hai lần.",
                    code=code,
                    name=name,
                )
            )
        result.append(IncomingFile(clean_filename(name, kind), kind, size, digest, path))
    return tuple(result)


# --- the receiving council: planning and importing ------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """What importing does with one dossier of the package."""

    incoming: Incoming
    code: str  # its code in this round: the one it will get, or the one it got before
    already: bool  # đã nhập trước đây
    new_unit: bool  # its unit is not yet in the system and will be created
    dossier_id: int | None = None


@dataclass(frozen=True)
class ImportPlan:
    """A checked package and what importing it into the round does (or did)."""

    package: CheckedPackage
    dossiers: list[Planned]

    @property
    def sender(self) -> Sender:
        return self.package.sender

    @property
    def created(self) -> list[Planned]:
        return [p for p in self.dossiers if not p.already]

    @property
    def already(self) -> list[Planned]:
        return [p for p in self.dossiers if p.already]


def intake_refusal(round_: Round) -> str | None:
    """Why dossiers cannot be added to the round now (only at draft or intake), or None."""
    if round_.status in INTAKE_STEPS:
        return None
    return _(
        "Đợt xét đang ở bước “%(step)s”: chỉ nhập hồ sơ cấp dưới đề nghị khi đợt xét ở bước Nháp hoặc "
        "Tiếp nhận hồ sơ.",
        step=round_.status.label,
    )


def _refuse_unless_intake(round_: Round) -> None:
    refusal = intake_refusal(round_)
    if refusal:
        raise NominationError(refusal)


def plan_import(round_: Round, package: CheckedPackage) -> ImportPlan:
    """Which dossiers are new (with the codes they will get) and which were imported before."""
    before = {
        p.source_code: p
        for p in db.session.scalars(
            select(DossierProvenance).where(
                DossierProvenance.round_id == round_.id,
                DossierProvenance.source_fingerprint == package.sender.fingerprint,
            )
        )
    }
    units = units_by_key()
    taken = set(db.session.scalars(select(Dossier.code).where(Dossier.round_id == round_.id)))
    planned = []
    for item in package.dossiers:
        previous = before.get(item.source_code)
        if previous is not None:
            planned.append(Planned(item, previous.dossier.code, True, False, previous.dossier_id))
            continue
        code = next_code(round_, taken)
        taken.add(code)
        planned.append(Planned(item, code, False, name_key(item.unit_name) not in units))
    return ImportPlan(package, planned)


def preview_import(round_: Round, data: bytes, *, limits: Limits) -> ImportPlan:
    """Check a package and say what importing it would do; nothing is written."""
    _refuse_unless_intake(round_)
    return plan_import(round_, check_package(data, limits))


def import_package(round_: Round, data: bytes, *, user: User | None, root: str, limits: Limits) -> ImportPlan:
    """Check the package, then create its new dossiers in one transaction, or nothing.

    Attachment files are written only after every check, before the commit; if the transaction
    fails, the files this call wrote (and no other dossier uses) are removed again.

    Raises
    ------
    NominationError
        If the round is past intake or the package is refused (see :func:`check_package`).
    """
    _refuse_unless_intake(round_)
    package = check_package(data, limits)
    # One import of a round at a time (PostgreSQL; SQLite serialises writers anyway).
    db.session.execute(select(Round.id).where(Round.id == round_.id).with_for_update())
    db.session.refresh(round_)
    _refuse_unless_intake(round_)
    plan = plan_import(round_, package)
    if not plan.created:
        db.session.rollback()
        return plan
    written: list[str] = []
    try:
        units = _units_for(plan.created)
        made = {
            p.incoming.source_code: _create(round_, p, units, package, user, root, written)
            for p in plan.created
        }
        db.session.commit()
    except IntegrityError as error:
        _undo(root, written)
        raise NominationError(
            _(
                "Không nhập được vì đợt xét vừa thay đổi cùng lúc (có thể gói đang được nhập ở nơi khác). "
                "Không có gì được ghi; vui lòng thử lại."
            )
        ) from error
    except BaseException:
        _undo(root, written)
        raise
    log.info(
        "round %s: %d dossiers imported from nomination package %s by %s",
        round_.id,
        len(made),
        package.sha256,
        user.id if user else "cli",
    )
    return replace(
        plan,
        dossiers=[
            p if p.already else replace(p, dossier_id=made[p.incoming.source_code].id) for p in plan.dossiers
        ],
    )


def _units_for(planned: list[Planned]) -> dict[str, Unit]:
    """Units matched by name (case and spacing aside); the missing ones created as the package describes."""
    units = units_by_key()
    for p in planned:
        key = name_key(p.incoming.unit_name)
        if key not in units:
            units[key] = Unit(
                name=p.incoming.unit_name, kind=p.incoming.unit_kind, level=p.incoming.unit_level
            )
            db.session.add(units[key])
    return units


def _create(
    round_: Round,
    planned: Planned,
    units: dict[str, Unit],
    package: CheckedPackage,
    user: User | None,
    root: str,
    written: list[str],
) -> Dossier:
    item, sender = planned.incoming, package.sender
    dossier = Dossier(
        round=round_,
        code=planned.code,
        status=DossierStatus.RECEIVED,
        unit=units[name_key(item.unit_name)],
        **item.values,
    )
    db.session.add(dossier)
    for incoming_file in item.attachments:
        if write_blob(root, incoming_file.sha256, package.files[incoming_file.path]):
            written.append(incoming_file.sha256)
        dossier.attachments.append(
            Attachment(
                filename=incoming_file.filename,
                kind=incoming_file.kind,
                content_type=CONTENT_TYPES[incoming_file.kind],
                size=incoming_file.size,
                sha256=incoming_file.sha256,
                uploaded_by_id=user.id if user else None,
            )
        )
    db.session.add(
        DossierProvenance(
            dossier=dossier,
            round_id=round_.id,
            package_sha256=package.sha256,
            source_fingerprint=sender.fingerprint,
            source_code=item.source_code,
            source_council=sender.council,
            source_level=sender.level,
            source_round_title=sender.round_title,
            source_year=sender.year,
            decision_number=sender.decision_number,
            decision_date=sender.decision_date,
            verify_url=sender.verify_url,
            tier_name=item.tier,
            score=item.score,
            rank=item.rank,
            ranked_among=sender.ranked_among,
            imported_by_id=user.id if user else None,
        )
    )
    return dossier


def _undo(root: str, written: list[str]) -> None:
    """Roll back, and remove the files this import wrote unless a committed attachment uses them."""
    db.session.rollback()
    for digest in written:
        if not digest_in_use(digest):
            remove_blob(root, digest)


def provenance_of(dossier: Dossier) -> DossierProvenance | None:
    """Where a dossier came from, if a lower council nominated it (shown on the dossier page)."""
    return db.session.scalar(select(DossierProvenance).where(DossierProvenance.dossier_id == dossier.id))


# --- the receiving council: an upload kept between preview and confirmation ------------------------


def _kept_folder() -> Path:
    return Path(current_app.instance_path) / KEPT_FOLDER


def keep_upload(data: bytes) -> str:
    """Keep a checked package as ``instance/nominations/<sha256>.zip`` until confirmed (a day at most)."""
    digest = sha256_hex(data)
    folder = _kept_folder()
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - KEPT_MAX_AGE
    for old in folder.iterdir():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    path = folder / f"{digest}.zip"
    if not path.exists():
        partial = folder / f".{digest}.{secrets.token_hex(4)}"
        partial.write_bytes(data)
        partial.replace(path)
    return digest


def load_kept(digest: str) -> bytes:
    """The kept package's bytes; :class:`NominationError` if it is gone or was altered."""
    path = _kept_folder() / f"{digest}.zip"
    if not SHA256_PATTERN.match(digest or "") or not path.is_file():
        raise NominationError(_("Không còn gói đã tải lên trên máy chủ; vui lòng tải gói lên lại."))
    data = path.read_bytes()
    if sha256_hex(data) != digest:
        raise NominationError(_("Gói đã tải lên bị thay đổi trên máy chủ; vui lòng tải gói lên lại."))
    return data


def discard_kept(digest: str) -> None:
    if SHA256_PATTERN.match(digest or ""):
        with contextlib.suppress(OSError):
            (_kept_folder() / f"{digest}.zip").unlink(missing_ok=True)
