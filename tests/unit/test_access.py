"""The permission table, written out here by hand as the issue states it: a test that only
re-read PERMISSIONS could not fail."""

from __future__ import annotations

import pytest

from models.access import (
    ALL_OFFICES,
    PUBLIC,
    SYSTEM,
    Action,
    Actor,
    NotPermitted,
    Role,
    memberships,
    permits,
    require,
    require_everywhere,
    require_intake,
)

PPU = "bawaslu-kab-penajam-paser-utara"
PKP = "bawaslu-kota-pangkalpinang"

# (action, roles allowed) as issue 11 words them: pemeriksa = intake, verification,
# clarification, findings; pimpinan = also approve/return, PPK decisions, extensions; admin =
# users; auditor = reads everything, changes nothing.
EXPECTED = {
    Action.READ_CASE: {"pemeriksa", "pimpinan", "auditor"},
    Action.RECORD: {"pemeriksa", "pimpinan"},
    Action.VERIFY: {"pemeriksa", "pimpinan"},
    Action.CLARIFY: {"pemeriksa", "pimpinan"},
    Action.RECOMMEND: {"pemeriksa", "pimpinan"},
    Action.APPROVE: {"pimpinan"},
    Action.PPK_DECISION: {"pimpinan"},
    Action.EXTEND: {"pimpinan"},
    Action.SEND_MAIL: {"pemeriksa", "pimpinan"},
    Action.RESOLVE_MAIL: {"pimpinan"},
    Action.RECOMPUTE: {"admin", "pimpinan"},
    Action.SWEEP: {"admin"},
    Action.MANAGE_USERS: {"admin"},
    Action.READ_REPORTER: {"pemeriksa", "pimpinan"},
    Action.AUDIT: {"admin", "auditor"},
    Action.FILE_REPORT: set(),  # the public site's channel only, never a staff role
}


def person(role: str, office: str = PPU) -> Actor:
    return Actor(username=f"u-{role}", name=role.title(), memberships=memberships([(office, role)]))


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", ["pemeriksa", "pimpinan", "admin", "auditor"])
def test_each_role_may_take_exactly_its_actions_in_its_office(action: Action, role: str) -> None:
    assert permits(person(role), action, PPU) is (role in EXPECTED[action])


@pytest.mark.parametrize("action", list(Action))
def test_nobody_acts_in_an_office_they_do_not_belong_to(action: Action) -> None:
    for role in ("pemeriksa", "pimpinan", "admin", "auditor"):
        assert not permits(person(role, PKP), action, PPU)


def test_a_membership_in_every_office_holds_in_each() -> None:
    everywhere = Actor("op", "Operator", memberships([(ALL_OFFICES, Role.PIMPINAN)]))
    assert permits(everywhere, Action.APPROVE, PPU) and permits(everywhere, Action.APPROVE, PKP)
    require_everywhere(Actor("a", "A", memberships([(ALL_OFFICES, Role.ADMIN)])), Action.SWEEP)
    with pytest.raises(NotPermitted):  # an admin of one office cannot sweep every office
        require_everywhere(person("admin"), Action.SWEEP)


def test_netra_itself_sends_and_sweeps_but_never_decides() -> None:
    assert permits(SYSTEM, Action.SEND_MAIL, PPU) and permits(SYSTEM, Action.SWEEP, PKP)
    for action in (Action.APPROVE, Action.VERIFY, Action.RECORD, Action.MANAGE_USERS):
        assert not permits(SYSTEM, action, PPU)


def test_a_refusal_says_in_indonesian_who_may_not_do_what_where() -> None:
    with pytest.raises(NotPermitted) as refused:
        require(person("pemeriksa"), Action.APPROVE, PPU)
    message = str(refused.value)
    assert "Pemeriksa (u-pemeriksa) tidak berwenang menyetujui" in message
    assert PPU in message and "pimpinan" in message


def test_the_public_channel_files_a_laporan_and_does_nothing_else() -> None:
    for action in Action:
        assert permits(PUBLIC, action, PPU) is (action == Action.FILE_REPORT), action
    require_intake(PUBLIC, PPU, temuan=False)
    with pytest.raises(NotPermitted):  # a temuan is an officer's own finding
        require_intake(PUBLIC, PPU, temuan=True)
    with pytest.raises(NotPermitted):
        require_intake(person("auditor"), PPU, temuan=False)
