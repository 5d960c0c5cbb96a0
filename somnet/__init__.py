"""somnet: whom to contact, in what order, on what legal basis, when a migrant-smuggling vessel
is intercepted at sea in Mexico, Central America and the Caribbean; and the region's meetings.
"""

from typing import TYPE_CHECKING, Any

from somnet._codes import state_code, state_name
from somnet._config import home_state
from somnet._convert import to_json
from somnet._exceptions import (
    BadInputError,
    DeliveryError,
    DirectoryError,
    InterceptionError,
    KeyExistsError,
    KeyFileError,
    MeetingError,
    NetworkError,
    PublishedVersionError,
    SomnetError,
    StorageError,
    UnknownCodeError,
    VerificationError,
    WorldError,
)
from somnet._version import __version__
from somnet.directory.current import check_directory, load_directory
from somnet.directory.files import Replacement
from somnet.directory.hours import WeeklyHours, parse_hours
from somnet.directory.loading import shipped_data_dir
from somnet.directory.lookup import Directory, days_before, years_before
from somnet.directory.records import (
    ILLUSTRATIVE_NOTICE,
    ROLES,
    ZONES,
    Agency,
    Agreement,
    Channel,
    ConsularChannel,
    Contact,
    SarRegion,
    Source,
    State,
)
from somnet.directory.vcard import vcards
from somnet.routing.asks import Ask, Mention, Missing, Rule
from somnet.routing.interception import CONDITIONS, Interception, make_interception
from somnet.routing.plan import ChannelChoice, ContactChoice, ContactPlan, PlanNote, Step
from somnet.routing.planner import plan_contacts
from somnet.routing.resolve import consular_channels
from somnet.routing.rules import RULES

if TYPE_CHECKING:
    from somnet._config import sync_dir as sync_folder
    from somnet.meetings.invites import issue
    from somnet.meetings.planning import (
        Participant,
        Plan,
        Series,
        Slot,
        Window,
        plan_series,
        resolve_participants,
    )
    from somnet.meetings.planning import plan as plan_meeting
    from somnet.meetings.store import Meeting, MeetingStore
    from somnet.sharing.installed import SyncedCopyWarning, synced_copy_warnings
    from somnet.sharing.publish import PublishResult, publish_directory
    from somnet.sharing.signing import KeyPair, TrustedKey, generate_key_pair, load_trusted_keys
    from somnet.sharing.status import SyncedCopyStatus, SyncStatus, sync_status
    from somnet.sharing.sync import SyncResult, sync_directory

# Meetings and sharing are imported on first use (PEP 562): most commands need neither, and
# every command imports this package.
_LAZY = {
    "KeyPair": ("somnet.sharing.signing", "KeyPair"),
    "Meeting": ("somnet.meetings.store", "Meeting"),
    "MeetingStore": ("somnet.meetings.store", "MeetingStore"),
    "Participant": ("somnet.meetings.planning", "Participant"),
    "Plan": ("somnet.meetings.planning", "Plan"),
    "PublishResult": ("somnet.sharing.publish", "PublishResult"),
    "Series": ("somnet.meetings.planning", "Series"),
    "Slot": ("somnet.meetings.planning", "Slot"),
    "SyncResult": ("somnet.sharing.sync", "SyncResult"),
    "SyncStatus": ("somnet.sharing.status", "SyncStatus"),
    "SyncedCopyStatus": ("somnet.sharing.status", "SyncedCopyStatus"),
    "SyncedCopyWarning": ("somnet.sharing.installed", "SyncedCopyWarning"),
    "TrustedKey": ("somnet.sharing.signing", "TrustedKey"),
    "Window": ("somnet.meetings.planning", "Window"),
    "generate_key_pair": ("somnet.sharing.signing", "generate_key_pair"),
    "issue": ("somnet.meetings.invites", "issue"),
    "load_trusted_keys": ("somnet.sharing.signing", "load_trusted_keys"),
    "plan_meeting": ("somnet.meetings.planning", "plan"),
    "plan_series": ("somnet.meetings.planning", "plan_series"),
    "publish_directory": ("somnet.sharing.publish", "publish_directory"),
    "resolve_participants": ("somnet.meetings.planning", "resolve_participants"),
    "sync_directory": ("somnet.sharing.sync", "sync_directory"),
    "sync_folder": ("somnet._config", "sync_dir"),
    "sync_status": ("somnet.sharing.status", "sync_status"),
    "synced_copy_warnings": ("somnet.sharing.installed", "synced_copy_warnings"),
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
    "ILLUSTRATIVE_NOTICE",
    "ROLES",
    "RULES",
    "ZONES",
    "Agency",
    "Agreement",
    "Ask",
    "BadInputError",
    "Channel",
    "ChannelChoice",
    "ConsularChannel",
    "Contact",
    "ContactChoice",
    "ContactPlan",
    "DeliveryError",
    "Directory",
    "DirectoryError",
    "Interception",
    "InterceptionError",
    "KeyExistsError",
    "KeyFileError",
    "KeyPair",
    "Meeting",
    "MeetingError",
    "MeetingStore",
    "Mention",
    "Missing",
    "NetworkError",
    "Participant",
    "Plan",
    "PlanNote",
    "PublishResult",
    "PublishedVersionError",
    "Replacement",
    "Rule",
    "SarRegion",
    "Series",
    "Slot",
    "SomnetError",
    "Source",
    "State",
    "Step",
    "StorageError",
    "SyncResult",
    "SyncStatus",
    "SyncedCopyStatus",
    "SyncedCopyWarning",
    "TrustedKey",
    "UnknownCodeError",
    "VerificationError",
    "WeeklyHours",
    "Window",
    "WorldError",
    "__version__",
    "check_directory",
    "consular_channels",
    "days_before",
    "generate_key_pair",
    "home_state",
    "issue",
    "load_directory",
    "load_trusted_keys",
    "make_interception",
    "parse_hours",
    "plan_contacts",
    "plan_meeting",
    "plan_series",
    "publish_directory",
    "resolve_participants",
    "shipped_data_dir",
    "state_code",
    "state_name",
    "sync_directory",
    "sync_folder",
    "sync_status",
    "synced_copy_warnings",
    "to_json",
    "vcards",
    "years_before",
]
