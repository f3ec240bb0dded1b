"""What the Prefect UI shows of cases, built as plain text and rows (no Prefect here).

- `case_markdown`: one case, for its versioned Markdown artifact: stage, parties (the reporter by
  name only, never their contact details), deadlines with days left, letters, mail and history.
- `approval_markdown`: what a supervisor reads before approving: the findings, the rulebook's
  reasoning per person, and links to the letters drafted so far.
- `register_rows`: the table of open cases refreshed by the sweep.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from adapters.db.cases import case_label
from adapters.db.views import CaseView, case_rows, decision_view, missed_rules
from models.letters.common import party_key
from models.outcomes import is_late
from models.rules.calendar import local_date
from models.stages import TERMINAL
from models.tables import Case, CaseDeadline, CaseDecision, DeadlineStatus, Letter, PartyRole
from services.deps import Deps


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
    parties = [
        [
            p.role.value,
            p.name,
            p.employment or "",
            p.job_title or "",
            p.agency or "",
            "(kontak tidak ditampilkan)" if p.role is PartyRole.REPORTER else p.authority or "",
        ]
        for p in view.parties
    ]
    deadlines = [
        [
            d.rule,
            d.due_on.isoformat(),
            days_left(d, today) if d.status is DeadlineStatus.OPEN else "",
            d.status.value,
            d.basis,
        ]
        for d in view.deadlines
    ]
    letters = [
        [x.number, x.kind, x.recipient_name, x.issued_on.isoformat(), letter_link(x, deps)]
        for x in view.letters
    ]
    mail = [
        [m.recipient_role, m.status.value, m.sent_at and m.sent_at.isoformat(timespec="minutes")]
        for m in view.emails
    ]
    history = [
        [
            e.at.isoformat(timespec="minutes"),
            e.event,
            f"{e.from_stage.value if e.from_stage else '-'} → {e.to_stage.value}",
            e.actor,
            e.reason,
        ]
        for e in view.events
    ]
    return "\n\n".join(
        [
            f"# Perkara {case_label(case)}",
            f"**Tahap:** {case.stage.label}  \n**Kantor:** {office.short_name}  \n"
            f"**Pemilihan:** {case.election_type.value} {case.election_year} "
            f"({case.election_region})  \n**Diterima:** {case.received_on.isoformat()}  \n"
            f"**Per tanggal:** {today.isoformat()}",
            f"**Kejadian:** {case.incident_summary} — {case.incident_place}, "
            f"{case.occurred_on.isoformat()}",
            "## Pihak",
            _table(["Peran", "Nama", "Status", "Jabatan", "Instansi", "Diteruskan ke"], parties),
            "## Tenggat",
            _table(["Tenggat", "Batas akhir", "Sisa hari", "Status", "Dasar"], deadlines),
            "## Surat",
            _table(["Nomor", "Jenis", "Kepada", "Tanggal", "Berkas"], letters),
            "## Surel",
            _table(["Penerima", "Status", "Terkirim"], mail),
            "## Riwayat",
            _table(["Waktu (UTC)", "Peristiwa", "Tahap", "Oleh", "Alasan"], history),
        ]
    )


def approval_markdown(view: CaseView, deps: Deps) -> str:
    """The summary shown above the approval form."""
    case = view.case
    decision = decision_view(deps.engine, view.case_id)
    people = [
        [party_key(p), p.name, p.employment or "", p.job_title or "", p.agency or ""]
        for p in view.parties
        if p.role is PartyRole.REPORTED
    ]
    drafts = [f"- {x.kind}: {letter_link(x, deps)}" for x in view.letters]
    return "\n\n".join(
        [
            f"## Persetujuan rekomendasi — perkara {case_label(case)}",
            f"**Kejadian:** {case.incident_summary}",
            f"**Kesimpulan kajian:** {decision.outcome.value}  \n"
            f"**Perbuatan:** {', '.join(decision.acts) or '-'}  \n"
            f"**Tanggal perbuatan:** {decision.act_date or '-'}  \n"
            f"**Pertimbangan:** {decision.reasoning or '-'}",
            "### Terlapor",
            _table(["Kode", "Nama", "Status", "Jabatan", "Instansi"], people),
            "### Rekomendasi menurut aturan",
            _reasoning(decision),
            "### Surat yang sudah disusun",
            "\n".join(drafts) or "_(belum ada)_",
            "Bila disetujui, surat penerusan, pemberitahuan kepada terlapor dan pemberitahuan "
            "kepada pelapor diterbitkan dan dikirim. Bila dikembalikan, tuliskan catatan.",
        ]
    )


def _reasoning(decision: CaseDecision) -> str:
    rows = [
        [
            row.party,
            row.authority.value,
            row.recommendation.regime.value,
            row.recommendation.band.value,
            "; ".join(row.recommendation.sanctions),
            "ya" if row.recommendation.confirmed else "belum pasti",
            "; ".join(row.recommendation.basis),
        ]
        for row in decision.rows
    ]
    return _table(["Terlapor", "Kepada", "Rezim", "Tingkat", "Sanksi", "Pasti", "Dasar"], rows)


def register_rows(deps: Deps, now: datetime) -> list[dict[str, Any]]:
    """Every open case with its next deadline. A case is flagged late when one of the office's
    deadlines was missed or its next one is past; late cases come first, then by due date."""
    missed = missed_rules(deps.engine)
    rows: list[dict[str, Any]] = []
    for case, deadline in case_rows(deps.engine):
        if case.stage in TERMINAL:
            continue
        office = deps.rulebook.offices[case.office_key]
        today: date = local_date(now, office.timezone)
        left = days_left(deadline, today) if deadline else None
        late = is_late(missed.get(case.id or 0, set()), left)
        rows.append(
            {
                "nomor": case_label(case),
                "kantor": office.short_name,
                "tahap": case.stage.label,
                "tenggat_berikut": deadline.rule if deadline else "-",
                "batas_akhir": deadline.due_on.isoformat() if deadline else "-",
                "sisa_hari": left if left is not None else "-",
                "terlambat": "YA" if late else "tidak",
            }
        )
    rows.sort(key=lambda r: (r["terlambat"] != "YA", r["batas_akhir"] == "-", r["batas_akhir"]))
    return rows
