"""Who may read what (DOMAIN.md §7; Perbawaslu 1/2022 Pasal 18(2)(b)): the reporter's identity
stays inside Bawaslu.

- Every letter kind has an `Audience`; an OUTBOUND letter (to the reported person, the PPK,
  KASN/BKN) must never name the reporter. Its context model has no field for the reporter, and
  the letter desk checks the rendered text with `ReporterIdentity.mentions` before issuing
  it, whatever spelling staff used (initials, a phone with dashes, an email spelled out).
- The redacted kajian prints `REDACTED` where the internal copy names the reporter.
- Prefect never holds a report: flows take a submission's number (`services.submission`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from models.enums import ConsentScope


class Audience(StrEnum):
    OUTBOUND = "outbound"  # leaves Bawaslu: never the reporter's identity
    INTERNAL = "internal"  # Bawaslu's own records: may name the reporter
    REPORTER = "reporter"  # to the reporter, about their own report


REDACTED = "(dirahasiakan)"
REDACTED_TEXT = "(dirahasiakan: memuat identitas pelapor)"  # a text withheld whole


def guards_reporter(audience: Audience, *, is_laporan: bool) -> bool:
    """Whether a letter's text must be checked for the reporter's identity: a letter that leaves
    Bawaslu, about a laporan (a temuan's "reporter" is the supervising unit itself)."""
    return audience is Audience.OUTBOUND and is_laporan


# Academic and honorific titles: not part of the name a text would spell another way.
_TITLES = frozenset(
    {
        *("drs", "dra", "dr", "ir", "h", "hj", "prof", "s", "sh", "se", "spd", "sos", "sstp"),
        *("stp", "si", "sip", "mm", "msi", "mpd", "mh", "ma", "amd", "kom", "st"),
    }
)
# Words of an address that do not identify it on their own.
_ADDRESS_WORDS = frozenset(
    {
        *("jl", "jln", "jalan", "no", "nomor", "gg", "gang", "rt", "rw", "blok", "dusun", "dsn"),
        *("desa", "kel", "kelurahan", "kec", "kecamatan", "kab", "kabupaten", "kota", "provinsi"),
    }
)
_AT = re.compile(r"\s*(?:\[at\]|\(at\)|\{at\}|\s(?:at|et)\s)\s*", re.IGNORECASE)
_DOT = re.compile(r"\s*(?:\[dot\]|\(dot\)|\{dot\}|\s(?:dot|titik)\s)\s*", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGIT_RUN = re.compile(r"\+?\d[\d\s().-]{6,}\d")


def _tokens(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", text.casefold())


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _significant(tokens: list[str]) -> list[str]:
    """An address's words without "Jl.", "No.", "RT"...: the street name and numbers."""
    return [t for t in tokens if t not in _ADDRESS_WORDS]


def _phone_digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return "0" + digits[2:] if digits.startswith("62") else digits


@dataclass(frozen=True)
class ReporterIdentity:
    """What identifies a reporter, found in a text however staff spelled it: the name in any
    case or punctuation, with initials for given names ("R. Hidayat", "Rahmat H."); the phone
    by its digits ("0812-5000-1111", "+62 812 5000 1111"); the email also spelled out
    ("pelapor[at]example.org", "pelapor at example dot org"); the address by its words without
    punctuation."""

    name: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None

    def mentions(self, text: str, *, ignore: str = "") -> list[str]:
        """What of the identity `text` carries, each as "what (how it was written)"; parts the
        office's own letterhead (`ignore`) contains are not the reporter's."""
        words, ignored = _tokens(text), _tokens(ignore)
        found = [f"nama ({n})" for n in self._name_forms() if _contains(words, _tokens(n))]
        found = [f for f in found if not _contains(ignored, _tokens(f[6:-1]))][:1]
        if self.phone and len(digits := _phone_digits(self.phone)) >= 8:
            for run in _DIGIT_RUN.findall(text):
                if digits in _phone_digits(run) and digits not in _phone_digits(ignore):
                    found.append(f"telepon ({run.strip()})")
        if self.email:
            spelled = _DOT.sub(".", _AT.sub("@", text))
            for address in _EMAIL.findall(spelled):
                if address.casefold() == self.email.casefold():
                    found.append(f"surel ({address})")
        if self.address:
            street = self.address.split(",")[0]
            bare, bare_ignored = _significant(words), _significant(ignored)
            for part in dict.fromkeys((self.address, street)):
                needle = _significant(_tokens(part))
                named = any(not t.isdigit() for t in needle)  # not an RT/RW or number alone
                if len(needle) >= 2 and named and _contains(bare, needle):
                    if not _contains(bare_ignored, needle):
                        found.append(f"alamat ({part.strip()})")
                    break
        return found

    def _name_forms(self) -> list[str]:
        """The full name and its initialled forms, titles left out."""
        if not self.name:
            return []
        # Degrees follow a comma ("Rahmat Hidayat, S.Pd."); titles before the name are dropped.
        parts = [t for t in _tokens(self.name.split(",")[0]) if t not in _TITLES]
        if not parts:
            return []
        forms = [" ".join(parts)]
        if len(parts) >= 2 and len(parts[-1]) >= 3:
            given, surname = parts[:-1], parts[-1]
            forms.append(" ".join([*(g[0] for g in given), surname]))  # "R. Hidayat"
            forms.append(" ".join([*given, surname[0]]))  # "Rahmat H."
        return forms


def guarded_identity(
    name: str | None,
    phone: str | None,
    email: str | None,
    address: str | None,
    *,
    consent: ConsentScope | None,
) -> ReporterIdentity | None:
    """What of the reporter an outbound letter must not carry, by their recorded consent
    (Perbawaslu 1/2022 Pasal 18(2)(b): excluded information unless they consent): everything
    without consent; the contact details when they consented to their name; nothing (None) when
    they consented to their whole identity."""
    if consent is ConsentScope.IDENTITY:
        return None
    shown_name = None if consent is ConsentScope.NAME else name
    return ReporterIdentity(shown_name, phone, email, address)


def disclosed_name(name: str, consent: ConsentScope | None) -> str | None:
    """The reporter's name where an outbound letter would print "(dirahasiakan)": only when
    they consented to disclose it."""
    return name if consent in (ConsentScope.NAME, ConsentScope.IDENTITY) else None


@dataclass(frozen=True)
class Redactor:
    """What a handed-over document must not carry of the reporter: `identity` (None: nothing
    to hide, e.g. a temuan, a reader allowed to see it, or full consent), with `ignore` the
    text that rightly names others (the letterhead, the other parties)."""

    identity: ReporterIdentity | None = None
    ignore: str = ""

    @property
    def active(self) -> bool:
        return self.identity is not None

    def names(self, text: str) -> bool:
        """Whether `text` carries any of the identity."""
        return self.identity is not None and bool(self.identity.mentions(text, ignore=self.ignore))

    def clean(self, text: str) -> str:
        """`text`, or `REDACTED_TEXT` in its place when it carries the identity."""
        return REDACTED_TEXT if self.names(text) else text
