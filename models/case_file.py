"""The case file handed over to an auditor, BKN or a court (one ZIP per case), pure: what it
holds and under which names, its summary, its index (HTML and CSV) and its `SHA256SUMS`.

Everything here is a function of the case as stored (no clock, no reader's name): the same case
gives the same bytes. The files themselves are read and checked by `services.case_file` and
written by `adapters.case_zip`.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath
from typing import Any

from models import labels
from models.enums import ReportKind
from models.indonesian import tanggal
from models.rules.confidentiality import REDACTED, Redactor
from models.stages import Stage
from models.tables import Evidence, Letter
from models.tables.case import Case, CaseDeadline, Party, PartyRole, StageEvent

# The kinds of file the index lists (CSV column `jenis`).
LETTER_DOCX = "surat"
LETTER_PDF = "surat-pdf"
EVIDENCE = "bukti"
AUDIT = "jejak-audit"
SUMMARY = "ringkasan"

INDEX_HTML = "indeks.html"
INDEX_CSV = "indeks.csv"
SUMS = "SHA256SUMS"
AUDIT_NAME = "jejak-audit.csv"
SUMMARY_NAME = "ringkasan.json"

INDEX_FIELDS = ("jenis", "nama_berkas", "keterangan", "sha256", "ukuran_bita")

_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")


@dataclass(frozen=True)
class Member:
    """A file of the case file: its kind, its name in the ZIP, what it is (a letter's number
    and date, an evidence item's description), its SHA-256 and size in bytes."""

    kind: str
    name: str
    about: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Absent:
    """What the case file lists but does not hold, and why (Indonesian)."""

    kind: str
    about: str
    reason: str


def safe_name(text: str, *, fallback: str) -> str:
    """A file name made of letters, digits, dots, dashes and underscores only."""
    cleaned = _UNSAFE.sub("_", PurePosixPath(text).name).strip("._")
    return cleaned[:80] or fallback


def zip_name(label: str, case_id: int) -> str:
    """`berkas-perkara-001-LP-PW-Kab-64.09-X-2024.zip` (the label's slashes as dashes)."""
    return f"berkas-perkara-{safe_name(label.replace('/', '-'), fallback=str(case_id))}.zip"


def letter_about(letter: Letter, redactor: Redactor) -> str:
    kind = labels.label(labels.LETTER_KINDS, letter.kind)
    to = redactor.clean(letter.recipient_name)
    return f"{kind} nomor {letter.number}, {tanggal(letter.issued_on)}, kepada {to}"


def letter_name(letter: Letter, *, pdf: bool) -> str:
    """`surat/<date>_<id>_<kind>--<recipient key>.docx` (or .pdf): sorted, they read in order."""
    stem = safe_name(f"{letter.kind}--{letter.recipient_key}", fallback="surat")
    return f"surat/{letter.issued_on.isoformat()}_{letter.id:05d}_{stem}.{'pdf' if pdf else 'docx'}"


def evidence_about(item: Evidence, redactor: Redactor) -> str:
    return f"Bukti {item.position + 1}: {redactor.clean(item.description)}"


def evidence_name(item: Evidence, redactor: Redactor) -> str:
    """`bukti/<number>_<its own name>`; only the number when its name would name the reporter."""
    original = item.original_name or item.file or ""
    suffix = PurePosixPath(original).suffix.lower()
    number = f"{item.position + 1:03d}"
    if not original or redactor.names(original.replace("_", " ")):
        return f"bukti/{number}_bukti{_UNSAFE.sub('', suffix)}"
    return f"bukti/{number}_{safe_name(original, fallback='bukti')}"


# --- the summary -------------------------------------------------------------------------------
@dataclass(frozen=True)
class PartyLine:
    peran: str
    nama: str
    status: str
    nip: str
    jabatan: str
    instansi: str
    diteruskan_ke: str


@dataclass(frozen=True)
class StageLine:
    waktu: str
    peristiwa: str
    ke_tahap: str
    oleh: str
    keterangan: str


@dataclass(frozen=True)
class DeadlineLine:
    tenggat: str
    mulai: str
    batas_akhir: str
    status: str
    dasar: str


@dataclass(frozen=True)
class CaseSummary:
    """The case as the index and `ringkasan.json` present it (the reporter redacted where the
    reader may not see them)."""

    perkara: dict[str, str]
    pihak: list[PartyLine]
    tahapan: list[StageLine]
    tenggat: list[DeadlineLine]
    pelapor_disamarkan: bool

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def case_summary(
    case: Case,
    parties: Sequence[Party],
    events: Sequence[StageEvent],
    deadlines: Sequence[CaseDeadline],
    *,
    office_name: str,
    timezone: str,
    redactor: Redactor,
) -> CaseSummary:
    clean = redactor.clean
    perkara = {
        "id": str(case.id),
        "nomor": case.case_number or "(belum diregistrasi)",
        "jenis": labels.label(labels.REPORT_KINDS, case.kind),
        "pemilihan": (
            f"{labels.label(labels.ELECTIONS, case.election_type)} {case.election_year} "
            f"({case.election_region})"
        ),
        "kantor": office_name,
        "tahap": Stage(case.stage).label,
        "diterima": tanggal(case.received_on),
        "kejadian": f"{tanggal(case.occurred_on)} di {clean(case.incident_place)}",
        "ringkasan": clean(case.incident_summary),
    }
    hide_reporter = redactor.active and case.kind is ReportKind.LAPORAN
    pihak = [
        PartyLine(
            peran=p.role.value.capitalize(),
            nama=REDACTED if hide_reporter and p.role is PartyRole.REPORTER else clean(p.name),
            status=labels.label(labels.EMPLOYMENT, p.employment) if p.employment else "-",
            nip=p.nip or "-",
            jabatan=clean(p.job_title or "-"),
            instansi=clean(p.agency or "-"),
            diteruskan_ke=p.authority or "-",
        )
        for p in parties
    ]
    tahapan = [
        StageLine(
            waktu=labels.waktu(e.at, timezone),
            peristiwa=labels.label(labels.EVENTS, e.event),
            ke_tahap=Stage(e.to_stage).label,
            oleh=e.actor,
            keterangan=clean(e.reason or "-"),
        )
        for e in events
    ]
    tenggat = [
        DeadlineLine(
            tenggat=labels.label(labels.RULES, d.rule),
            mulai=tanggal(d.start_on),
            batas_akhir=tanggal(d.due_on),
            status=labels.label(labels.DEADLINE_STATUSES, d.status),
            dasar=clean(d.basis or "-"),
        )
        for d in deadlines
    ]
    return CaseSummary(perkara, pihak, tahapan, tenggat, hide_reporter)


# --- the index and the sums --------------------------------------------------------------------
def index_csv(members: Sequence[Member]) -> str:
    """One row per file (the index files and SHA256SUMS describe the others)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(INDEX_FIELDS)
    for m in sorted(members, key=lambda m: m.name):
        writer.writerow((m.kind, m.name, m.about, m.sha256, m.size))
    return buffer.getvalue()


def sha256sums(members: Sequence[Member]) -> str:
    """`sha256sum -c` input: "<hash>  <name>" per line, by name."""
    return "".join(f"{m.sha256}  {m.name}\n" for m in sorted(members, key=lambda m: m.name))


_KIND_LABELS = {
    LETTER_DOCX: "Surat (.docx)",
    LETTER_PDF: "Surat (PDF)",
    EVIDENCE: "Bukti",
    AUDIT: "Jejak audit",
    SUMMARY: "Ringkasan (JSON)",
}

_STYLE = """
body{font-family:sans-serif;margin:2em;max-width:80em;color:#111}
table{border-collapse:collapse;width:100%;margin-bottom:1.5em}
th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#eee}.hash{font-family:monospace;font-size:.8em;word-break:break-all}
.note{background:#fff6d5;border:1px solid #d9b300;padding:.5em 1em}
"""


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, classes: Sequence[str] = ()
) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            cls = f' class="{classes[i]}"' if i < len(classes) and classes[i] else ""
            cells.append(f"<td{cls}>{value}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not rows:
        body.append(f'<tr><td colspan="{len(headers)}">(tidak ada)</td></tr>')
    return f"<table>\n<tr>{head}</tr>\n" + "\n".join(body) + "\n</table>\n"


def _e(value: object) -> str:
    return html.escape(str(value))


def index_html(
    summary: CaseSummary, members: Sequence[Member], absent: Sequence[Absent], *, title: str
) -> str:
    """The index a person opens first: the case summary and every file with its SHA-256, as one
    HTML page with no external assets (it reads offline, from the unpacked ZIP)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="id"><head><meta charset="utf-8">',
        f"<title>Berkas perkara {_e(title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Berkas perkara {_e(title)}</h1>",
    ]
    if summary.pelapor_disamarkan:
        parts.append(
            '<p class="note">Identitas pelapor dirahasiakan (Perbawaslu 1/2022 Pasal 18 ayat (2) '
            "huruf b). Teks yang memuatnya ditulis “(dirahasiakan: memuat identitas pelapor)”; "
            "surat yang memuatnya tidak disertakan (lihat “Tidak disertakan”). Isi berkas bukti "
            "berupa gambar atau video tidak dapat diperiksa: periksa sebelum diserahkan.</p>"
        )
    parts.append("<h2>Ringkasan perkara</h2>")
    names = {
        "id": "ID",
        "nomor": "Nomor perkara",
        "jenis": "Jenis",
        "pemilihan": "Pemilihan",
        "kantor": "Kantor",
        "tahap": "Tahap",
        "diterima": "Diterima",
        "kejadian": "Kejadian",
        "ringkasan": "Ringkasan",
    }
    parts.append(
        _table(("Hal", "Isi"), [(_e(names.get(k, k)), _e(v)) for k, v in summary.perkara.items()])
    )
    parts.append("<h2>Pihak</h2>")
    parts.append(
        _table(
            ("Peran", "Nama", "Status", "NIP", "Jabatan", "Instansi", "Diteruskan ke"),
            [tuple(_e(v) for v in asdict(p).values()) for p in summary.pihak],
        )
    )
    parts.append("<h2>Tahapan</h2>")
    parts.append(
        _table(
            ("Waktu", "Peristiwa", "Ke tahap", "Oleh", "Keterangan"),
            [tuple(_e(v) for v in asdict(s).values()) for s in summary.tahapan],
        )
    )
    parts.append("<h2>Tenggat</h2>")
    parts.append(
        _table(
            ("Tenggat", "Mulai", "Batas akhir", "Status", "Dasar"),
            [tuple(_e(v) for v in asdict(d).values()) for d in summary.tenggat],
        )
    )
    parts.append("<h2>Berkas</h2>")
    rows = [
        (
            _e(_KIND_LABELS.get(m.kind, m.kind)),
            f'<a href="{_e(m.name)}">{_e(m.name)}</a>',
            _e(m.about),
            _e(m.sha256),
            _e(f"{m.size:,}".replace(",", ".")),
        )
        for m in sorted(members, key=lambda m: m.name)
    ]
    parts.append(
        _table(
            ("Jenis", "Nama berkas", "Keterangan", "SHA-256", "Ukuran (bita)"),
            rows,
            classes=("", "", "", "hash", ""),
        )
    )
    parts.append("<h2>Tidak disertakan</h2>")
    parts.append(
        _table(
            ("Jenis", "Keterangan", "Alasan"),
            [(_e(_KIND_LABELS.get(a.kind, a.kind)), _e(a.about), _e(a.reason)) for a in absent],
        )
    )
    parts.append(
        f"<p>Keutuhan setiap berkas dapat diperiksa dengan <code>sha256sum -c {SUMS}</code> di "
        f"folder hasil ekstrak ZIP ini. {INDEX_CSV} memuat daftar yang sama dalam bentuk CSV; "
        f"{AUDIT_NAME} memuat jejak audit perkara sampai perubahan terakhirnya.</p>"
    )
    parts.append("</body></html>\n")
    return "\n".join(parts)
