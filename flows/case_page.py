"""What the Prefect UI shows of cases, built as plain text and rows (no Prefect here).

- `case_markdown`: one case, for its versioned Markdown artifact: stage, parties (the reporter by
  name only, never their contact details), evidence (description, type, size and SHA-256; not
  the file names, which may name people), deadlines with days left, letters, mail and history.
- `approval_markdown`: what a supervisor reads before approving: the related cases, the findings,
  the rulebook's reasoning per person, and links to the letters drafted so far.
- `register_rows`: the table of the open cases due soonest, refreshed by the sweep.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from adapters.db.cases import case_label
from adapters.db.views import CaseView, case_rows, decision_view, missed_rules
from models import labels
from models.enums import DecisionOutcome, ReportKind
from models.indonesian import tanggal, zona_waktu
from models.labels import waktu
from models.letters.common import party_key
from models.letters.decision import BAND_TEXT, REGIME_TEXT
from models.links import link_line
from models.outcomes import is_late
from models.rules.calendar import local_date
from models.rules.evidence import size_text
from models.rules.referral import authority_name
from models.tables import Case, CaseDeadline, CaseDecision, DeadlineStatus, Letter, PartyRole
from services.deps import Deps

# The register table holds the open cases due soonest; the desk's register pages through all.
REGISTER_ROWS = 500


def days_left(deadline: CaseDeadline, today: date) -> int:
    return (deadline.due_on - today).days


def case_key(case: Case) -> str:
    return f"perkara-{case.id}"


def _cell(value: object) -> str:
    return str(value if value not in (None, "") else "-").replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) if rows else "_(belum ada)_"


def letter_link(letter: Letter, deps: Deps) -> str:
    """A link the supervisor can open: the letter server of `netra serve`, else the file."""
    base = deps.settings.letters_base_url
    if base:
        return f"[{letter.number}]({base.rstrip('/')}/{quote(letter.path)})"
    path = (deps.settings.letters_dir / letter.path).resolve()
    return f"[{letter.number}]({Path(path).as_uri()})"


def case_markdown(view: CaseView, deps: Deps, now: datetime) -> str:
    case = view.case
    office = deps.rulebook.offices[case.office_key]
    today = local_date(now, office.timezone)
    zone = office.timezone
    parties = [
        [
            p.role.value,
            p.name,
            labels.label(labels.EMPLOYMENT, p.employment) if p.employment else "",
            p.job_title or "",
            p.agency or "",
            "(kontak tidak ditampilkan)" if p.role is PartyRole.REPORTER else p.authority or "",
        ]
        for p in view.parties
    ]
    deadlines = [
        [
            labels.label(labels.RULES, d.rule),
            tanggal(d.due_on),
            days_left(d, today) if d.status is DeadlineStatus.OPEN else "",
            labels.label(labels.DEADLINE_STATUSES, d.status),
            d.basis,
        ]
        for d in view.deadlines
    ]
    evidence = [
        [
            e.position + 1,
            e.description,
            e.media_type or "",
            size_text(e.size) if e.size is not None else "",
            e.sha256 or "(tanpa berkas)",
        ]
        for e in view.evidence
    ]
    letters = [
        [
            x.number,
            labels.label(labels.LETTER_KINDS, x.kind),
            x.recipient_name,
            tanggal(x.issued_on),
            letter_link(x, deps),
        ]
        for x in view.letters
    ]
    mail = [
        [m.subject, m.to_name, labels.label(labels.MAIL_STATUSES, m.status), waktu(m.sent_at, zone)]
        for m in view.emails
    ]
    history = [
        [
            waktu(e.at, zone),
            labels.label(labels.EVENTS, e.event),
            e.to_stage.label,
            e.actor,
            e.reason,
        ]
        for e in view.events
    ]
    election = labels.label(labels.ELECTIONS, case.election_type)
    return "\n\n".join(
        [
            f"# Perkara {case_label(case)}",
            f"**Tahap:** {case.stage.label}  \n**Kantor:** {office.short_name}  \n"
            f"**Pemilihan:** {election} {case.election_year} "
            f"({case.election_region})  \n**Diterima:** {tanggal(case.received_on)}  \n"
            f"**Per tanggal:** {tanggal(today)}",
            f"**Kejadian:** {case.incident_summary} — {case.incident_place}, "
            f"{tanggal(case.occurred_on)}",
            "## Pihak",
            _table(["Peran", "Nama", "Status", "Jabatan", "Instansi", "Diteruskan ke"], parties),
            "## Perkara terkait",
            related_list(view),
            "## Bukti",
            _table(["No.", "Keterangan", "Jenis", "Ukuran", "SHA-256"], evidence),
            "## Tenggat",
            _table(["Tenggat", "Batas akhir", "Sisa hari", "Status", "Dasar"], deadlines),
            "## Tanggapan atas penerusan",
            _table(list(labels.REPLY_COLUMNS), [labels.reply_row(r) for r in view.replies]),
            "## Surat",
            _table(["Nomor", "Jenis", "Kepada", "Tanggal", "Berkas"], letters),
            "## Surel",
            _table(["Hal", "Kepada", "Status", "Terkirim"], mail),
            "## Riwayat",
            _table(
                [f"Waktu ({zona_waktu(zone)})", "Peristiwa", "Ke tahap", "Oleh", "Alasan"], history
            ),
        ]
    )


HISTORY_COLUMNS = ("Peristiwa", "Ke tahap", "Oleh", "Alasan")


def related_list(view: CaseView) -> str:
    """The cases linked to this one, each with why: '- 003/REG/... (terlapor sama (NIP): ...)'."""
    lines = [f"- {link_line(case_label(x.other), x.link.reason)}" for x in view.related]
    return "\n".join(lines) or "_(tidak ada)_"


def approval_markdown(view: CaseView, deps: Deps) -> str:
    """The summary shown above the approval form: lists, not wide tables, so it reads in the
    UI's narrow dialog."""
    case = view.case
    decision = decision_view(deps.engine, view.case_id)
    names = {party_key(p): p for p in view.parties if p.role is PartyRole.REPORTED}
    people = [
        f"- **{p.name}** ({labels.label(labels.EMPLOYMENT, p.employment)}), "
        f"{' / '.join(x for x in (p.job_title, p.agency) if x) or '-'}"
        for p in names.values()
    ]
    drafts = [
        f"- {labels.label(labels.LETTER_KINDS, x.kind)}: {letter_link(x, deps)}"
        for x in view.letters
    ]
    act_date = tanggal(decision.act_date) if decision.act_date else "-"
    return "\n\n".join(
        [
            f"## Persetujuan rekomendasi — perkara {case_label(case)}",
            f"**Kejadian:** {case.incident_summary}",
            "**Perkara terkait:**\n\n" + related_list(view),
            f"**Kesimpulan kajian:** {OUTCOMES.get(decision.outcome, decision.outcome.value)}  \n"
            f"**Perbuatan:** {', '.join(decision.acts) or '-'}  \n"
            f"**Tanggal perbuatan:** {act_date}  \n"
            f"**Pertimbangan:** {decision.reasoning or '-'}",
            "### Terlapor",
            "\n".join(people) or "_(belum ada)_",
            "### Rekomendasi menurut aturan",
            _reasoning(decision, names),
            "### Surat yang sudah disusun",
            "\n".join(drafts) or "_(belum ada)_",
            "Bila disetujui, surat penerusan dengan lampiran kajian, pemberitahuan kepada "
            "terlapor"
            + (" dan pemberitahuan kepada pelapor" if case.kind is ReportKind.LAPORAN else "")
            + " diterbitkan dan dikirim. Bila dikembalikan, tuliskan catatan.",
        ]
    )


OUTCOMES = {
    DecisionOutcome.VIOLATION: "terbukti melanggar",
    DecisionOutcome.NO_VIOLATION: "tidak terbukti",
    DecisionOutcome.CRIME: "dugaan tindak pidana (Gakkumdu)",
}


def _reasoning(decision: CaseDecision, names: dict[str, Any]) -> str:
    """One short block per person: to whom, which sanction band, the options, the basis."""
    blocks = []
    for row in decision.rows:
        rec = row.recommendation
        person = names[row.party].name if row.party in names else row.party
        certainty = "" if rec.confirmed else " — *pemetaan belum pasti; periksa dasarnya*"
        blocks.append(
            "\n".join(
                [
                    f"**{person}** → {authority_name(row.authority)}{certainty}",
                    f"- Tingkat: {BAND_TEXT[rec.band]} ({REGIME_TEXT[rec.regime]})",
                    *(f"- Pilihan sanksi: {s}" for s in rec.sanctions),
                    f"- Dasar: {'; '.join(rec.basis) or '-'}",
                ]
            )
        )
    return "\n\n".join(blocks) or "_(tidak ada rekomendasi)_"


def register_rows(deps: Deps, now: datetime, *, limit: int = REGISTER_ROWS) -> list[dict[str, Any]]:
    """The open cases whose next deadline comes first (`limit` of them, through the index on
    `cases.next_due`: those already past first), each with that deadline; a case with no
    deadline running is not here (`netra list` and the desk's register have every case). A
    case is flagged late when one of the office's deadlines was missed or its next one is
    past; late cases come first, then by due date."""
    page = case_rows(deps.engine, open_only=True, soonest_first=True, limit=limit)
    missed = missed_rules(deps.engine, [case.id for case, _ in page if case.id is not None])
    rows: list[dict[str, Any]] = []
    for case, deadline in page:
        office = deps.rulebook.offices[case.office_key]
        today: date = local_date(now, office.timezone)
        left = days_left(deadline, today) if deadline else None
        late = is_late(missed.get(case.id or 0, set()), left)
        due = deadline.due_on if deadline else None
        rows.append(
            {
                "Nomor": case_label(case),
                "Kantor": office.short_name,
                "Tahap": case.stage.label,
                "Tenggat berikut": labels.label(labels.RULES, deadline.rule) if deadline else "-",
                "Batas akhir": tanggal(due) if due else "-",
                "Sisa hari": left if left is not None else "-",
                "Terlambat": "YA" if late else "tidak",
                "_due": due or date.max,
            }
        )
    rows.sort(key=lambda r: (r["Terlambat"] != "YA", r["_due"]))
    return [{k: v for k, v in r.items() if k != "_due"} for r in rows]
