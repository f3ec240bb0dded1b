"""Who may do what, and in which office: the roles, the actions, the permission table, and the
acting person every service is given (`Actor`). Pure: the users themselves live in the case
database (models/tables/users.py); this module only answers "may this person do this here?".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

ALL_OFFICES = "*"  # a membership that holds in every office (the operator, an admin)


class Role(StrEnum):
    PEMERIKSA = "pemeriksa"  # investigator: intake, verification, clarification, findings
    PIMPINAN = "pimpinan"  # supervisor: also approve or return, PPK decisions, extensions
    ADMIN = "admin"  # users and offices
    AUDITOR = "auditor"  # reads everything, changes nothing
    SISTEM = "sistem"  # Netra itself (the sweep, sending queued mail); never a person's role
    PUBLIK = "publik"  # the public site's online channel: files a laporan, nothing else


PERSON_ROLES = (Role.PEMERIKSA, Role.PIMPINAN, Role.ADMIN, Role.AUDITOR)


class Action(StrEnum):
    READ_CASE = "read_case"  # a case file, its letters, evidence and history
    RECORD = "record"  # intake, completion, evidence, links, consent, corrections, replies
    VERIFY = "verify"  # the kajian awal decision
    CLARIFY = "clarify"  # invitations and hearings
    RECOMMEND = "recommend"  # the findings and the sanction recommendation
    APPROVE = "approve"  # approve or return a recommendation
    PPK_DECISION = "ppk_decision"  # record the PPK's decision
    EXTEND = "extend"  # extend a deadline
    SEND_MAIL = "send_mail"  # send the queued mail of a case, retry an email
    RESOLVE_MAIL = "resolve_mail"  # decide about an email whose delivery is unknown
    RECOMPUTE = "recompute"  # recompute deadlines after a calendar change
    SWEEP = "sweep"  # the deadline sweep
    MANAGE_USERS = "manage_users"
    AUDIT = "audit"  # verify and export the audit trail
    FILE_REPORT = "file_report"  # a laporan sent through the public site (no account)
    READ_REPORTER = "read_reporter"  # the reporter's identity in a handed-over case file


_STAFF = frozenset({Role.PEMERIKSA, Role.PIMPINAN})

PERMISSIONS: Mapping[Action, frozenset[Role]] = {
    Action.READ_CASE: frozenset({Role.PEMERIKSA, Role.PIMPINAN, Role.AUDITOR, Role.SISTEM}),
    Action.RECORD: _STAFF,
    Action.VERIFY: _STAFF,
    Action.CLARIFY: _STAFF,
    Action.RECOMMEND: _STAFF,
    Action.APPROVE: frozenset({Role.PIMPINAN}),
    Action.PPK_DECISION: frozenset({Role.PIMPINAN}),
    Action.EXTEND: frozenset({Role.PIMPINAN}),
    Action.SEND_MAIL: _STAFF | {Role.SISTEM},
    Action.RESOLVE_MAIL: frozenset({Role.PIMPINAN}),
    Action.RECOMPUTE: frozenset({Role.ADMIN, Role.PIMPINAN}),
    Action.SWEEP: frozenset({Role.ADMIN, Role.SISTEM}),
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.AUDIT: frozenset({Role.AUDITOR, Role.ADMIN}),
    Action.FILE_REPORT: frozenset({Role.PUBLIK}),
    # The staff handling the case; an auditor checks how it was handled, not who reported
    # (DOMAIN.md §7: excluded information, data minimisation).
    Action.READ_REPORTER: frozenset({Role.PEMERIKSA, Role.PIMPINAN, Role.SISTEM}),
}

ACTION_LABELS: Mapping[Action, str] = {
    Action.READ_CASE: "membuka berkas perkara",
    Action.RECORD: "mencatat laporan dan kelengkapannya",
    Action.VERIFY: "memutuskan kajian awal",
    Action.CLARIFY: "mengundang dan mencatat klarifikasi",
    Action.RECOMMEND: "menyusun kajian dan rekomendasi",
    Action.APPROVE: "menyetujui atau mengembalikan rekomendasi",
    Action.PPK_DECISION: "mencatat keputusan PPK",
    Action.EXTEND: "memperpanjang tenggat",
    Action.SEND_MAIL: "mengirim surat",
    Action.RESOLVE_MAIL: "memutuskan email yang tidak pasti terkirim",
    Action.RECOMPUTE: "menghitung ulang tenggat",
    Action.SWEEP: "menjalankan pemantauan tenggat",
    Action.MANAGE_USERS: "mengelola pengguna",
    Action.AUDIT: "memeriksa jejak audit",
    Action.FILE_REPORT: "menyampaikan laporan daring",
    Action.READ_REPORTER: "melihat identitas pelapor",
}


@dataclass(frozen=True, order=True)
class Membership:
    office_key: str  # an office of config/offices.yaml, or ALL_OFFICES
    role: Role

    def holds_in(self, office_key: str) -> bool:
        return self.office_key in (office_key, ALL_OFFICES)


@dataclass(frozen=True)
class Actor:
    """The person (or Netra itself) on whose behalf a service acts. Built from the user table
    by whoever authenticated them (the desk's login, the CLI's operator account, a flow's
    username); services trust it and check it against `PERMISSIONS`."""

    username: str
    name: str
    memberships: frozenset[Membership] = field(default_factory=frozenset)
    user_id: int | None = None

    @property
    def label(self) -> str:
        """How the record names them: "Nama (username)"."""
        return self.name if self.name == self.username else f"{self.name} ({self.username})"

    def roles_in(self, office_key: str) -> frozenset[Role]:
        return frozenset(m.role for m in self.memberships if m.holds_in(office_key))

    def offices(self) -> frozenset[str]:
        return frozenset(m.office_key for m in self.memberships)

    def sees_every_office(self, action: Action = Action.READ_CASE) -> bool:
        allowed = PERMISSIONS[action]
        return any(m.office_key == ALL_OFFICES and m.role in allowed for m in self.memberships)

    def offices_for(self, action: Action) -> frozenset[str]:
        """The offices where they may take `action` (ALL_OFFICES among them: every office)."""
        allowed = PERMISSIONS[action]
        return frozenset(m.office_key for m in self.memberships if m.role in allowed)


def permits(actor: Actor, action: Action, office_key: str) -> bool:
    """May `actor` take `action` on a case of `office_key`?"""
    return bool(actor.roles_in(office_key) & PERMISSIONS[action])


def may_anywhere(actor: Actor, action: Action) -> bool:
    """May `actor` take `action` in at least one office (for actions not about one case)?"""
    return any(m.role in PERMISSIONS[action] for m in actor.memberships)


class NotPermitted(PermissionError):
    """The actor may not take this action here; the message is Indonesian."""

    def __init__(self, actor: Actor, action: Action, office_key: str | None = None) -> None:
        self.actor, self.action, self.office_key = actor, action, office_key
        where = f" di kantor {office_key}" if office_key else ""
        roles = ", ".join(sorted(r.value for r in actor.roles_in(office_key or ALL_OFFICES)))
        had = f" (peran: {roles})" if roles else " (tidak memiliki peran di kantor ini)"
        super().__init__(
            f"{actor.label} tidak berwenang {ACTION_LABELS[action]}{where}{had}. "
            f"Peran yang berwenang: {', '.join(sorted(r.value for r in PERMISSIONS[action]))}."
        )


def require(actor: Actor, action: Action, office_key: str) -> None:
    if not permits(actor, action, office_key):
        raise NotPermitted(actor, action, office_key)


def require_intake(actor: Actor, office_key: str, *, temuan: bool) -> None:
    """Staff record reports of either kind; the public site's channel files a laporan only (a
    temuan is an officer's own finding)."""
    if permits(actor, Action.RECORD, office_key):
        return
    if temuan or not permits(actor, Action.FILE_REPORT, office_key):
        raise NotPermitted(actor, Action.RECORD, office_key)


def require_anywhere(actor: Actor, action: Action) -> None:
    if not may_anywhere(actor, action):
        raise NotPermitted(actor, action)


def require_everywhere(actor: Actor, action: Action) -> None:
    """For what spans every office (the sweep, recomputing every deadline)."""
    if not actor.sees_every_office(action):
        raise NotPermitted(actor, action, ALL_OFFICES)


def memberships(pairs: Iterable[tuple[str, Role | str]]) -> frozenset[Membership]:
    return frozenset(Membership(office, Role(role)) for office, role in pairs)


SYSTEM = Actor(
    username="sistem",
    name="Sistem Netra",
    memberships=frozenset({Membership(ALL_OFFICES, Role.SISTEM)}),
)

# The public site's online channel: who "acts" when a citizen files a laporan without an account.
# Audit rows name it, their origin says "publik <address>".
PUBLIC = Actor(
    username="publik",
    name="Laporan daring (situs publik)",
    memberships=frozenset({Membership(ALL_OFFICES, Role.PUBLIK)}),
)
CHANNELS = (SYSTEM, PUBLIC)  # actors that are Netra itself, never a user account
