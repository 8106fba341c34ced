"""The domain's fixed choices, stored as their English value and shown by their Vietnamese label.

Labels are lazy gettext strings: Vietnamese is the source text, English comes from the catalog.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l


class Choice(StrEnum):
    """A StrEnum whose members carry a translatable label."""

    @property
    def label(self) -> Any:
        """The translatable label (a lazy string, rendered in the reader's language)."""
        return _LABELS[type(self)][self]


class UnitKind(Choice):
    """Loại đơn vị."""

    FRONT_COMMITTEE = "front_committee"
    LABOUR_FEDERATION = "labour_federation"
    FARMERS_UNION = "farmers_union"
    YOUTH_UNION = "youth_union"
    WOMENS_UNION = "womens_union"
    VETERANS_ASSOCIATION = "veterans_association"
    AGENCY = "agency"
    ENTERPRISE = "enterprise"
    PUBLIC_SERVICE_UNIT = "public_service_unit"
    COMMUNE = "commune"
    ARMED_FORCES = "armed_forces"
    OTHER = "other"


class Level(Choice):
    """Cấp: trung ương, tỉnh, huyện, xã."""

    CENTRAL = "central"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class RoundStatus(Choice):
    """Trạng thái đợt xét, in workflow order."""

    DRAFT = "draft"
    INTAKE = "intake"
    ASSIGNMENT = "assignment"
    SCORING = "scoring"
    DELIBERATION = "deliberation"
    FINALISED = "finalised"
    PUBLISHED = "published"

    @property
    def next(self) -> RoundStatus | None:
        order = list(RoundStatus)
        index = order.index(self)
        return order[index + 1] if index + 1 < len(order) else None

    def precedes(self, other: RoundStatus) -> bool:
        order = list(RoundStatus)
        return order.index(self) < order.index(other)


# Steps in which dossiers may be added (intake open), and in which the round's set-up (rubric,
# council, dossiers, attachments) may still change: everything before scoring starts.
INTAKE_STEPS = frozenset({RoundStatus.DRAFT, RoundStatus.INTAKE})
SETUP_STEPS = frozenset({RoundStatus.DRAFT, RoundStatus.INTAKE, RoundStatus.ASSIGNMENT})


class CouncilRole(Choice):
    """Vai trò trong Hội đồng."""

    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    SECRETARY = "secretary"
    MEMBER = "member"


class GlobalRole(Choice):
    """Vai trò toàn hệ thống (không gắn với đợt xét)."""

    ADMIN = "admin"
    AUDITOR = "auditor"


class DossierKind(Choice):
    """Loại hồ sơ: sáng kiến, ý tưởng mới, mô hình."""

    INITIATIVE = "initiative"
    NEW_IDEA = "new_idea"
    MODEL = "model"


class Field(Choice):
    """Lĩnh vực: the movement's five content areas (5 nội dung thi đua)."""

    POLITICAL_SYSTEM = "political_system"
    BUSINESS = "business"
    PUBLIC_SERVICE = "public_service"
    ARMED_FORCES = "armed_forces"
    ETHNIC_RELIGIOUS_OVERSEAS = "ethnic_religious_overseas"


class DossierStatus(Choice):
    """Trạng thái hồ sơ."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


class AssignmentStatus(Choice):
    """Trạng thái phân công chấm."""

    ACTIVE = "active"
    RECUSED = "recused"
    REMOVED = "removed"


class SheetStatus(Choice):
    """Trạng thái phiếu chấm điểm."""

    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"


class ScoreEventKind(Choice):
    """Loại sự kiện trong lịch sử chấm điểm."""

    SAVE = "save"
    SUBMIT = "submit"
    REVISE = "revise"
    RECUSE = "recuse"
    REOPEN = "reopen"


class DeliberationKind(Choice):
    """Loại nội dung họp xét: a council vote, or an adjustment of the statistical tiers."""

    VOTE = "vote"
    MOVE = "move"
    INCLUDE = "include"
    EXCLUDE = "exclude"
    WITHDRAW = "withdraw"


_LABELS: dict[type[Choice], dict[Choice, object]] = {
    UnitKind: {
        UnitKind.FRONT_COMMITTEE: _l("Ủy ban MTTQ"),
        UnitKind.LABOUR_FEDERATION: _l("Liên đoàn Lao động"),
        UnitKind.FARMERS_UNION: _l("Hội Nông dân"),
        UnitKind.YOUTH_UNION: _l("Đoàn Thanh niên"),
        UnitKind.WOMENS_UNION: _l("Hội Liên hiệp Phụ nữ"),
        UnitKind.VETERANS_ASSOCIATION: _l("Hội Cựu chiến binh"),
        UnitKind.AGENCY: _l("Cơ quan"),
        UnitKind.ENTERPRISE: _l("Doanh nghiệp"),
        UnitKind.PUBLIC_SERVICE_UNIT: _l("Đơn vị sự nghiệp"),
        UnitKind.COMMUNE: _l("Xã, phường, thị trấn"),
        UnitKind.ARMED_FORCES: _l("Lực lượng vũ trang"),
        UnitKind.OTHER: _l("Khác"),
    },
    Level: {
        Level.CENTRAL: _l("Trung ương"),
        Level.PROVINCE: _l("Tỉnh"),
        Level.DISTRICT: _l("Huyện"),
        Level.COMMUNE: _l("Xã"),
    },
    RoundStatus: {
        RoundStatus.DRAFT: _l("Nháp"),
        RoundStatus.INTAKE: _l("Tiếp nhận hồ sơ"),
        RoundStatus.ASSIGNMENT: _l("Phân công chấm"),
        RoundStatus.SCORING: _l("Chấm điểm"),
        RoundStatus.DELIBERATION: _l("Họp xét"),
        RoundStatus.FINALISED: _l("Đã chốt kết quả"),
        RoundStatus.PUBLISHED: _l("Đã công bố"),
    },
    CouncilRole: {
        CouncilRole.CHAIR: _l("Chủ tịch Hội đồng"),
        CouncilRole.VICE_CHAIR: _l("Phó Chủ tịch Hội đồng"),
        CouncilRole.SECRETARY: _l("Thư ký Hội đồng"),
        CouncilRole.MEMBER: _l("Ủy viên Hội đồng"),
    },
    GlobalRole: {
        GlobalRole.ADMIN: _l("Quản trị hệ thống"),
        GlobalRole.AUDITOR: _l("Kiểm toán"),
    },
    DossierKind: {
        DossierKind.INITIATIVE: _l("Sáng kiến"),
        DossierKind.NEW_IDEA: _l("Ý tưởng mới"),
        DossierKind.MODEL: _l("Mô hình"),
    },
    Field: {
        Field.POLITICAL_SYSTEM: _l("Cơ quan hệ thống chính trị"),
        Field.BUSINESS: _l("Doanh nghiệp, sản xuất kinh doanh, hộ gia đình"),
        Field.PUBLIC_SERVICE: _l("Đơn vị sự nghiệp (giáo dục, y tế, khoa học)"),
        Field.ARMED_FORCES: _l("Lực lượng vũ trang"),
        Field.ETHNIC_RELIGIOUS_OVERSEAS: _l("Đồng bào dân tộc, tôn giáo, kiều bào"),
    },
    DossierStatus: {
        DossierStatus.RECEIVED: _l("Đã tiếp nhận"),
        DossierStatus.ACCEPTED: _l("Hợp lệ"),
        DossierStatus.RETURNED: _l("Trả lại để bổ sung"),
        DossierStatus.WITHDRAWN: _l("Đã rút"),
    },
    AssignmentStatus: {
        AssignmentStatus.ACTIVE: _l("Đang chấm"),
        AssignmentStatus.RECUSED: _l("Xin không chấm"),
        AssignmentStatus.REMOVED: _l("Đã hủy phân công"),
    },
    SheetStatus: {
        SheetStatus.NOT_STARTED: _l("Chưa chấm"),
        SheetStatus.DRAFT: _l("Đang chấm (nháp)"),
        SheetStatus.SUBMITTED: _l("Đã nộp"),
    },
    ScoreEventKind: {
        ScoreEventKind.SAVE: _l("Lưu nháp"),
        ScoreEventKind.SUBMIT: _l("Nộp phiếu"),
        ScoreEventKind.REVISE: _l("Sửa phiếu đã nộp"),
        ScoreEventKind.RECUSE: _l("Xin không chấm"),
        ScoreEventKind.REOPEN: _l("Mở lại phiếu"),
    },
    DeliberationKind: {
        DeliberationKind.VOTE: _l("Biểu quyết"),
        DeliberationKind.MOVE: _l("Chuyển mức khen"),
        DeliberationKind.INCLUDE: _l("Đưa vào danh sách"),
        DeliberationKind.EXCLUDE: _l("Không đưa vào danh sách"),
        DeliberationKind.WITHDRAW: _l("Hủy điều chỉnh"),
    },
}


def enum_column(enum: type[Choice]) -> sa.Enum:
    """A portable column type storing the enum's value as VARCHAR (no native PostgreSQL enum)."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
