"""Who besides its owner may write in a file its group may write in: the group's other users,
as the system lists them (its member list, and the users whose primary group it is). The
system's groups are simulated: the tests never depend on the machine's."""

from __future__ import annotations

import os
import stat
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX groups")

OWNER = 1000
TEAM = 2000


def user(name: str, uid: int, gid: int) -> Any:
    import pwd

    return pwd.struct_passwd((name, "x", uid, gid, "", f"/home/{name}", "/bin/sh"))


def simulate_system(
    monkeypatch: pytest.MonkeyPatch, groups: dict[int, tuple[str, list[str]]], users: list[Any]
) -> None:
    """The groups (by gid: name, member list) and users (pwd entries) the system knows."""
    import grp
    import pwd

    def getgrgid(gid: int) -> Any:
        if gid not in groups:
            raise KeyError(gid)
        name, members = groups[gid]
        return grp.struct_group((name, "x", gid, members))

    def getpwuid(uid: int) -> Any:
        for entry in users:
            if entry.pw_uid == uid:
                return entry
        raise KeyError(uid)

    monkeypatch.setattr(grp, "getgrgid", getgrgid)
    monkeypatch.setattr(pwd, "getpwuid", getpwuid)
    monkeypatch.setattr(pwd, "getpwall", lambda: list(users))


def status(mode: int, *, uid: int = OWNER, gid: int = OWNER) -> os.stat_result:
    return os.stat_result((stat.S_IFREG | mode, 0, 0, 1, uid, gid, 0, 0, 0, 0))


def test_a_users_private_group_holds_its_owner_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from somnet._groups import Group, group_of

    simulate_system(
        monkeypatch,
        {OWNER: ("officer", []), TEAM: ("crew", ["officer", "bob"])},
        [user("officer", OWNER, OWNER), user("bob", 1001, 1001)],
    )
    assert group_of(OWNER, OWNER) == Group("officer", others=(), has_owner=True)


def test_another_user_on_the_groups_member_list_is_in_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from somnet._groups import Group, group_of

    simulate_system(
        monkeypatch,
        {TEAM: ("crew", ["officer", "bob"])},
        [user("officer", OWNER, OWNER), user("bob", 1001, 1001)],
    )
    assert group_of(TEAM, OWNER) == Group("crew", others=("bob",), has_owner=True)


def test_a_user_whose_primary_group_it_is_is_in_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not on its member list, as /etc/group leaves the users of a primary group."""
    from somnet._groups import Group, group_of

    simulate_system(
        monkeypatch,
        {OWNER: ("officer", [])},
        [user("officer", OWNER, OWNER), user("deputy", 1002, OWNER)],
    )
    assert group_of(OWNER, OWNER) == Group("officer", others=("deputy",), has_owner=True)


def test_a_member_the_system_has_no_user_for_is_another_user(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from somnet._groups import Group, group_of

    simulate_system(monkeypatch, {TEAM: ("crew", ["ghost"])}, [user("officer", OWNER, TEAM)])
    assert group_of(TEAM, OWNER) == Group("crew", others=("ghost",), has_owner=True)


def test_a_group_without_members_does_not_hold_the_owner(monkeypatch: pytest.MonkeyPatch) -> None:
    from somnet._groups import Group, group_of

    simulate_system(monkeypatch, {TEAM: ("mail", [])}, [user("officer", OWNER, OWNER)])
    assert group_of(TEAM, OWNER) == Group("mail", others=(), has_owner=False)


def test_a_group_the_system_has_no_entry_for_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    from somnet._groups import group_of

    simulate_system(monkeypatch, {}, [user("officer", OWNER, OWNER)])
    assert group_of(TEAM, OWNER) is None


@pytest.mark.parametrize(
    ("entry", "named"),
    [
        (("crew", ["officer", "bob"]), "crew"),  # a team's group
        (("mail", []), "mail"),  # no member at all: a set-group-id program's, say (as Debian)
        (None, str(TEAM)),  # no entry: its number
    ],
)
def test_a_group_with_another_user_or_none_may_write(
    monkeypatch: pytest.MonkeyPatch, entry: tuple[str, list[str]] | None, named: str
) -> None:
    from somnet._groups import group_that_may_write

    simulate_system(
        monkeypatch,
        {} if entry is None else {TEAM: entry},
        [user("officer", OWNER, OWNER), user("bob", 1001, 1001)],
    )
    assert group_that_may_write(status(0o664, gid=TEAM)) == named


def test_the_owners_private_group_is_no_one_else(monkeypatch: pytest.MonkeyPatch) -> None:
    from somnet._groups import group_that_may_write

    simulate_system(monkeypatch, {OWNER: ("officer", [])}, [user("officer", OWNER, OWNER)])
    assert group_that_may_write(status(0o664)) is None


def test_the_users_are_looked_up_only_when_the_group_may_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Listing every user may be slow (a network directory): a file its group may not write in
    (the common case) asks the system nothing."""
    from somnet import _groups

    def fail(gid: int, owner: int) -> None:
        raise AssertionError("looked up")

    monkeypatch.setattr(_groups, "group_of", fail)
    assert _groups.group_that_may_write(status(0o644, gid=TEAM)) is None
    assert _groups.group_that_may_write(status(0o646, gid=TEAM)) is None  # every user: not asked


def test_the_users_are_listed_once_per_group_and_owner(monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing every user may be slow (a network directory): with a sync folder made
    group-writable under a private group, every command asks of the same group and owner, for
    the folder, its copies, the copy and the state. The system is asked once per group and
    owner in a process."""
    import pwd

    from somnet._groups import group_that_may_write

    users = [user("officer", OWNER, OWNER), user("bob", 1001, 1001)]
    simulate_system(monkeypatch, {OWNER: ("officer", []), TEAM: ("crew", ["bob"])}, users)
    listed: list[int] = []

    def getpwall() -> list[Any]:
        listed.append(1)
        return list(users)

    monkeypatch.setattr(pwd, "getpwall", getpwall)
    for _ in range(4):
        assert group_that_may_write(status(0o664)) is None
        assert group_that_may_write(status(0o664, gid=TEAM)) == "crew"
    assert len(listed) == 2
