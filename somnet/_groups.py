"""Who besides its owner may write in a file or folder its group may write in: the group's
other users, as the system lists them (POSIX); and who besides this user may change a file or
folder somnet trusts (:func:`who_may_change`: its owner, every user, or a team's group).

Debian and Ubuntu give each user a group of their own, and under their umask 002 whatever a
user makes by hand is group-writable: a group that holds its owner alone lets no one else
write. This is the rule of ssh on Debian for ``authorized_keys`` (its "user-group-modes"
patch): a group-writable file is taken when its owner is the one member of its group, and
refused when the group holds another user, holds no one (a set-group-id program's group,
say), or has no entry on the system.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Collection
from typing import Literal

import attrs


@attrs.frozen
class Group:
    """A group as the system lists it, seen from the owner of a file of that group.

    Attributes:
        name: the group's name.
        others: the users in it other than the owner (by name, sorted): those its member list
            names, and those whose primary group it is.
        has_owner: whether the owner is in it.
    """

    name: str
    others: tuple[str, ...]
    has_owner: bool


@functools.cache
def group_of(gid: int, owner: int) -> Group | None:
    """Group ``gid`` as the system lists it, seen from user ``owner``; None when the system has
    no entry for it (or no user database: a POSIX without ``grp``).

    Asked once per group and owner in a process: a command judges the sync folder, its copies,
    the copy and the state, often of one group and owner, and listing every user may take long
    (LDAP, NIS). A group changed meanwhile is seen by the next process."""
    try:
        import grp
        import pwd
    except ImportError:  # pragma: no cover - no user database (WASI, Emscripten)
        return None
    try:
        entry = grp.getgrgid(gid)
    except KeyError:
        return None
    try:
        owner_entry = pwd.getpwuid(owner)
    except KeyError:
        owner_entry = None
    # Every user's entry: the users whose primary group it is are not on its member list. This
    # may take long where users come from a network directory (LDAP, NIS), which is why it is
    # asked only of a group that may write (group_that_may_write), the rare case.
    users = pwd.getpwall()
    owner_names = {user.pw_name for user in users if user.pw_uid == owner}
    if owner_entry is not None:
        owner_names.add(owner_entry.pw_name)
    others = {name for name in entry.gr_mem if name not in owner_names}
    others.update(user.pw_name for user in users if user.pw_gid == gid and user.pw_uid != owner)
    has_owner = (
        any(name in owner_names for name in entry.gr_mem)
        or any(user.pw_gid == gid and user.pw_uid == owner for user in users)
        or (owner_entry is not None and owner_entry.pw_gid == gid)
    )
    return Group(entry.gr_name, others=tuple(sorted(others)), has_owner=has_owner)


def group_that_may_write(found: os.stat_result) -> str | None:
    """The group whose members, other users than the owner, may write in the file or folder
    of status ``found``: its name (its number when the system has no entry for it), or None
    when its group may not write in it, or holds its owner alone.

    What every user may write in is the caller's to refuse first: this judges the group alone.
    """
    import stat

    if not found.st_mode & stat.S_IWGRP:
        return None  # the common case: nothing to look up
    group = group_of(found.st_gid, found.st_uid)
    if group is None:
        return str(found.st_gid)
    if group.has_owner and not group.others:
        return None
    return group.name


@attrs.frozen
class Opening:
    """Who besides the users taken may change a file or folder (:func:`who_may_change`).

    Attributes:
        kind: ``owner``, another user owns it (and may change it whatever its mode);
            ``every-user``, every user may write in it; ``group``, the members of its group,
            another user among them, may.
        owner: its owner's uid.
        mode: its permission bits.
        group: for ``group``, the group's name (its number when the system has no entry).
    """

    kind: Literal["owner", "every-user", "group"]
    owner: int
    mode: int
    group: str | None = None


def who_may_change(
    found: os.stat_result, owners: Collection[int] | None = None, *, sticky_excuses: bool = False
) -> Opening | None:
    """Who besides the users taken may change the file or folder of status ``found``, judged
    in the order ssh judges an ``authorized_keys``: its owner when not one of ``owners`` (not
    judged when None), then every user, then a group with another user in it; None when no
    one else may.

    Args:
        found: its status.
        owners: the uids that may own it (this user, root...).
        sticky_excuses: a folder whose sticky bit is set (as /tmp) excuses the writes of every
            user and of its group: there only the owner of an entry may rename it.
    """
    import stat

    mode = stat.S_IMODE(found.st_mode)
    if owners is not None and found.st_uid not in owners:
        return Opening("owner", found.st_uid, mode)
    if sticky_excuses and mode & stat.S_ISVTX:
        return None
    if mode & stat.S_IWOTH:
        return Opening("every-user", found.st_uid, mode)
    group = group_that_may_write(found)
    if group is not None:
        return Opening("group", found.st_uid, mode, group)
    return None
