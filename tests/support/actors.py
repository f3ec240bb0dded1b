"""The people tests act as: a staff member in every office (pemeriksa, pimpinan and admin), so
tests of a stage are about the stage; the permission tests build narrower actors themselves."""

from __future__ import annotations

from models.access import ALL_OFFICES, Actor, Role, memberships
from models.tables import AppUser, UserOffice
from services.deps import Deps

STAFF_ROLES = (Role.PEMERIKSA, Role.PIMPINAN, Role.ADMIN)
TEST_USERS = ("petugas", "pimpinan", "pemeriksa", "ketua", "admin-uji")


def staff(name: str) -> Actor:
    """An actor named `name` (as user name and full name: events record just `name`)."""
    return Actor(
        username=name, name=name, memberships=memberships((ALL_OFFICES, r) for r in STAFF_ROLES)
    )


def seed_staff(deps: Deps, *names: str) -> None:
    """Users for the flows, which take a user name: each a staff member in every office."""
    from adapters.db.engine import unit_of_work

    with unit_of_work(deps.engine) as session:
        for name in names or TEST_USERS:
            user = AppUser(username=name, name=name)
            session.add(user)
            session.flush()
            assert user.id is not None
            for role in STAFF_ROLES:
                session.add(UserOffice(user_id=user.id, office_key=ALL_OFFICES, role=role))
