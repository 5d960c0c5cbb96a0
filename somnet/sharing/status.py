"""The status of a sync folder: what is synced there, from where, signed by which key, until
when, and whether the commands read it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs

from somnet._exceptions import KeyFileError, StorageError
from somnet._i18n import _
from somnet.sharing.installed import (
    SyncedCopyWarning,
    changed_warnings,
    copy_on_disk,
    copy_warnings,
    installed_base,
    kept_previous,
    open_to_others,
    previous_copy_label,
)
from somnet.sharing.state import InstalledCopy, ignored_warning, load_state


@attrs.frozen
class SyncedCopyStatus:
    """The copy installed in a sync folder.

    Attributes:
        source: the signed manifest's URL it was synced from.
        directory: the name of the directory its manifest names, the one the folder follows.
        version, sha256, created, expires: its manifest's.
        expired: whether ``expires`` has passed.
        synced_at: when it was installed.
        checked_at: when the server was last asked.
        key_id: the key that signed it.
        trust: the trust files each sync reads.
        key_trusted: whether ``key_id`` is in the trust files now (None: cannot tell).
        key_trusted_note: why it cannot tell, for people (a trust file another user owns,
            such as the account that syncs for a team, is not read), or None.
        copy: its folder.
        previous_version: the previous good copy kept, if any.
        loads: whether the copy loads now, as the commands load it (None: it is missing).
    """

    source: str
    version: int
    sha256: str
    created: datetime
    expires: datetime
    expired: bool
    synced_at: datetime
    checked_at: datetime | None
    key_id: str
    trust: tuple[str, ...]
    key_trusted: bool | None
    copy: Path
    previous_version: int | None
    loads: bool | None = None
    key_trusted_note: str | None = None
    directory: str = attrs.field(kw_only=True)


@attrs.frozen
class SyncStatus:
    """What a sync folder holds and whether the commands read it.

    Attributes:
        folder: the sync folder.
        installed: whether a copy is installed there.
        in_use: whether the commands read it (the folder is the one they look in).
        note: what that means, for people.
        synced: the installed copy, None when nothing was synced there.
        warnings: what the user must know about it (expired, missing, damaged).
    """

    folder: Path
    installed: bool
    in_use: bool
    note: str
    synced: SyncedCopyStatus | None = None
    warnings: tuple[SyncedCopyWarning, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The status as one JSON object: the folder's fields, and the copy's when one was
        synced; warnings as text."""
        from somnet._convert import converter

        value: dict[str, Any] = converter().unstructure(self)
        synced = value.pop("synced") or {}
        value["warnings"] = [warning.reason for warning in self.warnings]
        return {**value, **synced}


def _key_trusted(copy: InstalledCopy, trust: Sequence[str]) -> tuple[bool | None, str | None]:
    """Whether the key that signed ``copy`` is in the trust files now (None: cannot tell),
    and why it cannot tell when the trust files could not be read."""
    from somnet.sharing import signing

    if not trust:
        return None, None
    try:
        keys = signing.load_trusted_keys([Path(t) for t in trust])
    except KeyFileError as exc:
        return None, _trust_not_read(exc)
    return copy.key_id in {key.key_id for key in keys}, None


def _trust_not_read(error: KeyFileError) -> str:
    """Why a trust file was not read, for the status. A member of a team, whose sync folder
    the team's account syncs, is refused that account's trust file as another user's: said
    so plainly, not with the advice a sync gives (copy it, or chown it), which is the
    account's to follow, not theirs."""
    path = error.value
    try:
        owner = os.stat(path).st_uid if isinstance(path, (str, Path)) else None
    except OSError:
        owner = None
    if owner is not None and os.name == "posix" and owner not in (0, os.geteuid()):
        return _("the trust file {path} is another user's (uid {owner}): not read").format(
            path=path, owner=owner
        )
    return error.reason


def load_problem(copy: Path | None, now: datetime) -> str | None:
    """Why a synced copy (None: the shipped directory) does not load now, as the commands load
    it (the overlays of ``SOMNET_DATA`` on top, their cache included), or None when it loads."""
    from somnet._clock import latest_date
    from somnet._exceptions import DirectoryError
    from somnet.directory.current import load_directory
    from somnet.sharing.installed import first_problem

    try:
        load_directory(base=copy, today=latest_date(now), synced=False)
    except DirectoryError as exc:
        return first_problem(exc, copy)
    return None


def _shipped_loads(now: datetime) -> bool:
    """Whether the shipped directory, the commands' last fallback, loads with the overlays of
    ``SOMNET_DATA`` (it does without any: they are what can break it)."""
    from somnet.directory.loading import overlay_dirs_from_env

    return not overlay_dirs_from_env() or load_problem(None, now) is None


def sync_status(cache: Path | None = None, *, now: datetime | None = None) -> SyncStatus:
    """What a sync folder holds: source, version, when synced, expiry, whether in use.

    Args:
        cache: the sync folder (default: ``SOMNET_SYNC_DIR``, else ``synced`` in the user data
            folder).
        now: the time to judge expiry by (default: the clock).

    Returns:
        The folder's status, with the installed copy's when one was synced there. When the
        state file cannot be read or understood, the commands read the shipped directory: the
        status says so (nothing installed, nothing in use), with a warning naming the file.

    Raises:
        BadInputError: ``SOMNET_DATA`` names what is not a folder (the commands refuse it too),
            or ``cache`` is a file or inside one (field ``cache``).
    """
    from somnet._time import check_clock

    check_clock(now)  # a date or a text is refused, naming now
    from somnet._clock import utc_now
    from somnet._config import SYNC_DIR_ENV, SYNC_STATE_NAME, sync_dir

    default = sync_dir()
    if cache is not None:
        from somnet._files import refuse_not_a_path

        refuse_not_a_path(cache, "cache")
    folder = default if cache is None else Path(cache)
    if cache is not None:
        from somnet._files import refuse_file_for_folder

        # As sync refuses it: no copy could ever be synced there.
        refuse_file_for_folder(folder, "cache")
    now = (now or utc_now()).astimezone(UTC)
    # Only the folder the commands look in tells what they read: of another, the status says
    # what is true of it and where they look.
    read = folder.resolve() == default.resolve()
    try:
        state, ignored = load_state(folder)
    except StorageError:
        # Told by copy_warnings, naming the file, as every command tells it.
        state, ignored, damaged = None, [], True
    else:
        damaged = False
    # The copy's files read whole: status is where a user looks when in doubt.
    warnings = tuple(copy_warnings(folder, now=now, thorough=True, read=read))
    # Left out by the next sync (which says so), and meanwhile shown as "-" or not at all.
    warnings += tuple(
        SyncedCopyWarning(ignored_warning(folder / SYNC_STATE_NAME, why)) for why in ignored
    )
    if state is None:
        if not read:
            note = (
                _(
                    "the sync state cannot be read; commands do not look in this folder: they "
                    "look in {default}"
                )
                if damaged
                else _(
                    "nothing synced; commands do not look in this folder: they look in {default}"
                )
            ).format(default=default)
        elif damaged:
            note = _("the sync state cannot be read: commands read the shipped directory")
        else:
            note = _("nothing synced: commands read the shipped directory")
        return SyncStatus(folder, installed=False, in_use=False, note=note, warnings=warnings)
    copy = state.current
    path = folder / copy.folder
    in_use_path = installed_base()
    in_use = in_use_path is not None and in_use_path.resolve() == path.resolve()
    # The commands fall back from a copy that no longer loads (installed.load_over_installed):
    # what they read is known only by loading it, as they do.
    # A folder this user may not look at counts as there: loading it says it cannot be read.
    on_disk = copy_on_disk(path)
    problem = load_problem(path, now) if on_disk else None
    previous = state.previous
    fallback = _("the shipped directory")
    # Whether the commands, failing to load the copy, read another: with no base that loads
    # (overlays broken by themselves), they stop with the copy's error, still reading it.
    falls_back = False
    # Not one others may change: the commands never read it.
    kept = kept_previous(folder, state)
    if previous is not None and kept is not None:
        previous_problem = load_problem(folder / previous.folder, now)
        if previous_problem is None:
            falls_back = True
            fallback = _("{label} ({folder})").format(
                label=previous_copy_label(previous.version), folder=folder / previous.folder
            )
            if previous.expires <= now:
                # As the commands say when they read it: the plans rest on an expired copy.
                from somnet._time import utc_text

                fallback = _("{fallback}, which expired on {text}: it may be out of date").format(
                    fallback=fallback, text=utc_text(previous.expires)
                )
        else:
            warnings += (
                SyncedCopyWarning(
                    _("{label}, does not load now ({problem}): it is no fallback").format(
                        label=previous_copy_label(previous.version), problem=previous_problem
                    )
                ),
            )
    if problem is not None:
        warnings = (
            SyncedCopyWarning(
                _("the synced directory (version {version}) does not load now ({problem})").format(
                    version=copy.version, problem=problem
                )
            ),
            *warnings,
        )
    opened = open_to_others(folder, path) if on_disk else None
    if opened is not None and read:
        note = _(
            "other users may change the copy ({opened}): commands read the shipped directory"
        ).format(opened=opened)
    elif in_use and problem is not None and (falls_back or _shipped_loads(now)):
        in_use = False
        note = _("the copy does not load now: commands read {fallback}").format(fallback=fallback)
        if falls_back and kept is not None and previous is not None:
            # What the commands read in its place: changed since it was installed, it is told.
            warnings += tuple(changed_warnings(previous, kept, thorough=True))
    elif in_use:
        note = _("commands read this copy as the base layer (overlays on top)")
    elif not on_disk and not read:
        note = _(
            "the copy is missing; commands do not look in this folder: they look in {default}"
        ).format(default=default)
    elif not on_disk:
        # The previous good copy in its place, when it loads (else the shipped directory).
        note = _("the copy is missing: commands read {fallback}").format(fallback=fallback)
    else:
        # As the variable takes it: an absolute path (a relative one is refused).
        note = _("commands do not read it: they look in {default}; set {variable}={folder}").format(
            default=default, variable=SYNC_DIR_ENV, folder=os.path.abspath(folder)
        )
    key_trusted, key_trusted_note = _key_trusted(copy, state.trust)
    synced = SyncedCopyStatus(
        source=state.source,
        version=copy.version,
        sha256=copy.sha256,
        created=copy.created,
        expires=copy.expires,
        expired=copy.expires <= now,
        synced_at=copy.synced_at,
        checked_at=state.checked_at,
        key_id=copy.key_id,
        trust=state.trust,
        key_trusted=key_trusted,
        key_trusted_note=key_trusted_note,
        copy=path,
        # Kept only if its folder is still there to fall back on.
        previous_version=previous.version if previous is not None and kept is not None else None,
        loads=None if not on_disk else problem is None,
        directory=copy.directory,
    )
    return SyncStatus(folder, on_disk, in_use, note, synced, warnings)
