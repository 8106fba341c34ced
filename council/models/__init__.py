"""The domain model. Import models from here; every table is registered on import."""

from council.models.assignment import Assignment, AssignmentRun, ConflictDeclaration
from council.models.attachment import Attachment
from council.models.council_member import CouncilMember
from council.models.dossier import Dossier
from council.models.enums import (
    AssignmentStatus,
    CouncilRole,
    DeliberationKind,
    DossierKind,
    DossierStatus,
    Field,
    GlobalRole,
    Level,
    RoundStatus,
    ScoreEventKind,
    SheetStatus,
    UnitKind,
)
from council.models.library import DossierProvenance, LibraryEntry, Replication, ReportPlan
from council.models.outcome import AwardTier, Decision, DeliberationEntry, RankingSnapshot
from council.models.round import Criterion, Round, RoundStatusChange
from council.models.score import CriterionScore, ScoreEvent, ScoreSheet
from council.models.unit import Unit
from council.models.user import User

__all__ = [
    "Assignment",
    "AssignmentRun",
    "AssignmentStatus",
    "Attachment",
    "AwardTier",
    "ConflictDeclaration",
    "CouncilMember",
    "CouncilRole",
    "Criterion",
    "CriterionScore",
    "Decision",
    "DeliberationEntry",
    "DeliberationKind",
    "Dossier",
    "DossierKind",
    "DossierProvenance",
    "DossierStatus",
    "Field",
    "GlobalRole",
    "Level",
    "LibraryEntry",
    "RankingSnapshot",
    "Replication",
    "ReportPlan",
    "Round",
    "RoundStatus",
    "RoundStatusChange",
    "ScoreEvent",
    "ScoreEventKind",
    "ScoreSheet",
    "SheetStatus",
    "Unit",
    "UnitKind",
    "User",
]
