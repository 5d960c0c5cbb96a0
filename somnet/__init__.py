"""somnet: whom to contact, in what order, on what legal basis, when a migrant-smuggling vessel
is intercepted at sea in Mexico, Central America and the Caribbean; and the region's meetings.
"""

from typing import TYPE_CHECKING, Any

from somnet._exceptions import (
    BadInputError,
    DeliveryError,
    DirectoryError,
    InterceptionError,
    KeyFileError,
    MeetingError,
    NetworkError,
    NoSlotError,
    SomnetError,
    StorageError,
    UnknownCodeError,
    VerificationError,
    WorldError,
)
from somnet._version import __version__
from somnet.directory.hours import WeeklyHours, parse_hours
from somnet.directory.loading import load_directory, shipped_data_dir
from somnet.directory.lookup import Directory
from somnet.directory.records import (
    ROLES,
    Agency,
    Agreement,
    Channel,
    ConsularChannel,
    Contact,
    SarRegion,
    Source,
    State,
)
from somnet.routing.interception import CONDITIONS, ZONES, Interception, make_interception
from somnet.routing.rules import RULES, ContactPlan, Rule, Step, plan_contacts

if TYPE_CHECKING:
    from somnet.meetings.caldav import CaldavServer, caldav_server
    from somnet.meetings.errors import (
        AlreadyRecordedError,
        CaldavConflictError,
        IncompleteDeliveryError,
        IncompleteSeriesError,
        NothingChangesError,
        NothingMissingError,
        NoticeError,
        NotRecordedError,
    )
    from somnet.meetings.ical import ILLUSTRATIVE_NOTE as INVITE_ILLUSTRATIVE_NOTE
    from somnet.meetings.ical import calendar_bytes
    from somnet.meetings.inputs import (
        duration_text,
        parse_date,
        parse_duration,
        parse_instant,
        parse_timeout,
        parse_whole,
    )
    from somnet.meetings.invites import (
        SeriesCancellation,
        SeriesInvitation,
        cancel_meeting,
        cancel_series,
        invite_meeting,
        invite_series,
        resend_meeting,
        update_meeting,
    )
    from somnet.meetings.issuing import Channels, Issued, issue
    from somnet.meetings.lifecycle import new_meeting
    from somnet.meetings.participants import Participant, resolve_participants
    from somnet.meetings.planning import Plan
    from somnet.meetings.planning import plan as plan_meeting
    from somnet.meetings.records import Meeting, Person
    from somnet.meetings.series import LedgerEntry, Occurrence, Series, plan_series
    from somnet.meetings.slots import Slot, Window
    from somnet.meetings.smtp import SmtpServer, smtp_server
    from somnet.meetings.store import MeetingStore
    from somnet.sharing.signing import generate_key_pair, load_trusted_keys
    from somnet.sharing.sync import publish as publish_directory
    from somnet.sharing.sync import sync as sync_directory
    from somnet.sharing.sync import sync_status

# Meetings and sharing are imported on first use (PEP 562): most commands need neither, and
# every command imports this package.
_LAZY = {
    "AlreadyRecordedError": ("somnet.meetings.errors", "AlreadyRecordedError"),
    "CaldavConflictError": ("somnet.meetings.errors", "CaldavConflictError"),
    "CaldavServer": ("somnet.meetings.caldav", "CaldavServer"),
    "Channels": ("somnet.meetings.issuing", "Channels"),
    "INVITE_ILLUSTRATIVE_NOTE": ("somnet.meetings.ical", "ILLUSTRATIVE_NOTE"),
    "IncompleteDeliveryError": ("somnet.meetings.errors", "IncompleteDeliveryError"),
    "IncompleteSeriesError": ("somnet.meetings.errors", "IncompleteSeriesError"),
    "Issued": ("somnet.meetings.issuing", "Issued"),
    "LedgerEntry": ("somnet.meetings.series", "LedgerEntry"),
    "Meeting": ("somnet.meetings.records", "Meeting"),
    "MeetingStore": ("somnet.meetings.store", "MeetingStore"),
    "NotRecordedError": ("somnet.meetings.errors", "NotRecordedError"),
    "NothingChangesError": ("somnet.meetings.errors", "NothingChangesError"),
    "NothingMissingError": ("somnet.meetings.errors", "NothingMissingError"),
    "NoticeError": ("somnet.meetings.errors", "NoticeError"),
    "Occurrence": ("somnet.meetings.series", "Occurrence"),
    "Participant": ("somnet.meetings.participants", "Participant"),
    "Person": ("somnet.meetings.records", "Person"),
    "Plan": ("somnet.meetings.planning", "Plan"),
    "Series": ("somnet.meetings.series", "Series"),
    "SeriesCancellation": ("somnet.meetings.invites", "SeriesCancellation"),
    "SeriesInvitation": ("somnet.meetings.invites", "SeriesInvitation"),
    "Slot": ("somnet.meetings.slots", "Slot"),
    "SmtpServer": ("somnet.meetings.smtp", "SmtpServer"),
    "Window": ("somnet.meetings.slots", "Window"),
    "caldav_server": ("somnet.meetings.caldav", "caldav_server"),
    "calendar_bytes": ("somnet.meetings.ical", "calendar_bytes"),
    "cancel_meeting": ("somnet.meetings.invites", "cancel_meeting"),
    "cancel_series": ("somnet.meetings.invites", "cancel_series"),
    "duration_text": ("somnet.meetings.inputs", "duration_text"),
    "generate_key_pair": ("somnet.sharing.signing", "generate_key_pair"),
    "invite_meeting": ("somnet.meetings.invites", "invite_meeting"),
    "invite_series": ("somnet.meetings.invites", "invite_series"),
    "issue": ("somnet.meetings.issuing", "issue"),
    "load_trusted_keys": ("somnet.sharing.signing", "load_trusted_keys"),
    "new_meeting": ("somnet.meetings.lifecycle", "new_meeting"),
    "parse_date": ("somnet.meetings.inputs", "parse_date"),
    "parse_duration": ("somnet.meetings.inputs", "parse_duration"),
    "parse_instant": ("somnet.meetings.inputs", "parse_instant"),
    "parse_timeout": ("somnet.meetings.inputs", "parse_timeout"),
    "parse_whole": ("somnet.meetings.inputs", "parse_whole"),
    "plan_meeting": ("somnet.meetings.planning", "plan"),
    "plan_series": ("somnet.meetings.series", "plan_series"),
    "publish_directory": ("somnet.sharing.sync", "publish"),
    "resend_meeting": ("somnet.meetings.invites", "resend_meeting"),
    "resolve_participants": ("somnet.meetings.participants", "resolve_participants"),
    "smtp_server": ("somnet.meetings.smtp", "smtp_server"),
    "sync_directory": ("somnet.sharing.sync", "sync"),
    "sync_status": ("somnet.sharing.sync", "sync_status"),
    "update_meeting": ("somnet.meetings.invites", "update_meeting"),
}


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'somnet' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(module_name), attribute)
    globals()[name] = value
    return value


__all__ = [
    "CONDITIONS",
    "INVITE_ILLUSTRATIVE_NOTE",
    "ROLES",
    "RULES",
    "ZONES",
    "Agency",
    "Agreement",
    "AlreadyRecordedError",
    "BadInputError",
    "CaldavConflictError",
    "CaldavServer",
    "Channel",
    "Channels",
    "ConsularChannel",
    "Contact",
    "ContactPlan",
    "DeliveryError",
    "Directory",
    "DirectoryError",
    "IncompleteDeliveryError",
    "IncompleteSeriesError",
    "Interception",
    "InterceptionError",
    "Issued",
    "KeyFileError",
    "LedgerEntry",
    "Meeting",
    "MeetingError",
    "MeetingStore",
    "NetworkError",
    "NoSlotError",
    "NotRecordedError",
    "NothingChangesError",
    "NothingMissingError",
    "NoticeError",
    "Occurrence",
    "Participant",
    "Person",
    "Plan",
    "Rule",
    "SarRegion",
    "Series",
    "SeriesCancellation",
    "SeriesInvitation",
    "Slot",
    "SmtpServer",
    "SomnetError",
    "Source",
    "State",
    "Step",
    "StorageError",
    "UnknownCodeError",
    "VerificationError",
    "WeeklyHours",
    "Window",
    "WorldError",
    "__version__",
    "caldav_server",
    "calendar_bytes",
    "cancel_meeting",
    "cancel_series",
    "duration_text",
    "generate_key_pair",
    "invite_meeting",
    "invite_series",
    "issue",
    "load_directory",
    "load_trusted_keys",
    "make_interception",
    "new_meeting",
    "parse_date",
    "parse_duration",
    "parse_hours",
    "parse_instant",
    "parse_timeout",
    "parse_whole",
    "plan_contacts",
    "plan_meeting",
    "plan_series",
    "publish_directory",
    "resend_meeting",
    "resolve_participants",
    "shipped_data_dir",
    "smtp_server",
    "sync_directory",
    "sync_status",
    "update_meeting",
]
