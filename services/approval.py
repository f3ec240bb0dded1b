"""Approval: a supervisor approves the recommendation (or returns it with a note). Approval
issues every outbound letter and queues its email; none is sent before this point."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Any

from sqlmodel import Session, select

from adapters.db.cases import move_case
from adapters.db.engine import unit_of_work
from models.enums import ReportKind
from models.inputs import ApprovalInput, FindingsInput
from models.letters.builders import election_label, finding_for, party_key, status_notice
from models.letters.contexts import (
    NoticeStatus,
    RedactedDecisionReview,
    Referral,
    ReferralNotice,
)
from models.letters.head import LetterContext, LetterHead, PersonFinding
from models.letters.indonesian import tanggal
from models.rules.calendar import local_date
from models.rules.routing import AUTHORITY_NAMES, route
from models.stages import Stage
from models.tables import Letter
from models.tables.case import Case, Party
from models.tables.proceedings import CaseDecision
from services.deps import CaseParties, Deps, load_case
from services.desk import Addressee, issue_letter, queue_letter_email, send_to_reporter
from services.recommendation import decision_review

REFERRED_TO_AUTHORITY = {"KASN", "BKN"}


def approve_recommendation(
    deps: Deps, case_ref: str, approval: ApprovalInput, *, actor: str, now: datetime
) -> Stage:
    with unit_of_work(deps.engine) as session:
        case, parties = load_case(session, case_ref)
        if case.stage is not Stage.AWAITING_APPROVAL:
            return case.stage
        assert case.id is not None
        decision = session.exec(select(CaseDecision).where(CaseDecision.case_id == case.id)).one()
        if not approval.approved:
            decision.return_note = approval.note
            session.add(decision)
            move_case(
                session,
                case,
                Stage.UNDER_REVIEW,
                event="RecommendationReturned",
                actor=actor,
                reason=approval.note or "dikembalikan untuk dikaji ulang",
                now=now,
            )
            return Stage.UNDER_REVIEW
        decision.approved_by, decision.approved_at = actor, now
        session.add(decision)
        _issue_outbound(deps, session, case, parties, decision, now)
        move_case(
            session,
            case,
            Stage.APPROVED,
            event="RecommendationApproved",
            actor=actor,
            reason=approval.note or "rekomendasi disetujui",
            now=now,
        )
        return Stage.APPROVED


def _issue_outbound(
    deps: Deps,
    session: Session,
    case: Case,
    parties: CaseParties,
    decision: CaseDecision,
    now: datetime,
) -> None:
    rulebook, office = deps.rulebook, deps.rulebook.offices[case.office_key]
    today = local_date(now, office.timezone)
    assert decision.act_date is not None
    by_key = {party_key(p): p for p in parties.reported}
    decision.recommendations = reroute_on(deps, decision, by_key, today)
    session.add(decision)
    _refuse_unaddressed(deps, decision, by_key)

    def issue(
        kind: str,
        to: Addressee,
        build: Callable[[LetterHead], LetterContext],
        *,
        tembusan: tuple[str, ...] = (),
    ) -> Letter:
        return issue_letter(
            session,
            rulebook=rulebook,
            letters_dir=deps.letters_dir,
            case=case,
            kind=kind,
            to=to,
            issued_on=today,
            outbound=True,
            build=build,
            tembusan=tembusan,
        )

    def send(letter: Letter, to: Addressee, role: str) -> None:
        queue_letter_email(
            session,
            rulebook=rulebook,
            letters_dir=deps.letters_dir,
            case=case,
            letter=letter,
            to=to,
            role=role,
            now=now,
        )

    findings = {
        str(r["party"]): finding_for(
            by_key[str(r["party"])],
            r["recommendation"],
            decision.acts,
            decision.act_date,
            rulebook.catalogue,
            str(r["authority"]),
        )
        for r in decision.recommendations
    }
    review = _redacted_review(deps, session, case, parties, decision)
    kajian = issue(
        "kajian_dugaan_pelanggaran_disamarkan",
        Addressee("lampiran-penerusan", "Lampiran surat penerusan"),
        lambda head: review.model_copy(update={"head": head}),
    )
    for group, keys in _referral_groups(decision).items():
        authority = group.split(":", 1)[0]
        people = [by_key[k] for k in keys]
        ppk_copies = tuple(dict.fromkeys(p.ppk_title for p in people if p.ppk_title))
        to = _referral_addressee(deps, authority, people[0])
        if to is None:
            continue
        referral = issue(
            "surat_penerusan",
            to,
            partial(
                _referral,
                case=case,
                authority=authority,
                kajian=kajian,
                findings=tuple(findings[k] for k in keys),
            ),
            tembusan=(*ppk_copies, office.personnel_agency, "Arsip"),
        )
        send(referral, to, "otoritas")
        send(kajian, to, "otoritas")
        for person in people:
            if person.ppk_email and authority in REFERRED_TO_AUTHORITY:
                send(
                    referral,
                    Addressee(
                        f"ppk-{party_key(person)}",
                        person.ppk_title or "PPK",
                        email=person.ppk_email,
                    ),
                    "ppk",
                )
            _notify_reported(issue, send, case, person, findings[party_key(person)], referral)
    if case.kind is ReportKind.LAPORAN:
        reporter = parties.reporter
        send_to_reporter(
            session,
            rulebook=rulebook,
            letters_dir=deps.letters_dir,
            case=case,
            reporter=reporter,
            kind="pemberitahuan_status",
            key="hasil",
            issued_on=today,
            build=lambda head: status_notice(
                head,
                case,
                reporter,
                status=NoticeStatus.RESULT,
                result_text="Dugaan pelanggaran terbukti dan telah diteruskan kepada instansi "
                "yang berwenang untuk dijatuhi sanksi.",
            ),
            now=now,
        )


def _notify_reported(
    issue: Callable[[str, Addressee, Callable[[LetterHead], LetterContext]], Letter],
    send: Callable[[Letter, Addressee, str], None],
    case: Case,
    person: Party,
    finding: PersonFinding,
    referral: Letter,
) -> None:
    to = Addressee(party_key(person), person.name, person.address or "Tempat", person.email)
    letter = issue(
        "pemberitahuan_terlapor",
        to,
        lambda head: ReferralNotice(
            head=head,
            person=finding.person,
            case_number=case.case_number or "-",
            incident_summary=case.incident_summary,
            incident_date_text=tanggal(case.occurred_on),
            acts=finding.acts,
            authority_name=finding.authority,
            referral_number=referral.number,
            referral_date_text=tanggal(referral.issued_on),
            ppk_title=person.ppk_title or "Pejabat Pembina Kepegawaian",
        ),
    )
    send(letter, to, "terlapor")


def _referral(
    head: LetterHead,
    *,
    case: Case,
    authority: str,
    kajian: Letter,
    findings: tuple[PersonFinding, ...],
) -> Referral:
    return Referral(
        head=head,
        authority_name=_authority_name(authority),
        case_number=case.case_number or "-",
        election_label=election_label(case),
        incident_summary=case.incident_summary.rstrip("."),
        incident_place=case.incident_place,
        incident_date_text=tanggal(case.occurred_on),
        kajian_number=kajian.number,
        kajian_date_text=tanggal(kajian.issued_on),
        findings=findings,
    )


def _authority_name(authority: str) -> str:
    for known, name in AUTHORITY_NAMES.items():
        if known.value == authority:
            return name
    return authority


def reroute_on(
    deps: Deps, decision: CaseDecision, by_key: dict[str, Party], referral_date: date
) -> list[dict[str, Any]]:
    """The authority is decided by the date the referral is sent (KASN before the switch date,
    BKN from it), not by the date the recommendation was drafted."""
    crime = any(r["authority"] == "GAKKUMDU" for r in decision.recommendations)
    rerouted: list[dict[str, Any]] = []
    for row in decision.recommendations:
        party = by_key[str(row["party"])]
        assert party.employment is not None
        authority = route(
            party.employment,
            referral_date=referral_date,
            switch_date=deps.rulebook.elections.referral_switch_date,
            crime=crime,
        )
        party.authority = authority
        rerouted.append({**row, "authority": authority.value})
    return rerouted


def _referral_groups(decision: CaseDecision) -> dict[str, list[str]]:
    """One referral per ASN authority (all its persons together); one per person otherwise, since
    each non-ASN person goes to their own agency head."""
    groups: dict[str, list[str]] = {}
    for row in decision.recommendations:
        authority, key = str(row["authority"]), str(row["party"])
        group = authority if authority in REFERRED_TO_AUTHORITY else f"{authority}:{key}"
        groups.setdefault(group, []).append(key)
    return dict(sorted(groups.items()))


class ReferralImpossible(ValueError):
    """A reported person has nobody to be referred to: approval would drop them silently."""


def _refuse_unaddressed(deps: Deps, decision: CaseDecision, by_key: dict[str, Party]) -> None:
    missing = [
        f"{by_key[str(r['party'])].name} ({by_key[str(r['party'])].employment})"
        for r in decision.recommendations
        if _referral_addressee(deps, str(r["authority"]), by_key[str(r["party"])]) is None
    ]
    if missing:
        raise ReferralImpossible(
            "tidak ada tujuan penerusan untuk: " + ", ".join(missing) + ". Lengkapi data PPK/"
            "atasan terlapor pada laporan, atau kembalikan rekomendasi (--return) untuk dikaji "
            "ulang; tidak ada surat yang diterbitkan."
        )


def _referral_addressee(deps: Deps, authority: str, person: Party) -> Addressee | None:
    contact = deps.rulebook.letters.authorities.get(authority)
    if contact is not None:
        return Addressee(
            f"otoritas-{authority.lower()}", contact.name, contact.place, contact.email
        )
    if person.ppk_title:  # non-ASN staff and others: to the person's own PPK / superior
        return Addressee(f"ppk-{party_key(person)}", person.ppk_title, email=person.ppk_email)
    return None


def _redacted_review(
    deps: Deps, session: Session, case: Case, parties: CaseParties, decision: CaseDecision
) -> RedactedDecisionReview:
    placeholder = LetterHead(
        kop_name="-",
        kop_address="-",
        place="-",
        date_text="-",
        number="-",
        hal="-",
        addressee="-",
        signer_title="-",
        signer_name="-",
    )
    full = decision_review(
        deps,
        placeholder,
        session,
        case,
        parties,
        FindingsInput(acts=decision.acts, act_date=decision.act_date, reasoning=decision.reasoning),
        decision.recommendations,
        decision.act_date or case.occurred_on,
    )
    return full.redacted()
