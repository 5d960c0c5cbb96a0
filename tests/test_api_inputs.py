"""Every function ``somnet`` exports refuses an argument of the wrong kind naming the parameter:
a bool or a number where text goes, text where a number or a date goes, a time where a day goes,
None where nothing may be missing. A script's mistake is told as a ``BadInputError`` whose
``field`` it can act on, never as a ``TypeError`` or ``AttributeError`` from deep inside.

The wrong kinds are read from each parameter's annotation, so a parameter added to a public
function is checked here without a line more; only its valid call is written by hand."""

from __future__ import annotations

import collections.abc
import functools
import inspect
import types
import typing
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

import somnet
from tests.public_types import hints_of

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

# Parameters that are not a script's data: the name an error gives its input (``field``), the
# text ``localized`` tells whatever it is, the record ``to_json`` writes whatever it is; and the
# readers of typed text that answer None for what is not a number, as they say they do.
NOT_CHECKED = {
    ("localized", "text"),
    ("to_json", "record"),
    ("read_whole_number", "text"),
    ("read_decimal_number", "text"),
}
# Parameters whose refusal names the setting they read, as the command line knows it.
NAMED_AS = {("choose_language", "given"): "language", ("load_trusted_keys", "paths"): "trust"}
# None where a list goes that reads as an empty one, as documented.
NONE_IS_EMPTY = {("state_code", "preferred")}


def _members(hint: Any) -> tuple[list[Any], bool]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        return [a for a in args if a is not type(None)], type(None) in args
    return [hint], False


def wrong_kinds(hint: Any, parameter: str) -> list[Any]:
    """Values of a kind the annotation ``hint`` of ``parameter`` does not allow."""
    members, optional = _members(hint)
    kinds = {typing.get_origin(m) or m for m in members}
    wrong: list[Any] = [] if optional else [None]
    if str in kinds:
        wrong += [5, True, b"HT"]
    elif float in kinds:
        wrong += ["5", True]
    elif int in kinds:
        wrong += ["5", 5.0, True]
    elif bool in kinds:
        wrong += ["no", 0]
    if datetime in kinds:
        wrong += [date(2026, 12, 1)] if str in kinds else ["2026-12-01T10:00Z", date(2026, 12, 1)]
        if parameter != "now":  # a clock without offset is the machine's (datetime.now())
            wrong += [datetime(2026, 12, 1, 10)]
    elif date in kinds:
        wrong += ["2026-12-01", datetime(2026, 12, 1, 10, tzinfo=UTC), 2026]
    if Path in kinds and str not in kinds:
        wrong += [5]
    if typing.Literal in kinds:
        wrong += [5]
    for member in members:
        origin = typing.get_origin(member)
        if origin in (collections.abc.Sequence, collections.abc.Iterable, tuple):
            wrong += [5] if str in kinds else [5, [5]]
        elif origin is collections.abc.Mapping:
            wrong += [5, ["key"]]
        elif origin is collections.abc.Callable:
            wrong += [5]
        elif (
            inspect.isclass(member) and member.__module__.startswith("somnet.") and str not in kinds
        ):
            wrong += ["a text"]
    return wrong


def _functions() -> list[str]:
    return [n for n in somnet.__all__ if inspect.isfunction(getattr(somnet, n))]


def _cases() -> list[Any]:
    cases = []
    for name in _functions():
        function = getattr(somnet, name)
        hints = hints_of(function)
        for parameter in inspect.signature(function).parameters:
            if parameter == "field" or (name, parameter) in NOT_CHECKED:
                continue
            for value in wrong_kinds(hints[parameter], parameter):
                if value is None and (name, parameter) in NONE_IS_EMPTY:
                    continue
                if (name, parameter) == ("format_time", "moment") and isinstance(value, date):
                    continue  # a day or a time
                cases.append(
                    pytest.param(name, parameter, value, id=f"{name}-{parameter}-{value!r}")
                )
    return cases


@functools.cache
def _shipped() -> somnet.Directory:
    return somnet.load_directory()


class Given:
    """What the valid calls take, each made when a call asks for it."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.organizer = somnet.Person("focal@example.org", "Focal point")
        self.store = somnet.MeetingStore(tmp_path / "meetings")
        self.window = somnet.Window(date(2026, 12, 7), date(2026, 12, 11), duration=60)

    @functools.cached_property
    def directory(self) -> somnet.Directory:
        return _shipped()

    @functools.cached_property
    def people(self) -> list[somnet.Participant]:
        return somnet.resolve_participants(self.directory, states=["BS", "HT"])

    @property
    def meeting(self) -> somnet.Meeting:
        return somnet.new_meeting(
            [somnet.Person("ht@example.org", "Haiti desk")],
            start=datetime(2026, 12, 15, 15, tzinfo=UTC),
            duration=60,
            title="Regional coordination",
            organizer=self.organizer,
            timezone="America/Panama",
            now=NOW,
            meeting_id=self.store.new_id,
        )

    def recorded(self) -> str:
        """The id of a meeting recorded in ``store``, sent nowhere."""
        return somnet.issue(self.meeting, "created", store=self.store, now=NOW).meeting.id

    def recorded_series(self) -> str:
        """The id of a series of two meetings recorded in ``store``, sent nowhere."""
        return somnet.invite_series(
            self.people,
            first=date(2026, 12, 7),
            every="month",
            count=2,
            duration=60,
            title="Regional coordination",
            organizer=self.organizer,
            store=self.store,
            now=NOW,
        ).id


# Each public function called as a script would call it, by keyword, every parameter given.
VALID: dict[str, Callable[[Given], dict[str, Any]]] = {
    "N_": lambda g: {"msgid": "Haiti"},
    "agency_view": lambda g: {
        "directory": g.directory,
        "agency": g.directory.all_agencies()[0],
    },
    "agreement_status_on": lambda g: {
        "agreement": g.directory.all_agreements()[0],
        "day": date(2026, 12, 1),
    },
    "available_languages": lambda g: {},
    "caldav_server": lambda g: {
        "url": "https://caldav.example.org/focal/",
        "user": "focal",
        "password_env": "SOMNET_CALDAV_PASSWORD",
        "timeout": 5.0,
        "environ": {"SOMNET_CALDAV_PASSWORD": "secret"},
    },
    "calendar_bytes": lambda g: {"meeting": g.meeting, "method": "REQUEST", "now": NOW},
    "cancel_meeting": lambda g: {
        "store": g.store,
        "meeting_id": g.recorded(),
        "now": NOW,
        "channels": somnet.Channels(),
    },
    "cancel_series": lambda g: {
        "store": g.store,
        "series_id": g.recorded_series(),
        "now": NOW,
        "channels": somnet.Channels(),
    },
    "check_directory": lambda g: {
        "overlays": (),
        "base": somnet.shipped_data_dir(),
        "use_env": False,
        "today": datetime.now(UTC).date(),  # the shipped data is dated up to today
        "synced": False,
    },
    "choose_language": lambda g: {"given": "es"},
    "consular_channels": lambda g: {
        "directory": g.directory,
        "nationality": "HT",
        "receiving": "BS",
    },
    "consular_posts": lambda g: {"directory": g.directory, "nationality": "HT", "receiving": "BS"},
    "coverage": lambda g: {"directory": g.directory},
    "days_before": lambda g: {"day": date(2026, 12, 1), "days": 30},
    "duration_text": lambda g: {"minutes": 90},
    "export_directory": lambda g: {
        "directory": g.directory,
        "state": "HT",
        "include_restricted": False,
    },
    "format_time": lambda g: {"moment": NOW, "pattern": "%H:%M", "code": "es"},
    "generate_key_pair": lambda g: {
        "out": g.tmp_path / "key",
        "overwrite": False,
        "now": NOW,
    },
    "gettext": lambda g: {"msgid": "Haiti"},
    "home_state": lambda g: {},
    "interpretation": lambda g: {"participants": g.people},
    "invite_meeting": lambda g: {
        "participants": g.people,
        "title": "Regional coordination",
        "organizer": g.organizer,
        "duration": 60,
        "store": g.store,
        "start": None,
        "first": date(2026, 12, 7),
        "last": date(2026, 12, 11),
        "step": 15,
        "pick": 1,
        "now": NOW,
        "notice_days": 3,
        "allow_past": False,
        "timezone": "America/Panama",
        "location": "Video call",
        "description": "Quarterly meeting",
        "channels": somnet.Channels(),
        "uid_factory": uuid.uuid4,
    },
    "invite_series": lambda g: {
        "participants": g.people,
        "first": date(2026, 12, 7),
        "every": "month",
        "count": 2,
        "duration": 60,
        "title": "Regional coordination",
        "organizer": g.organizer,
        "store": g.store,
        "step": 15,
        "within_days": 5,
        "now": NOW,
        "notice_days": 3,
        "ledger_from_store": True,
        "resume": None,
        "timezone": "America/Panama",
        "location": "Video call",
        "description": "Quarterly meeting",
        "channels": somnet.Channels(),
        "uid_factory": uuid.uuid4,
    },
    "issue": lambda g: {
        "meeting": g.meeting,
        "action": "created",
        "store": g.store,
        "now": NOW,
        "channels": somnet.Channels(),
        "removed": (),
    },
    "language": lambda g: {},
    "load_directory": lambda g: {
        "overlays": (),
        "base": somnet.shipped_data_dir(),
        "use_env": False,
        "today": datetime.now(UTC).date(),  # the shipped data is dated up to today
        "cache_dir": None,
        "synced": False,
    },
    "load_trusted_keys": lambda g: {"paths": ()},
    "localized": lambda g: {"text": "Haiti", "code": "es"},
    "make_interception": lambda g: {
        "zone": "eez",
        "flag": "HT",
        "stateless": False,
        "coastal": "BS",
        "acting": "BS",
        "disembark": "BS",
        "nationalities": ["HT"],
        "stateless_persons": False,
        "conditions": ["distress"],
        "return_considered": False,
        "others_unknown": False,
        "at": NOW,
        "directory": g.directory,
    },
    "new_meeting": lambda g: {
        "attendees": [somnet.Person("ht@example.org", "Haiti desk")],
        "start": datetime(2026, 12, 15, 15, tzinfo=UTC),
        "duration": 60,
        "title": "Regional coordination",
        "organizer": g.organizer,
        "timezone": "America/Panama",
        "now": NOW,
        "meeting_id": lambda uid: "m1",
        "uid_factory": uuid.uuid4,
        "location": "Video call",
        "description": "Quarterly meeting",
        "series": "s1",
    },
    "ngettext": lambda g: {"singular": "{n} day", "plural": "{n} days", "n": 2},
    "parse_date": lambda g: {"text": "2026-12-01", "field": "first"},
    "parse_duration": lambda g: {"text": "90m", "field": "duration"},
    "parse_hours": lambda g: {"text": "Mo-Fr 08:00-16:00", "field": "hours"},
    "parse_instant": lambda g: {"text": "2026-12-01T10:00Z", "field": "start"},
    "parse_sync_seconds": lambda g: {"text": "20", "field": "timeout"},
    "parse_timeout": lambda g: {"text": "20", "field": "timeout"},
    "parse_whole": lambda g: {"text": "3", "field": "count", "minimum": 1},
    "plan_contacts": lambda g: {
        "directory": g.directory,
        "interception": somnet.make_interception(
            zone="eez", flag="HT", coastal="BS", acting="BS", directory=g.directory
        ),
        "stale_days": 365,
        "rules": somnet.RULES,
    },
    "plan_meeting": lambda g: {
        "participants": g.people,
        "window": g.window,
        "count": 5,
        "per_day": False,
        "holidays": None,
        "warnings": (),
        "not_before": None,
        "now": NOW,
        "notice_days": 3,
    },
    "plan_series": lambda g: {
        "participants": g.people,
        "first": date(2026, 12, 7),
        "every": "month",
        "count": 2,
        "duration": 60,
        "step": 15,
        "within_days": 5,
        "fair": True,
        "holidays": None,
        "warnings": (),
        "not_before": None,
        "ledger": None,
        "fixed": None,
        "now": NOW,
        "notice_days": 3,
        "store": None,
        "ledger_from_store": False,
        "resume": None,
    },
    "publish_directory": lambda g: {
        "data": somnet.shipped_data_dir(),
        "key": somnet.generate_key_pair(g.tmp_path / "publish-key", now=NOW).private,
        "out": g.tmp_path / "site",
        "version": 1,
        "expires": "30d",
        "keep": 3,
        "name": "caribbean-coast-guards",
        "now": datetime.now(UTC),  # the shipped data's evidence is dated up to today
    },
    "quoted": lambda g: {"words": "Miami maritime SRR"},
    "read_decimal_number": lambda g: {"text": "2.5"},
    "read_whole_number": lambda g: {"text": "3"},
    "resend_meeting": lambda g: {
        "store": g.store,
        "meeting_id": g.recorded(),
        "now": NOW,
        "channels": somnet.Channels(out=g.tmp_path / "invite.ics"),
    },
    "resolve_participants": lambda g: {
        "directory": g.directory,
        "states": ["HT"],
        "roles": ["sar"],
        "contacts": [],
    },
    "role_name": lambda g: {"role": "coast-guard"},
    "set_language": lambda g: {"code": "en", "field": "language"},
    "shipped_data_dir": lambda g: {},
    "smtp_server": lambda g: {
        "url": "smtp://mail.example.org:587",
        "starttls": True,
        "user": "focal",
        "password_env": "SOMNET_SMTP_PASSWORD",
        "timeout": 5.0,
        "per_attendee": False,
        "environ": {"SOMNET_SMTP_PASSWORD": "secret"},
    },
    "stale_report": lambda g: {
        "directory": g.directory,
        "days": 30,
        "evidence_years": 1,
        "today": date(2026, 12, 1),
    },
    "state_code": lambda g: {"text": "ht", "field": "flag", "preferred": ["HT"]},
    "state_name": lambda g: {"code": "HT"},
    "sync_directory": lambda g: {
        "url": "http://127.0.0.1:9/somnet/",
        "trust": [somnet.generate_key_pair(g.tmp_path / "trusted", now=NOW).public],
        "name": "caribbean-coast-guards",
        "cache": g.tmp_path / "sync",
        "timeout": 1.0,
        "attempts": 1,
        "deadline": 2.0,
        "progress": None,
        "client": None,
        "now": NOW,
        "sleep": lambda seconds: None,
        "backoff": 0.0,
        "max_bundle_bytes": 1_000_000,
    },
    "sync_folder": lambda g: {"checked": False},
    "sync_status": lambda g: {"cache": g.tmp_path / "sync", "now": NOW},
    "synced_copy_warnings": lambda g: {
        "cache": g.tmp_path / "sync",
        "now": NOW,
        "reading": None,
    },
    "term": lambda g: {"vocabulary": "zone", "code": "eez"},
    "to_json": lambda g: {"record": g.window},
    "update_meeting": lambda g: {
        "store": g.store,
        "meeting_id": g.recorded(),
        "start": None,
        "duration": 90,
        "title": None,
        "location": "Room 2",
        "description": None,
        "timezone": None,
        "participants": None,
        "directory": None,
        "now": NOW,
        "notice_days": None,
        "allow_past": False,
        "channels": somnet.Channels(),
    },
    "use_newest_time_zone_data": lambda g: {},
    "utc_offset": lambda g: {"moment": NOW},
    "validation_view": lambda g: {"directory": g.directory, "replaced": []},
    "vcards": lambda g: {"directory": g.directory, "agencies": g.directory.all_agencies()[:1]},
    "years_before": lambda g: {"day": date(2026, 12, 1), "years": 2},
}


def test_every_public_function_has_a_valid_call_here() -> None:
    assert sorted(VALID) == sorted(_functions())


@pytest.fixture
def zone_path_kept() -> Iterator[None]:
    """zoneinfo's search path as it was (use_newest_time_zone_data may change it)."""
    import zoneinfo

    before = zoneinfo.TZPATH
    yield
    if before != zoneinfo.TZPATH:
        zoneinfo.reset_tzpath(to=before)
        zoneinfo.ZoneInfo.clear_cache()


@pytest.mark.usefixtures("zone_path_kept")
@pytest.mark.parametrize("name", _functions())
def test_the_valid_call_gives_every_parameter_and_is_taken(tmp_path: Path, name: str) -> None:
    # Else a wrong kind below could be refused for the sake of another argument.
    arguments = VALID[name](Given(tmp_path))
    assert set(arguments) == set(inspect.signature(getattr(somnet, name)).parameters)
    try:
        getattr(somnet, name)(**arguments)
    except somnet.NetworkError:
        assert name == "sync_directory"  # no server listens on the discard port


@pytest.mark.parametrize(("name", "parameter", "value"), _cases())
def test_an_argument_of_the_wrong_kind_is_refused_naming_its_parameter(
    tmp_path: Path, name: str, parameter: str, value: Any
) -> None:
    function = getattr(somnet, name)
    arguments = VALID[name](Given(tmp_path))
    arguments[parameter] = value
    with pytest.raises(somnet.BadInputError) as raised:
        function(**arguments)
    # A reader of typed text names the input its caller gives it (parse_date(text, field="first")).
    reads = "field" in arguments and parameter == next(iter(inspect.signature(function).parameters))
    named = arguments["field"] if reads else NAMED_AS.get((name, parameter), parameter)
    assert raised.value.field == named, raised.value


def _mentions_any(hint: Any) -> bool:
    return hint is Any or any(_mentions_any(arg) for arg in typing.get_args(hint))


@pytest.mark.parametrize("name", [n for n in somnet.__all__ if callable(getattr(somnet, n))])
def test_no_public_type_says_any(name: str) -> None:
    # OccurrenceView.period was Any: a script could not name what it holds, nor mypy check it.
    import attrs

    value = getattr(somnet, name)
    if isinstance(value, type) and issubclass(value, BaseException):
        return
    hints = hints_of(value)
    if isinstance(value, type) and attrs.has(value):
        hints = {field.name: hints[field.name] for field in attrs.fields(value)}
    elif isinstance(value, type):
        return
    said = sorted(where for where, hint in hints.items() if _mentions_any(hint))
    if name == "to_json":  # JSON data: a dict, list, text, number, bool or None, nested
        said.remove("return")
    assert said == [], f"{name}: {said}"


def test_a_long_wrong_value_is_cut_short_the_same_way_by_every_check(tmp_path: Path) -> None:
    # The check of kinds and a function's own check of a list's items both show the value cut
    # short, saying so (the function's own check cut it with nothing to say so).
    given = Given(tmp_path)
    long_text = "x" * 500
    refusals = []
    with pytest.raises(somnet.BadInputError) as raised:
        # Each item: the function's own check.
        somnet.vcards(given.directory, [long_text])  # type: ignore[list-item]
    refusals.append(str(raised.value))
    with pytest.raises(somnet.BadInputError) as raised:
        somnet.utc_offset(long_text)  # type: ignore[arg-type]  # the check of kinds
    refusals.append(str(raised.value))
    for refusal in refusals:
        assert "'xxx" in refusal and "..." in refusal and long_text not in refusal, refusal
