"""One command per stage; each runs its stage through `cli.running` (on the running `netra
serve`, else its Prefect flow here) and reports what the stage service did: done, already done,
waiting, or not applicable to the case where it stands (exit 2).

Importing this module is cheap (`netra --help` and the reading commands import it to list the
commands): pydantic's input models, the services and Prefect are imported by the commands that run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from cli import render
from cli.context import CaseArg, build_context
from cli.prefect_env import configure_prefect
from cli.running import report_result, run_flow, run_stage, stage_flows
from models import labels
from models.enums import ConsentScope, ReplyKind, VerificationChoice

if TYPE_CHECKING:
    from pydantic import BaseModel

    from models.report.model import Report

T = TypeVar("T")
M = TypeVar("M", bound="BaseModel")


def parse_or_exit(model: type[M], data: dict[str, Any], title: str) -> M:
    from pydantic import ValidationError

    from models.report.parse import problems_from

    try:
        return model.model_validate(data)
    except ValidationError as error:
        render.print_problems(title, problems_from(error))
        raise typer.Exit(code=2) from None


def read_model(path: Path, model: type[T]) -> T:
    """Read a YAML/JSON file into `model`, with Indonesian problems on failure."""
    from pydantic import TypeAdapter, ValidationError

    from cli.reading import read_text
    from models.problems import ReportRejected
    from models.report.parse import decode_report_text, problems_from

    try:
        data = decode_report_text(read_text(path), filename=path.name)
        return TypeAdapter(model).validate_python(data)
    except ValidationError as error:
        render.print_problems(f"Berkas {path} tidak valid", problems_from(error))
    except ReportRejected as error:
        render.print_problems(f"Berkas {path} tidak dapat dibaca", error.problems)
    raise typer.Exit(code=2)


def submit_or_exit(report: Report) -> int:
    """Store the report in the case database first: the flow gets its submission number, so
    Prefect never stores the report (`services.submission`)."""
    from models.problems import ReportRejected
    from services.submission import submit_report

    ctx = build_context()
    try:
        return submit_report(ctx.deps, report, now=ctx.now())
    except ValueError as error:  # a NUL character, or a value the database refuses
        problems = error.problems if isinstance(error, ReportRejected) else []
        if problems:
            render.print_problems("Laporan ditolak, tidak ada yang dicatat", problems)
        else:
            render.err_console.print(f"[red]Gagal:[/] {error}")
        raise typer.Exit(code=2) from None


def submit(
    report: Annotated[Path, typer.Argument(help="Berkas laporan (JSON/YAML).")],
) -> None:
    """Simpan laporan sebagai kiriman untuk form `penerimaan` di Prefect UI (nomornya saja yang
    sampai ke Prefect, bukan isinya)."""
    from cli.reading import read_report
    from models.problems import ReportRejected

    try:
        parsed = read_report(report)
    except ReportRejected as error:
        render.print_problems("Laporan ditolak, tidak ada yang dicatat", error.problems)
        raise typer.Exit(code=2) from None
    submission = submit_or_exit(parsed)
    render.console.print(
        f"Laporan disimpan sebagai kiriman [bold]{submission}[/]. Catat dengan deployment "
        f"penerimaan/netra (Nomor kiriman: {submission}); berkas bukti dibaca dari folder bukti "
        "server (NETRA_EVIDENCE_INBOX)."
    )


def verify(
    case_ref: CaseArg,
    decision: Annotated[VerificationChoice, typer.Option(help="Keputusan.")],
    reason: Annotated[str, typer.Option(help="Alasan.")] = "",
    to: Annotated[
        str | None,
        typer.Option(
            help="Diteruskan: nama instansi; dilimpahkan: kunci kantor Bawaslu tujuan "
            "(config/offices.yaml)."
        ),
    ] = None,
    email: Annotated[
        str | None, typer.Option(help="Diteruskan: surel instansi tujuan (surat dikirim).")
    ] = None,
    item: Annotated[
        list[str] | None,
        typer.Option(help="Untuk --decision complete: yang harus dilengkapi (boleh berulang)."),
    ] = None,
) -> None:
    """Kajian awal: registrasi, minta kelengkapan, tidak diregistrasi, diteruskan, atau
    dilimpahkan."""
    from models.inputs import VerificationDecision

    choice = VerificationDecision(
        decision=decision,
        reason=reason,
        forward_to=to,
        forward_email=email,
        missing_items=item or [],
    )
    run_stage(
        case_ref, "kajian-awal", choice, lambda f, who: f.verification_flow(case_ref, choice, who)
    )


def complete(
    case_ref: CaseArg,
    report: Annotated[Path, typer.Argument(help="Berkas laporan yang telah dilengkapi.")],
) -> None:
    """Catat laporan yang telah dilengkapi pelapor; kajian awal diulang."""
    from cli.reading import read_report
    from models.problems import ReportRejected
    from services.intake import validate_for_intake

    ctx = build_context()
    try:
        parsed = read_report(report)
        validate_for_intake(parsed, ctx.rulebook)
    except ReportRejected as error:
        render.print_problems("Laporan ditolak, tidak ada yang dicatat", error.problems)
        raise typer.Exit(code=2) from None
    submission = submit_or_exit(parsed)
    flow = stage_flows().completion_flow
    # Evidence files are named relative to the completed report, as at intake.
    result = run_flow(lambda: flow(case_ref, submission, ctx.actor), evidence_inbox=report.parent)
    report_result(result)


def clarify(
    case_ref: CaseArg,
    date: Annotated[str, typer.Option(help="Tanggal (TTTT-BB-HH).")],
    time: Annotated[str, typer.Option(help="Jam (JJ:MM), waktu setempat.")],
    place: Annotated[str, typer.Option(help="Tempat.")],
    invite_reporter: Annotated[
        bool,
        typer.Option(
            "--invite-reporter/--no-invite-reporter", help="Undang pelapor (laporan) juga."
        ),
    ] = True,
) -> None:
    """Kirim undangan klarifikasi kepada terlapor, saksi dan (laporan) pelapor."""
    from models.inputs import HearingSchedule

    data = {"date": date, "time": time, "place": place, "invite_reporter": invite_reporter}
    schedule = parse_or_exit(HearingSchedule, data, "Jadwal tidak valid")
    run_stage(
        case_ref, "undangan", schedule, lambda f, who: f.clarification_flow(case_ref, schedule, who)
    )


def record_clarification(
    case_ref: CaseArg,
    outcomes: Annotated[Path, typer.Option(help="Berkas YAML/JSON hasil klarifikasi.")],
) -> None:
    """Catat hasil klarifikasi (Berita Acara)."""
    from models.inputs import HearingOutcome

    parsed = read_model(outcomes, list[HearingOutcome])
    run_stage(
        case_ref,
        "berita-acara",
        parsed,
        lambda f, who: f.clarification_record_flow(case_ref, parsed, who),
    )


def recommend(
    case_ref: CaseArg,
    findings: Annotated[Path, typer.Option(help="Berkas hasil kajian (CONTRACTS §2).")],
) -> None:
    """Kajian dugaan pelanggaran dan rekomendasi sanksi (menunggu persetujuan)."""
    from models.inputs import FindingsInput

    parsed = read_model(findings, FindingsInput)
    run_stage(
        case_ref, "rekomendasi", parsed, lambda f, who: f.recommendation_flow(case_ref, parsed, who)
    )


def approve(
    case_ref: CaseArg,
    return_note: Annotated[
        str | None, typer.Option("--return", help="Kembalikan dengan catatan.")
    ] = None,
    note: Annotated[str, typer.Option(help="Catatan persetujuan.")] = "",
) -> None:
    """Persetujuan pimpinan atas rekomendasi (atau kembalikan dengan catatan)."""
    from pydantic import ValidationError

    from models.inputs import ApprovalInput

    try:
        approval = ApprovalInput(approved=return_note is None, note=return_note or note)
    except ValidationError:
        render.err_console.print("[red]Gagal:[/] catatan wajib diisi bila dikembalikan.")
        raise typer.Exit(code=2) from None
    # As here, the engine leaves the letters for `netra notify` (the desk sends them at once).
    run_stage(
        case_ref,
        "persetujuan?kirim=false",
        approval,
        lambda f, who: f.approval_flow(case_ref, approval, who),
    )


def notify(case_ref: CaseArg) -> None:
    """Kirim surat yang menunggu; perkara diteruskan bila semua terkirim."""
    run_stage(case_ref, "notifikasi", None, lambda f, who: f.notification_flow(case_ref, who))


def ppk_decision(
    case_ref: CaseArg,
    sanction: Annotated[str, typer.Option(help="Sanksi yang dijatuhkan.")],
    decree_number: Annotated[str, typer.Option(help="Nomor keputusan PPK.")],
    decree_date: Annotated[str, typer.Option(help="Tanggal (TTTT-BB-HH).")],
) -> None:
    """Catat keputusan PPK (sanksi, nomor dan tanggal keputusan); perkara selesai."""
    from models.inputs import PpkDecisionInput

    data = {"sanction": sanction, "decree_number": decree_number, "decree_date": decree_date}
    decision = parse_or_exit(PpkDecisionInput, data, "Keputusan PPK tidak valid")
    run_stage(
        case_ref,
        "keputusan-ppk",
        decision,
        lambda f, who: f.ppk_decision_flow(case_ref, decision, who),
    )


def reply(
    case_ref: CaseArg,
    kind: Annotated[
        ReplyKind,
        typer.Argument(
            help="acknowledged (penerusan diterima KASN/BKN), recommendation (rekomendasi "
            "KASN/BKN kepada PPK), ppk-refused (PPK menolak atau keberatan)."
        ),
    ],
    date: Annotated[str, typer.Option(help="Tanggal tanggapan (TTTT-BB-HH).")],
    authority: Annotated[
        str | None, typer.Option(help="bkn atau kasn (bawaan: tujuan penerusan).")
    ] = None,
    reference: Annotated[str, typer.Option(help="Nomor SBT (BKN) atau SIAPNET (KASN).")] = "",
    number: Annotated[str, typer.Option(help="Nomor surat rekomendasi.")] = "",
    sanction: Annotated[str, typer.Option(help="Sanksi yang direkomendasikan.")] = "",
    reason: Annotated[str, typer.Option(help="Alasan penolakan PPK.")] = "",
) -> None:
    """Catat tanggapan atas penerusan: diterima instansi, rekomendasi, atau penolakan PPK."""
    from models.inputs import ReplyInput

    data = {
        "kind": kind,
        "date": date,
        "authority": authority,
        "reference": reference,
        "number": number,
        "sanction": sanction,
        "reason": reason,
    }
    parsed = parse_or_exit(ReplyInput, data, "Tanggapan tidak valid")
    actor = build_context().actor
    result = run_flow(lambda: stage_flows().reply_flow(case_ref, parsed, actor))
    report_result(result)
    render.print_deadlines(result.case_id, build_context().engine)


def extend(
    case_ref: CaseArg,
    reason: Annotated[
        str, typer.Option(help="Keterangan tambahan apa yang diperlukan, dari siapa.")
    ],
) -> None:
    """Perpanjang batas waktu kajian (sekali, sebelum batasnya lewat) sesuai undang-undang."""
    body = {"reason": reason}
    case_id = run_stage(
        case_ref, "perpanjangan", body, lambda f, who: f.extension_flow(case_ref, reason, who)
    )
    if case_id is not None:
        render.print_deadlines(case_id, build_context().engine)


def correct(
    case_ref: CaseArg,
    target: Annotated[
        str,
        typer.Option(
            help="account (uraian kejadian), summary (ringkasan), place (tempat kejadian), "
            "statement:terlapor-0 (keterangan satu pihak), atau reasoning (pertimbangan kajian)."
        ),
    ],
    reason: Annotated[str, typer.Option(help="Alasan koreksi.")],
    text: Annotated[str | None, typer.Option(help="Teks pengganti.")] = None,
    text_file: Annotated[
        Path | None, typer.Option(help="Berkas berisi teks pengganti (untuk teks panjang).")
    ] = None,
) -> None:
    """Koreksi teks yang tercatat sebelum surat diterbitkan; teks semula disimpan."""
    from cli.reading import read_text
    from models.problems import ReportRejected

    if (text is None) == (text_file is None):
        render.err_console.print("Berikan teks pengganti dengan --text atau --text-file.")
        raise typer.Exit(code=2)
    try:
        new_text = text if text_file is None else read_text(text_file)
    except ReportRejected as error:
        render.print_problems("Berkas teks tidak dapat dibaca", error.problems)
        raise typer.Exit(code=2) from None
    assert new_text is not None
    actor = build_context().actor
    report_result(
        run_flow(lambda: stage_flows().correction_flow(case_ref, target, new_text, reason, actor))
    )


def consent(
    case_ref: CaseArg,
    scope: Annotated[
        ConsentScope | None,
        typer.Option(help="nama (hanya nama) atau identitas (nama, alamat, telepon, surel)."),
    ] = None,
    given_on: Annotated[str | None, typer.Option(help="Tanggal persetujuan (TTTT-BB-HH).")] = None,
    means: Annotated[
        str, typer.Option(help="Bentuk persetujuan, mis. surat pernyataan tanggal ...")
    ] = "",
    withdraw: Annotated[bool, typer.Option("--withdraw", help="Tarik persetujuan.")] = False,
    reason: Annotated[str, typer.Option(help="Alasan penarikan.")] = "",
) -> None:
    """Catat (atau tarik) persetujuan pelapor untuk mengungkapkan identitasnya dalam surat."""
    from models.inputs import ConsentInput

    actor = build_context().actor
    flow = stage_flows().consent_flow
    if withdraw:
        report_result(run_flow(lambda: flow(case_ref, None, True, reason, actor)))
        return
    data = {"scope": scope, "given_on": given_on, "means": means}
    given = parse_or_exit(ConsentInput, data, "Persetujuan tidak lengkap")
    report_result(run_flow(lambda: flow(case_ref, given, False, "", actor)))


def recompute_deadlines(
    apply: Annotated[
        bool, typer.Option("--apply", help="Geser tenggat (bawaan: hanya tampilkan).")
    ] = False,
) -> None:
    """Hitung ulang tenggat terbuka setelah kalender libur atau aturan tenggat berubah."""
    ctx = build_context()
    configure_prefect(ctx.settings)
    from flows.scheduled import recompute_flow

    changes = run_flow(lambda: recompute_flow(apply, ctx.actor))
    render.print_deadline_changes(changes, applied=apply)


def sweep(
    at: Annotated[str | None, typer.Option(help="Waktu acuan ISO 8601 (bawaan: sekarang).")] = None,
) -> None:
    """Sapu tenggat: pengingat, tenggat terlewat, pengingat PPK, eskalasi ke BKN."""
    now = datetime.fromisoformat(at) if at else None
    configure_prefect(build_context().settings)
    from flows.scheduled import sweep_flow

    report = run_flow(lambda: sweep_flow(now))
    if report.skipped:
        render.console.print(
            "Sapu tenggat lain sedang berjalan; sapuan ini tidak melakukan apa pun."
        )
        return
    render.console.print(
        f"Pengingat: {len(report.reminded)} · tenggat terlewat: {len(report.missed)} · "
        f"pengingat PPK: {len(report.ppk_reminders)} · eskalasi BKN: "
        f"{len(report.escalations)} · PPK tidak tercatat: {len(report.without_ppk)} · "
        f"tidak dilengkapi (tidak diregistrasi): {len(report.not_completed)}"
    )
    for what, entries in (
        ("terlewat", report.missed),
        ("tidak diregistrasi", report.not_completed),
    ):
        for entry in entries:
            case, _, rule = entry.rpartition(":")
            render.console.print(f"  {what}: {case} — {labels.label(labels.RULES, rule)}")


def process(
    report: Annotated[Path, typer.Argument(help="Berkas laporan.")],
    decisions: Annotated[Path, typer.Option(help="Berkas keputusan (YAML).")],
    replay: Annotated[
        bool, typer.Option(help="Pakai garis waktu perkara sendiri (mulai received_at).")
    ] = False,
) -> None:
    """Seluruh tahap untuk satu laporan sesuai berkas keputusan."""
    from cli.reading import read_report
    from models.inputs import CasePlan
    from models.problems import ReportRejected

    try:
        parsed_report = read_report(report)
    except ReportRejected as error:
        render.print_problems("Laporan ditolak", error.problems)
        raise typer.Exit(code=2) from None
    plan = read_model(decisions, CasePlan)
    submission = submit_or_exit(parsed_report)
    ctx = build_context()
    configure_prefect(ctx.settings)
    from flows.process import process_case

    actor = ctx.actor
    result = run_flow(
        lambda: process_case(submission, plan, replay, actor), evidence_inbox=report.parent
    )
    render.console.print(f"Selesai pada tahap [bold]{result.stage.label}[/]")


COMMANDS: dict[str, Callable[..., None]] = {
    "verify": verify,
    "complete": complete,
    "clarify": clarify,
    "record-clarification": record_clarification,
    "recommend": recommend,
    "approve": approve,
    "notify": notify,
    "sweep": sweep,
    "ppk-decision": ppk_decision,
    "reply": reply,
    "extend": extend,
    "correct": correct,
    "consent": consent,
    "process": process,
    "submit": submit,
}


def register(app: typer.Typer) -> None:
    for name, command in COMMANDS.items():
        app.command(name)(command)
    deadlines = typer.Typer(help="Tenggat perkara.", no_args_is_help=True)
    deadlines.command("recompute")(recompute_deadlines)
    app.add_typer(deadlines, name="deadlines")
