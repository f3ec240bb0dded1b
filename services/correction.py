"""Correcting a recorded text, so that what cannot go out as written can always be mended: the
incident's account, summary or place, a hearing statement or the kajian's reasoning. The
original is kept (table `text_correction`, internal: it may name the reporter) and the
correction is an event that says what was corrected and why, never the texts themselves (the
history is shown in the Prefect UI).

Typical use: approval was refused because a statement names the reporter
(`ConfidentialityBreach`); the investigator corrects the statement and the supervisor approves.
"""

from __future__ import annotations

from datetime import datetime

from adapters.db.proceedings import decision_of, hearing_for, invited
from models.access import Action, Actor
from models.letters.common import party_key
from models.outcomes import (
    CORRECTABLE,
    StageOutcome,
    StageResult,
    correction_refusal,
    correction_target,
)
from models.stages import CaseEvent
from models.tables import TextCorrection
from services.deps import Deps
from services.scope import CaseScope, open_case, race_safe

# The case's own texts, by target.
_CASE_TEXTS = {
    "account": "incident_account",
    "summary": "incident_summary",
    "place": "incident_place",
}


class CorrectionRefused(ValueError):
    """The text cannot be corrected (unknown target, wrong stage, empty text or reason)."""


@race_safe
def correct_text(
    deps: Deps, case_ref: str, target: str, text: str, *, reason: str, actor: Actor, now: datetime
) -> StageResult:
    """Replace the text `target` names (account | statement:<party> | reasoning) with `text`."""
    with open_case(deps, case_ref, now, actor, Action.RECORD) as scope:
        if why := correction_refusal(target, scope.case.stage, text, reason):
            raise CorrectionRefused(why)
        original = _replace(scope, target, text.strip())
        if original == text.strip():
            return scope.result(StageOutcome.ALREADY_DONE)
        scope.session.add(
            TextCorrection(
                case_id=scope.case_id,
                target=target,
                original=original,
                corrected=text.strip(),
                reason=reason.strip(),
                actor=actor.label,
                at=now,
            )
        )
        label = CORRECTABLE[correction_target(target)[0]][0]
        party = correction_target(target)[1]
        return scope.record(
            CaseEvent.TEXT_CORRECTED,
            actor=actor,
            reason=f"{label}{f' ({party})' if party else ''} dikoreksi: {reason.strip()}",
        )


def _replace(scope: CaseScope, target: str, text: str) -> str:
    """Put `text` in place of the target's text; returns the text it replaced."""
    kind, party = correction_target(target)
    case = scope.case
    if kind in _CASE_TEXTS:
        column = _CASE_TEXTS[kind]
        original = getattr(case, column)
        setattr(case, column, text)
        scope.session.add(case)
        return str(original)
    if kind == "reasoning":
        decision = decision_of(scope.session, scope.case_id)
        original, decision.reasoning = decision.reasoning, text
        scope.session.add(decision)
        return original
    parties = invited(scope.session, scope.case_id, scope.parties.everyone)
    heard = {party_key(p): p for p in parties}
    if party not in heard:
        raise CorrectionRefused(f"pihak tidak dikenal: {party}; yang ada: {', '.join(heard)}")
    hearing = hearing_for(scope.session, scope.case_id, heard[party].id)
    if not hearing.attended:
        raise CorrectionRefused(
            f"{party} tidak hadir dalam klarifikasi: tidak ada keterangan yang dapat dikoreksi"
        )
    original, hearing.statement = hearing.statement or "", text
    scope.session.add(hearing)
    return original
