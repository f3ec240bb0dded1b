"""The reporter's consent to disclose their identity in letters that leave Bawaslu
(Perbawaslu 1/2022 Pasal 18(2)(b): excluded information unless the reporter consents).

Recorded with who consented to what, when and how; withdrawn, it is kept and marked. Letters
issued afterwards follow it (`services.desk`: the reporter guard, the redacted kajian and report);
letters already sent are not recalled.
"""

from __future__ import annotations

from datetime import datetime

from adapters.db.consent import active_consent
from models.access import Action, Actor
from models.enums import ReportKind
from models.indonesian import tanggal
from models.inputs import ConsentInput
from models.outcomes import NO_CONSENT, StageOutcome, StageResult, consent_refusal
from models.stages import CaseEvent
from models.tables import ReporterConsent
from services.deps import Deps
from services.scope import open_case, race_safe


class ConsentRefused(ValueError):
    pass


@race_safe
def record_consent(
    deps: Deps, case_ref: str, consent: ConsentInput, *, actor: Actor, now: datetime
) -> StageResult:
    """Record the reporter's consent; the same consent again records nothing."""
    with open_case(deps, case_ref, now, actor, Action.RECORD) as scope:
        current = active_consent(scope.session, scope.case_id)
        if current and (current.scope, current.given_on) == (consent.scope, consent.given_on):
            return scope.result(StageOutcome.ALREADY_DONE)
        if why := consent_refusal(
            is_laporan=scope.case.kind is ReportKind.LAPORAN,
            given_on=consent.given_on,
            today=scope.today,
            means=consent.means,
        ):
            raise ConsentRefused(why)
        if current is not None:  # a new consent replaces the one in force
            current.withdrawn_at, current.withdrawn_by = now, actor.label
            scope.session.add(current)
        scope.session.add(
            ReporterConsent(
                case_id=scope.case_id,
                scope=consent.scope,
                given_on=consent.given_on,
                means=consent.means.strip(),
                recorded_by=actor.label,
                recorded_at=now,
            )
        )
        reason = (
            f"pelapor menyetujui pengungkapan {consent.scope.value} sejak "
            f"{tanggal(consent.given_on)} ({consent.means.strip()})"
        )
        return scope.record(CaseEvent.REPORTER_CONSENTED, actor=actor, reason=reason)


@race_safe
def withdraw_consent(
    deps: Deps, case_ref: str, *, reason: str, actor: Actor, now: datetime
) -> StageResult:
    """The reporter withdrew their consent: letters from now on keep them confidential."""
    with open_case(deps, case_ref, now, actor, Action.RECORD) as scope:
        current = active_consent(scope.session, scope.case_id)
        if current is None:
            raise ConsentRefused(NO_CONSENT)
        current.withdrawn_at, current.withdrawn_by = now, actor.label
        scope.session.add(current)
        return scope.record(
            CaseEvent.CONSENT_WITHDRAWN,
            actor=actor,
            reason=f"persetujuan pelapor ditarik: {reason.strip() or '-'}",
        )
