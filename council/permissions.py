"""Who may do what: the global role *and* the user's role in that round.

Every rule names the council roles that grant it, and whether a global admin or auditor
also gets it. A member of round A is nobody in round B: with no ``CouncilMember`` row in a
round, only a global role can grant anything there. Routes call :func:`require`, which
answers 403 when the rule refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask import abort
from sqlalchemy import select

from council.extensions import db
from council.models import Assignment, AssignmentStatus, CouncilMember, CouncilRole, Dossier, Round, User

ALL_ROLES = frozenset(CouncilRole)
STAFF = frozenset({CouncilRole.CHAIR, CouncilRole.VICE_CHAIR, CouncilRole.SECRETARY})


class Action(StrEnum):
    VIEW_ROUND = "view_round"  # the round's overview page
    VIEW_ALL_DOSSIERS = "view_all_dossiers"  # every dossier of the round, not only assigned ones
    VIEW_PROGRESS = "view_progress"  # who has scored what
    MANAGE_ROUND = "manage_round"  # council, intake, workflow steps forward
    REOPEN_ROUND = "reopen_round"  # an explicit, reasoned step back
    SCORE = "score"  # has score sheets to fill in
    VIEW_HISTORY = "view_history"  # the score history: who gave which points, when, and why
    REOPEN_SHEET = "reopen_sheet"  # re-open a member's sheet after scoring closed, with a reason
    VIEW_RANKING = "view_ranking"  # the normalised ranking, members' leniency, tiers, charts
    MANAGE_TIERS = "manage_tiers"  # award tiers and the normalisation method, before finalising
    DELIBERATE = "deliberate"  # record council votes and adjustments, finalise the verdict
    VIEW_DECISION = "view_decision"  # the recognition decision and its documents
    MANAGE_DECISION = "manage_decision"  # draft and issue the decision


@dataclass(frozen=True)
class Rule:
    roles: frozenset[CouncilRole]
    admin: bool = False
    auditor: bool = False


POLICY: dict[Action, Rule] = {
    Action.VIEW_ROUND: Rule(ALL_ROLES, admin=True, auditor=True),
    Action.VIEW_ALL_DOSSIERS: Rule(STAFF, admin=True, auditor=True),
    Action.VIEW_PROGRESS: Rule(STAFF, auditor=True),
    Action.MANAGE_ROUND: Rule(frozenset({CouncilRole.SECRETARY, CouncilRole.CHAIR}), admin=True),
    Action.REOPEN_ROUND: Rule(frozenset({CouncilRole.CHAIR})),
    Action.SCORE: Rule(frozenset({CouncilRole.CHAIR, CouncilRole.VICE_CHAIR, CouncilRole.MEMBER})),
    # Administrators keep accounts; they are not auditors and see no scores.
    Action.VIEW_HISTORY: Rule(frozenset({CouncilRole.CHAIR, CouncilRole.SECRETARY}), auditor=True),
    Action.REOPEN_SHEET: Rule(frozenset({CouncilRole.CHAIR})),
    # Members who score see no one else's points, so not the ranking either.
    Action.VIEW_RANKING: Rule(STAFF, auditor=True),
    Action.MANAGE_TIERS: Rule(frozenset({CouncilRole.CHAIR, CouncilRole.SECRETARY})),
    Action.DELIBERATE: Rule(frozenset({CouncilRole.CHAIR})),
    Action.VIEW_DECISION: Rule(STAFF, auditor=True),
    Action.MANAGE_DECISION: Rule(frozenset({CouncilRole.CHAIR, CouncilRole.SECRETARY})),
}


def membership(user: User, round_: Round) -> CouncilMember | None:
    """The user's seat on this round's council, if any."""
    return db.session.scalar(
        select(CouncilMember).where(CouncilMember.round_id == round_.id, CouncilMember.user_id == user.id)
    )


def can(user: User, action: Action, round_: Round) -> bool:
    """Whether ``user`` may perform ``action`` in ``round_``."""
    return action in allowed_actions(user, round_)


def require(user: User, action: Action, round_: Round) -> None:
    """Abort with 403 unless :func:`can` allows it."""
    if not can(user, action, round_):
        abort(403)


def can_view_dossier(user: User, dossier: Dossier) -> bool:
    """Staff and auditors see every dossier of their round; a member only those published to them."""
    if can(user, Action.VIEW_ALL_DOSSIERS, dossier.round):
        return True
    assigned = db.session.scalar(
        select(Assignment.id)
        .join(CouncilMember)
        .where(
            Assignment.dossier_id == dossier.id,
            Assignment.status == AssignmentStatus.ACTIVE,
            Assignment.published_at.is_not(None),
            CouncilMember.user_id == user.id,
        )
    )
    return assigned is not None


def allowed_actions(user: User, round_: Round) -> frozenset[Action]:
    """Every action the user may perform in the round: what views check and templates show."""
    if not user.is_authenticated or not user.active:
        return frozenset()
    seat = membership(user, round_)
    return frozenset(
        action
        for action, rule in POLICY.items()
        if (rule.admin and user.is_admin)
        or (rule.auditor and user.is_auditor)
        or (seat is not None and seat.role in rule.roles)
    )
