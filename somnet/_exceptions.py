"""Every error somnet raises.

The tree::

    SomnetError                      root: the CLI catches it and prints one line
    ├── BadInputError                the user can fix it (CLI exit 2)
    │   ├── DirectoryError           problems in directory files, each `FILE: $.path: what`
    │   ├── UnknownCodeError         a code that is not ISO 3166-1 alpha-2 (suggests some)
    │   ├── UnknownLanguageError     a language somnet has no catalog for (lists those it has)
    │   ├── HoursError               opening hours that cannot be read (also a ValueError)
    │   ├── InterceptionError        facts that contradict each other (a flag and stateless)
    │   ├── MeetingError             a meeting request that cannot be planned or recorded
    │   │   ├── NoSlotError          no time suits everyone (its reasons: whose hours, holidays)
    │   │   └── NoticeError, NothingChangesError, NothingMissingError, NotRecordedError,
    │   │       AlreadyRecordedError, RecordError (a record edited by hand or damaged)
    │   │       (somnet.meetings.errors: they carry data for hints)
    │   ├── KeyFileError             a missing or malformed signing or trust key
    │   │   └── KeyExistsError       a key pair that would replace one already there
    │   ├── PublishedVersionError    a version to publish that does not go above the site's
    │   └── VerificationError        a shared directory that must not be installed
    │       (bad signature, rollback, expired manifest, hash or size mismatch, invalid bundle)
    └── WorldError                   the world failed, not the user (CLI exit 1)
        ├── NetworkError             unreachable server, timeout, HTTP error status
        │   └── DeliveryError        an invite could not be delivered (SMTP, CalDAV)
        │       └── IncompleteDeliveryError, CaldavConflictError (somnet.meetings.errors)
        └── StorageError             a file or folder the system could not read or write

    IncompleteSeriesError (somnet.meetings.errors), an occurrence of a series that failed, is
    also the error of its cause's kind: MeetingError, DeliveryError or StorageError.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


class SomnetError(Exception):
    """Root of every error somnet raises.

    An error says what went wrong as data: ``reason``, a sentence for people; ``field``, the
    name of the argument, parameter or setting at fault (``zone``, ``coastal``, ``at``...),
    or None; ``value``, what was given. The library never names a command-line flag: the
    command line turns ``field`` into its flag.

    Args:
        reason: what is wrong, for people.
        field: the name of the input at fault, when one is.
        value: the value given for it.
    """

    exit_code = 1

    def __init__(self, reason: str, *, field: str | None = None, value: object = None) -> None:
        self.reason = reason
        self.field = field
        self.value = value
        super().__init__(f"{field}: {reason}" if field else reason)


class BadInputError(SomnetError):
    """Input the user can correct: a flag, a data file, a key."""

    exit_code = 2


class DirectoryError(BadInputError):
    """One or more problems in the directory files.

    Args:
        problems: each problem.
        reason: the problems told in the language in use, when given.
        field: the argument at fault, when one is (``base``: a base that is no folder).
        value: what was given for it.

    Attributes:
        problems: each problem as ``FILE: $.path.to.field: what is wrong``.
    """

    def __init__(
        self,
        problems: list[str],
        *,
        reason: str | None = None,
        field: str | None = None,
        value: object = None,
    ) -> None:
        self.problems = list(problems)
        if reason is not None:  # told in the language in use (``somnet._i18n.problems_text``)
            message = reason
        elif len(self.problems) == 1:
            message = self.problems[0]
        else:
            message = f"{len(self.problems)} problems in the directory:\n" + "\n".join(
                self.problems
            )
        super().__init__(message, field=field, value=value)


class UnknownCodeError(BadInputError):
    """A state code that is not ISO 3166-1 alpha-2."""


class UnknownLanguageError(BadInputError):
    """A language somnet has no catalog for.

    Attributes:
        available: the languages somnet speaks.
    """

    def __init__(
        self, reason: str, *, available: tuple[str, ...], field: str, value: object = None
    ) -> None:
        self.available = available
        super().__init__(reason, field=field, value=value)


class HoursError(BadInputError, ValueError):
    """Opening hours that cannot be read (``somnet.parse_hours``); a ``ValueError`` too, as
    the function has always said."""


class InterceptionError(BadInputError):
    """An interception whose facts contradict each other or cannot be read."""


class MeetingError(BadInputError):
    """A meeting that cannot be planned, recorded, updated or cancelled as asked."""


class NoSlotError(MeetingError):
    """No meeting time suits every participant; ``reasons`` says which constraint ruled out
    what (whose hours, which holidays); ``warnings``, what the plan could not check on the
    way (public holidays of a year python-holidays has no calendar of, the notice's
    included)."""

    def __init__(
        self,
        summary: str,
        reasons: list[str] | tuple[str, ...],
        *,
        reason: str | None = None,
        warnings: list[str] | tuple[str, ...] = (),
    ) -> None:
        self.summary = summary
        self.reasons = list(reasons)
        self.warnings = tuple(warnings)
        if reason is None:  # ``somnet._i18n.summarised`` tells it in the language in use
            reason = f"{summary}: {'; '.join(self.reasons)}" if self.reasons else summary
        super().__init__(reason)


class KeyFileError(BadInputError):
    """A signing key or trust file that is missing or malformed."""


class KeyExistsError(KeyFileError):
    """A key pair is not written over an existing key file unless asked to (a lost private key
    cannot be recovered).

    Attributes:
        path: the key file that exists.
    """

    def __init__(self, reason: str, *, path: Path, field: str | None = None) -> None:
        self.path = path
        super().__init__(reason, field=field, value=path)


class PublishedVersionError(BadInputError):
    """A version to publish that does not go above the one the site publishes (clients refuse
    an older version, and the same version with other content).

    The publisher's way out when the site's manifest was signed by a key since stolen is in the
    data: ``published_key_id`` differs from ``signing_key_id``, and removing ``site_manifest``
    lets the new key publish from any version.

    Attributes:
        version: the version asked for.
        published_version: the version the site publishes.
        published_key_id: the key that signed the site's manifest.
        signing_key_id: the key publishing now.
        site_manifest: the site's signed manifest file.
    """

    def __init__(
        self,
        reason: str,
        *,
        version: int,
        published_version: int,
        published_key_id: str,
        signing_key_id: str,
        site_manifest: Path,
        field: str | None = None,
    ) -> None:
        self.version = version
        self.published_version = published_version
        self.published_key_id = published_key_id
        self.signing_key_id = signing_key_id
        self.site_manifest = site_manifest
        super().__init__(reason, field=field, value=version)


class VerificationError(BadInputError):
    """A shared directory that failed verification and was not installed."""


class WorldError(SomnetError):
    """A failure of the world: network, disk. Not the user's input."""

    exit_code = 1


class NetworkError(WorldError):
    """A server that could not be reached or answered with an error."""


class DeliveryError(NetworkError):
    """An invite that could not be delivered by e-mail or CalDAV."""


class StorageError(WorldError):
    """A file or folder that could not be read or written."""
