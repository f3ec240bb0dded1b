"""Closed vocabularies shared by the rulebook, the case tables and the CLI.

Values are the strings of CONTRACTS.md; they are stored as-is in the database and in JSON output.
"""

from __future__ import annotations

from enum import StrEnum


class ReportKind(StrEnum):
    LAPORAN = "laporan"  # a report from the public
    TEMUAN = "temuan"  # Bawaslu's own finding


class ElectionType(StrEnum):
    PEMILU = "pemilu"  # UU 7/2017
    PILKADA = "pilkada"  # UU 1/2015 jo. UU 10/2016


class Employment(StrEnum):
    PNS = "PNS"
    CPNS = "CPNS"
    PPPK = "PPPK"
    PPNPN = "PPNPN"
    KEPALA_DESA = "KEPALA_DESA"
    TNI = "TNI"
    POLRI = "POLRI"
    LAINNYA = "LAINNYA"

    @property
    def is_asn(self) -> bool:
        """ASN under UU 20/2023: PNS (including candidates) and PPPK."""
        return self in {Employment.PNS, Employment.CPNS, Employment.PPPK}

    @property
    def is_pns_numbered(self) -> bool:
        """Holders of an 18-digit NIP judged by the Perka BKN 22/2007 rule."""
        return self in {Employment.PNS, Employment.CPNS}


class Authority(StrEnum):
    """Who receives the referral for one reported person (CONTRACTS.md §3)."""

    KASN = "KASN"
    BKN = "BKN"
    PPK = "PPK"
    GAKKUMDU = "GAKKUMDU"
    LAINNYA = "LAINNYA"


class DayUnit(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


class Band(StrEnum):
    """Severity band of a recommendation, mildest first (order matters: see `severity`)."""

    MORAL = "moral"
    SEDANG = "sedang"
    BERAT = "berat"
    PTDH = "ptdh"
    KONTRAK = "kontrak"  # non-ASN staff: sanction per work contract
    DITERUSKAN = "diteruskan"  # not a civil-service matter: forwarded, no band applies

    @property
    def severity(self) -> int:
        order = [Band.DITERUSKAN, Band.KONTRAK, Band.MORAL, Band.SEDANG, Band.BERAT, Band.PTDH]
        return order.index(self)


class Regime(StrEnum):
    ETIK = "etik"  # PP 42/2004 code of ethics, sanksi moral
    DISIPLIN = "disiplin"  # PP 94/2021 (PNS) / PP 49/2018 (PPPK)
    PEMBERHENTIAN = "pemberhentian"  # UU 20/2023 Pasal 52: dismissal for party membership
    KONTRAK = "kontrak"  # non-ASN staff (SE MenPANRB 1/2023)
    LAINNYA = "lainnya"  # outside civil-service law (village heads, TNI, Polri, crimes)


class DecisionOutcome(StrEnum):
    VIOLATION = "pelanggaran"  # ASN neutrality violation: recommend and refer
    NO_VIOLATION = "bukan_pelanggaran"
    CRIME = "pidana"  # an election crime: to Gakkumdu


class ConsentScope(StrEnum):
    """What the reporter consented to disclose in letters that leave Bawaslu."""

    NAME = "nama"  # their name; address, phone and email stay confidential
    IDENTITY = "identitas"  # name, address, phone and email


class VerificationChoice(StrEnum):
    REGISTER = "register"
    COMPLETE = "complete"  # ask the reporter to complete the report
    NOT_REGISTER = "not_register"
    FORWARD = "forward"
    DELEGATE = "delegate"


class ReplyKind(StrEnum):
    """What the other side answered after the referral (`netra reply CASE KIND`)."""

    ACKNOWLEDGED = "acknowledged"  # KASN/BKN received the referral: its reference number
    RECOMMENDATION = "recommendation"  # KASN/BKN's recommendation to the PPK
    PPK_REFUSED = "ppk-refused"  # the PPK declines or disputes the recommendation


class DeadlineStatus(StrEnum):
    OPEN = "open"
    MET = "met"
    MISSED = "missed"
    EXTENDED = "extended"
    SUPERSEDED = "superseded"  # no longer applies: re-anchored, or closed by an escalation


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for (another) send attempt
    SENDING = "sending"  # claimed by a mailer; left here by a crash = needs a person
    SENT = "sent"  # the SMTP server accepted the message
    FAILED = "failed"  # permanent refusal (5xx) or unbuildable message; never retried


class RuleId(StrEnum):
    """The rule ids every election type must define (config/deadlines.yaml keys)."""

    REPORT_WINDOW = "report_window"  # laporan: from the date the incident became known
    TEMUAN_WINDOW = "temuan_window"  # temuan declared: from discovery (known_on)
    KAJIAN_AWAL = "kajian_awal"  # verification: from the date the report was received
    COMPLETION = "completion"  # the reporter completes an incomplete report: from the request
    DECISION = "decision"  # kajian / decision: from registration
    DECISION_EXTENSION = "decision_extension"  # extra time when more information is needed
    PPK_FOLLOWUP = "ppk_followup"  # PPK acts on the recommendation: from referral
    BKN_VERIFICATION = "bkn_verification"  # BKN Satgas verification: from referral
    BAWASLU_VALIDATION = "bawaslu_validation"  # Bawaslu validates in BKN's flow: from BKN's request
    PPK_REMINDER_REPLY = "ppk_reminder_reply"  # PPK answers the reminder before escalation to BKN
    # PPK acts on KASN/BKN's recommendation: from its date (replaces ppk_followup when recorded)
    PPK_FOLLOWUP_RECOMMENDATION = "ppk_followup_recommendation"
