"""The stage flows: each starts its clock, calls its stage service as a task with the inputs in
plain sight, then sends the mail the stage queued and publishes the case (`StageRun.finish`).

The database is the truth: a flow reads where the case stands and moves it from there, so running
a flow again resumes and repeats no side effect (no second letter number, email or event).
"""

from __future__ import annotations

from datetime import datetime

from prefect import flow

from flows.approval_wait import await_supervisor
from flows.support import (
    NETRA_TASK,
    acting,
    deliver_task,
    refusals_logged,
    run_name,
    start_run,
)
from models.inputs import (
    ApprovalInput,
    ConsentInput,
    FindingsInput,
    HearingOutcome,
    HearingSchedule,
    PpkDecisionInput,
    ReplyInput,
    VerificationDecision,
)
from models.outcomes import StageResult
from models.stages import Stage
from services.approval import approve_recommendation
from services.clarification import invite_for_clarification, record_clarification
from services.consent import record_consent, withdraw_consent
from services.correction import correct_text
from services.deps import get_deps
from services.evidence import add_evidence
from services.extension import extend_decision
from services.notification import mark_referred
from services.ppk import record_ppk_decision
from services.recommendation import recommend_sanction
from services.replies import record_reply
from services.submission import complete_submission, intake_submission
from services.verification import verify_case

intake_task = NETRA_TASK(intake_submission)
verify_task = NETRA_TASK(verify_case)
invite_task = NETRA_TASK(invite_for_clarification)
record_hearing_task = NETRA_TASK(record_clarification)
recommend_task = NETRA_TASK(recommend_sanction)
approve_task = NETRA_TASK(approve_recommendation)
refer_task = NETRA_TASK(mark_referred)
ppk_decision_task = NETRA_TASK(record_ppk_decision)
extend_task = NETRA_TASK(extend_decision)
correct_task = NETRA_TASK(correct_text)
complete_task = NETRA_TASK(complete_submission)
consent_task = NETRA_TASK(record_consent)
withdraw_consent_task = NETRA_TASK(withdraw_consent)
reply_task = NETRA_TASK(record_reply)
add_evidence_task = NETRA_TASK(add_evidence)


@flow(name="penerimaan", flow_run_name=run_name("penerimaan", "kiriman {submission}"))
async def intake_flow(submission: int, actor: str, now: datetime | None = None) -> int:
    """Catat laporan/temuan baru (Formulir Model B.1) dari kiriman yang sudah disimpan
    (`netra submit`), tautkan dengan perkara terbuka tentang terlapor atau kejadian yang sama, dan
    kirim tanda terima kepada pelapor. Isi laporan tidak pernah tersimpan di Prefect.

    Args:
        submission: Nomor kiriman laporan (dicetak oleh `netra submit BERKAS`).
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu pencatatan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    with refusals_logged():
        outcome = intake_task(get_deps(), submission, actor=acting(actor), now=run.now)
    await run.finish(outcome.result, related=[str(x.case_id) for x in outcome.linked])
    return outcome.result.case_id


@flow(name="kajian-awal", flow_run_name=run_name("kajian awal"))
async def verification_flow(
    case_ref: str,
    decision: VerificationDecision,
    actor: str,
    now: datetime | None = None,
) -> StageResult:
    """Keputusan kajian awal: registrasi, minta kelengkapan kepada pelapor, tidak diregistrasi,
    diteruskan ke instansi lain, atau dilimpahkan ke kantor Bawaslu lain.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        decision: Keputusan kajian awal beserta alasannya.
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu keputusan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    with refusals_logged(case_ref):
        result = verify_task(get_deps(), case_ref, decision, actor=acting(actor), now=run.now)
    await run.finish(result)
    return result


@flow(name="kelengkapan-laporan", flow_run_name=run_name("kelengkapan laporan"))
async def completion_flow(
    case_ref: str, submission: int, actor: str, now: datetime | None = None
) -> StageResult:
    """Catat laporan yang telah dilengkapi pelapor (setelah permintaan kelengkapan), dari
    kiriman yang sudah disimpan (`netra submit`); laporan semula disimpan dan kajian awal diulang.

    Args:
        case_ref: Nomor urut perkara (mis. 7).
        submission: Nomor kiriman laporan lengkap (kantor, jenis dan pemilihan yang sama).
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu pencatatan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    with refusals_logged(case_ref):
        result = complete_task(get_deps(), case_ref, submission, actor=acting(actor), now=run.now)
    await run.finish(result, deliver=False)
    return result


@flow(name="undangan-klarifikasi", flow_run_name=run_name("undangan klarifikasi"))
async def clarification_flow(
    case_ref: str, schedule: HearingSchedule, actor: str, now: datetime | None = None
) -> StageResult:
    """Terbitkan dan kirim undangan klarifikasi kepada terlapor, saksi dan (laporan) pelapor.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        schedule: Tanggal, jam dan tempat klarifikasi.
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu penerbitan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    with refusals_logged(case_ref):
        result = invite_task(get_deps(), case_ref, schedule, actor=acting(actor), now=run.now)
    await run.finish(result)
    return result


@flow(name="berita-acara-klarifikasi", flow_run_name=run_name("berita acara"))
async def clarification_record_flow(
    case_ref: str,
    outcomes: list[HearingOutcome],
    actor: str,
    now: datetime | None = None,
) -> StageResult:
    """Catat hasil klarifikasi (berita acara) untuk setiap pihak; yang tidak dicatat dianggap
    tidak hadir.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        outcomes: Hasil klarifikasi per pihak (terlapor-0, saksi-0, pelapor-0, ...).
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu pencatatan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    with refusals_logged(case_ref):
        result = record_hearing_task(
            get_deps(), case_ref, outcomes, actor=acting(actor), now=run.now
        )
    await run.finish(result, deliver=False)
    return result


@flow(name="rekomendasi", flow_run_name=run_name("rekomendasi"))
async def recommendation_flow(
    case_ref: str,
    findings: FindingsInput,
    actor: str,
    now: datetime | None = None,
    wait_for_approval: bool = False,
) -> StageResult:
    """Kajian dugaan pelanggaran dan rekomendasi sanksi menurut aturan; lalu (bila diminta)
    menunggu persetujuan pimpinan di UI sebelum surat apa pun dikirim.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        findings: Hasil kajian: terbukti atau tidak, kode perbuatan, tanggal dan pertimbangan.
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu kajian dengan zona waktu; kosongkan untuk waktu sekarang.
        wait_for_approval: Tunggu keputusan pimpinan pada run ini (tombol Resume di UI).
    """
    run = start_run(now)
    with refusals_logged(case_ref):
        result = recommend_task(get_deps(), case_ref, findings, actor=acting(actor), now=run.now)
    await run.finish(result)  # a dismissal or Gakkumdu route tells the reporter
    if result.stage is not Stage.AWAITING_APPROVAL or not wait_for_approval:
        return result
    answer = await await_supervisor(result)
    if answer is None:
        return result
    approval, supervisor = answer
    return await approval_flow(result.case_ref, approval, supervisor, send_letters=True)


@flow(name="persetujuan", flow_run_name=run_name("persetujuan"))
async def approval_flow(
    case_ref: str,
    approval: ApprovalInput,
    actor: str,
    now: datetime | None = None,
    send_letters: bool = False,
) -> StageResult:
    """Persetujuan pimpinan atas rekomendasi, atau pengembalian dengan catatan.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        approval: Disetujui atau dikembalikan, dengan catatan.
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu persetujuan dengan zona waktu; kosongkan untuk waktu sekarang.
        send_letters: Langsung kirim surat-surat setelah disetujui.
    """
    run = start_run(now)
    with refusals_logged(case_ref):
        result = approve_task(get_deps(), case_ref, approval, actor=acting(actor), now=run.now)
    await run.finish(result, deliver=False)
    if result.stage is Stage.APPROVED and send_letters:
        return await notification_flow(result.case_ref, "sistem", now)
    return result


@flow(name="notifikasi", flow_run_name=run_name("notifikasi"))
async def notification_flow(
    case_ref: str, actor: str = "sistem", now: datetime | None = None
) -> StageResult:
    """Kirim surat-surat yang sudah disetujui; setelah semuanya terkirim perkara berstatus
    diteruskan dan tenggat tindak lanjut PPK mulai berjalan.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        actor: Pencatat (biasanya "sistem").
        now: Waktu dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    await deliver_task(case_ref)
    with refusals_logged(case_ref):
        result = refer_task(get_deps(), case_ref, actor=acting(actor), now=run.now)
    await run.finish(result, deliver=False)
    return result


@flow(name="keputusan-ppk", flow_run_name=run_name("keputusan PPK"))
async def ppk_decision_flow(
    case_ref: str, decision: PpkDecisionInput, actor: str, now: datetime | None = None
) -> StageResult:
    """Catat keputusan PPK (sanksi yang dijatuhkan, nomor dan tanggal keputusan); perkara selesai.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        decision: Sanksi, nomor dan tanggal keputusan PPK.
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu pencatatan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    with refusals_logged(case_ref):
        result = ppk_decision_task(get_deps(), case_ref, decision, actor=acting(actor), now=run.now)
    await run.finish(result, deliver=False)
    return result


@flow(name="perpanjangan-kajian", flow_run_name=run_name("perpanjangan"))
async def extension_flow(
    case_ref: str, reason: str, actor: str, now: datetime | None = None
) -> StageResult:
    """Perpanjang batas waktu kajian karena memerlukan keterangan tambahan (Pemilu: UU 7/2017
    Pasal 454 ayat (8), paling lama 14 hari kerja sejak registrasi; Pemilihan: UU 1/2015 jo.
    UU 10/2016 Pasal 134 ayat (6), 2 hari). Sekali per perkara, sebelum batas waktu lewat.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        reason: Keterangan tambahan apa yang diperlukan dan dari siapa.
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu pencatatan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    with refusals_logged(case_ref):
        result = extend_task(get_deps(), case_ref, reason=reason, actor=acting(actor), now=run.now)
    await run.finish(result, deliver=False)
    return result


@flow(name="koreksi-teks", flow_run_name=run_name("koreksi"))
async def correction_flow(
    case_ref: str,
    target: str,
    text: str,
    reason: str,
    actor: str,
    now: datetime | None = None,
) -> StageResult:
    """Koreksi teks yang tercatat (uraian, ringkasan atau tempat kejadian, keterangan klarifikasi
    satu pihak, atau pertimbangan kajian) sebelum surat diterbitkan; teks semula disimpan.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        target: account (uraian kejadian), summary (ringkasan), place (tempat kejadian),
            statement:terlapor-0 (keterangan satu pihak), atau reasoning (pertimbangan kajian).
        text: Teks pengganti.
        reason: Alasan koreksi (mis. menghapus identitas pelapor).
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu koreksi dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    with refusals_logged(case_ref):
        result = correct_task(
            get_deps(), case_ref, target, text, reason=reason, actor=acting(actor), now=run.now
        )
    await run.finish(result, deliver=False)
    return result


@flow(name="persetujuan-pelapor", flow_run_name=run_name("persetujuan pelapor"))
async def consent_flow(
    case_ref: str,
    consent: ConsentInput | None = None,
    withdraw: bool = False,
    reason: str = "",
    actor: str = "",
    now: datetime | None = None,
) -> StageResult:
    """Catat persetujuan pelapor agar identitasnya (nama, atau seluruh identitas) boleh dimuat
    dalam surat kepada pihak luar; atau tarik persetujuan itu. Surat yang sudah dikirim tidak
    berubah.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        consent: Cakupan, tanggal dan bentuk persetujuan (kosongkan bila menarik).
        withdraw: Tarik persetujuan yang berlaku.
        reason: Alasan penarikan.
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu pencatatan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    with refusals_logged(case_ref):
        if withdraw:
            result = withdraw_consent_task(
                get_deps(), case_ref, reason=reason, actor=acting(actor), now=run.now
            )
        elif consent is None:
            raise ValueError("isi cakupan, tanggal dan bentuk persetujuan, atau pilih tarik")
        else:
            result = consent_task(get_deps(), case_ref, consent, actor=acting(actor), now=run.now)
    await run.finish(result, deliver=False)
    return result


@flow(name="tanggapan-instansi", flow_run_name=run_name("tanggapan"))
async def reply_flow(
    case_ref: str, reply: ReplyInput, actor: str, now: datetime | None = None
) -> StageResult:
    """Catat tanggapan atas penerusan: diterima KASN/BKN (nomor SIAPNET/SBT), rekomendasi
    KASN/BKN kepada PPK (tenggat tindak lanjut PPK dihitung sejak tanggal rekomendasi), atau
    penolakan PPK (langsung diusulkan pemblokiran SIASN kepada BKN).

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        reply: Jenis tanggapan, tanggal, dan isiannya.
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu pencatatan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    with refusals_logged(case_ref):
        result = reply_task(get_deps(), case_ref, reply, actor=acting(actor), now=run.now)
    await run.finish(result)  # a refusal's escalation goes out now
    return result


@flow(name="bukti-tambahan", flow_run_name=run_name("bukti tambahan"))
async def evidence_flow(
    case_ref: str,
    file: str,
    description: str,
    actor: str,
    now: datetime | None = None,
) -> StageResult:
    """Tambahkan berkas bukti pada perkara. Berkas disimpan sekali menurut isinya (SHA-256);
    berkas yang sama pada perkara yang sama tidak dicatat dua kali.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        file: Nama berkas di folder bukti server (NETRA_EVIDENCE_INBOX), mis. foto-spanduk.jpg.
        description: Keterangan bukti (mis. Foto spanduk di depan kantor camat).
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu pencatatan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    with refusals_logged(case_ref):
        result = add_evidence_task(
            get_deps(), case_ref, file, description=description, actor=acting(actor), now=run.now
        )
    await run.finish(result, deliver=False)
    return result
