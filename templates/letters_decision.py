"""Bodies of the decision letters: kajian_dugaan_pelanggaran, surat_penerusan,
pemberitahuan_terlapor.

Context models: DecisionReview / RedactedDecisionReview (same template; `reporter_label` is the
reporter internally, "(dirahasiakan)" in the redacted copy), Referral, ReferralNotice.
"""

from __future__ import annotations

from docx.shared import Cm

from templates.docx_parts import (
    Doc,
    Length,
    body,
    field,
    item,
    numbered_loop,
    para,
    person_fields,
    table,
    tag,
)

_PERSON_LINE = (
    "{{ f.person.name }}{% if f.person.nip %}, NIP {{ f.person.nip }}{% endif %}"
    "{% if f.person.position %}, {{ f.person.position }}{% endif %}"
    "{% if f.person.agency %}, {{ f.person.agency }}{% endif %}"
)
_UNCONFIRMED = (
    "Catatan: pemetaan sanksi atas perbuatan ini bersandar pada ketentuan yang belum "
    "terkonfirmasi; penentuan jenis sanksi diserahkan kepada pejabat yang berwenang."
    "{% if f.note %} {{ f.note }}{% endif %}"
)


def _recommendation(doc: Doc, indent: Length) -> None:
    """Band, sanction options, legal basis and the unconfirmed note of finding `f`."""
    field(doc, "Jenis Sanksi", "{{ f.regime }}", indent=indent)
    field(doc, "Tingkat", "{{ f.band }}", indent=indent)
    field(doc, "Diteruskan kepada", "{{ f.authority }}", indent=indent)
    para(doc, "Pilihan sanksi:", indent=indent)
    numbered_loop(doc, "s in f.sanctions", "{{ s }}", indent=indent, bullet="-")
    para(doc, "Dasar hukum:", indent=indent)
    numbered_loop(doc, "b in f.basis", "{{ b }}", indent=indent, bullet="-")
    tag(doc, "if not f.confirmed")
    para(doc, _UNCONFIRMED, indent=indent, align="justify")
    tag(doc, "endif")
    para(doc, after=3)


def kajian_dugaan_pelanggaran(doc: Doc) -> None:
    """The decision review: facts, acts found, analysis, conclusion, recommendation."""
    body(
        doc,
        "Dengan hormat, bersama ini disampaikan kajian dugaan pelanggaran atas perkara dengan "
        "Nomor Registrasi {{ case_number }} sebagai berikut:",
    )
    para(doc, "A.\tIdentitas Perkara", bold=True)
    field(doc, "Asal Perkara", "{{ report_kind_label }}")
    field(doc, "Pelapor", "{{ reporter_label }}")
    field(doc, "Peristiwa", "{{ incident_summary }}")
    field(doc, "Tempat Kejadian", "{{ incident_place }}")
    field(doc, "Waktu Kejadian", "{{ incident_date_text }}")
    para(doc, "B.\tFakta-Fakta", bold=True)
    numbered_loop(doc, "x in facts", "{{ x }}")
    para(doc, "C.\tPerbuatan yang Ditemukan", bold=True, after=3)
    table(
        doc,
        ["Nama Terlapor", "Kode", "Perbuatan", "Dasar Hukum"],
        ["f in findings", "a in f.acts"],
        ["{{ f.person.name }}", "{{ a.code }}", "{{ a.description }}", "{{ a.legal_basis }}"],
        [3.5, 2.5, 6.0, 4.5],
    )
    para(doc, "D.\tAnalisis", bold=True)
    tag(doc, "for x in analysis")
    body(doc, "{{ x }}", after=3)
    tag(doc, "endfor")
    para(doc, "E.\tKesimpulan", bold=True)
    body(doc, "{{ conclusion }}")
    para(doc, "F.\tRekomendasi", bold=True)
    tag(doc, "for f in findings")
    item(doc, "{{ loop.index }}.", _PERSON_LINE)
    _recommendation(doc, Cm(0.7))
    tag(doc, "endfor")
    body(
        doc,
        "Penjatuhan sanksi merupakan kewenangan Pejabat Pembina Kepegawaian sesuai dengan "
        "ketentuan peraturan perundang-undangan.",
    )
    body(doc, "Demikian kajian ini dibuat untuk dipergunakan sebagaimana mestinya.")


def surat_penerusan(doc: Doc) -> None:
    """Referral to KASN/BKN under UU 7/2017 Pasal 455 ayat (1) huruf c; the kajian attached."""
    body(doc, "Dengan hormat,")
    body(
        doc,
        "Dalam rangka pengawasan netralitas Aparatur Sipil Negara pada {{ election_label }}, "
        "bersama ini kami sampaikan hal-hal sebagai berikut:",
    )
    item(
        doc,
        "1.",
        "Berdasarkan Pasal 455 ayat (1) huruf c Undang-Undang Nomor 7 Tahun 2017 tentang "
        "Pemilihan Umum, pelanggaran terhadap peraturan perundang-undangan lainnya yang bukan "
        "pelanggaran Pemilu, bukan sengketa Pemilu, dan bukan tindak pidana Pemilu diteruskan "
        "kepada instansi atau pihak yang berwenang.",
        after=3,
    )
    item(
        doc,
        "2.",
        "Kami telah menangani dugaan pelanggaran netralitas Aparatur Sipil Negara dengan Nomor "
        "Registrasi {{ case_number }} mengenai {{ incident_summary }}, yang terjadi di "
        "{{ incident_place }} pada {{ incident_date_text }}. Berdasarkan Kajian Dugaan "
        "Pelanggaran Nomor {{ kajian_number }} tanggal {{ kajian_date_text }}, peristiwa "
        "tersebut merupakan pelanggaran netralitas Aparatur Sipil Negara oleh:",
        after=3,
    )
    tag(doc, "for f in findings")
    item(doc, "{{ loop.index }})", "Identitas pegawai:", indent=Cm(0.7))
    person_fields(doc, "f.person", indent=Cm(1.4))
    para(doc, "Perbuatan:", indent=Cm(1.4))
    numbered_loop(
        doc,
        "a in f.acts",
        "{{ a.description }} ({{ a.code }}; {{ a.legal_basis }})",
        indent=Cm(1.4),
        bullet="-",
    )
    para(doc, "Rekomendasi:", indent=Cm(1.4))
    _recommendation(doc, Cm(1.4))
    tag(doc, "endfor")
    item(
        doc,
        "3.",
        "Sehubungan dengan hal tersebut, kami meneruskan pelanggaran dimaksud kepada "
        "{{ authority_name }} untuk ditindaklanjuti sesuai dengan ketentuan peraturan "
        "perundang-undangan, dengan melampirkan Kajian Dugaan Pelanggaran sebagaimana tersebut "
        "di atas. Kami mohon hasil tindak lanjutnya dapat disampaikan kepada kami.",
        after=6,
    )
    body(
        doc,
        "Demikian kami sampaikan. Atas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima "
        "kasih.",
    )


def pemberitahuan_terlapor(doc: Doc) -> None:
    """Notice to the reported person that the violation was referred."""
    body(doc, "Dengan hormat,")
    body(
        doc,
        "Menindaklanjuti penanganan dugaan pelanggaran netralitas Aparatur Sipil Negara dengan "
        "Nomor Registrasi {{ case_number }} mengenai {{ incident_summary }} pada "
        "{{ incident_date_text }}, bersama ini kami beritahukan kepada Saudara:",
    )
    person_fields(doc, "person")
    para(doc, after=6)
    body(doc, "hal-hal sebagai berikut:", after=0)
    item(
        doc,
        "1.",
        "Berdasarkan hasil kajian, Saudara dinyatakan melakukan pelanggaran netralitas Aparatur "
        "Sipil Negara berupa:",
    )
    numbered_loop(
        doc, "a in acts", "{{ a.description }} ({{ a.legal_basis }})", indent=Cm(0.7), bullet="-"
    )
    item(
        doc,
        "2.",
        "Pelanggaran tersebut telah kami teruskan kepada {{ authority_name }} dengan surat "
        "Nomor {{ referral_number }} tanggal {{ referral_date_text }}, dengan tembusan kepada "
        "{{ ppk_title }} selaku Pejabat Pembina Kepegawaian, untuk ditindaklanjuti sesuai dengan "
        "ketentuan peraturan perundang-undangan.",
    )
    item(
        doc,
        "3.",
        "Penjatuhan sanksi merupakan kewenangan Pejabat Pembina Kepegawaian.",
        after=6,
    )
    body(doc, "Demikian pemberitahuan ini kami sampaikan untuk menjadi perhatian Saudara.")
