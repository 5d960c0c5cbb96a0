"""Publishing the directory: validate a folder, write its bundle and the signed manifest into a
site folder that any static web server serves, and prune the bundles of older versions.

The site::

    SITE/signed-manifest.json    the manifest and its signature (somnet.sharing.manifest)
    SITE/directory-N-HASH.json   the bundle of version N (somnet.sharing.bundle)

The bundle is written before the manifest that names it, and the manifest with its signature
in one ``os.replace``, so that a client never sees a manifest whose bundle is missing, nor one
publication's manifest with another's signature. The bundles of older versions are removed
only after the new manifest is in place, keeping those of the last few versions for clients
that read the previous manifest a moment before.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from somnet.directory.lookup import Directory

from somnet._exceptions import BadInputError, PublishedVersionError, StorageError, VerificationError
from somnet._i18n import _, ngettext
from somnet.sharing.bundle import build_bundle
from somnet.sharing.manifest import (
    MAX_VERSION,
    SIGNED_MANIFEST_NAME,
    BundleEntry,
    Manifest,
    check_directory_name,
    dated_before,
    manifest_bytes,
    read_manifest,
    signed_manifest_bytes,
    split_signed_manifest,
)

DEFAULT_EXPIRES = "30d"
#: The file of the site that one publication at a time holds a lock on, while it runs.
PUBLISH_LOCK_NAME = ".somnet-publish.lock"
#: ``publish_directory`` keeps the bundles of this many versions (the new one included).
DEFAULT_KEEP = 3
#: The bundles ``publish_directory`` writes (and may prune): directory-VERSION-HASH12.json.
_PUBLISHED_BUNDLE = re.compile(r"directory-([1-9][0-9]*)-[0-9a-f]{12}\.json")
#: A lifetime in hours, days or weeks, in ASCII digits (re's \d also matches other scripts').
_DURATION = re.compile(r"([0-9]+)\s*([hdw])")
#: The longest lifetime a manifest may be given as a duration: ten years.
_LONGEST_HOURS = 24 * 366 * 10


@attrs.frozen
class PublishResult:
    """What a publication wrote.

    Attributes:
        site: the site folder.
        version: the version published.
        files: how many data files the bundle holds.
        bundle: the bundle's file name in the site.
        size: the bundle's size in bytes.
        sha256: the bundle's SHA-256.
        created: the publication time.
        expires: when clients stop trusting the manifest.
        key_id: the key that signed it.
        directory: the name of the directory published, as the manifest names it.
        removed: the bundles of older versions removed from the site.
        warnings: what the publisher must know although the publication stands (a bundle
            that could not be removed).
    """

    site: Path
    version: int
    files: int
    bundle: str
    size: int
    sha256: str
    created: datetime
    expires: datetime
    key_id: str
    directory: str
    removed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The result as JSON (times as UTC text, the site as text)."""
        from somnet._convert import converter

        value: dict[str, Any] = converter().unstructure(self)
        return value


def parse_expiry(text: str, now: datetime) -> datetime:
    """When a manifest expires: ``30d``, ``12h``, ``2w`` from ``now``, a date (midnight UTC) or
    a time with its offset.

    Raises:
        BadInputError: not one of those, or not in the future (field ``expires``).
    """
    from somnet._time import read_time, utc_text

    value = text.strip()
    moment: datetime | None = None
    duration = _DURATION.fullmatch(value.lower())
    if duration:
        hours = {"h": 1, "d": 24, "w": 24 * 7}[duration.group(2)] * int(duration.group(1))
        if hours > _LONGEST_HOURS:
            raise BadInputError(
                _("{repr}: more than ten years").format(repr=repr(text)),
                field="expires",
                value=text,
            )
        moment = now + timedelta(hours=hours)
    else:
        with contextlib.suppress(ValueError):
            moment = datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
        if moment is None:
            with contextlib.suppress(BadInputError):
                moment = read_time(value, None, field="expires")
    if moment is None:
        raise BadInputError(
            _(
                "{repr}: expected a duration like 30d, 12h or 2w, a date like "
                "2027-01-31, or a time with its offset like 2027-01-31T12:00:00Z"
            ).format(repr=repr(text)),
            field="expires",
            value=text,
        )
    # A date or a time is held to the longest lifetime too.
    if moment - now > timedelta(hours=_LONGEST_HOURS):
        raise BadInputError(
            _("{repr}: more than ten years").format(repr=repr(text)), field="expires", value=text
        )
    # The manifest keeps whole seconds: a moment within the second of ``now`` is ``now``.
    moment = moment.astimezone(UTC).replace(microsecond=0)
    if moment <= now:
        raise BadInputError(
            _("{repr}: {utc_text} is not in the future").format(
                repr=repr(text), utc_text=utc_text(moment)
            ),
            field="expires",
            value=text,
        )
    return moment


def _version_refused(
    reason: str, *, version: int, current: Manifest, signing_key_id: str, site: Path
) -> PublishedVersionError:
    """The refusal of ``version`` where the site publishes ``current`` (field ``version``),
    with what the publisher needs to find the way out: whose key signed the site's manifest,
    and its file."""
    return PublishedVersionError(
        reason,
        version=version,
        published_version=current.version,
        published_key_id=current.key_id,
        signing_key_id=signing_key_id,
        site_manifest=site / SIGNED_MANIFEST_NAME,
        field="version",
    )


def read_site_manifest(site: Path) -> Manifest | None:
    """The manifest already published in a site folder, if any (its signature is not checked:
    it is the publisher's own folder).

    Raises:
        BadInputError: the site's signed manifest is malformed (field ``out``).
        StorageError: it cannot be read.
    """
    path = Path(site) / SIGNED_MANIFEST_NAME
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(
            _("{path}: cannot read: {value}").format(path=path, value=exc.strerror or exc)
        ) from exc
    try:
        return read_manifest(split_signed_manifest(content, str(path))[0], str(path))
    except VerificationError as exc:
        raise BadInputError(
            _("{exc}; fix or remove it before publishing").format(exc=exc), field="out", value=site
        ) from None


def prune_bundles(site: Path, keep: int, version: int) -> tuple[list[str], list[str]]:
    """Remove the bundles of versions older than the last ``keep`` ones up to ``version``.

    Only files named as bundles are named on publication (``directory-N-HASH.json``) are
    considered; bundles of versions above ``version`` are left alone.

    Returns:
        The names removed, and a message for each bundle that could not be removed.
    """
    by_version: dict[int, list[str]] = {}
    for item in Path(site).iterdir():
        match = _PUBLISHED_BUNDLE.fullmatch(item.name)
        if match and item.is_file() and int(match.group(1)) <= version:
            by_version.setdefault(int(match.group(1)), []).append(item.name)
    kept = sorted(by_version, reverse=True)[:keep]
    removed: list[str] = []
    problems: list[str] = []
    for old in sorted(set(by_version) - set(kept)):
        for name in sorted(by_version[old]):
            try:
                (Path(site) / name).unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                problems.append(
                    _("{value}: cannot remove: {value2}").format(
                        value=Path(site) / name, value2=exc.strerror or exc
                    )
                )
                continue
            removed.append(name)
    return removed, problems


@contextlib.contextmanager
def _one_publication_at_a_time(site: Path, now: datetime) -> Iterator[bool]:
    """Hold the site's lock (``PUBLISH_LOCK_NAME``, removed on leaving: the site keeps no
    file but the bundles and the manifest), or refuse at once; yields False where the
    filesystem has no locks.

    Raises:
        BadInputError: the lock file is a link (field ``out``).
        StorageError: another publication holds the site, or it cannot be locked.
    """
    from somnet._lock import held

    def busy(who: str) -> StorageError:
        return StorageError(
            _(
                "{site}: another publication is being written there{who}; publish again once "
                "it has finished"
            ).format(site=site, who=who)
        )

    def link() -> BadInputError:
        return BadInputError(
            _("{path}: a symbolic link; somnet follows no link in the site (remove it)").format(
                path=site / PUBLISH_LOCK_NAME
            ),
            field="out",
            value=site,
        )

    with held(
        site / PUBLISH_LOCK_NAME,
        since=now,
        busy=busy,
        link=link,
        remove=True,
    ) as holding:
        yield holding


def publish_directory(
    data: Path,
    key: Path,
    out: Path,
    *,
    name: str,
    version: int | None = None,
    expires: str = DEFAULT_EXPIRES,
    keep: int = DEFAULT_KEEP,
    now: datetime | None = None,
) -> PublishResult:
    """Validate a directory folder and publish it, signed, into a site folder.

    The bundle is written first, then ``signed-manifest.json`` (the manifest and its signature
    replaced together in one ``os.replace``), so that a client never sees a manifest whose
    bundle is missing. Older bundles are removed last. Republishing the same content as the
    same version renews its expiry.

    Args:
        data: the directory folder to publish (the layout of ``data/``).
        key: the private key file (:func:`somnet.generate_key_pair`).
        out: the site folder a web server serves; made if missing, but not its parents.
        name: the directory's name, which the manifest carries (``caribbean-coast-guards``:
            lower-case letters a-z, digits, ``.``, ``_`` and ``-``, at most 64 characters):
            an agency's sync folder installs only the directory it follows, so that another
            directory signed with the same key (a staging copy, another region's) cannot be
            served in its place. A site publishes one directory: its name cannot change
            while its signed manifest is there.
        version: the new version; by default one more than the site's current version (or 1).
        expires: when clients stop trusting this manifest: a duration (``30d``, ``12h``,
            ``2w``), a date (midnight UTC) or a time with its offset.
        keep: keep the bundles of this many versions, the new one included (at least 1); the
            others are removed once the new manifest is in place.
        now: the publication time (default: the clock).

    Returns:
        What was published.

    Raises:
        KeyFileError: the key is missing or malformed (field ``key``).
        DirectoryError: the directory does not validate.
        PublishedVersionError: the site publishes a higher version, or this version with other
            content (field ``version``).
        BadInputError: a bad version, expiry, ``keep``, name, data folder or site folder
            (fields ``version``, ``expires``, ``keep``, ``name``, ``data``, ``out``), a number
            that is not an ``int`` (``True`` is not 1 here), an expiry or a name that is not
            text, or a site that publishes a directory of another name (field ``name``).
        StorageError: the site cannot be written, another publication is being written
            there, or the data files changed while they were validated.
    """
    from somnet._time import check_clock

    check_clock(now)  # a date or a text is refused, naming now
    from somnet._clock import latest_date, utc_now
    from somnet._files import (
        refuse_dangling_link,
        refuse_empty,
        refuse_missing_folder,
        write_atomic,
    )
    from somnet._numbers import check_whole
    from somnet.directory.loading import load_directory
    from somnet.sharing import signing

    # A script's "3" or True (a flag passed in the wrong place) would fail inside or be 1.
    check_whole(keep, field="keep")
    if version is not None:
        check_whole(version, field="version")
    if not isinstance(expires, str):
        raise BadInputError(
            _("{value} is not text: give a duration like 30d, a date or a time").format(
                value=repr(expires)[:40]
            ),
            field="expires",
            value=expires,
        )
    check_directory_name(name, "name")
    if keep < 1:
        raise BadInputError(
            _("keep at least 1 version (the one published)"), field="keep", value=keep
        )
    if version is not None and not 1 <= version <= MAX_VERSION:
        raise BadInputError(
            _("{version}: versions are whole numbers from 1 to {max_version}").format(
                version=version, max_version=MAX_VERSION
            ),
            field="version",
            value=version,
        )
    for field, given in (("data", data), ("key", key), ("out", out)):
        refuse_empty(given, field)  # would publish the working folder, or into it
    now = (now or utc_now()).astimezone(UTC).replace(microsecond=0)
    expiry = parse_expiry(expires, now)
    private_key = signing.load_private_key(Path(key))
    signer = signing.public_key_of(private_key)
    site = Path(out)
    if not site.is_dir():
        # The site folder may be made, never its parents: a mistyped path would hide the site.
        refuse_dangling_link(site, "out")  # the folder would not be made there
        if site.exists():
            raise BadInputError(
                _("{site}: a file, not a folder").format(site=site), field="out", value=site
            )
        refuse_missing_folder(site, "out")
    data = Path(data)
    if not data.is_dir():
        what = _("a file, not a folder of data files") if data.exists() else _("no such directory")
        raise BadInputError(
            _("{data}: {what}").format(data=data, what=what), field="data", value=data
        )
    from somnet.directory.layers import layer_refusal

    # A folder that is no directory (the root folder given) or holds none is the argument's
    # fault.
    refusal = layer_refusal(data)
    if refusal is not None:
        raise BadInputError(refusal, field="data", value=data)
    # Read before and after validating: a file saved meanwhile (a person editing while a
    # scheduled publication runs) would otherwise be published unchecked.
    try:
        content, count = build_bundle(data)
    except StorageError:
        # A file that cannot be read as text: validation names it, as bad data (exit 2).
        load_directory(base=data, use_env=False, today=latest_date(now))
        raise
    directory = load_directory(base=data, use_env=False, today=latest_date(now))
    if build_bundle(data)[0] != content:
        raise StorageError(
            _(
                "{data}: its files changed while it was being validated; publish again once "
                "they are saved"
            ).format(data=data)
        )
    digest = hashlib.sha256(content).hexdigest()
    try:
        site.mkdir(exist_ok=True)
    except OSError as exc:
        raise StorageError(
            _("{site}: cannot write: {value}").format(site=site, value=exc.strerror or exc)
        ) from exc
    # One publication at a time, from reading the site's version to pruning: two at once (a
    # cron job and a person) would publish one version with two contents.
    with _one_publication_at_a_time(site, now) as holding:
        unlocked = (
            []
            if holding
            else [
                _(
                    "{site}: its filesystem has no locks: a publication started meanwhile "
                    "would not be kept out"
                ).format(site=site)
            ]
        )
        current = read_site_manifest(site)
        if current is not None and current.directory != name:
            raise BadInputError(
                _(
                    "{site} publishes the directory {published}, not {name}: agencies that "
                    "follow it refuse another directory there; publish {name} to a site of its "
                    "own, or, to rename the directory this site publishes, remove {manifest} "
                    "and publish again (agencies that follow {published} then refuse it)"
                ).format(
                    site=site,
                    published=repr(current.directory),
                    name=repr(name),
                    manifest=site / SIGNED_MANIFEST_NAME,
                ),
                field="name",
                value=name,
            )
        if version is None and current is not None and current.version == MAX_VERSION:
            raise BadInputError(
                _(
                    "{site} already publishes version {version}, the highest there is: new "
                    "content needs a new key (agencies that trust it instead accept its "
                    "versions from 1)"
                ).format(site=site, version=MAX_VERSION),
                field="out",
                value=site,
            )
        if version is None:
            version = current.version + 1 if current else 1
        if version > MAX_VERSION:
            raise BadInputError(
                _("{version}: versions go up to {max_version}").format(
                    version=version, max_version=MAX_VERSION
                ),
                field="version",
                value=version,
            )
        if current is not None and (
            version < current.version
            or (version == current.version and digest != current.bundle.sha256)
        ):
            if version < current.version:
                reason = _(
                    "{site} already publishes version {version}; versions only go up "
                    "(clients refuse an older one)"
                ).format(site=site, version=current.version)
            else:
                reason = _(
                    "{site} already publishes version {version} with other content (clients "
                    "refuse it: new content needs a new version)"
                ).format(site=site, version=version)
            raise _version_refused(
                reason, version=version, current=current, signing_key_id=signer.key_id, site=site
            )
        if (
            current is not None
            and version == current.version
            and dated_before(now, expiry, current)
        ):
            # A renewal dated before the manifest it renews (this machine's clock behind the
            # one that published it): every agency that has that one refuses this one as a
            # replayed older manifest, and their copies freeze at its expiry.
            from somnet._time import utc_text

            raise _version_refused(
                _(
                    "{site} publishes version {version} in a manifest created {text}, expiring "
                    "{text2}: agencies that have it would refuse this one (created {text3}, "
                    "expiring {text4}) as a replayed older manifest; check this machine's clock"
                ).format(
                    site=site,
                    version=version,
                    text=utc_text(current.created),
                    text2=utc_text(current.expires),
                    text3=utc_text(now),
                    text4=utc_text(expiry),
                ),
                version=version,
                current=current,
                signing_key_id=signer.key_id,
                site=site,
            )
        manifest = Manifest(
            version=version,
            created=now,
            expires=expiry,
            bundle=BundleEntry(
                name=f"directory-{version}-{digest[:12]}.json", sha256=digest, size=len(content)
            ),
            key_id=signer.key_id,
            directory=name,
        )
        signed = manifest_bytes(manifest)
        write_atomic(site / manifest.bundle.name, content, mode=0o644)
        # From this replace on, clients see the new version.
        envelope = signed_manifest_bytes(signed, signing.sign(private_key, signed))
        write_atomic(site / SIGNED_MANIFEST_NAME, envelope, mode=0o644)
        removed, problems = prune_bundles(site, keep, manifest.version)
    return PublishResult(
        site=site,
        version=manifest.version,
        files=count,
        bundle=manifest.bundle.name,
        size=manifest.bundle.size,
        sha256=manifest.bundle.sha256,
        created=manifest.created,
        expires=manifest.expires,
        key_id=manifest.key_id,
        directory=manifest.directory,
        removed=tuple(removed),
        warnings=(*unlocked, *problems, *_restricted(directory)),
    )


def _restricted(directory: Directory) -> list[str]:
    """What the publisher is told of the contacts marked restricted in the bundle: a site is
    served to every agency that syncs it (a regional office may mean to share them)."""
    count = sum(
        contact.sensitivity == "restricted"
        for agency in directory.agencies()
        for contact in agency.contacts
    )
    if not count:
        return []
    return [
        ngettext(
            "the bundle holds {n} contact marked restricted: serve the site only to the "
            "agencies entitled to it",
            "the bundle holds {n} contacts marked restricted: serve the site only to the "
            "agencies entitled to them",
            count,
        ).format(n=count)
    ]
