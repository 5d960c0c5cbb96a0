"""somnet: whom to contact, in what order, on what legal basis, when a migrant-smuggling vessel
is intercepted at sea in Mexico, Central America and the Caribbean; and the region's meetings.
"""

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
    "MeetingError",
    "NetworkError",
    "Rule",
    "SarRegion",
    "SomnetError",
    "Source",
    "State",
    "Step",
    "StorageError",
    "UnknownCodeError",
    "VerificationError",
    "WeeklyHours",
    "WorldError",
    "__version__",
    "load_directory",
    "make_interception",
    "parse_hours",
    "plan_contacts",
    "shipped_data_dir",
]
