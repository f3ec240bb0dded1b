"""Bodies of the follow-up letters: pengingat_ppk, eskalasi_bkn.

Context models: PpkReminder, SiasnBlockRequest (models.letters.contexts); both outbound.
"""

from __future__ import annotations

from templates.docx_parts import Doc, body, item, numbered_loop, table

_PERSON_LINE = (
    "{{ p.name }}{% if p.nip %}, NIP {{ p.nip }}{% endif %}"
    "{% if p.position %}, {{ p.position }}{% endif %}"
    "{% if p.agency %}, {{ p.agency }}{% endif %}"
)


def pengingat_ppk(doc: Doc) -> None:
    """Reminder to the PPK: the follow-up period of a referral has passed."""
    body(doc, "Dengan hormat,")
    item(
        doc,
        "1.",
        "Merujuk surat kami Nomor {{ referral_number }} tanggal {{ referral_date_text }} "
        "perihal penerusan pelanggaran netralitas Aparatur Sipil Negara dengan Nomor Registrasi "
        "{{ case_number }} kepada {{ authority_name }}, yang tembusannya disampaikan kepada "
        "Bapak/Ibu selaku Pejabat Pembina Kepegawaian, atas nama:",
    )
    numbered_loop(doc, "p in persons", _PERSON_LINE, bullet="-")
    item(
        doc,
        "2.",
        "Sampai dengan berakhirnya batas waktu tindak lanjut selama {{ period_text }} pada "
        "tanggal {{ due_date_text }}, kami belum menerima informasi mengenai tindak lanjut "
        "berupa penjatuhan sanksi terhadap pegawai tersebut.",
    )
    item(
        doc,
        "3.",
        "Sehubungan dengan hal tersebut, kami mohon Bapak/Ibu berkenan menindaklanjuti "
        "rekomendasi dimaksud dan menyampaikan salinan keputusan penjatuhan sanksi kepada kami "
        "paling lambat {{ reply_period_text }} sejak surat ini diterima.",
    )
    item(
        doc,
        "4.",
        "Apabila tindak lanjut tidak kami terima, kami akan mengusulkan kepada Badan Kepegawaian "
        "Negara untuk melakukan pemblokiran data kepegawaian pegawai tersebut pada Sistem "
        "Informasi Aparatur Sipil Negara (SIASN) sesuai dengan Peraturan Badan Kepegawaian "
        "Negara Nomor 1 Tahun 2023.",
        after=6,
    )
    body(
        doc,
        "Demikian kami sampaikan. Atas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima "
        "kasih.",
    )


def eskalasi_bkn(doc: Doc) -> None:
    """Request to BKN to block the SIASN record of staff whose PPK did not act."""
    body(doc, "Dengan hormat,")
    item(
        doc,
        "1.",
        "Merujuk surat kami Nomor {{ referral_number }} tanggal {{ referral_date_text }} "
        "perihal penerusan pelanggaran netralitas Aparatur Sipil Negara dengan Nomor Registrasi "
        "{{ case_number }}, serta surat pengingat kami kepada {{ ppk_title }} Nomor "
        "{{ reminder_number }} tanggal {{ reminder_date_text }}.",
    )
    item(
        doc,
        "2.",
        "Sampai dengan tanggal {{ due_date_text }}, {{ ppk_title }} selaku Pejabat Pembina "
        "Kepegawaian belum menindaklanjuti rekomendasi penjatuhan sanksi terhadap pegawai "
        "berikut:",
        after=3,
    )
    table(
        doc,
        ["No.", "Nama", "NIP", "Jabatan", "Instansi"],
        ["p in persons"],
        [
            "{{ loop.index }}",
            "{{ p.name }}",
            "{% if p.nip %}{{ p.nip }}{% else %}-{% endif %}",
            "{% if p.position %}{{ p.position }}{% else %}-{% endif %}",
            "{% if p.agency %}{{ p.agency }}{% else %}-{% endif %}",
        ],
        [1.0, 4.0, 4.0, 4.0, 3.5],
    )
    item(
        doc,
        "3.",
        "Berdasarkan Peraturan Badan Kepegawaian Negara Nomor 1 Tahun 2023, kami mohon "
        "Bapak/Ibu berkenan melakukan pemblokiran data kepegawaian pegawai tersebut pada Sistem "
        "Informasi Aparatur Sipil Negara (SIASN) sampai dengan Pejabat Pembina Kepegawaian "
        "menindaklanjuti rekomendasi dimaksud.",
        after=6,
    )
    body(
        doc,
        "Demikian kami sampaikan. Atas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima "
        "kasih.",
    )
