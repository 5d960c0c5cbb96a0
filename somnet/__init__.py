"""somnet: whom to contact, in what order, on what legal basis, when a migrant-smuggling vessel
is intercepted at sea in Mexico, Central America and the Caribbean; and the region's meetings.
"""

from typing import TYPE_CHECKING, Any

from somnet._exceptions import (
    BadInputError,
    DeliveryError,
    DirectoryError,
    HoursError,
    InterceptionError,
    KeyExistsError,
    KeyFileError,
    MeetingError,
    NetworkError,
    NoSlotError,
    PublishedVersionError,
    SomnetError,
    StorageError,
    UnknownCodeError,
    UnknownLanguageError,
    VerificationError,
    WorldError,
)
from somnet._version import __version__

if TYPE_CHECKING:
    from somnet._codes import state_code, state_name
    from somnet._config import choose_language, home_state
    from somnet._config import sync_dir as sync_folder
    from somnet._convert import to_json
    from somnet._i18n import (
        N_,
        Message,
        available_languages,
        format_time,
        gettext,
        language,
        localized,
        ngettext,
        set_language,
    )
    from somnet._numbers import read_decimal_number, read_whole_number
    from somnet._terms import role_name, term
    from somnet.directory.coverage import CORE_ROLES, Coverage, coverage
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
        FilledGap,
        SarRegion,
        Source,
        State,
    )
    from somnet.directory.vcard import vcards
    from somnet.directory.views import (
        AgencyView,
        DirectoryExport,
        StaleReport,
        ValidationView,
        agency_view,
        export_directory,
        stale_report,
        validation_view,
    )
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
        RecordError,
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
    from somnet.meetings.planning import Interpretation, Plan, interpretation
    from somnet.meetings.planning import plan as plan_meeting
    from somnet.meetings.records import Meeting, Person
    from somnet.meetings.series import LedgerEntry, Occurrence, Series, plan_series
    from somnet.meetings.slots import Slot, Window
    from somnet.meetings.smtp import SmtpServer, smtp_server
    from somnet.meetings.store import MeetingStore
    from somnet.routing.agreements import status_on as agreement_status_on
    from somnet.routing.asks import Ask, Mention, Missing, Rule
    from somnet.routing.consular import ConsularPostView, consular_posts
    from somnet.routing.interception import CONDITIONS, Interception, make_interception
    from somnet.routing.plan import ChannelChoice, ContactChoice, ContactPlan, PlanNote, Step
    from somnet.routing.planner import plan_contacts
    from somnet.routing.resolve import consular_channels
    from somnet.routing.rules import RULES
    from somnet.sharing.installed import SyncedCopyWarning, synced_copy_warnings
    from somnet.sharing.publish import PublishResult, publish_directory
    from somnet.sharing.signing import KeyPair, TrustedKey, generate_key_pair, load_trusted_keys
    from somnet.sharing.status import SyncedCopyStatus, SyncStatus, sync_status
    from somnet.sharing.sync import SyncResult, parse_sync_seconds, sync_directory

# Every name but the errors and the version is imported on first use (PEP 562): a command
# pays only for the modules it uses (``somnet contact`` never loads meetings, sharing, the TOML
# reader or the converter when the cache serves it).
_LAZY = {
    "interpretation": ("somnet.meetings.planning", "interpretation"),
    "Interpretation": ("somnet.meetings.planning", "Interpretation"),
    "role_name": ("somnet._terms", "role_name"),
    "term": ("somnet._terms", "term"),
    "N_": ("somnet._i18n", "N_"),
    "Message": ("somnet._i18n", "Message"),
    "available_languages": ("somnet._i18n", "available_languages"),
    "choose_language": ("somnet._config", "choose_language"),
    "format_time": ("somnet._i18n", "format_time"),
    "gettext": ("somnet._i18n", "gettext"),
    "language": ("somnet._i18n", "language"),
    "localized": ("somnet._i18n", "localized"),
    "ngettext": ("somnet._i18n", "ngettext"),
    "set_language": ("somnet._i18n", "set_language"),
    "CORE_ROLES": ("somnet.directory.coverage", "CORE_ROLES"),
    "Coverage": ("somnet.directory.coverage", "Coverage"),
    "coverage": ("somnet.directory.coverage", "coverage"),
    "Agency": ("somnet.directory.records", "Agency"),
    "Agreement": ("somnet.directory.records", "Agreement"),
    "AlreadyRecordedError": ("somnet.meetings.errors", "AlreadyRecordedError"),
    "agreement_status_on": ("somnet.routing.agreements", "status_on"),
    "Ask": ("somnet.routing.asks", "Ask"),
    "CONDITIONS": ("somnet.routing.interception", "CONDITIONS"),
    "CaldavConflictError": ("somnet.meetings.errors", "CaldavConflictError"),
    "CaldavServer": ("somnet.meetings.caldav", "CaldavServer"),
    "Channel": ("somnet.directory.records", "Channel"),
    "ChannelChoice": ("somnet.routing.plan", "ChannelChoice"),
    "Channels": ("somnet.meetings.issuing", "Channels"),
    "ConsularChannel": ("somnet.directory.records", "ConsularChannel"),
    "Contact": ("somnet.directory.records", "Contact"),
    "ContactChoice": ("somnet.routing.plan", "ContactChoice"),
    "ContactPlan": ("somnet.routing.plan", "ContactPlan"),
    "Directory": ("somnet.directory.lookup", "Directory"),
    "FilledGap": ("somnet.directory.records", "FilledGap"),
    "ILLUSTRATIVE_NOTICE": ("somnet.directory.records", "ILLUSTRATIVE_NOTICE"),
    "INVITE_ILLUSTRATIVE_NOTE": ("somnet.meetings.ical", "ILLUSTRATIVE_NOTE"),
    "IncompleteDeliveryError": ("somnet.meetings.errors", "IncompleteDeliveryError"),
    "IncompleteSeriesError": ("somnet.meetings.errors", "IncompleteSeriesError"),
    "Interception": ("somnet.routing.interception", "Interception"),
    "Issued": ("somnet.meetings.issuing", "Issued"),
    "KeyPair": ("somnet.sharing.signing", "KeyPair"),
    "LedgerEntry": ("somnet.meetings.series", "LedgerEntry"),
    "Meeting": ("somnet.meetings.records", "Meeting"),
    "MeetingStore": ("somnet.meetings.store", "MeetingStore"),
    "Mention": ("somnet.routing.asks", "Mention"),
    "Missing": ("somnet.routing.asks", "Missing"),
    "NotRecordedError": ("somnet.meetings.errors", "NotRecordedError"),
    "NothingChangesError": ("somnet.meetings.errors", "NothingChangesError"),
    "NothingMissingError": ("somnet.meetings.errors", "NothingMissingError"),
    "NoticeError": ("somnet.meetings.errors", "NoticeError"),
    "Occurrence": ("somnet.meetings.series", "Occurrence"),
    "Participant": ("somnet.meetings.participants", "Participant"),
    "Person": ("somnet.meetings.records", "Person"),
    "Plan": ("somnet.meetings.planning", "Plan"),
    "PlanNote": ("somnet.routing.plan", "PlanNote"),
    "PublishResult": ("somnet.sharing.publish", "PublishResult"),
    "ROLES": ("somnet.directory.records", "ROLES"),
    "RULES": ("somnet.routing.rules", "RULES"),
    "RecordError": ("somnet.meetings.errors", "RecordError"),
    "Replacement": ("somnet.directory.files", "Replacement"),
    "Rule": ("somnet.routing.asks", "Rule"),
    "SarRegion": ("somnet.directory.records", "SarRegion"),
    "Series": ("somnet.meetings.series", "Series"),
    "SeriesCancellation": ("somnet.meetings.invites", "SeriesCancellation"),
    "SeriesInvitation": ("somnet.meetings.invites", "SeriesInvitation"),
    "Slot": ("somnet.meetings.slots", "Slot"),
    "SmtpServer": ("somnet.meetings.smtp", "SmtpServer"),
    "Source": ("somnet.directory.records", "Source"),
    "State": ("somnet.directory.records", "State"),
    "Step": ("somnet.routing.plan", "Step"),
    "SyncResult": ("somnet.sharing.sync", "SyncResult"),
    "SyncStatus": ("somnet.sharing.status", "SyncStatus"),
    "SyncedCopyStatus": ("somnet.sharing.status", "SyncedCopyStatus"),
    "SyncedCopyWarning": ("somnet.sharing.installed", "SyncedCopyWarning"),
    "TrustedKey": ("somnet.sharing.signing", "TrustedKey"),
    "WeeklyHours": ("somnet.directory.hours", "WeeklyHours"),
    "Window": ("somnet.meetings.slots", "Window"),
    "ZONES": ("somnet.directory.records", "ZONES"),
    "caldav_server": ("somnet.meetings.caldav", "caldav_server"),
    "calendar_bytes": ("somnet.meetings.ical", "calendar_bytes"),
    "cancel_meeting": ("somnet.meetings.invites", "cancel_meeting"),
    "cancel_series": ("somnet.meetings.invites", "cancel_series"),
    "check_directory": ("somnet.directory.current", "check_directory"),
    "consular_channels": ("somnet.routing.resolve", "consular_channels"),
    "ConsularPostView": ("somnet.routing.consular", "ConsularPostView"),
    "consular_posts": ("somnet.routing.consular", "consular_posts"),
    "AgencyView": ("somnet.directory.views", "AgencyView"),
    "DirectoryExport": ("somnet.directory.views", "DirectoryExport"),
    "export_directory": ("somnet.directory.views", "export_directory"),
    "StaleReport": ("somnet.directory.views", "StaleReport"),
    "ValidationView": ("somnet.directory.views", "ValidationView"),
    "agency_view": ("somnet.directory.views", "agency_view"),
    "stale_report": ("somnet.directory.views", "stale_report"),
    "validation_view": ("somnet.directory.views", "validation_view"),
    "days_before": ("somnet.directory.lookup", "days_before"),
    "duration_text": ("somnet.meetings.inputs", "duration_text"),
    "generate_key_pair": ("somnet.sharing.signing", "generate_key_pair"),
    "home_state": ("somnet._config", "home_state"),
    "invite_meeting": ("somnet.meetings.invites", "invite_meeting"),
    "invite_series": ("somnet.meetings.invites", "invite_series"),
    "issue": ("somnet.meetings.issuing", "issue"),
    "load_directory": ("somnet.directory.current", "load_directory"),
    "load_trusted_keys": ("somnet.sharing.signing", "load_trusted_keys"),
    "make_interception": ("somnet.routing.interception", "make_interception"),
    "new_meeting": ("somnet.meetings.lifecycle", "new_meeting"),
    "parse_date": ("somnet.meetings.inputs", "parse_date"),
    "parse_duration": ("somnet.meetings.inputs", "parse_duration"),
    "parse_hours": ("somnet.directory.hours", "parse_hours"),
    "parse_instant": ("somnet.meetings.inputs", "parse_instant"),
    "parse_sync_seconds": ("somnet.sharing.sync", "parse_sync_seconds"),
    "parse_timeout": ("somnet.meetings.inputs", "parse_timeout"),
    "parse_whole": ("somnet.meetings.inputs", "parse_whole"),
    "plan_contacts": ("somnet.routing.planner", "plan_contacts"),
    "plan_meeting": ("somnet.meetings.planning", "plan"),
    "plan_series": ("somnet.meetings.series", "plan_series"),
    "publish_directory": ("somnet.sharing.publish", "publish_directory"),
    "read_decimal_number": ("somnet._numbers", "read_decimal_number"),
    "read_whole_number": ("somnet._numbers", "read_whole_number"),
    "resend_meeting": ("somnet.meetings.invites", "resend_meeting"),
    "resolve_participants": ("somnet.meetings.participants", "resolve_participants"),
    "shipped_data_dir": ("somnet.directory.loading", "shipped_data_dir"),
    "smtp_server": ("somnet.meetings.smtp", "smtp_server"),
    "state_code": ("somnet._codes", "state_code"),
    "state_name": ("somnet._codes", "state_name"),
    "sync_directory": ("somnet.sharing.sync", "sync_directory"),
    "sync_folder": ("somnet._config", "sync_dir"),
    "sync_status": ("somnet.sharing.status", "sync_status"),
    "synced_copy_warnings": ("somnet.sharing.installed", "synced_copy_warnings"),
    "to_json": ("somnet._convert", "to_json"),
    "update_meeting": ("somnet.meetings.invites", "update_meeting"),
    "vcards": ("somnet.directory.vcard", "vcards"),
    "years_before": ("somnet.directory.lookup", "years_before"),
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


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "CONDITIONS",
    "CORE_ROLES",
    "ILLUSTRATIVE_NOTICE",
    "INVITE_ILLUSTRATIVE_NOTE",
    "N_",
    "ROLES",
    "RULES",
    "ZONES",
    "Agency",
    "AgencyView",
    "Agreement",
    "AlreadyRecordedError",
    "Ask",
    "BadInputError",
    "CaldavConflictError",
    "CaldavServer",
    "Channel",
    "ChannelChoice",
    "Channels",
    "ConsularChannel",
    "ConsularPostView",
    "Contact",
    "ContactChoice",
    "ContactPlan",
    "Coverage",
    "DeliveryError",
    "Directory",
    "DirectoryError",
    "DirectoryExport",
    "FilledGap",
    "HoursError",
    "IncompleteDeliveryError",
    "IncompleteSeriesError",
    "Interception",
    "InterceptionError",
    "Interpretation",
    "Issued",
    "KeyExistsError",
    "KeyFileError",
    "KeyPair",
    "LedgerEntry",
    "Meeting",
    "MeetingError",
    "MeetingStore",
    "Mention",
    "Message",
    "Missing",
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
    "PlanNote",
    "PublishResult",
    "PublishedVersionError",
    "RecordError",
    "Replacement",
    "Rule",
    "SarRegion",
    "Series",
    "SeriesCancellation",
    "SeriesInvitation",
    "Slot",
    "SmtpServer",
    "SomnetError",
    "Source",
    "StaleReport",
    "State",
    "Step",
    "StorageError",
    "SyncResult",
    "SyncStatus",
    "SyncedCopyStatus",
    "SyncedCopyWarning",
    "TrustedKey",
    "UnknownCodeError",
    "UnknownLanguageError",
    "ValidationView",
    "VerificationError",
    "WeeklyHours",
    "Window",
    "WorldError",
    "__version__",
    "agency_view",
    "agreement_status_on",
    "available_languages",
    "caldav_server",
    "calendar_bytes",
    "cancel_meeting",
    "cancel_series",
    "check_directory",
    "choose_language",
    "consular_channels",
    "consular_posts",
    "coverage",
    "days_before",
    "duration_text",
    "export_directory",
    "format_time",
    "generate_key_pair",
    "gettext",
    "home_state",
    "interpretation",
    "invite_meeting",
    "invite_series",
    "issue",
    "language",
    "load_directory",
    "load_trusted_keys",
    "localized",
    "make_interception",
    "new_meeting",
    "ngettext",
    "parse_date",
    "parse_duration",
    "parse_hours",
    "parse_instant",
    "parse_sync_seconds",
    "parse_timeout",
    "parse_whole",
    "plan_contacts",
    "plan_meeting",
    "plan_series",
    "publish_directory",
    "read_decimal_number",
    "read_whole_number",
    "resend_meeting",
    "resolve_participants",
    "role_name",
    "set_language",
    "shipped_data_dir",
    "smtp_server",
    "stale_report",
    "state_code",
    "state_name",
    "sync_directory",
    "sync_folder",
    "sync_status",
    "synced_copy_warnings",
    "term",
    "to_json",
    "update_meeting",
    "validation_view",
    "vcards",
    "years_before",
]
