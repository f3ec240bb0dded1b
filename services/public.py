"""The public site's services: counting online reports per address, issuing the lookup code of
a laporan filed online, following a report by its receipt number and code, and an office's
published kajian awal results. Nothing returned here names a person: only numbers, the office,
stages and dates (models/public.py says which events and results are public)."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from adapters.db import public as table
from adapters.db.cases import case_label
from adapters.db.engine import unit_of_work
from adapters.passwords import hash_password, verify_password
from models import labels
from models.public import (
    CODE_ALPHABET,
    CODE_LENGTH,
    KAJIAN_RESULTS,
    PUBLIC_EVENTS,
    case_of_receipt,
    normal_code,
    receipt_number,
)
from models.rules.calendar import local_date
from models.rules.office import Office
from models.stages import TERMINAL
from models.tables import Case, PublicReceipt
from services.deps import Deps

WINDOW = timedelta(hours=1)
PAGE_SIZE = 25
_MAX_TYPED = 64  # a longer "code" is no code: hashed no further than this

NO_MATCH = (
    "Nomor tanda terima atau kode lacak tidak cocok. Periksa kembali keduanya seperti tertulis "
    "pada tanda terima."
)
TOO_MANY_LOOKUPS = (
    "Terlalu banyak percobaan yang tidak cocok. Silakan coba lagi dalam satu jam, atau hubungi "
    "kantor Bawaslu yang menerima laporan Anda."
)


class Scope(StrEnum):
    """What a counted request was."""

    REPORT = "lapor"  # a report sent from an address (accepted or refused)
    LOOKUP_ADDRESS = "lacak-alamat"  # a failed lookup from an address
    LOOKUP_NUMBER = "lacak-nomor"  # a failed lookup of a receipt number


class LookupRefused(Exception):
    """No answer for this lookup: the message is what the visitor reads."""

    def __init__(self, message: str, *, throttled: bool) -> None:
        super().__init__(message)
        self.throttled = throttled


def admit_report(deps: Deps, address: str, *, now: datetime) -> bool:
    """Count a report sent from `address`; False (not counted) when the address has sent as many
    as the settings allow in the last hour."""
    with unit_of_work(deps.engine) as session:
        sent = table.count_hits(session, Scope.REPORT, address, since=now - WINDOW)
        if sent >= deps.settings.public_reports_per_hour:
            return False
        table.add_hit(session, Scope.REPORT, address, at=now, forget_before=now - WINDOW)
        return True


def new_code() -> str:
    """A lookup code: CODE_LENGTH symbols of CODE_ALPHABET from the system's randomness."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def issue_lookup_code(deps: Deps, case_id: int, *, now: datetime) -> str | None:
    """A new lookup code for a case filed online, stored hashed; None when the case has one
    already (the same report sent twice: its code was shown the first time, and cannot be)."""
    code = new_code()
    try:
        with unit_of_work(deps.engine) as session:
            if table.receipt_of(session, case_id) is not None:
                return None
            session.add(
                PublicReceipt(case_id=case_id, code_hash=hash_password(code), issued_at=now)
            )
    except IntegrityError:  # the same report, sent twice at once, got its code elsewhere
        return None
    return code


@dataclass(frozen=True)
class Milestone:
    label: str
    on: date


@dataclass(frozen=True)
class Tracking:
    """What the holder of a receipt number and its code may read of the case."""

    receipt_number: str
    office: str
    stage: str
    closed: bool
    milestones: list[Milestone]


def look_up(deps: Deps, number: str, code: str, *, address: str, now: datetime) -> Tracking:
    """The case of a receipt `number` whose lookup `code` is right. An unknown number and a wrong
    code are refused alike (the same message, the same Argon2 check); either counts against
    the address and the number, and past the settings' limits nothing is checked for an hour."""
    settings = deps.settings
    case_id = case_of_receipt(number)
    number_key = receipt_number(case_id) if case_id is not None else normal_code(number)[:40]
    since = now - WINDOW
    with unit_of_work(deps.engine) as session:
        by_address = table.count_hits(session, Scope.LOOKUP_ADDRESS, address, since=since)
        by_number = table.count_hits(session, Scope.LOOKUP_NUMBER, number_key, since=since)
        if (
            by_address >= settings.public_lookups_per_hour
            or by_number >= settings.public_lookups_per_receipt
        ):
            raise LookupRefused(TOO_MANY_LOOKUPS, throttled=True)
        receipt = table.receipt_of(session, case_id) if case_id is not None else None
    stored = receipt.code_hash if receipt is not None else None
    if not verify_password(normal_code(code)[:_MAX_TYPED], stored) or case_id is None:
        with unit_of_work(deps.engine) as session:
            for scope, key in ((Scope.LOOKUP_ADDRESS, address), (Scope.LOOKUP_NUMBER, number_key)):
                table.add_hit(session, scope, key, at=now, forget_before=since)
        raise LookupRefused(NO_MATCH, throttled=False)
    with Session(deps.engine) as session:
        case = session.get(Case, case_id)
        assert case is not None  # a receipt's case is never deleted
        office = deps.rulebook.offices[case.office_key]
        events = table.public_events(session, case_id, PUBLIC_EVENTS)
        return Tracking(
            receipt_number=receipt_number(case_id),
            office=office.short_name,
            stage=case.stage.label,
            closed=case.stage in TERMINAL,
            milestones=[
                Milestone(labels.label(labels.EVENTS, e.event), local_date(e.at, office.timezone))
                for e in events
            ],
        )


def publishing_offices(deps: Deps) -> list[Office]:
    """The offices that publish their kajian awal results (config/offices.yaml)."""
    return [o for o in deps.rulebook.offices.values() if o.publish_kajian]


@dataclass(frozen=True)
class KajianRow:
    number: str  # the case number once registered, else "laporan #7"
    kind: str
    received_on: date
    decided_on: date
    result: str


@dataclass(frozen=True)
class KajianPage:
    office: Office
    rows: list[KajianRow]
    page: int
    pages: int
    total: int


def kajian_page(deps: Deps, office_key: str, page: int) -> KajianPage:
    """One page of an office's kajian awal results, newest first; LookupError when the office
    is unknown or does not publish them."""
    office = deps.rulebook.offices.get(office_key)
    if office is None or not office.publish_kajian:
        raise LookupError(office_key)
    page = min(max(page, 1), 1_000_000)  # a page number past any SQL offset is the last page
    with Session(deps.engine) as session:
        found, total = table.office_results(
            session, office_key, KAJIAN_RESULTS, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    rows = [
        KajianRow(
            number=case_label(case),
            kind=labels.label(labels.REPORT_KINDS, case.kind),
            received_on=case.received_on,
            decided_on=local_date(event.at, office.timezone),
            result=KAJIAN_RESULTS[event.event],
        )
        for case, event in found
    ]
    return KajianPage(office, rows, page, max(1, math.ceil(total / PAGE_SIZE)), total)
