"""What the API answers, as pydantic models (they make the OpenAPI document): a case in the list,
one case with its parties, deadlines, events, letters and evidence, a page of cases, a stage
result, and an RFC 9457 problem. Built from the same read models the desk shows
(`adapters.db.views.CaseView`): a party's contact details and the report itself are never here."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from adapters.db.cases import case_label
from adapters.db.views import CaseView
from models.enums import ElectionType, ReportKind
from models.outcomes import StageOutcome, StageResult
from models.stages import Stage
from models.statistics import Funnel, Recap
from models.tables import Evidence, Letter, Party
from models.tables.case import Case, CaseDeadline, StageEvent


class ProblemField(BaseModel):
    path: str = Field(description="Isian yang bermasalah, mis. reported[0].nip")
    message: str = Field(description="Apa yang salah (bahasa Indonesia)")
    code: str = Field(description="Kode tetap untuk program, mis. wajib_diisi")


class Problem(BaseModel):
    """RFC 9457 problem details (`application/problem+json`)."""

    type: str = Field(description="URI jenis masalah; about:blank bila tidak ada yang khusus")
    title: str
    status: int
    detail: str
    errors: list[ProblemField] | None = Field(
        default=None, description="Untuk isian yang tidak valid: setiap masalahnya"
    )


class NextDeadline(BaseModel):
    rule: str
    due_on: date


class CaseSummary(BaseModel):
    id: int
    number: str | None = Field(description="Nomor registrasi; null sebelum diregistrasi")
    label: str = Field(description="Nomor registrasi, atau 'laporan #7' sebelum diregistrasi")
    kind: ReportKind
    office: str
    stage: Stage
    stage_label: str
    received_on: date
    incident_summary: str
    next_deadline: NextDeadline | None

    @classmethod
    def of(cls, case: Case, deadline: CaseDeadline | None) -> CaseSummary:
        assert case.id is not None
        return cls(
            id=case.id,
            number=case.case_number,
            label=case_label(case),
            kind=case.kind,
            office=case.office_key,
            stage=case.stage,
            stage_label=case.stage.label,
            received_on=case.received_on,
            incident_summary=case.incident_summary,
            next_deadline=NextDeadline(rule=deadline.rule, due_on=deadline.due_on)
            if deadline is not None
            else None,
        )


class Links(BaseModel):
    self: str
    first: str
    last: str
    prev: str | None
    next: str | None


class CaseList(BaseModel):
    items: list[CaseSummary]
    page: int
    per_page: int
    total: int
    pages: int
    links: Links


class PartyOut(BaseModel):
    """A party as the case page shows it (no address, phone or email)."""

    role: str
    position: int
    name: str
    employment: str | None
    nip: str | None
    job_title: str | None
    agency: str | None
    authority: str | None

    @classmethod
    def of(cls, party: Party) -> PartyOut:
        return cls(
            role=party.role.value,
            position=party.position,
            name=party.name,
            employment=party.employment.value if party.employment else None,
            nip=party.nip,
            job_title=party.job_title,
            agency=party.agency,
            authority=party.authority.value if party.authority else None,
        )


class DeadlineOut(BaseModel):
    rule: str
    basis: str
    unit: str
    start_on: date
    due_on: date
    status: str
    confirmed: bool

    @classmethod
    def of(cls, d: CaseDeadline) -> DeadlineOut:
        return cls(
            rule=d.rule,
            basis=d.basis,
            unit=d.unit.value,
            start_on=d.start_on,
            due_on=d.due_on,
            status=d.status.value,
            confirmed=d.confirmed,
        )


class EventOut(BaseModel):
    event: str
    from_stage: Stage | None
    to_stage: Stage
    at: datetime
    actor: str
    reason: str

    @classmethod
    def of(cls, e: StageEvent) -> EventOut:
        return cls(
            event=e.event,
            from_stage=e.from_stage,
            to_stage=e.to_stage,
            at=e.at,
            actor=e.actor,
            reason=e.reason,
        )


class LetterOut(BaseModel):
    id: int
    kind: str
    number: str
    recipient: str
    issued_on: date
    docx: str = Field(description="Alamat unduhan .docx")
    pdf: str | None = Field(description="Alamat unduhan .pdf; null bila tidak ada PDF")

    @classmethod
    def of(cls, letter: Letter, base: str) -> LetterOut:
        assert letter.id is not None
        path = f"{base}/surat/{letter.id}"
        return cls(
            id=letter.id,
            kind=letter.kind,
            number=letter.number,
            recipient=letter.recipient_name,
            issued_on=letter.issued_on,
            docx=f"{path}.docx",
            pdf=f"{path}.pdf" if letter.pdf_sha256 else None,
        )


class EvidenceOut(BaseModel):
    id: int
    description: str
    has_file: bool
    size: int | None
    media_type: str | None
    download: str | None = Field(description="Alamat unduhan berkas; null tanpa berkas")

    @classmethod
    def of(cls, item: Evidence, base: str) -> EvidenceOut:
        assert item.id is not None
        return cls(
            id=item.id,
            description=item.description,
            has_file=item.sha256 is not None,
            size=item.size,
            media_type=item.media_type,
            download=f"{base}/bukti/{item.id}" if item.sha256 else None,
        )


class CaseDetail(CaseSummary):
    election_type: ElectionType
    election_year: int
    election_region: str
    incident_place: str
    occurred_on: date
    known_on: date | None
    incident_account: str
    admissible: bool
    parties: list[PartyOut]
    deadlines: list[DeadlineOut]
    events: list[EventOut]
    letters: list[LetterOut]
    evidence: list[EvidenceOut]

    @classmethod
    def of_view(cls, view: CaseView, base: str) -> CaseDetail:
        case = view.case
        open_deadlines = [d for d in view.deadlines if d.status.value == "open"]
        nearest = min(open_deadlines, key=lambda d: (d.due_on, d.id or 0), default=None)
        summary = CaseSummary.of(case, nearest)
        here = f"{base}/perkara/{view.case_id}"
        return cls(
            **summary.model_dump(),
            election_type=case.election_type,
            election_year=case.election_year,
            election_region=case.election_region,
            incident_place=case.incident_place,
            occurred_on=case.occurred_on,
            known_on=case.known_on,
            incident_account=case.incident_account,
            admissible=case.admissible,
            parties=[PartyOut.of(p) for p in view.parties],
            deadlines=[DeadlineOut.of(d) for d in view.deadlines],
            events=[EventOut.of(e) for e in view.events],
            letters=[LetterOut.of(x, here) for x in view.letters],
            evidence=[EvidenceOut.of(e, here) for e in view.evidence],
        )


class StageAnswer(BaseModel):
    """What a stage action did: `moved` (done now), `already_done` (nothing repeated),
    `waiting` (some mail not yet sent), `elsewhere` (the case is at another stage)."""

    case_id: int
    label: str
    stage: Stage
    stage_label: str
    outcome: StageOutcome
    message: str

    @classmethod
    def of(cls, result: StageResult, message: str) -> StageAnswer:
        return cls(
            case_id=result.case_id,
            label=result.label,
            stage=result.stage,
            stage_label=result.stage.label,
            outcome=result.outcome,
            message=message,
        )


class FunnelFigures(BaseModel):
    """How many cases reached each milestone, and the PPK follow-up rate."""

    received: int = Field(description="Laporan dan temuan yang diterima")
    laporan: int
    temuan: int
    registered: int = Field(description="Diregistrasi")
    proven: int = Field(description="Terbukti melanggar (disetujui pimpinan)")
    referred: int = Field(description="Diteruskan ke KASN/BKN")
    recommended: int = Field(description="Direkomendasikan KASN/BKN")
    acted: int = Field(description="Ditindaklanjuti PPK")
    followup_rate: float | None = Field(
        description="Tindak lanjut PPK atas rekomendasi (0–1); null bila belum ada rekomendasi"
    )

    @classmethod
    def of(cls, funnel: Funnel) -> FunnelFigures:
        return cls(
            received=funnel.received,
            laporan=funnel.laporan,
            temuan=funnel.temuan,
            registered=funnel.registered,
            proven=funnel.proven,
            referred=funnel.referred,
            recommended=funnel.recommended,
            acted=funnel.acted,
            followup_rate=funnel.followup_rate,
        )


class StageDuration(BaseModel):
    key: str
    label: str
    cases: int = Field(description="Perkara yang menyelesaikan tahap ini")
    median_days: float | None = Field(description="Median hari; null bila belum ada")


class MissedDeadlines(BaseModel):
    rule: str
    label: str
    count: int


class BreakdownRow(BaseModel):
    name: str
    figures: FunnelFigures


class BreakdownTable(BaseModel):
    key: str
    title: str
    rows: list[BreakdownRow]
    note: str


class Statistics(BaseModel):
    """The recap as the desk's /statistik shows it, over the offices the user may read."""

    scope: str = Field(description="Cakupan: saringan dan kantor yang dihitung, dalam kata")
    funnel: FunnelFigures
    durations: list[StageDuration]
    missed: list[MissedDeadlines]
    cases_missing_deadlines: int
    breakdowns: list[BreakdownTable]

    @classmethod
    def of(cls, recap: Recap) -> Statistics:
        return cls(
            scope=recap.scope,
            funnel=FunnelFigures.of(recap.funnel),
            durations=[
                StageDuration(
                    key=s.span.key, label=s.span.label, cases=s.cases, median_days=s.median
                )
                for s in recap.spans
            ],
            missed=[
                MissedDeadlines(rule=m.rule, label=m.label, count=m.count) for m in recap.missed
            ],
            cases_missing_deadlines=recap.cases_missing_deadlines,
            breakdowns=[
                BreakdownTable(
                    key=b.key,
                    title=b.title,
                    rows=[BreakdownRow(name=n, figures=FunnelFigures.of(f)) for n, f in b.rows],
                    note=b.note,
                )
                for b in recap.breakdowns
            ],
        )
