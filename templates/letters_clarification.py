"""Bodies of the clarification letters: undangan_klarifikasi, berita_acara_klarifikasi.

Context models: ClarificationInvitation (outbound: never names the reporter) and
ClarificationRecord (Form B.12-like, internal), in models.letters.contexts.
"""

from __future__ import annotations

from templates.docx_parts import (
    Doc,
    body,
    field,
    item,
    numbered_loop,
    para,
    person_fields,
    table,
    tag,
)


def undangan_klarifikasi(doc: Doc) -> None:
    """Invitation of one reported ASN or witness to a clarification hearing."""
    body(doc, "Dengan hormat,")
    body(
        doc,
        "Dalam rangka penanganan dugaan pelanggaran netralitas Aparatur Sipil Negara dengan "
        "Nomor Registrasi {{ case_number }}, berdasarkan {{ legal_basis }}, kami mengundang "
        "Saudara:",
    )
    person_fields(doc, "person")
    field(doc, "Kedudukan", "{{ capacity }}")
    para(doc, after=6)
    body(
        doc,
        "untuk hadir dan memberikan keterangan (klarifikasi) mengenai {{ incident_summary }}, "
        "yang terjadi di {{ incident_place }} pada {{ incident_date_text }}, yang akan "
        "dilaksanakan pada:",
    )
    field(doc, "Hari, tanggal", "{{ day_name }}, {{ date_text }}")
    field(doc, "Pukul", "{{ time_text }}")
    field(doc, "Tempat", "{{ place }}")
    para(doc, after=6)
    body(doc, "Dengan membawa:", after=0)
    numbered_loop(doc, "b in bring", "{{ b }}")
    para(doc, after=6)
    body(
        doc,
        "Klarifikasi dapat disertai pengambilan sumpah atau janji. Apabila Saudara tidak hadir, "
        "penanganan dugaan pelanggaran tetap dilanjutkan berdasarkan keterangan dan bukti yang "
        "ada.",
    )
    tag(doc, "if contact")
    body(doc, "Informasi lebih lanjut dapat diperoleh melalui {{ contact }}.")
    tag(doc, "endif")
    body(
        doc,
        "Demikian undangan ini kami sampaikan. Atas perhatian dan kehadiran Saudara, kami "
        "ucapkan terima kasih.",
    )


def berita_acara_klarifikasi(doc: Doc) -> None:
    """Record of a clarification hearing (internal): attendance, oath, statement."""
    body(
        doc,
        "Dengan hormat, bersama ini disampaikan berita acara klarifikasi atas perkara dengan "
        "Nomor Registrasi {{ case_number }} sebagai berikut:",
    )
    para(doc, "BERITA ACARA KLARIFIKASI", bold=True, align="center", after=6)
    body(
        doc,
        "Pada hari ini {{ day_name }}, tanggal {{ date_text }}, pukul {{ time_text }}, bertempat "
        "di {{ place }}, dalam rangka penanganan dugaan pelanggaran dengan Nomor Registrasi "
        "{{ case_number }}, telah dilakukan klarifikasi oleh:",
    )
    table(
        doc,
        ["No.", "Nama", "Jabatan"],
        ["e in examiners"],
        ["{{ loop.index }}", "{{ e.name }}", "{{ e.title }}"],
        [1.0, 7.0, 8.5],
    )
    body(doc, "terhadap:", after=0)
    person_fields(doc, "person")
    tag(doc, "if person_address")
    field(doc, "Alamat", "{{ person_address }}")
    tag(doc, "endif")
    field(doc, "Kedudukan", "{{ capacity }}")
    para(doc, after=6)
    tag(doc, "if attended")
    tag(doc, "if oath_taken")
    body(
        doc,
        "Sebelum memberikan keterangan, yang bersangkutan telah mengucapkan sumpah/janji sesuai "
        "dengan agama dan kepercayaannya.",
    )
    tag(doc, "else")
    body(doc, "Yang bersangkutan memberikan keterangan tanpa diambil sumpah/janji.")
    tag(doc, "endif")
    body(doc, "Keterangan yang diberikan adalah sebagai berikut:", after=0)
    tag(doc, "for s in statements")
    item(doc, "{{ loop.index }}.", "Pertanyaan: {{ s.question }}")
    item(doc, "", "Jawaban: {{ s.answer }}", after=3)
    tag(doc, "endfor")
    body(
        doc,
        "Setelah berita acara ini dibacakan kembali, yang bersangkutan menyatakan bahwa "
        "keterangan tersebut benar, lalu membubuhkan tanda tangan.",
    )
    tag(doc, "else")
    body(
        doc,
        "Yang bersangkutan tidak hadir memenuhi undangan klarifikasi.{% if absence_note %} "
        "{{ absence_note }}{% endif %} Penanganan dugaan pelanggaran tetap dilanjutkan.",
    )
    tag(doc, "endif")
    body(
        doc,
        "Demikian berita acara ini dibuat dengan sebenar-benarnya untuk dipergunakan sebagaimana "
        "mestinya.",
    )
    table(
        doc,
        ["Pihak", "Nama", "Tanda Tangan"],
        ["e in examiners"],
        ["Pemeriksa", "{{ e.name }}", ""],
        [5.0, 7.0, 4.5],
        fixed=[["Yang memberikan keterangan", "{{ person.name }}", ""]],
    )
