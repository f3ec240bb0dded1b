"""What every letter shares: the addressee, the letterhead (`LetterHead`, added by the letter
desk), the base of every letter body, and the parts bodies are made of (people, findings).

Every value is final Indonesian text. The bodies themselves are in `models.letters.contexts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, ClassVar, Literal, TypedDict

from pydantic import AfterValidator, BaseModel, ConfigDict, computed_field

from models.indonesian import clause
from models.rules.confidentiality import Audience
from models.rules.office import Office

Sifat = Literal["Biasa", "Penting", "Segera", "Rahasia"]
# Text a template continues after ("mengenai {{ incident_summary }}, yang terjadi..."): it never
# ends with its own full stop.
Clause = Annotated[str, AfterValidator(clause)]


class Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Officer(Part):
    """Someone who signs a record beside the chair: an examiner, the author of a kajian."""

    name: str
    title: str


class KopFields(TypedDict):
    kop_name: str
    kop_short_name: str
    kop_address: str
    kop_phone: str | None
    kop_email: str | None
    kop_website: str | None


class OfficeFields(KopFields):
    place: str
    signer_title: str
    signer_name: str
    signer_nip: str | None
    officers: tuple[Officer, ...]
    logo: str


def kop_from_office(office: Office) -> KopFields:
    """The letterhead fields of an office (the template prints the name in capitals)."""
    email = str(office.email) if office.email else None
    return KopFields(
        kop_name=office.name,
        kop_short_name=office.short_name,
        kop_address=office.address,
        kop_phone=office.phone,
        kop_email=email,
        kop_website=office.website,
    )


def head_from_office(office: Office) -> OfficeFields:
    """Letterhead, place of signing and signer: `LetterHead(**head_from_office(o), ...)`."""
    signer = office.signer
    return OfficeFields(
        **kop_from_office(office),
        place=office.city,
        signer_title=signer.title,
        signer_name=signer.name,
        signer_nip=signer.nip,
        officers=officers_of(office),
        logo=office.logo,
    )


def officers_of(office: Office) -> tuple[Officer, ...]:
    """Who examines and writes the office's records: its configured officers, else its signer."""
    people = office.officers or (office.signer,)
    return tuple(Officer(name=p.name, title=p.title) for p in people)


class LetterHead(Part):
    """What every naskah dinas shares: kop, place and date, Nomor/Sifat/Lampiran/Hal,
    addressee ("Yth. ... di ..."), signer (NIP line only if any), Tembusan (only if any)."""

    kop_name: str
    kop_short_name: str
    kop_address: str
    kop_phone: str | None = None
    kop_email: str | None = None
    kop_website: str | None = None
    place: str
    date_text: str
    number: str
    sifat: Sifat = "Biasa"
    lampiran: str = "-"
    hal: str
    addressee: str
    addressee_place: str = "Tempat"
    signer_title: str
    signer_name: str
    signer_nip: str | None = None
    officers: tuple[Officer, ...] = ()
    logo: str = "netra-netral.png"  # file name of the office's emblem (config/logos/)
    tembusan: tuple[str, ...] = ()
    # A letter that leaves the office (models.letters.verification): its code and public page,
    # printed with a QR code at the foot of every page. None: a record kept inside.
    verification_code: str | None = None
    verification_url: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def kop_contact(self) -> str:
        """'Telepon ... | Surel ... | Laman ...' with only the parts the office has."""
        parts = (
            ("Telepon", self.kop_phone),
            ("Surel", self.kop_email),
            ("Laman", self.kop_website),
        )
        return " | ".join(f"{label} {value}" for label, value in parts if value)


def copies_for(addressee: str, tembusan: Sequence[str]) -> tuple[str, ...]:
    """The Tembusan list without the addressee and without repeats: a letter is never copied
    to the person it is addressed to."""
    same = " ".join(addressee.casefold().split())
    kept = (t for t in tembusan if " ".join(t.casefold().split()) != same)
    return tuple(dict.fromkeys(kept))


class LetterBody(Part):
    """Base of every letter's body: what the stage says. The letter desk adds the `LetterHead`
    (number, date, addressee, signer); templates read the head as `head.*` and body fields at
    the top level. `audience` decides the confidentiality rule the desk applies."""

    kind: ClassVar[str]
    audience: ClassVar[Audience]

    def email_details(self) -> tuple[tuple[str, str], ...]:
        """What the email repeats from the letter, so the reader need not open the file to
        act on it (label, value). Most letters: nothing."""
        return ()


class Recipient(StrEnum):
    """In what capacity someone receives a letter's email (the outbox's `recipient_role`)."""

    REPORTER = "pelapor"
    REPORTED = "terlapor"
    WITNESS = "saksi"
    AUTHORITY = "otoritas"  # KASN/BKN, or the person's own agency head
    PPK = "ppk"
    OFFICE = "kantor"  # the office's own address: reminders to its staff
    COPY = "tembusan"  # a tembusan party (the regional BKD/BKPSDM) receiving a copy
    INSTITUTION = "instansi"  # another institution a report is forwarded to
    BAWASLU = "bawaslu"  # another Bawaslu office a report is delegated to


@dataclass(frozen=True)
class Addressee:
    """Who a letter is for. `key` is stable within the case (terlapor-0, saksi-1, otoritas-bkn,
    pelapor-diregistrasi): the same (case, kind, key) is the same letter, issued once."""

    key: str
    name: str
    place: str = "Tempat"
    email: str | None = None
    personal: bool = False  # a person, addressed "Sdr."; else an office or its head

    @property
    def yth(self) -> str:
        """How the "Yth." line and the email's greeting name them."""
        return f"Sdr. {self.name}" if self.personal else self.name


class Person(Part):
    """A person as letters name them: a reported ASN, a witness (or, internally, anyone heard)."""

    name: str
    nip: str | None = None
    position: str | None = None
    agency: str | None = None


class CheckRow(Part):
    item: str
    result: str  # "Terpenuhi" / "Tidak terpenuhi"
    note: str = "-"


class QuestionAnswer(Part):
    question: str
    answer: str


class EvidenceRef(Part):
    """An item of evidence as internal records list it: its description and the short hash of
    its file ("SHA-256 3f9a1c2b7d4e"), or that it came without a file. Never the file."""

    description: str
    hash_text: str


class ActRef(Part):
    code: str  # violation catalogue code, e.g. "PP94-5n-1"
    description: str
    legal_basis: str


class PersonFinding(Part):
    """Acts found and the sanction recommendation for one reported person."""

    person: Person
    acts: tuple[ActRef, ...]
    authority: str  # who receives the referral, e.g. "Badan Kepegawaian Negara"
    regime: str  # e.g. "Hukuman disiplin (PP Nomor 94 Tahun 2021)"
    band: str  # e.g. "Hukuman disiplin tingkat sedang"
    sanctions: tuple[str, ...]
    basis: tuple[str, ...]
    confirmed: bool
    note: str | None = None  # printed when the mapping rests on an unconfirmed rule
