"""The queued mail of many cases sent in one go (after an SMTP outage, or at the end of a busy
day): case by case, each case's emails through the outbox (exactly once, as `netra notify`), and
an approved case referred once all of its mail has gone. Which cases: those with a queued email
or at the approved stage, in the offices where the person may send mail.

A crash or an outage midway loses nothing: what was accepted is recorded per email, and the
next run takes only what is still queued. When the server cannot be reached the run stops at
that case; the rest stay queued and are reported as waiting."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, or_, select

from models.access import Action, Actor
from models.enums import OutboxStatus
from models.outcomes import StageOutcome
from models.stages import Stage
from models.tables import Case, OutboxMessage
from services.deps import Deps
from services.notification import deliver_mail, mark_referred
from services.reading import readable_offices


@dataclass(frozen=True)
class CaseMail:
    """What one case's sending did."""

    case_id: int
    sent: int
    waiting: int  # still queued: the server could not be reached, or a back-off not yet over
    refused: int  # refused for good (`netra mail-retry` after fixing the address)
    stuck: int  # interrupted mid-transfer earlier: a person decides (`netra mail-pending`)
    referred: bool


@dataclass
class BulkMail:
    cases: list[CaseMail]
    unreachable: str | None = None  # why the run stopped early, if it did
    skipped: int = 0  # cases not tried because the server could not be reached

    def total(self, field: str) -> int:
        return sum(int(getattr(c, field)) for c in self.cases)

    def summary(self, cases: int) -> str:
        """The counts in Indonesian, as the command and the flow's table say them."""
        return (
            f"Surel dari {cases} perkara: {self.total('sent')} terkirim, "
            f"{self.total('waiting')} menunggu, {self.total('refused')} ditolak server, "
            f"{self.total('stuck')} terhenti (lihat netra mail-pending); "
            f"{self.total('referred')} perkara diteruskan"
        )


def cases_to_send(deps: Deps, actor: Actor, office: str | None = None) -> list[int]:
    """Cases with a queued email or at the approved stage, in the offices where `actor` may
    send mail (and `office`, when given), by id."""
    queued = select(OutboxMessage.case_id).where(
        col(OutboxMessage.status) == OutboxStatus.PENDING, col(OutboxMessage.case_id).is_not(None)
    )
    query = select(Case.id).where(or_(col(Case.id).in_(queued), col(Case.stage) == Stage.APPROVED))
    offices = readable_offices(actor, Action.SEND_MAIL)
    if offices is not None:
        query = query.where(col(Case.office_key).in_(sorted(offices)))
    if office is not None:
        query = query.where(col(Case.office_key) == office)
    with Session(deps.engine) as session:
        return [int(i) for i in session.exec(query.order_by(col(Case.id))).all() if i is not None]


async def send_case_mail(
    deps: Deps, case_id: int, *, actor: Actor, now: datetime
) -> tuple[CaseMail, str | None]:
    """One case's queued mail, then its referral when it is approved and nothing is unsent;
    and why the server could not be reached, if it could not."""
    ref = str(case_id)
    report = await deliver_mail(deps, ref)
    referred = False
    if report.connection_error is None:
        result = mark_referred(deps, ref, actor=actor, now=now)
        referred = result.outcome is StageOutcome.MOVED
    return CaseMail(
        case_id,
        sent=len(report.sent),
        waiting=len(report.retry_later),
        refused=len(report.failed) + len(report.tampered),
        stuck=len(report.stuck),
        referred=referred,
    ), report.connection_error


async def send_all(
    deps: Deps,
    case_ids: list[int],
    *,
    actor: Actor,
    now: Callable[[], datetime],
    progress: Callable[[CaseMail], Awaitable[None]] | None = None,
) -> BulkMail:
    """Send case by case (`progress` told after each); stop at the first case whose server
    could not be reached."""
    done = BulkMail([])
    for index, case_id in enumerate(case_ids):
        outcome, unreachable = await send_case_mail(deps, case_id, actor=actor, now=now())
        done.cases.append(outcome)
        if progress is not None:
            await progress(outcome)
        if unreachable is not None:
            done.unreachable, done.skipped = unreachable, len(case_ids) - index - 1
            break
    return done
