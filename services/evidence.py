"""Evidence files: checked against the operator's limits, stored once by content, recorded on
the case. Used by intake (the files a report names) and by `add_evidence` (a file added later).

A file is named relative to the evidence inbox (`Settings.evidence_inbox`: the report's folder
on the command line, a folder on the server) and must stay inside it. Every file is checked
before anything is written; a failed check records nothing and stores nothing. A file stored
by a transaction that then failed is removed again unless another record refers to it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from adapters.db.evidence import evidence_with_hash, is_referenced, next_position
from adapters.evidence_store import (
    EvidenceStore,
    EvidenceTooLarge,
    SourceFile,
    StoredFile,
    locate,
    read_source,
)
from models.access import Action, Actor
from models.outcomes import StageOutcome, StageResult, evidence_refusal
from models.problems import Problem, ReportRejected
from models.report.model import Report
from models.rules.evidence import (
    EvidencePolicy,
    file_problem,
    media_type,
    missing_problem,
    outside_problem,
    short_hash,
    size_text,
)
from models.stages import CaseEvent
from models.tables import Evidence
from services.deps import Deps
from services.scope import open_case, race_safe


class EvidenceRefused(ValueError):
    """Evidence cannot be added to this case (closed, or no description)."""


@dataclass(frozen=True)
class CheckedFile:
    """A named file that passed the checks, ready to store."""

    field: str  # where it was named: evidence[0].file, or "bukti"
    named: str  # the name as given
    source: SourceFile


def policy_of(deps: Deps) -> EvidencePolicy:
    settings = deps.settings
    return EvidencePolicy.of(settings.evidence_max_mb, settings.evidence_types)


def check_files(
    deps: Deps, named: Sequence[tuple[str, str]]
) -> tuple[list[CheckedFile], list[Problem]]:
    """Each `(field, name)` looked up in the inbox and checked; every problem, never the first."""
    inbox = deps.settings.evidence_inbox_dir
    where = f"folder bukti {inbox}"
    policy = policy_of(deps)
    checked: list[CheckedFile] = []
    problems: list[Problem] = []
    for field, name in named:
        path = locate(inbox, name)
        if path is None:
            problems.append(outside_problem(name, field=field, where=where))
            continue
        source = read_source(path)
        if source is None:
            problems.append(missing_problem(name, field=field, where=where))
            continue
        problem = file_problem(name, source.size, source.head, policy, field=field)
        if problem is not None:
            problems.append(problem)
        else:
            checked.append(CheckedFile(field, name, source))
    return checked, problems


class EvidenceWriter:
    """Stores checked files and remembers which it created, to take them back on failure."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.store = EvidenceStore(deps.settings.evidence_dir)
        self.created: list[str] = []

    def put(self, checked: CheckedFile) -> StoredFile:
        policy = policy_of(self.deps)
        try:
            stored = self.store.put(checked.source.path, max_bytes=policy.max_bytes)
        except EvidenceTooLarge:
            message = (
                f"berkas bukti '{checked.named}' terlalu besar (paling besar {policy.max_text})"
            )
            raise ReportRejected(
                [Problem(code="bukti_terlalu_besar", field=checked.field, message=message)]
            ) from None
        if stored.created:
            self.created.append(stored.sha256)
        return stored

    def undo(self) -> None:
        """Remove the files this writer created that no record refers to."""
        with Session(self.deps.engine) as session:
            for sha256 in self.created:
                if not is_referenced(session, sha256):
                    self.store.discard(sha256)


@contextmanager
def evidence_writes(deps: Deps) -> Iterator[EvidenceWriter]:
    """A writer whose new files are removed again when the block fails (after its transaction
    rolled back, so a file another case refers to is kept)."""
    writer = EvidenceWriter(deps)
    try:
        yield writer
    except BaseException:
        writer.undo()
        raise


# A stored evidence file with the check that found it, by the field that named it.
Stored = tuple[CheckedFile, StoredFile]


def named_files(report: Report) -> list[tuple[str, str]]:
    """The evidence files a report names, by the field that names each."""
    return [(f"evidence[{i}].file", e.file) for i, e in enumerate(report.evidence) if e.file]


def store_files(writer: EvidenceWriter, files: list[CheckedFile]) -> dict[str, Stored]:
    """Store each checked file; the same content named twice in one report is refused."""
    stored: dict[str, Stored] = {}
    first: dict[str, str] = {}
    for checked in files:
        put = writer.put(checked)
        if put.sha256 in first:
            message = f"berkas bukti '{checked.named}' sama isinya dengan {first[put.sha256]}"
            raise ReportRejected(
                [Problem(code="bukti_ganda", field=checked.field, message=message)]
            )
        first[put.sha256] = checked.field
        stored[checked.field] = (checked, put)
    return stored


def evidence_row(
    case_id: int,
    position: int,
    description: str,
    checked: CheckedFile | None,
    stored: StoredFile | None,
    *,
    actor: Actor,
    now: datetime,
) -> Evidence:
    """One evidence row: a description, with its stored file when one was named."""
    row = Evidence(
        case_id=case_id,
        position=position,
        description=description,
        added_at=now,
        added_by=actor.label,
    )
    if checked is not None and stored is not None:
        row.file = checked.named
        row.original_name = PurePath(checked.named).name
        row.media_type = media_type(row.original_name)
        row.sha256, row.size = stored.sha256, stored.size
    return row


@race_safe
def add_evidence(
    deps: Deps, case_ref: str, file: str, *, description: str, actor: Actor, now: datetime
) -> StageResult:
    """Add the file `file` (in the evidence inbox) to a case as evidence, with an event. The
    same file added to the same case again records nothing (ALREADY_DONE)."""
    found, problems = check_files(deps, [("bukti", file)])
    if problems:
        raise ReportRejected(problems)
    [checked] = found
    try:
        with (
            evidence_writes(deps) as writer,
            open_case(deps, case_ref, now, actor, Action.RECORD) as scope,
        ):
            if why := evidence_refusal(scope.case.stage, description):
                raise EvidenceRefused(why)
            stored = writer.put(checked)
            if evidence_with_hash(scope.session, scope.case_id, stored.sha256) is not None:
                return scope.result(StageOutcome.ALREADY_DONE)
            position = next_position(scope.session, scope.case_id)
            row = evidence_row(
                scope.case_id,
                position,
                description.strip(),
                checked,
                stored,
                actor=actor,
                now=now,
            )
            scope.session.add(row)
            return scope.record(
                CaseEvent.EVIDENCE_ADDED,
                actor=actor,
                reason=f"bukti {position + 1}: {row.description} ({size_text(stored.size)}, "
                f"SHA-256 {short_hash(stored.sha256)})",
            )
    except IntegrityError:
        # Another process recorded the same file on this case between our check and insert.
        with open_case(deps, case_ref, now, actor, Action.RECORD) as scope:
            return scope.result(StageOutcome.ALREADY_DONE)
