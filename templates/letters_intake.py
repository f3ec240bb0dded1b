"""Bodies of the intake letters: tanda_terima, kajian_awal, pemberitahuan_status.

Context models: ReceiptAcknowledgement, PreliminaryReview, StatusNotice (models.letters.contexts).
"""

from __future__ import annotations

from templates.docx_parts import Doc, body, field, item, numbered_loop, para, table, tag


def tanda_terima(doc: Doc) -> None:
    """Receipt of a report, to the reporter."""
    body(doc, "Dengan hormat,")
    body(
        doc,
        "Bersama ini kami sampaikan bahwa laporan Saudara telah kami terima dengan keterangan "
        "sebagai berikut:",
    )
    field(doc, "Nomor Penerimaan", "{{ report_ref }}")
    field(doc, "Nama Pelapor", "{{ reporter_name }}")
    field(doc, "Diterima pada", "{{ received_text }}")
    field(doc, "Peristiwa", "{{ incident_summary }}")
    field(doc, "Tempat Kejadian", "{{ incident_place }}")
    field(doc, "Waktu Kejadian", "{{ incident_date_text }}")
    para(doc, after=6)
    body(doc, "Bukti yang Saudara serahkan:", after=0)
    tag(doc, "if evidence")
    numbered_loop(doc, "e in evidence", "{{ e }}")
    tag(doc, "else")
    item(doc, "-", "Tidak ada bukti yang diserahkan.")
    tag(doc, "endif")
    para(doc, after=6)
    body(
        doc,
        "Laporan Saudara akan dikaji paling lama {{ review_period_text }} sejak diterima untuk "
        "memeriksa pemenuhan syarat formal dan syarat materiel. Hasil kajian tersebut akan kami "
        "beritahukan kepada Saudara. Identitas Saudara sebagai pelapor dirahasiakan sesuai "
        "dengan ketentuan peraturan perundang-undangan.",
    )
    body(
        doc,
        "Demikian tanda terima ini kami sampaikan. Atas perhatian dan peran serta Saudara dalam "
        "pengawasan partisipatif, kami ucapkan terima kasih.",
    )


def _checks(doc: Doc, rows: str) -> None:
    table(
        doc,
        ["No.", "Syarat", "Hasil", "Keterangan"],
        [f"c in {rows}"],
        ["{{ loop.index }}", "{{ c.item }}", "{{ c.result }}", "{{ c.note }}"],
        [1.0, 6.5, 3.0, 6.0],
    )


def kajian_awal(doc: Doc) -> None:
    """Preliminary review record (internal): may name the reporter."""
    body(
        doc,
        "Dengan hormat, bersama ini disampaikan hasil kajian awal atas {{ report_kind_label }} "
        "dengan Nomor Penerimaan {{ report_ref }} sebagai berikut:",
    )
    para(doc, "A.\tPelapor", bold=True)
    field(doc, "Nama", "{{ reporter_name }}")
    field(doc, "Alamat", "{{ reporter_address }}")
    field(doc, "Diterima pada", "{{ received_text }}")
    para(doc, "B.\tTerlapor", bold=True)
    numbered_loop(
        doc,
        "p in reported",
        "{{ p.name }}{% if p.nip %}, NIP {{ p.nip }}{% endif %}"
        "{% if p.position %}, {{ p.position }}{% endif %}"
        "{% if p.agency %}, {{ p.agency }}{% endif %}",
    )
    para(doc, "C.\tPeristiwa", bold=True)
    field(doc, "Uraian", "{{ incident_summary }}")
    field(doc, "Tempat Kejadian", "{{ incident_place }}")
    field(doc, "Waktu Kejadian", "{{ incident_date_text }}")
    field(doc, "Diketahui pada", "{{ known_date_text }}")
    para(doc, "D.\tSyarat Formal", bold=True, after=3)
    _checks(doc, "formal_checks")
    para(doc, "E.\tSyarat Materiel", bold=True, after=3)
    _checks(doc, "material_checks")
    para(doc, "F.\tKesimpulan", bold=True)
    body(doc, "{{ conclusion }}", after=0)
    field(doc, "Status Laporan", "{{ outcome_label }}")
    para(doc, after=6)
    body(doc, "Demikian kajian awal ini dibuat untuk dipergunakan sebagaimana mestinya.")


_STATUS_TEXT = {
    "diregistrasi": (
        "Berdasarkan hasil kajian awal, laporan Saudara telah memenuhi syarat formal dan syarat "
        "materiel dan telah diregistrasi dengan Nomor {{ case_number }}.",
        "Laporan Saudara selanjutnya ditangani sesuai dengan ketentuan peraturan "
        "perundang-undangan, dan perkembangannya akan kami beritahukan kepada Saudara.",
    ),
    "tidak_diregistrasi": (
        "Berdasarkan hasil kajian awal, laporan Saudara tidak dapat diregistrasi karena "
        "{{ reason }}.",
        "Dengan demikian, laporan Saudara tidak ditindaklanjuti lebih lanjut.",
    ),
    "diteruskan": (
        "Berdasarkan hasil kajian awal, laporan Saudara bukan merupakan kewenangan kami untuk "
        "ditangani lebih lanjut.",
        "Laporan Saudara telah kami teruskan kepada {{ forwarded_to }} untuk ditindaklanjuti "
        "sesuai dengan kewenangannya.",
    ),
    "hasil": (
        "Laporan Saudara yang teregistrasi dengan Nomor {{ case_number }} telah selesai ditangani.",
        "Hasil penanganan: {{ result_text }}.",
    ),
}


def pemberitahuan_status(doc: Doc) -> None:
    """Status of a report, to the reporter: never other parties' personal data."""
    body(doc, "Dengan hormat,")
    body(
        doc,
        "Menindaklanjuti laporan Saudara {{ reporter_name }} yang kami terima pada "
        "{{ received_text }} dengan Nomor Penerimaan {{ report_ref }} mengenai "
        "{{ incident_summary }}, bersama ini kami sampaikan hal-hal sebagai berikut:",
    )
    keyword = "if"
    for status, points in _STATUS_TEXT.items():
        tag(doc, f'{keyword} status == "{status}"')
        for number, text in enumerate(points, start=1):
            item(doc, f"{number}.", text, after=3)
        keyword = "elif"
    tag(doc, "endif")
    body(
        doc,
        "Identitas Saudara sebagai pelapor dirahasiakan dan tidak disampaikan kepada pihak "
        "terlapor.",
    )
    body(
        doc,
        "Demikian pemberitahuan ini kami sampaikan. Atas perhatian Saudara, kami ucapkan "
        "terima kasih.",
    )
