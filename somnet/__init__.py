"""somnet: whom to contact, in what order, on what legal basis, when a migrant-smuggling vessel
is intercepted at sea in Mexico, Central America and the Caribbean; and the region's meetings.
"""

from typing import TYPE_CHECKING, Any

from somnet._directory import Directory
from somnet._exceptions import (
    BadInputError,
    DeliveryError,
    DirectoryError,
    InterceptionError,
    KeyFileError,
    MeetingError,
    NetworkError,
    SomnetError,
    StorageError,
    UnknownCodeError,
    VerificationError,
    WorldError,
)
from somnet._hours import WeeklyHours, parse_hours
from somnet._interception import CONDITIONS, ZONES, Interception, make_interception
from somnet._loading import load_directory, shipped_data_dir
from somnet._model import (
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
from somnet._routing import RULES, ContactPlan, Rule, Step, plan_contacts

__version__ = "0.1.0"

if TYPE_CHECKING:
    from somnet._invites import issue
    from somnet._meeting_store import Meeting, MeetingStore
    from somnet._meetings import (
        Participant,
        Plan,
        Series,
        Slot,
        Window,
        plan_series,
        resolve_participants,
    )
    from somnet._meetings import plan as plan_meeting
    from somnet._signing import generate_key_pair, load_trusted_keys
    from somnet._sync import publish as publish_directory
    from somnet._sync import sync as sync_directory
    from somnet._sync import sync_status

# Meetings and sharing are imported on first use (PEP 562): most commands need neither, and
# every command imports this package.
_LAZY = {
    "Meeting": ("somnet._meeting_store", "Meeting"),
    "MeetingStore": ("somnet._meeting_store", "MeetingStore"),
    "Participant": ("somnet._meetings", "Participant"),
    "Plan": ("somnet._meetings", "Plan"),
    "Series": ("somnet._meetings", "Series"),
    "Slot": ("somnet._meetings", "Slot"),
    "Window": ("somnet._meetings", "Window"),
    "generate_key_pair": ("somnet._signing", "generate_key_pair"),
    "issue": ("somnet._invites", "issue"),
    "load_trusted_keys": ("somnet._signing", "load_trusted_keys"),
    "plan_meeting": ("somnet._meetings", "plan"),
    "plan_series": ("somnet._meetings", "plan_series"),
    "publish_directory": ("somnet._sync", "publish"),
    "resolve_participants": ("somnet._meetings", "resolve_participants"),
    "sync_directory": ("somnet._sync", "sync"),
    "sync_status": ("somnet._sync", "sync_status"),
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
    "ROLES",
    "RULES",
    "ZONES",
    "Agency",
    "Agreement",
    "BadInputError",
    "Channel",
    "ConsularChannel",
    "Contact",
    "ContactPlan",
    "DeliveryError",
    "Directory",
    "DirectoryError",
    "Interception",
    "InterceptionError",
    "KeyFileError",
    "Meeting",
    "MeetingError",
    "MeetingStore",
    "NetworkError",
    "Participant",
    "Plan",
    "Rule",
    "SarRegion",
    "Series",
    "Slot",
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
    "generate_key_pair",
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
    "sync_directory",
    "sync_status",
]
