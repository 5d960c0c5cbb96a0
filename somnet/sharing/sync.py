"""Syncing the directory: fetch the signed manifest, check it against the trust files and the
installed copy, download and verify the bundle, and install it atomically.

The threat model is TUF's in miniature. What a sync refuses, each time keeping the copy it has:

* tampering: the manifest must carry a valid Ed25519 signature by a key in the trust files
  (read at every sync, so that removing a key revokes it), and the bundle must have the
  SHA-256 and size the manifest names;
* another directory: a manifest that names a directory other than the one the folder follows
  (the one its first sync installed, or the one it was told), however validly signed: an
  office may sign several directories with one key (a staging copy, another region's);
* rollback: a version lower than the installed one, the same version with other content, or
  an older manifest of the installed version (which would move its expiry back);
* freeze: a manifest past its ``expires`` time (a server replaying an old, valid manifest),
  and a ``304 Not Modified`` once the installed copy has expired;
* slow retrieval: one wall-clock deadline for everything a sync fetches, headers included
  (:mod:`somnet.sharing.fetch`);
* endless data: the signed manifest and the bundle are read with size caps, the bundle never
  beyond the size its manifest announces;
* a stolen key: once the key that signed the installed copy is revoked, its version no longer
  bounds what a trusted key may install (TUF's rule for rotated keys), so a thief's inflated
  version locks no agency out;
* bad data: a bundle whose directory does not validate is never installed, and a copy that
  stops loading later gives way to the previous good one (:mod:`somnet.sharing.installed`).

Nothing a server says is kept unless it can be sent back as it is (the ETag), and in its sync
folder somnet deletes only what it created (:mod:`somnet.sharing.install`).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from somnet._clock import CLOCK_SKEW
from somnet._exceptions import (
    BadInputError,
    KeyFileError,
    NetworkError,
    SomnetError,
    StorageError,
    VerificationError,
)
from somnet._files import fsync_folder, one_or_many, refuse_empty
from somnet._given import checked_kinds
from somnet._i18n import Message, _
from somnet._urls import check_environment_proxies
from somnet.sharing import _json, install
from somnet.sharing.fetch import (
    Fetched,
    Fetcher,
    Progress,
    check_environment_certificates,
    noting_encoding,
    signed_manifest_url,
)
from somnet.sharing.installed import (
    changed_files,
    changed_text,
    file_stats,
    previous_copy_label,
    record_stats,
    synced_copy_warnings,
)
from somnet.sharing.manifest import (
    MAX_MANIFEST_BYTES,
    Manifest,
    check_directory_name,
    claimed_key_id,
    dated_before,
    read_manifest,
    split_signed_manifest,
)
from somnet.sharing.state import (
    InstalledCopy,
    SyncState,
    ignored_warning,
    is_folder,
    load_state,
    read_state,
    recorded_source_and_trust,
    safe_etag,
    state_written,
    write_state,
)

if TYPE_CHECKING:
    import httpx

    from somnet.sharing.signing import TrustedKey

#: Seconds a whole sync may spend fetching.
DEFAULT_DEADLINE = 300.0
DEFAULT_TIMEOUT = 20.0
DEFAULT_ATTEMPTS = 3
#: The most seconds ``timeout`` and ``deadline`` may be given, and the most ``attempts``.
MAX_SECONDS = 3600.0
MAX_ATTEMPTS = 10

Outcome = Literal["installed", "current", "not-modified"]


@attrs.frozen
class SyncResult:
    """What a sync did.

    Attributes:
        outcome: ``installed`` (a new version), ``current`` (the same version: nothing to
            download; a renewed manifest extends the expiry), ``not-modified`` (the server
            answered 304).
        version: the version installed now.
        previous_version: the version installed before, if any.
        expires: when the installed copy expires.
        source: the signed manifest's URL.
        copy: the installed copy's folder.
        directory: the name of the directory installed, which the folder follows.
        warnings: what the user must know although the sync succeeded.
    """

    outcome: Outcome
    version: int
    previous_version: int | None
    expires: datetime
    source: str
    copy: Path
    directory: str
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The result as JSON (times as UTC text, the copy's folder as text)."""
        from somnet._convert import converter

        value: dict[str, Any] = converter().unstructure(self)
        return value


def parse_sync_seconds(text: str, *, field: str = "timeout") -> float:
    """A sync's ``timeout`` or ``deadline`` as typed: a number of seconds in ASCII digits, more
    than 0 and at most ``MAX_SECONDS``. A refusal repeats the text, not the number it reads as
    (400 digits read as ``inf``, 20 as ``1e+20``).

    Args:
        text: what was typed.
        field: ``timeout`` or ``deadline``, for the error.

    Returns:
        The seconds.

    Raises:
        BadInputError: naming ``field``: not a number, or out of range.
    """
    from somnet._i18n import shown
    from somnet._numbers import read_seconds

    value = read_seconds(text, field=field)
    # Digits only: shown as typed, unquoted, as a number given to the library is.
    _check_seconds(field, value, shown(text, quoted=False), given=text)
    return value


def _check_seconds(field: str, seconds: float, typed: str, *, given: object) -> None:
    """Refuse ``seconds`` out of range, repeating it as ``typed``; the error's ``value`` is
    ``given``, what the caller passed (the text, for ``parse_sync_seconds``)."""
    if not 0 < seconds <= MAX_SECONDS:
        raise BadInputError(
            _("{value}: give more than 0 and at most {max_timeout} seconds").format(
                value=typed, max_timeout=f"{MAX_SECONDS:g}"
            ),
            field=field,
            value=given,
        )


def _check_settings(timeout: float, attempts: int, deadline: float) -> None:
    """Refuse settings no sync can use.

    Raises:
        BadInputError: fields ``timeout``, ``attempts``, ``deadline``.
    """
    for field, seconds in (("timeout", timeout), ("deadline", deadline)):
        _check_seconds(field, seconds, f"{seconds:g}", given=seconds)
    if not 1 <= attempts <= MAX_ATTEMPTS:
        raise BadInputError(
            _("{attempts}: give 1 to {max_attempts} attempts").format(
                attempts=attempts, max_attempts=MAX_ATTEMPTS
            ),
            field="attempts",
            value=attempts,
        )


@checked_kinds()
def sync_directory(
    url: str | None = None,
    trust: Iterable[str | Path] | str | Path = (),
    *,
    name: str | None = None,
    cache: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    attempts: int = DEFAULT_ATTEMPTS,
    deadline: float = DEFAULT_DEADLINE,
    progress: Progress | None = None,
    client: httpx.Client | None = None,
    now: datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
    backoff: float = 1.0,
    max_bundle_bytes: int | None = None,
) -> SyncResult:
    """Fetch the published directory, check everything, and install it atomically.

    Any failure leaves the installed copy as it was and no temporary file behind; the error
    says which check failed. Every command then reads the installed copy as its base layer
    (when ``cache`` is the default sync folder): a copy installed there is loaded once as they
    load it, into the user's cache, and an overlay of ``SOMNET_DATA`` that does not load over
    it is a warning of the result. A state file whose installed copy cannot be
    read starts a fresh sync, with a warning, from the source and trust files recorded in it
    (when they can be read) or given; the copies kept in the folder still bound the version.

    Args:
        url: the site (``https://host/somnet/``) or its signed manifest's URL; by default the
            source of the last sync.
        trust: trust files (public keys), or one given alone; by default the trust files
            named at the last sync. They are read at every sync (never copied), so that adding
            a key to a trust file rotates to it and removing a key revokes it. When the key
            that signed the installed copy has been revoked, its version no longer bounds what
            a trusted key may install: that is how agencies recover from a stolen key.
        name: the name of the directory to install (``caribbean-coast-guards``), which the
            signed manifest must name. The folder follows the directory its first sync
            installed: a manifest that names another is refused, however validly signed, and
            so is a ``name`` other than that one. Without it, the first sync trusts the name
            the site's manifest gives.
        cache: the sync folder (default: ``SOMNET_SYNC_DIR``, else ``synced`` in the user
            data folder); somnet keeps its copy only in a folder it created or found empty.
        timeout: seconds to connect, and without a byte, before a request fails (at most
            3600).
        attempts: how many times to try a request that fails on the network or with a 5xx
            (1 to 10).
        deadline: seconds the whole sync may spend fetching: the manifest and the bundle,
            headers and bodies, every attempt and the waits between them (at most 3600);
            past it the sync stops, whatever the server still sends (a byte at a time never
            trips ``timeout``). Validating and installing the bundle come after it.
        progress: called with (bytes received, bytes expected) as the bundle arrives.
        client: the HTTP client (default: a new one with ``timeout``, through the proxy the
            environment names: ``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY``); not closed if
            given.
        now: the current time, for expiry (default: the clock).
        sleep: how to wait between attempts.
        backoff: the first wait between attempts in seconds, doubled each time.
        max_bundle_bytes: the largest bundle accepted, whatever the manifest says (default
            64 MiB).

    Returns:
        What was done.

    Raises:
        BadInputError: a bad URL or setting, no URL given and none recorded, an empty
            ``cache`` or a sync folder somnet did not create, a ``name`` that is no
            directory's name or not the one the folder follows (fields ``url``, ``timeout``,
            ``attempts``, ``deadline``, ``cache``, ``name``; the default sync folder's is
            ``SOMNET_SYNC_DIR`` when that names it, else none, the reason saying it is the
            default).
        KeyFileError: no trust file given and none recorded, or one missing or malformed
            (field ``trust``).
        VerificationError: a check failed (signature, another directory, rollback, expiry,
            size, hash, data); field ``name`` when the manifest names another directory than
            ``name``.
        NetworkError: the server could not be reached, answered with an error, or the
            deadline passed (field ``deadline`` then).
        StorageError: the sync folder cannot be written, or another sync holds it.
    """
    from somnet._time import check_clock

    check_clock(now)  # a date or a text is refused, naming now
    from somnet._clock import utc_now
    from somnet._config import sync_dir
    from somnet.sharing import signing
    from somnet.sharing.bundle import MAX_BUNDLE_BYTES

    _check_settings(timeout, attempts, deadline)
    if name is not None:
        check_directory_name(name, "name")
    if cache is not None:
        refuse_empty(cache, "cache")  # never made a sync folder
    folder = sync_dir() if cache is None else Path(cache)
    now = (now or utc_now()).astimezone(UTC)
    # Bad input first: nothing is written for a mistyped URL or a missing trust file.
    source = signed_manifest_url(url) if url is not None else None
    trust_files = tuple(os.path.abspath(path) for path in one_or_many(trust, "trust"))
    trusted = signing.load_trusted_keys([Path(t) for t in trust_files]) if trust_files else None
    # The source and trust files of a state damaged elsewhere, for a scheduled sync to start
    # afresh from rather than fail at every run until they are typed again.
    salvaged: tuple[str, tuple[str, ...]] | None = None
    if source is None or trusted is None:
        ignored: list[str] = []
        try:
            recorded = _state_or_none(folder, fresh=False, ignored=ignored)
        except StorageError:
            salvaged = recorded_source_and_trust(folder)
            if salvaged is None:
                raise
            recorded = None
    if salvaged is not None:
        if source is None:
            source = _recorded_source(folder, salvaged[0])
        if trusted is None:
            trust_files = salvaged[1]
            trusted = _recorded_trust(trust_files, None)
    elif source is None or trusted is None:
        if source is None and (recorded is None or not recorded.source):
            why = (
                _("nothing was synced before")
                if recorded is None
                else _unusable(folder, ignored, "source") or _("none is recorded")
            )
            raise BadInputError(_("give the site's URL ({why})").format(why=why), field="url")
        if trusted is None:
            trust_files = recorded.trust if recorded is not None else ()
            trusted = _recorded_trust(trust_files, _unusable(folder, ignored, "trust"))
    if client is None:
        check_environment_proxies()
        check_environment_certificates()
    install.prepare_folder(folder, given=cache is not None)
    with install.locked(folder, now, given=cache is not None) as holding:
        warnings: list[str] = []
        if not holding:
            warnings.append(
                _(
                    "{folder}: its filesystem has no locks: a sync started meanwhile would not "
                    "be kept out"
                ).format(folder=folder)
            )
        fresh = (url is not None and bool(trust)) or salvaged is not None
        state = _state_or_none(folder, fresh=fresh, warnings=warnings)
        floor = install.salvaged_floor(folder, trusted) if state is None else None
        # The directory the folder follows: its installed copy's; with a state damaged, the
        # one the copies kept there name, as they still bound the version.
        followed = (
            state.current.directory
            if state is not None
            else install.salvaged_directory(folder, trusted)
        )
        if state and (folder / state.current.folder).is_dir():
            kept = _("{reason}; the installed directory is unchanged (version {version})").format(
                version=state.current.version
            )
        elif install.copies_kept(folder):  # the state damaged: its copies stay as they were
            kept = _("{reason}; the installed directory is unchanged")
        else:
            kept = _("{reason}; nothing was installed")
        if name is not None and followed is not None and followed != name:
            refused = BadInputError(
                _(
                    "{folder} follows the directory {followed}, not {name}: its first sync "
                    "installed {followed}, and it installs no other"
                ).format(folder=folder, followed=repr(followed), name=repr(name)),
                field="name",
                value=name,
            )
            _add_to_reason(refused, kept)
            raise refused
        if source is None:
            if state is None or not state.source:  # changed by someone else meanwhile
                raise BadInputError(_("give the site's URL (none is recorded)"), field="url")
            source = _recorded_source(folder, state.source)
        elif source.startswith("http://") and (state is None or state.source != source):
            # Said once, when the source is new; the scheduled syncs that follow stay quiet.
            warnings.append(
                _(
                    "{source}: plain http: the signature still guards the directory's "
                    "content, but anyone on the way sees what is fetched and can hold "
                    "updates back until the copy expires; use https if the site offers it"
                ).format(source=source)
            )
        fetcher = Fetcher(
            client,
            sleep=sleep,
            attempts=attempts,
            backoff=backoff,
            timeout=timeout,
            deadline=deadline,
        )
        try:
            with fetcher:
                result = _install(
                    source,
                    trusted,
                    trust_files,
                    fetcher,
                    name=name,
                    followed=followed,
                    folder=folder,
                    state=state,
                    floor=floor,
                    now=now,
                    max_bundle_bytes=max_bundle_bytes or MAX_BUNDLE_BYTES,
                    progress=progress,
                )
        except (VerificationError, NetworkError, StorageError) as exc:
            _add_to_reason(exc, kept)
            raise
        # Only now that every check passed: what killed syncs left behind. Without a lock,
        # another sync may be running: what looks left behind may be its work.
        if holding:
            with contextlib.suppress(StorageError):
                install.remove_leftovers(folder, read_state(folder))
    if result.outcome == "installed" and os.path.realpath(folder) == os.path.realpath(sync_dir()):
        warnings += _ready_for_the_commands(result.copy, now)
    copy_warnings = [str(warning) for warning in synced_copy_warnings(folder, now=now)]
    return attrs.evolve(result, warnings=(*warnings, *result.warnings, *copy_warnings))


def _ready_for_the_commands(copy: Path, now: datetime) -> list[str]:
    """Load a copy just installed as the commands will (the overlays of ``SOMNET_DATA`` on
    top), into the user's cache: the next command, perhaps at night on a patrol boat, is served
    at once instead of validating every file again. The copy validated alone; an overlay it
    breaks is told now, not by that command (which reads another directory meanwhile)."""
    from somnet.directory.loading import DATA_ENV
    from somnet.sharing.status import load_problem

    problem = load_problem(copy, now)
    if problem is None:
        return []
    return [
        _(
            "the new copy does not load under the overlays of {variable} ({problem}): commands "
            "read another directory until the overlays are fixed"
        ).format(variable=DATA_ENV, problem=problem)
    ]


def _add_to_reason(exc: SomnetError, note: Message) -> None:
    """Make an error's reason ``note`` (``{reason}; ...``) with its reason in it, keeping its
    class, field and other data, and a message the catalogs tell in the language in use."""
    exc.reason = note.format(reason=exc.reason)
    exc.args = (f"{exc.field}: {exc.reason}" if exc.field else exc.reason,)


def _recorded_source(folder: Path, recorded: str) -> str:
    """The signed manifest's URL the state records, read as a URL given is.

    Raises:
        BadInputError: it is no URL (damaged on disk), naming the state file, not the URL the
            user did not give (field ``url``).
    """
    from somnet._config import SYNC_STATE_NAME

    try:
        return signed_manifest_url(recorded)
    except BadInputError as exc:
        why = _("the one recorded cannot be used: {path}: {why}").format(
            path=folder / SYNC_STATE_NAME, why=f"$.source: {exc.reason}"
        )
        raise BadInputError(_("give the site's URL ({why})").format(why=why), field="url") from None


def _recorded_trust(trust_files: Sequence[str], unusable: Message | None) -> list[TrustedKey]:
    """The keys of the trust files recorded by an earlier sync, read now.

    Args:
        trust_files: the trust files recorded.
        unusable: why the recorded value was left out, if it was (:func:`_unusable`).

    Raises:
        KeyFileError: none recorded, or one is gone or malformed (field ``trust``).
    """
    from somnet.sharing import signing

    if not trust_files:
        if unusable is not None:
            raise KeyFileError(
                _("give the publisher's public key (KEY.pub) or a trust file ({why})").format(
                    why=unusable
                ),
                field="trust",
            )
        raise KeyFileError(
            _("give the publisher's public key (KEY.pub) or a trust file (none is recorded)"),
            field="trust",
        )
    try:
        return signing.load_trusted_keys([Path(t) for t in trust_files])
    except KeyFileError as exc:
        _add_to_reason(
            exc, _("{reason}; a trust file named at an earlier sync: give the trust files again")
        )
        raise


def _unusable(folder: Path, ignored: Sequence[str], name: str) -> Message | None:
    """Why the state's value ``name`` was left out (``ignored`` as :func:`load_state` gives
    it), naming the file, or None when it was not."""
    from somnet._config import SYNC_STATE_NAME

    for why in ignored:
        if why.startswith(f"$.{name}:"):
            return _("the one recorded cannot be used: {path}: {why}").format(
                path=folder / SYNC_STATE_NAME, why=why
            )
    return None


def _state_or_none(
    folder: Path,
    *,
    fresh: bool,
    warnings: list[str] | None = None,
    ignored: list[str] | None = None,
) -> SyncState | None:
    """The state in ``folder`` for a sync. Values that cannot be used are reported in
    ``warnings``, and listed in ``ignored`` as ``$.field: why``; with ``fresh`` (the URL and
    the keys were given), a state damaged beyond use is reported in ``warnings`` too and the
    sync starts afresh, else it stops the sync."""
    from somnet._config import SYNC_STATE_NAME

    try:
        state, unused = load_state(folder)
    except StorageError as exc:
        if is_folder(folder / SYNC_STATE_NAME):
            # Not even a sync with the URL and trust files could write the state there: said
            # before anything is fetched, with what the commands read meanwhile.
            _add_to_reason(
                exc,
                _(
                    "{reason}; the installed directory is unchanged: the commands read the "
                    "shipped directory"
                )
                if install.copies_kept(folder)
                else _("{reason}; nothing was installed: the commands read the shipped directory"),
            )
            raise
        if not fresh:
            _add_to_reason(
                exc, _("{reason}; give the site's URL and the trust files to sync afresh")
            )
            raise
        if warnings is not None:
            warnings.append(
                _(
                    "{exc}; syncing afresh (versions older than the copies kept there are "
                    "still refused)"
                ).format(exc=exc.reason)
            )
        return None
    if warnings is not None:
        warnings.extend(ignored_warning(folder / SYNC_STATE_NAME, why) for why in unused)
    if ignored is not None:
        ignored.extend(unused)
    return state


def _install(
    source: str,
    trusted: Sequence[TrustedKey],
    trust_files: Sequence[str],
    fetcher: Fetcher,
    *,
    name: str | None,
    followed: str | None,
    folder: Path,
    state: SyncState | None,
    floor: tuple[int, str] | None,
    now: datetime,
    max_bundle_bytes: int,
    progress: Progress | None,
) -> SyncResult:
    """Fetch, check and install, under the lock, within the fetcher's deadline."""
    import httpx

    from somnet.sharing import signing

    installed = state is not None and (folder / state.current.folder).is_dir()
    warnings: list[str] = []
    expired = installed and state is not None and state.current.expires <= now
    revoked = state is not None and _revoked(state.current, trusted)
    # The previous good copy is what the commands fall back to: not one a revoked key signed.
    previous = state.previous if state is not None and not revoked else None
    if previous is not None and _revoked(previous, trusted):
        warnings.append(
            _(
                "{label} was signed by key {key_id}, which is no longer trusted: it is no "
                "longer kept to fall back on"
            ).format(label=previous_copy_label(previous.version), key_id=previous.key_id)
        )
        previous = None
    # A copy whose files changed since it was installed (damaged on disk, edited by hand) is not
    # what its key signed: it is installed again, whatever the server says of the manifest.
    on_disk = folder / state.current.folder if installed and state is not None else None
    seen = file_stats(on_disk) if on_disk is not None else None
    changed = changed_files(on_disk) if on_disk is not None else None
    if changed and state is not None:
        warnings.append(
            _(
                "the files of the installed version {version} were changed since it was "
                "installed ({files}): the site's copy replaces them"
            ).format(version=state.current.version, files=changed_text(changed))
        )
    intact = not changed
    if changed == [] and on_disk is not None:
        # Found intact by its digests: its sizes and times are what the commands compare.
        record_stats(on_disk, seen)
    # Once the copy has expired, or its key is revoked, a 304 would prove nothing (it says the
    # manifest is the one seen before): ask for the manifest whole. So too when it changed.
    conditional = (
        installed
        and intact
        and state is not None
        and state.source == source
        and not expired
        and not revoked
    )
    etag = state.etag if conditional and state is not None else None
    # One file holds the manifest and its signature: never one publication's manifest with
    # another's signature, however a publication and this sync interleave.
    fetched = fetcher.small(
        source, MAX_MANIFEST_BYTES, _("the signed manifest"), etag=etag, unfinished=_json.ends_early
    )
    if fetched is None:  # 304 Not Modified
        if expired and state is not None:
            raise VerificationError(
                _(
                    "{source}: the server answers 304 Not Modified, but the installed copy "
                    "(version {version}) expired on {text}: a 304 proves nothing once a copy "
                    "has expired (a server replaying old answers: freeze attack)"
                ).format(
                    source=source, version=state.current.version, text=_text(state.current.expires)
                )
            )
        if etag is None or state is None:
            raise NetworkError(
                _(
                    "{source}: fetching the signed manifest: the server answered 304 Not "
                    "Modified to a request that was not conditional"
                ).format(source=source)
            )
        write_state(
            folder,
            attrs.evolve(state, trust=tuple(trust_files), previous=previous, checked_at=now),
        )
        return SyncResult(
            "not-modified",
            state.current.version,
            state.current.version,
            state.current.expires,
            source,
            folder / state.current.folder,
            state.current.directory,
            tuple(warnings),
        )
    new_etag = safe_etag(fetched.etag)
    try:
        manifest_bytes, signature = split_signed_manifest(fetched.content, source)
    except VerificationError as exc:
        if fetched.encoding is None and _json.ends_early(fetched.content):
            raise _cut_short(source, fetched) from None
        if fetched.encoding is None and _looks_like_a_page(fetched.content):
            # A page of the web server's own (an error, a login, a captive portal's), sent
            # with 200 as some send them: said for what it is, not as JSON gone wrong.
            raise VerificationError(
                _(
                    "{source}: the server answered a web page (HTML) where the signed manifest "
                    "belongs: an error or login page, or not the site's URL"
                ).format(source=source)
            ) from None
        if fetched.encoding is None:
            raise
        # Not JSON because a proxy compressed it: said so (its bytes are never decoded).
        raise VerificationError(noting_encoding(exc.reason, fetched.encoding)) from None
    signer = signing.verify(
        manifest_bytes,
        signature,
        trusted,
        claimed_key_id=claimed_key_id(manifest_bytes),
        label=source,
    )
    manifest = read_manifest(manifest_bytes, source)
    _check_directory(manifest, source, followed, name)
    if revoked and state is not None:
        # Recovery from a stolen key: once the key that signed the installed copy is no
        # longer trusted, its version no longer bounds what a trusted key may install.
        floor = None
        warnings.append(
            _(
                "the installed version {version} was signed by key {key_id}, which is no "
                "longer trusted: its version no longer bounds what is installed, and "
                "version {version2} signed by key {key_id2} replaces it"
            ).format(
                version=state.current.version,
                key_id=state.current.key_id,
                version2=manifest.version,
                key_id2=signer.key_id,
            )
        )
    elif state is not None:
        floor = (state.current.version, state.current.sha256[:12])
    _check_manifest(manifest, floor, now, max_bundle_bytes, source)
    trust = tuple(trust_files)
    same = (
        installed
        and state is not None
        and manifest.version == state.current.version
        and manifest.bundle.sha256 == state.current.sha256
    )
    if (
        same
        and state is not None
        and not revoked
        and dated_before(manifest.created, manifest.expires, state.current)
    ):
        raise VerificationError(
            _(
                "{source}: the server offers an older manifest of version {version} "
                "(created {text}, expiring {text2}) than the one installed (created "
                "{text3}): a replay that would move the expiry back"
            ).format(
                source=source,
                version=manifest.version,
                text=_text(manifest.created),
                text2=_text(manifest.expires),
                text3=_text(state.current.created),
            )
        )
    if same and intact and state is not None:
        # The same bundle again, perhaps with a later expiry: keep the files, renew (files
        # changed since they were installed are downloaded again, below).
        current = attrs.evolve(
            state.current,
            created=manifest.created,
            expires=manifest.expires,
            key_id=signer.key_id,
        )
        # Signed again, perhaps by a new key: the copy records which, as the state does.
        install.record_signed_manifest(folder / current.folder, fetched.content)
        write_state(
            folder,
            attrs.evolve(
                state,
                source=source,
                trust=trust,
                current=current,
                previous=previous,
                etag=new_etag,
                checked_at=now,
            ),
        )
        return SyncResult(
            "current",
            manifest.version,
            manifest.version,
            manifest.expires,
            source,
            folder / current.folder,
            current.directory,
            tuple(warnings),
        )
    # Next to the manifest where it was found, after any redirect within the site.
    bundle_url = str(httpx.URL(fetched.url).join(manifest.bundle.name))
    with install.temporary_file(folder, ".download-") as download:
        fetcher.download(
            bundle_url,
            download,
            size=manifest.bundle.size,
            sha256=manifest.bundle.sha256,
            progress=progress,
        )
        copy = install.unpack_and_validate(download, folder, manifest, now, fetched.content)
    new_state = SyncState(
        source=source,
        trust=trust,
        current=InstalledCopy(
            version=manifest.version,
            sha256=manifest.bundle.sha256,
            size=manifest.bundle.size,
            created=manifest.created,
            expires=manifest.expires,
            key_id=signer.key_id,
            directory=manifest.directory,
            synced_at=now,
            folder=copy,
        ),
        # The previous good copy is kept to fall back on, unless a revoked key signed it; a
        # copy changed since it was installed, or gone, is none, and the one before it stays.
        previous=(
            state.current
            if installed and intact and state is not None and not revoked
            else previous
        ),
        etag=new_etag,
        checked_at=now,
    )
    try:
        write_state(folder, new_state)
    except BaseException:
        kept_copies = (
            {state.current.folder, getattr(state.previous, "folder", None)} if state else set()
        )
        # An interruption (Ctrl-C) that lands just after the rename of the state file finds
        # the install done: the copy is the installed one, not a failed install's leftover.
        if copy not in kept_copies and not state_written(folder, new_state):
            install.remove_copy(folder, copy)
        raise
    fsync_folder(folder)
    install.remove_unused_copies(folder, new_state)
    return SyncResult(
        "installed",
        manifest.version,
        state.current.version if installed and state is not None else None,
        manifest.expires,
        source,
        folder / copy,
        manifest.directory,
        tuple(warnings),
    )


def _check_directory(
    manifest: Manifest, source: str, followed: str | None, name: str | None
) -> None:
    """Refuse a manifest that names another directory than the one the folder follows
    (``followed``), or, at a first sync, than ``name``: an office may sign several
    directories with one key, and whoever answers for one site could serve another's.

    Raises:
        VerificationError: the manifest names another directory (field ``name`` when it is
            not the one given).
    """
    if followed is not None and manifest.directory != followed:
        raise VerificationError(
            _(
                "{source}: the site serves the directory {served}, but this folder follows "
                "{followed} (installed at its first sync): another directory signed with a "
                "trusted key is refused"
            ).format(
                source=source,
                served=repr(manifest.directory),
                followed=repr(followed),
            )
        )
    if name is not None and manifest.directory != name:
        raise VerificationError(
            _(
                "{source}: the site serves the directory {served}, not {name}, the one to install"
            ).format(source=source, served=repr(manifest.directory), name=repr(name)),
            field="name",
            value=name,
        )


def _cut_short(source: str, fetched: Fetched) -> SomnetError:
    """The error of a signed manifest whose answer stopped in the middle of its JSON (or
    before it began: an empty body), saying where it stopped: at the length the server
    announced, or at the last chunk it sent (its answer, refused: exit 2). (One that the
    connection's close ended is tried again as the network's fault when fetched.)"""
    received = len(fetched.content)
    if received == 0:  # nothing to be cut: an empty file, or an empty answer
        return VerificationError(
            _(
                "{source}: the server answered with an empty body (0 bytes) where the signed "
                "manifest belongs"
            ).format(source=source)
        )
    if fetched.announced is not None:
        return VerificationError(
            _(
                "{source}: the signed manifest ends after the {received} bytes the server "
                "announced (Content-Length), in the middle of its JSON: the answer was cut short "
                "(a server that announces less than the whole file, or a file on the site cut "
                "short)"
            ).format(source=source, received=received)
        )
    return VerificationError(  # chunked, its last chunk sent: the server's own file ends there
        _(
            "{source}: the signed manifest ends after {received} bytes, in the middle of its "
            "JSON: the answer was cut short (a file on the site cut short)"
        ).format(source=source, received=received)
    )


def _text(moment: datetime) -> str:
    from somnet._time import utc_text

    return utc_text(moment)


def _revoked(copy: InstalledCopy, trusted: Sequence[TrustedKey]) -> bool:
    """Whether the key that signed ``copy`` has been removed from the trust files."""
    return copy.key_id not in {key.key_id for key in trusted}


def _check_manifest(
    manifest: Manifest,
    floor: tuple[int, str] | None,
    now: datetime,
    max_bundle_bytes: int,
    source: str,
) -> None:
    """Refuse an expired manifest, a version below ``floor`` (the installed version and its
    SHA-256 prefix, when its key is still trusted), or a bundle larger than accepted."""
    if manifest.expires <= now:
        raise VerificationError(
            _(
                "{source}: the manifest (version {version}) expired on {text}: a server "
                "replaying an old directory (freeze attack) or a publisher who has not "
                "renewed it"
            ).format(source=source, version=manifest.version, text=_text(manifest.expires))
        )
    if manifest.created > now + CLOCK_SKEW:
        raise VerificationError(
            _(
                "{source}: the manifest (version {version}) is dated {text}, ahead of "
                "this machine's clock ({text2}) by more than {clock_skew}: the "
                "publisher's clock or this one is wrong, or a stolen key signed it"
            ).format(
                source=source,
                version=manifest.version,
                text=_text(manifest.created),
                text2=_text(now),
                clock_skew=CLOCK_SKEW,
            )
        )
    if floor is not None:
        version, prefix = floor
        if manifest.version < version:
            raise VerificationError(
                _(
                    "{source}: rollback refused: the server offers version {version}, older "
                    "than the installed version {version2}"
                ).format(source=source, version=manifest.version, version2=version)
            )
        if manifest.version == version and manifest.bundle.sha256[:12] != prefix:
            raise VerificationError(
                _(
                    "{source}: version {version} is already installed with other content "
                    "(SHA-256 {prefix}..., now {value}...); a publisher must raise the "
                    "version for new content"
                ).format(
                    source=source,
                    version=manifest.version,
                    prefix=prefix,
                    value=manifest.bundle.sha256[:12],
                )
            )
    if manifest.bundle.size > max_bundle_bytes:
        raise VerificationError(
            _(
                "{source}: the manifest announces a bundle of {size} bytes, more than "
                "the {max_bundle_bytes} bytes accepted"
            ).format(source=source, size=manifest.bundle.size, max_bundle_bytes=max_bundle_bytes)
        )


def _looks_like_a_page(content: bytes) -> bool:
    """Whether ``content`` begins as markup does (``<``), after blanks and a UTF-8 byte-order
    mark, which editors on Windows write at the head of a page."""
    return content.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<"
