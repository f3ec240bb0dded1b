"""Users, roles and logins (services/users.py) on a real database, and the stage services
refusing a person whose role or office does not allow the step (checked in the service, not
only in the desk)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from models.access import ALL_OFFICES, Actor, Membership, NotPermitted, Role
from models.inputs import ApprovalInput, VerificationChoice, VerificationDecision
from models.stages import Stage
from models.tables import AppUser, StageEvent
from services.approval import approve_recommendation
from services.deps import Deps
from services.intake import intake_report
from services.users import (
    LoginRefused,
    UserProblem,
    actor_named,
    add_user,
    change_password,
    ensure_accounts,
    list_users,
    log_in,
    parse_membership,
    reset_password,
    set_active,
)
from services.verification import verify_case
from tests.services.helpers import ON_SQLITE, PPU, at, report_of, run_sample, state
from tests.support.actors import staff

OFFICE = "bawaslu-kab-penajam-paser-utara"
OTHER = "bawaslu-kota-pangkalpinang"
REPORT = report_of(PPU)
NOW = at(REPORT, 0)


def _admin(deps: Deps) -> Actor:
    ensure_accounts(deps)
    return actor_named(deps, "admin")


def test_first_run_makes_an_admin_with_a_one_time_password_and_an_operator_without_login(
    deps: Deps,
) -> None:
    first = ensure_accounts(deps)
    assert first is not None and ensure_accounts(deps) is None  # once
    login = log_in(deps, "admin", first.admin_password, address="10.0.0.1", now=NOW)
    assert login.must_change_password and login.actor.roles_in(OFFICE) == {Role.ADMIN}
    operator = actor_named(deps, first.operator_username)
    assert operator.roles_in(OTHER) == {Role.PEMERIKSA, Role.PIMPINAN, Role.ADMIN}
    with pytest.raises(LoginRefused):  # the operator account has no password at all
        log_in(deps, first.operator_username, "", address="10.0.0.1", now=NOW)
    with Session(deps.engine) as session:
        stored = [u.password_hash for u in session.exec(select(AppUser)).all()]
    assert first.admin_password not in "".join(h or "" for h in stored)  # hashed, not kept
    assert any((h or "").startswith("$argon2id$") for h in stored)


def test_a_new_user_logs_in_once_with_the_printed_password_then_must_change_it(
    deps: Deps,
) -> None:
    admin = _admin(deps)
    roles = [parse_membership(f"{OFFICE}:pemeriksa", deps.rulebook.offices)]
    password = add_user(deps, admin, "Siti.A", "Siti Aminah", roles)
    assert password is not None
    login = log_in(deps, "siti.a", password, address="10.0.0.2", now=NOW)
    assert login.must_change_password and login.actor.label == "Siti Aminah (siti.a)"
    with pytest.raises(UserProblem, match="minimal"):
        change_password(deps, "siti.a", password, "pendek")
    change_password(deps, "siti.a", password, "kata-sandi-baru-panjang")
    assert not log_in(
        deps, "siti.a", "kata-sandi-baru-panjang", address="x", now=NOW
    ).must_change_password
    [view] = [u for u in list_users(deps, admin) if u.username == "siti.a"]
    assert view.memberships == {Membership(OFFICE, Role.PEMERIKSA)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"{OFFICE}", "KANTOR:PERAN"),
        ("bawaslu-entah:pemeriksa", "Kantor 'bawaslu-entah' tidak dikenal"),
        (f"{OFFICE}:sistem", "Peran 'sistem' tidak dikenal"),
        (f"{OFFICE}:raja", "Peran 'raja' tidak dikenal"),
    ],
)
def test_a_role_given_wrongly_is_refused_in_indonesian(deps: Deps, text: str, message: str) -> None:
    with pytest.raises(UserProblem, match=message):
        parse_membership(text, deps.rulebook.offices)


def test_only_an_admin_manages_users_and_names_are_checked(deps: Deps) -> None:
    admin = _admin(deps)
    roles = [Membership(OFFICE, Role.PEMERIKSA)]
    with pytest.raises(NotPermitted):
        add_user(deps, staff_in(OFFICE, Role.PIMPINAN), "budi", "Budi", roles)
    for bad in ("a b", "sistem", "-x", ""):
        with pytest.raises(UserProblem):
            add_user(deps, admin, bad, "Nama", roles)
    add_user(deps, admin, "budi", "Budi", roles)
    with pytest.raises(UserProblem, match="sudah ada"):
        add_user(deps, admin, "budi", "Budi Lain", roles)


def test_logins_are_throttled_per_user_name_even_with_the_right_password(deps: Deps) -> None:
    admin = _admin(deps)
    password = add_user(deps, admin, "ana", "Ana", [Membership(OFFICE, Role.PEMERIKSA)])
    assert password is not None
    limit = deps.settings.login_max_failures
    for attempt in range(limit):
        with pytest.raises(LoginRefused, match="salah"):
            log_in(deps, "ana", f"salah-{attempt}", address="10.0.0.9", now=NOW)
    with pytest.raises(LoginRefused, match="Terlalu banyak"):
        log_in(deps, "ana", password, address="10.0.0.10", now=NOW)
    later = NOW + timedelta(minutes=deps.settings.login_lock_minutes + 1)
    assert log_in(deps, "ana", password, address="10.0.0.10", now=later).actor.username == "ana"


def test_a_disabled_user_can_neither_log_in_nor_act_and_a_reset_gives_a_new_password(
    deps: Deps,
) -> None:
    admin = _admin(deps)
    password = add_user(deps, admin, "dedi", "Dedi", [Membership(OFFICE, Role.PEMERIKSA)])
    assert password is not None
    set_active(deps, admin, "dedi", active=False, now=NOW)
    with pytest.raises(LoginRefused):
        log_in(deps, "dedi", password, address="x", now=NOW)
    with pytest.raises(UserProblem, match="dinonaktifkan"):
        actor_named(deps, "dedi")
    set_active(deps, admin, "dedi", active=True, now=NOW)
    fresh = reset_password(deps, admin, "dedi")
    assert (
        fresh != password and log_in(deps, "dedi", fresh, address="x", now=NOW).must_change_password
    )
    with pytest.raises(LoginRefused):
        log_in(deps, "dedi", password, address="x", now=NOW)


def staff_in(office: str, *roles: Role) -> Actor:
    return Actor("orang", "Orang", frozenset(Membership(office, r) for r in roles))


@ON_SQLITE
async def test_a_pemeriksa_cannot_approve_and_nothing_changes(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.AWAITING_APPROVAL)
    before = state(deps)
    with pytest.raises(NotPermitted, match="tidak berwenang menyetujui"):
        approve_recommendation(
            deps, "1", ApprovalInput(approved=True), actor=staff_in(OFFICE, Role.PEMERIKSA), now=NOW
        )
    assert state(deps) == before
    other_office = staff_in(OTHER, Role.PIMPINAN)
    with pytest.raises(NotPermitted):
        approve_recommendation(deps, "1", ApprovalInput(approved=True), actor=other_office, now=NOW)
    assert state(deps) == before


def test_a_user_of_another_office_can_neither_record_nor_verify_its_reports(deps: Deps) -> None:
    elsewhere = staff_in(OTHER, Role.PEMERIKSA, Role.PIMPINAN)
    with pytest.raises(NotPermitted):
        intake_report(deps, REPORT, actor=elsewhere, now=NOW)
    intake_report(deps, REPORT, actor=staff("petugas"), now=NOW)
    before = state(deps)
    register = VerificationDecision(decision=VerificationChoice.REGISTER)
    with pytest.raises(NotPermitted):
        verify_case(deps, "1", register, actor=elsewhere, now=at(REPORT, 1))
    auditor = staff_in(ALL_OFFICES, Role.AUDITOR)  # reads everything, changes nothing
    with pytest.raises(NotPermitted):
        verify_case(deps, "1", register, actor=auditor, now=at(REPORT, 1))
    assert state(deps) == before


def test_every_event_names_the_user_and_carries_their_id(deps: Deps) -> None:
    admin = _admin(deps)
    add_user(deps, admin, "rina", "Rina Wati", [Membership(OFFICE, Role.PEMERIKSA)])
    rina = actor_named(deps, "rina")
    intake_report(deps, REPORT, actor=rina, now=NOW)
    register = VerificationDecision(decision=VerificationChoice.REGISTER)
    verify_case(deps, "1", register, actor=rina, now=at(REPORT, 1))
    with Session(deps.engine) as session:
        rows = session.exec(select(StageEvent).order_by(StageEvent.id)).all()  # type: ignore[arg-type]
    assert rows and {(e.actor, e.actor_id) for e in rows} == {("Rina Wati (rina)", rina.user_id)}


def test_user_administration_and_logins_are_rows_of_the_audit_trail(deps: Deps) -> None:
    from models.tables import AuditEntry
    from services.audit import verify_trail

    admin = _admin(deps)
    password = add_user(deps, admin, "wati", "Wati", [Membership(OFFICE, Role.PEMERIKSA)])
    assert password is not None
    with pytest.raises(LoginRefused):
        log_in(deps, "wati", "salah-sekali", address="10.1.1.1", now=NOW)
    log_in(deps, "wati", password, address="10.1.1.1", now=NOW)
    reset_password(deps, admin, "wati")
    set_active(deps, admin, "wati", active=False, now=NOW)
    with Session(deps.engine) as session:
        rows = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()  # type: ignore[arg-type]
    said = [(r.action, r.actor, r.detail) for r in rows]
    assert said == [
        ("accounts_created", "Sistem Netra (sistem)", "admin, operator"),
        ("user_added", "Administrator (admin)", f"wati ({OFFICE}:pemeriksa)"),
        ("login_refused", "Sistem Netra (sistem)", "wati dari 10.1.1.1"),
        ("login", "Wati (wati)", "dari 10.1.1.1"),
        ("password_reset", "Administrator (admin)", "wati"),
        ("user_disabled", "Administrator (admin)", "wati"),
    ]
    assert all(r.case_id is None for r in rows) and "salah-sekali" not in str(said)
    assert verify_trail(deps.engine, staff("auditor")).whole
