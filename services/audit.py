"""The audit trail as people use it: a read recorded, a letter opened only when its file is the
one issued, the whole chain verified, one case's rows exported for an auditor.

Actions that change a case are audited where they are written (`adapters.db.cases`, the
mailer); reads are audited here, each in a transaction of its own. Callers pass plain values for
who (`actor_id`, `actor`) and from where (`origin`; None: the process's, see
`adapters.db.audit.set_origin`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from adapters.db.audit import append_audit, audit_rows, chain_head
from adapters.db.cases import case_label, get_case
from adapters.db.engine import unit_of_work
from adapters.letter_files import DOCX_TYPE, PDF_TYPE, LetterFileAltered, read_checked
from models.access import Action, Actor, require, require_everywhere
from models.audit import AuditAction, ChainHead, ChainProblem, verify_chain
from models.tables import AuditEntry, Letter

log = logging.getLogger("netra.audit")


@dataclass(frozen=True)
class Who:
    """Who acts and from where, as plain values (the caller's user, if any)."""

    actor: str
    actor_id: int | None = None
    origin: str | None = None

    @classmethod
    def of(cls, actor: Actor, origin: str | None = None) -> Who:
        return cls(actor.label, actor.user_id, origin)


def audit_read(
    engine: Engine, who: Who, *, case_id: int | None, action: str, detail: str, now: datetime
) -> None:
    """Record that `who` read something (a case file, a letter): one row, committed now."""
    with unit_of_work(engine) as session:
        _append(session, who, action=action, case_id=case_id, detail=detail, now=now)


def read_case_file(engine: Engine, who: Who, case_id: int, *, via: str, now: datetime) -> None:
    """A person read a whole case file (`netra show`, the desk's case page)."""
    audit_read(engine, who, case_id=case_id, action=AuditAction.CASE_READ, detail=via, now=now)


@dataclass(frozen=True)
class LetterFile:
    """A letter's file as issued: its bytes, the name to save it under, its media type."""

    data: bytes
    name: str
    media_type: str
    letter_id: int
    case_id: int


class LetterTampered(RuntimeError):
    """The letter's file is no longer the one issued; it is not given out (and it was audited)."""


def read_letter(
    engine: Engine,
    letters_dir: Path,
    who: Who,
    letter_id: int,
    *,
    pdf: bool = False,
    now: datetime,
) -> LetterFile:
    """A letter's .docx (or its PDF) for `who`, checked against its stored SHA-256 and recorded.
    An altered or missing file raises LetterTampered (after recording and logging it)."""
    with Session(engine) as session:
        letter = session.get(Letter, letter_id)
    if letter is None or (pdf and letter.pdf_sha256 is None):
        raise LookupError(f"surat #{letter_id}{' (PDF)' if pdf else ''} tidak ditemukan")
    path = letters_dir / letter.path
    expected = letter.sha256
    if pdf:
        assert letter.pdf_sha256 is not None
        path, expected = path.with_suffix(".pdf"), letter.pdf_sha256
    what = f"surat {letter.number} ({letter.kind}, {path.name})"
    try:
        data = read_checked(path, expected)
    except LetterFileAltered as error:
        message = f"{what}: {error}"
        log.error("letter file altered: %s", message)
        audit_read(
            engine,
            who,
            case_id=letter.case_id,
            action=AuditAction.LETTER_TAMPERED,
            detail=message,
            now=now,
        )
        raise LetterTampered(
            f"{message}. Surat tidak diberikan; pulihkan berkas asli (lihat jejak audit)."
        ) from None
    audit_read(
        engine, who, case_id=letter.case_id, action=AuditAction.LETTER_READ, detail=what, now=now
    )
    assert letter.id is not None
    return LetterFile(
        data, path.name, PDF_TYPE if pdf else DOCX_TYPE, letter_id=letter.id, case_id=letter.case_id
    )


def letter_at(engine: Engine, relative: str) -> tuple[int, bool] | None:
    """The letter whose file is at `relative` (under the letters folder): its id and whether it
    is the PDF; None when no letter has that file."""
    path = PurePosixPath(relative.lstrip("/"))
    pdf = path.suffix == ".pdf"
    docx = str(path.with_suffix(".docx")) if pdf else str(path)
    with Session(engine) as session:
        found = session.exec(select(Letter.id).where(col(Letter.path) == docx)).first()
    return (found, pdf) if found is not None else None


@dataclass(frozen=True)
class TrailCheck:
    """What `verify_trail` found: how many rows, the head (to note as an anchor), the breaks."""

    rows: int
    head: ChainHead | None
    problems: list[ChainProblem]

    @property
    def whole(self) -> bool:
        return not self.problems


def verify_trail(engine: Engine, actor: Actor, *, anchor: ChainHead | None = None) -> TrailCheck:
    """Check the whole chain (and that the head noted earlier, `anchor`, is still in it): for
    an auditor or admin of every office (the chain spans them all)."""
    require_everywhere(actor, Action.AUDIT)
    with Session(engine) as session:
        rows = audit_rows(session)
        head = chain_head(session)
    return TrailCheck(len(rows), head, verify_chain(rows, anchor=anchor))


def export_case_trail(
    engine: Engine, actor: Actor, case_ref: str, *, now: datetime
) -> tuple[str, list[AuditEntry]]:
    """The case's label and its rows of the trail, in order, for an auditor (or admin) of its
    office; the export itself is recorded."""
    who = Who.of(actor)
    with unit_of_work(engine) as session:
        case = get_case(session, case_ref)
        assert case.id is not None
        require(actor, Action.AUDIT, case.office_key)
        rows = audit_rows(session, case_id=case.id)
        label = case_label(case)
        _append(
            session,
            who,
            action=AuditAction.AUDIT_EXPORT,
            case_id=case.id,
            detail=f"{len(rows)} baris jejak audit diekspor",
            now=now,
        )
    return label, rows


def _append(
    session: Session, who: Who, *, action: str, case_id: int | None, detail: str, now: datetime
) -> None:
    append_audit(
        session,
        actor_id=who.actor_id,
        actor=who.actor,
        action=action,
        case_id=case_id,
        detail=detail,
        origin=who.origin,
        now=now,
    )
