"""The desk's forms as data: which stage forms a case page offers its reader, and the intake
form (Formulir Model B.1) turned into the report document of CONTRACTS §1, with its uploaded
evidence saved in the desk's evidence inbox."""

from __future__ import annotations

import re
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData, UploadFile

from adapters.db.views import CaseView
from adapters.smtp import STUCK_AFTER
from models.access import Action, Actor, permits
from models.enums import ReportKind
from models.outcomes import AWAITING_PPK, BEFORE_DECISION, CORRECTABLE
from models.problems import Problem
from models.stages import TERMINAL, Stage
from models.tables import OutboxMessage, OutboxStatus
from services.deps import Deps
from services.evidence import policy_of

REPORTED_ROWS = 3
WITNESS_ROWS = 2
EVIDENCE_ROWS = 3
_CHUNK = 1024 * 1024
OPEN_STAGES = frozenset(Stage) - TERMINAL
CORRECTABLE_STAGES = frozenset().union(*(stages for _, stages in CORRECTABLE.values()))
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

_STAGE_FORMS: list[tuple[str, frozenset[Stage], Action]] = [
    ("verification", frozenset({Stage.RECEIVED, Stage.NEEDS_COMPLETION}), Action.VERIFY),
    ("completion", frozenset({Stage.NEEDS_COMPLETION}), Action.RECORD),
    ("clarification", frozenset({Stage.REGISTERED}), Action.CLARIFY),
    ("hearing", frozenset({Stage.CLARIFICATION}), Action.CLARIFY),
    ("recommendation", frozenset({Stage.UNDER_REVIEW}), Action.RECOMMEND),
    ("approval", frozenset({Stage.AWAITING_APPROVAL}), Action.APPROVE),
    ("notify", frozenset({Stage.APPROVED}), Action.SEND_MAIL),
    ("ppk", AWAITING_PPK, Action.PPK_DECISION),
    ("reply", AWAITING_PPK, Action.RECORD),
    ("extension", BEFORE_DECISION, Action.EXTEND),
    ("correction", CORRECTABLE_STAGES, Action.RECORD),
    ("evidence", OPEN_STAGES, Action.RECORD),
    ("links", frozenset(Stage), Action.RECORD),
]


def _has_consent_form(view: CaseView) -> bool:
    """Only a laporan has a reporter who can consent (a temuan's finder is an officer)."""
    return view.case.kind is ReportKind.LAPORAN and view.case.stage in OPEN_STAGES


def refused_mail(view: CaseView) -> list[OutboxMessage]:
    """The case's emails the server refused (sent again only when a person says so)."""
    return [m for m in view.emails if m.status is OutboxStatus.FAILED]


def interrupted_mail(view: CaseView, now: datetime) -> list[OutboxMessage]:
    """The case's emails interrupted mid-transfer: nobody knows whether they arrived."""
    before = now - STUCK_AFTER
    return [
        m
        for m in view.emails
        if m.status is OutboxStatus.SENDING
        and (m.claimed_at is None or _aware(m.claimed_at) <= before)
    ]


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


_OTHER_FORMS: list[tuple[str, Callable[[CaseView, datetime], bool], Action]] = [
    ("consent", lambda view, now: _has_consent_form(view), Action.RECORD),
    ("mail_retry", lambda view, now: bool(refused_mail(view)), Action.SEND_MAIL),
    ("mail_resolve", lambda view, now: bool(interrupted_mail(view, now)), Action.RESOLVE_MAIL),
]


def stage_forms(actor: Actor, view: CaseView, now: datetime) -> list[str]:
    """The forms (templates/web/forms/<name>.html) for the case where it stands that `actor`
    may submit; the service decides again when the form is sent."""
    case = view.case
    names = [
        name
        for name, stages, action in _STAGE_FORMS
        if case.stage in stages and permits(actor, action, case.office_key)
    ]
    names += [
        name
        for name, applies, action in _OTHER_FORMS
        if applies(view, now) and permits(actor, action, case.office_key)
    ]
    return names


def correction_targets(view: CaseView) -> list[tuple[str, str]]:
    """What the correction form offers at the case's stage: (target, label); a statement per
    party (the service refuses one who was not heard)."""
    stage = view.case.stage
    targets: list[tuple[str, str]] = []
    for kind, (title, stages) in CORRECTABLE.items():
        if stage not in stages:
            continue
        if kind != "statement":
            targets.append((kind, title))
            continue
        for party in view.parties:
            key = f"{party.role.value}-{party.position}"
            targets.append((f"statement:{key}", f"{title}: {party.name} ({key})"))
    return targets


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _some(**values: Any) -> dict[str, Any]:
    """The fields that were filled in (an empty field is an absent one)."""
    return {k: v for k, v in values.items() if v not in ("", None)}


def received_at(form: FormData, zone: str) -> str:
    """The form's local date and time of receipt in the office's zone (ISO 8601 with offset);
    now when left empty."""
    value = text(form, "received_at")
    if not value:
        return datetime.now(UTC).astimezone(ZoneInfo(zone)).isoformat(timespec="minutes")
    try:
        local = datetime.fromisoformat(value)
    except ValueError:
        return value  # the report's parser names the field and says why
    if local.tzinfo is None:
        local = local.replace(tzinfo=ZoneInfo(zone))
    return local.isoformat()


def report_document(form: FormData, zone: str, files: dict[int, str]) -> dict[str, Any]:
    """The report as CONTRACTS §1 writes it, from the form's fields; `files`: the stored
    upload of each evidence row."""
    reported = []
    for i in range(REPORTED_ROWS):
        name = text(form, f"reported_{i}_name")
        if not name:
            continue
        ppk = _some(
            title=text(form, f"reported_{i}_ppk_title"),
            name=text(form, f"reported_{i}_ppk_name"),
            email=text(form, f"reported_{i}_ppk_email"),
        )
        reported.append(
            _some(
                name=name,
                employment=text(form, f"reported_{i}_employment"),
                nip=text(form, f"reported_{i}_nip"),
                position=text(form, f"reported_{i}_position"),
                agency=text(form, f"reported_{i}_agency"),
                address=text(form, f"reported_{i}_address"),
                email=text(form, f"reported_{i}_email"),
                phone=text(form, f"reported_{i}_phone"),
                ppk=ppk or None,
            )
        )
    witnesses = [
        _some(
            name=text(form, f"witness_{i}_name"),
            address=text(form, f"witness_{i}_address"),
            phone=text(form, f"witness_{i}_phone"),
        )
        for i in range(WITNESS_ROWS)
        if text(form, f"witness_{i}_name")
    ]
    evidence = [
        _some(description=text(form, f"evidence_{i}_description"), file=files.get(i))
        for i in range(EVIDENCE_ROWS)
        if text(form, f"evidence_{i}_description") or i in files
    ]
    return {
        "kind": text(form, "kind"),
        "election": _some(
            type=text(form, "election_type"),
            year=text(form, "election_year"),
            region=text(form, "election_region"),
        ),
        "office": text(form, "office"),
        "received_at": received_at(form, zone),
        "reporter": _some(
            name=text(form, "reporter_name"),
            address=text(form, "reporter_address"),
            birth_place=text(form, "reporter_birth_place"),
            birth_date=text(form, "reporter_birth_date"),
            sex=text(form, "reporter_sex"),
            occupation=text(form, "reporter_occupation"),
            nationality=text(form, "reporter_nationality"),
            phone=text(form, "reporter_phone"),
            email=text(form, "reporter_email"),
        ),
        "reported": reported,
        "incident": _some(
            summary=text(form, "incident_summary"),
            place=text(form, "incident_place"),
            occurred_on=text(form, "incident_occurred_on"),
            known_on=text(form, "incident_known_on"),
            account=text(form, "incident_account"),
        ),
        "witnesses": witnesses,
        "evidence": evidence,
    }


@dataclass
class Uploads:
    """The evidence files of one intake form, in a folder of their own inside the desk's
    evidence inbox; removed once the intake is done (the store keeps its own copy)."""

    folder: Path
    names: dict[int, str] = field(default_factory=dict)  # row -> name relative to the inbox
    problems: list[Problem] = field(default_factory=list)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def safe_name(filename: str) -> str:
    """The uploaded file's own name, reduced to letters, digits, dot, dash and underscore."""
    name = _UNSAFE.sub("_", Path(filename.replace("\\", "/")).name).strip("._") or "berkas"
    return name[-120:]


async def save_uploads(form: FormData, deps: Deps) -> Uploads:
    """Save each evidence row's file in the desk's evidence inbox (streamed; a file past the
    evidence policy's size is refused, not kept)."""
    max_bytes = policy_of(deps).max_bytes
    token = secrets.token_hex(8)
    uploads = Uploads(deps.settings.evidence_inbox_dir / token)
    for i in range(EVIDENCE_ROWS):
        upload = form.get(f"evidence_{i}_file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        name = safe_name(upload.filename)
        row = uploads.folder / str(i)  # a folder per row: the file keeps the user's own name
        row.mkdir(parents=True, exist_ok=True)
        target = row / name
        size = 0
        with target.open("wb") as out:
            while chunk := await upload.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    break
                out.write(chunk)
        if size > max_bytes:
            target.unlink(missing_ok=True)
            limit = max_bytes // (1024 * 1024)
            uploads.problems.append(
                Problem(
                    code="berkas_terlalu_besar",
                    field=f"evidence[{i}].file",
                    message=f"berkas {name} lebih besar dari {limit} MB",
                )
            )
            continue
        uploads.names[i] = f"{token}/{i}/{target.name}"
    return uploads
