"""The public API as a script uses it: what it returns may be changed by the script without
changing the next answer, and what it is given that it cannot use is refused with a
``SomnetError`` naming the parameter, never a ``TypeError`` from deep inside."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

import somnet

AT = "2026-12-01T03:00-05:00"


@pytest.fixture(scope="module")
def shipped() -> somnet.Directory:
    return somnet.load_directory(use_env=False, synced=False, cache_dir=None)


def _plan_json(directory: somnet.Directory) -> Any:
    interception = somnet.make_interception(
        zone="contiguous",
        flag="HT",
        coastal="BS",
        acting="US",
        nationalities=["HT"],
        conditions=["distress"],
        at=AT,
        directory=directory,
    )
    return somnet.plan_contacts(directory, interception).to_json()


# Results a script changes ----------------------------------------------------------------------


def test_a_script_that_edits_the_states_it_read_leaves_the_directory_whole(
    shipped: somnet.Directory,
) -> None:
    before = _plan_json(shipped)
    states = shipped.states
    with pytest.raises(AttributeError):
        states.pop("BS")  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        states["BS"] = states["CU"]  # type: ignore[index]
    assert shipped.state("BS") is not None
    assert _plan_json(shipped) == before


def test_a_script_that_clears_the_holidays_it_read_leaves_the_next_answer_whole(
    shipped: somnet.Directory,
) -> None:
    holidays = shipped.public_holidays("HT", 2026)
    assert holidays
    expected = dict(holidays)
    with pytest.raises(AttributeError):
        holidays.clear()  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        holidays[date(2026, 3, 3)] = "A holiday of the script's own"  # type: ignore[index]
    assert shipped.public_holidays("HT", 2026) == expected


# Values a script passes ------------------------------------------------------------------------

#: What a script may pass where text goes: nothing, a number, bytes, a list of the text, a date.
NOT_TEXT = [None, 20261201, 1.5, True, b"2026-12-01", ["2026-12-01"], date(2026, 12, 1)]

#: Each reader of typed text, called with the value where its text goes.
TEXT_READERS = {
    "parse_date": lambda value: somnet.parse_date(value, field="first"),
    "parse_instant": lambda value: somnet.parse_instant(value, field="start"),
    "parse_duration": lambda value: somnet.parse_duration(value, field="duration"),
    "parse_whole": lambda value: somnet.parse_whole(value, field="count"),
    "parse_timeout": lambda value: somnet.parse_timeout(value, field="timeout"),
    "parse_sync_seconds": lambda value: somnet.parse_sync_seconds(value, field="deadline"),
    "parse_hours": lambda value: somnet.parse_hours(value, field="hours"),
}
_READER_FIELDS = {
    "parse_date": "first",
    "parse_instant": "start",
    "parse_duration": "duration",
    "parse_whole": "count",
    "parse_timeout": "timeout",
    "parse_sync_seconds": "deadline",
    "parse_hours": "hours",
}


def _refused(call: Any, field: str, value: object) -> somnet.SomnetError:
    """The error ``call`` raises: a ``BadInputError`` naming ``field`` with ``value``, its
    message naming no command-line flag."""
    with pytest.raises(somnet.SomnetError) as raised:
        call()
    assert isinstance(raised.value, somnet.BadInputError), raised.value
    assert raised.value.field == field, raised.value
    assert raised.value.value is value or raised.value.value == value
    assert raised.value.reason
    assert "--" not in str(raised.value)
    return raised.value


@pytest.mark.parametrize("reader", sorted(TEXT_READERS))
@pytest.mark.parametrize("value", NOT_TEXT, ids=repr)
def test_a_reader_of_typed_text_refuses_what_is_not_text_naming_its_field(
    reader: str, value: object
) -> None:
    _refused(lambda: TEXT_READERS[reader](value), _READER_FIELDS[reader], value)


@pytest.mark.parametrize("value", NOT_TEXT, ids=repr)
def test_the_number_readers_read_what_is_not_text_as_no_number(value: object) -> None:
    assert somnet.read_whole_number(value) is None  # type: ignore[arg-type]
    assert somnet.read_decimal_number(value) is None  # type: ignore[arg-type]


def test_parse_whole_refuses_a_least_value_that_is_not_a_whole_number() -> None:
    _refused(lambda: somnet.parse_whole("3", field="count", minimum="1"), "minimum", "1")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", NOT_TEXT, ids=repr)
def test_search_and_consular_posts_refuse_what_is_not_text_naming_it(
    shipped: somnet.Directory, value: object
) -> None:
    _refused(lambda: shipped.search(value), "text", value)  # type: ignore[arg-type]
    _refused(lambda: somnet.consular_posts(shipped, value, "HN"), "nationality", value)  # type: ignore[arg-type]


# Participants, as a script gives them ------------------------------------------------------------

MEETING_NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
FIRST = date(2026, 12, 7)


def _people() -> list[somnet.Participant]:
    from tests.meeting_fixtures import person

    return [
        person("pa-focal", "America/Panama", "Mo-Fr 08:00-17:00", seat="PA"),
        person("cr-focal", "America/Costa_Rica", "Mo-Fr 08:00-16:00", seat="CR"),
    ]


def _window() -> somnet.Window:
    return somnet.Window(FIRST, FIRST + timedelta(days=4), duration=60)


def test_plan_meeting_reads_participants_given_as_a_generator_as_a_list() -> None:
    people = _people()
    as_list = somnet.plan_meeting(people, _window(), count=3, now=MEETING_NOW)
    as_generator = somnet.plan_meeting((p for p in people), _window(), count=3, now=MEETING_NOW)
    assert as_generator == as_list


def test_plan_series_reads_participants_given_as_a_generator_as_a_list() -> None:
    people = _people()

    def series(given: Any) -> somnet.Series:
        return somnet.plan_series(
            given, first=FIRST, every="month", count=2, duration=60, now=MEETING_NOW
        )

    assert series(p for p in people) == series(people)


def test_invite_meeting_invites_participants_given_as_a_generator(tmp_path) -> None:
    people = _people()
    issued = somnet.invite_meeting(
        (p for p in people),
        title="Regional coordination",
        organizer=somnet.Person("focal@example.org", "Focal point"),
        duration=60,
        first=FIRST,
        last=FIRST + timedelta(days=4),
        now=MEETING_NOW,
        store=somnet.MeetingStore(tmp_path / "meetings"),
        channels=somnet.Channels(out=tmp_path / "meeting.ics"),
    )
    assert [a.email for a in issued.meeting.attendees] == [p.email for p in people]
    assert (tmp_path / "meeting.ics").is_file()


@pytest.mark.parametrize(
    "given",
    [None, "pa-focal", b"pa", 3, {"pa-focal": 1}, ["pa-focal"], [None]],
    ids=repr,
)
def test_what_is_not_a_list_of_participants_is_refused_naming_participants(
    tmp_path, given: Any
) -> None:
    for call in (
        lambda: somnet.plan_meeting(given, _window(), now=MEETING_NOW),
        lambda: somnet.plan_series(
            given, first=FIRST, every="month", count=2, duration=60, now=MEETING_NOW
        ),
        lambda: somnet.invite_meeting(
            given,
            title="Regional coordination",
            organizer=somnet.Person("focal@example.org", "Focal point"),
            duration=60,
            start=datetime(2026, 12, 8, 15, tzinfo=UTC),
            now=MEETING_NOW,
            store=somnet.MeetingStore(tmp_path / "meetings"),
            channels=somnet.Channels(out=tmp_path / "meeting.ics"),
        ),
    ):
        # A list is refused for its first item that is not a participant.
        error = _refused(call, "participants", given[0] if isinstance(given, list) else given)
        assert isinstance(error, somnet.MeetingError)
    assert not (tmp_path / "meetings").exists() or not any((tmp_path / "meetings").iterdir())
    assert not (tmp_path / "meeting.ics").exists()


def test_one_participant_alone_is_refused_naming_participants() -> None:
    [one, _other] = _people()
    _refused(lambda: somnet.plan_meeting(one, _window(), now=MEETING_NOW), "participants", one)  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["states", "roles", "contacts"])
@pytest.mark.parametrize("value", [b"HT", 509, None, [b"HT"], ["HT", None], {"HT": 1}], ids=repr)
def test_resolve_participants_refuses_what_is_not_text_naming_its_field(
    shipped: somnet.Directory, field: str, value: Any
) -> None:
    given: dict[str, Any] = {"states": ["BS"], field: value}
    refused = value[-1] if isinstance(value, list) else value
    _refused(lambda: somnet.resolve_participants(shipped, **given), field, refused)


def test_resolve_participants_reads_generators_as_lists(shipped: somnet.Directory) -> None:
    as_lists = somnet.resolve_participants(shipped, states=["BS", "HT"], contacts=["do-mirex-desk"])
    assert as_lists
    as_generators = somnet.resolve_participants(
        shipped, states=(s for s in ["BS", "HT"]), contacts=(c for c in ["do-mirex-desk"])
    )
    assert as_generators == as_lists


def test_a_script_that_edits_the_directory_s_warnings_changes_nothing_shared(
    shipped: somnet.Directory,
) -> None:
    # A dashboard shares one directory between its callers: a list here was theirs to append to.
    warnings: Any = shipped.warnings
    gaps: Any = shipped.filled_gaps
    copy_warnings: Any = shipped.synced_copy_warnings
    for found in (warnings, gaps, copy_warnings):
        assert isinstance(found, tuple)
        with pytest.raises(AttributeError):
            found.append("a warning of the script's own")


# Annotations a script is type-checked against ---------------------------------------------------


def _public_annotations() -> list[tuple[str, object]]:
    """Where each annotation of the public API is (``Channels.ssl_context``), and it."""
    import inspect

    import attrs

    found: list[tuple[str, object]] = []
    for name in somnet.__all__:
        value = getattr(somnet, name)
        if inspect.isclass(value):
            if attrs.has(value):
                found += [(f"{name}.{f.name}", f.type) for f in attrs.fields(value)]
            for method, function in inspect.getmembers(value, inspect.isfunction):
                if not method.startswith("_"):
                    found += [
                        (f"{name}.{method}({given})", annotation)
                        for given, annotation in function.__annotations__.items()
                    ]
        elif callable(value):
            found += [
                (f"{name}({given})", annotation)
                for given, annotation in getattr(value, "__annotations__", {}).items()
            ]
    return found


def test_no_public_field_or_parameter_is_annotated_any() -> None:
    import re

    # JSON is any JSON: to_json's record and what the to_json methods give; a message's values;
    # an occurrence's period, which the converter writes by the type it holds (its class lives
    # with the converter, which the plan does not import).
    json = re.compile(
        r"(^to_json\(|\.to_json\(return|\.no_slot_json\(return|^Message\.format\(|"
        r"^OccurrenceView\.period$)"
    )
    typed_any = [
        where
        for where, annotation in _public_annotations()
        if re.search(r"\bAny\b", str(annotation)) and not json.search(where)
    ]
    assert typed_any == []


def test_the_directory_s_attributes_are_annotated_with_their_types() -> None:
    import ast
    import inspect

    source = ast.parse(inspect.getsource(somnet.Directory))
    annotated = {
        node.target.attr: ast.unparse(node.annotation)
        for node in ast.walk(source)
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Attribute)
        and not node.target.attr.startswith("_")
    }
    assert annotated["synced_copy_warnings"] == "tuple[SyncedCopyWarning, ...]"
    assert all("Any" not in annotation for annotation in annotated.values()), annotated


def _somnet_classes_named_in(annotation: object, module: str) -> set[type]:
    """The classes of somnet an annotation names (looked up where it was written)."""
    import inspect
    import re
    import sys

    found: set[type] = set()
    where = vars(sys.modules[module])
    for word in re.findall(r"\b[A-Z][A-Za-z0-9]*\b", str(annotation)):
        value = where.get(word)
        if value is None and isinstance(annotation, type):
            value = annotation
        if inspect.isclass(value) and value.__module__.startswith("somnet."):
            found.add(value)
    return found


#: The type of a default a script leaves out (``update_meeting``'s ``KEEP``): never written.
_UNWRITTEN = {"Keep"}


def test_every_class_a_public_annotation_names_is_exported() -> None:
    import importlib
    import inspect
    import pkgutil

    import attrs

    for info in pkgutil.walk_packages(somnet.__path__, "somnet."):
        importlib.import_module(info.name)
    seen: set[type] = set()
    todo: list[tuple[str, object]] = [(name, getattr(somnet, name)) for name in somnet.__all__]
    unexported: dict[str, str] = {}
    while todo:
        owner, value = todo.pop()
        named: set[type] = set()
        if inspect.isclass(value):
            if value in seen:
                continue
            seen.add(value)
            if attrs.has(value):
                for field in attrs.fields(value):
                    named |= _somnet_classes_named_in(field.type, value.__module__)
            for method, function in inspect.getmembers(value, inspect.isfunction):
                if not method.startswith("_"):
                    for annotation in function.__annotations__.values():
                        named |= _somnet_classes_named_in(annotation, function.__module__)
        elif inspect.isfunction(value):
            for annotation in value.__annotations__.values():
                named |= _somnet_classes_named_in(annotation, value.__module__)
        for cls in named:
            if issubclass(cls, BaseException) or cls.__name__ in _UNWRITTEN:
                continue
            if getattr(somnet, cls.__name__, None) is not cls:
                unexported.setdefault(cls.__name__, owner)
            todo.append((cls.__name__, cls))
    assert unexported == {}


#: What a script may pass where a clock goes: a day, a text, a number.
NOT_A_CLOCK = [date(2026, 12, 1), "2026-12-01T12:00Z", 1764590400, True]


#: Each function that takes a clock, called with ``value`` as ``now``.
CLOCKS: dict[str, Any] = {
    "plan_meeting": lambda tmp, d, value: somnet.plan_meeting(_people(), _window(), now=value),
    "plan_series": lambda tmp, d, value: somnet.plan_series(
        _people(), first=FIRST, every="month", count=2, duration=60, now=value
    ),
    "invite_meeting": lambda tmp, d, value: somnet.invite_meeting(
        _people(),
        title="Regional coordination",
        organizer=somnet.Person("focal@example.org", "Focal point"),
        duration=60,
        start=datetime(2026, 12, 8, 15, tzinfo=UTC),
        now=value,
        store=somnet.MeetingStore(tmp / "meetings"),
        channels=somnet.Channels(out=tmp / "meeting.ics"),
    ),
    "today_in": lambda tmp, d, value: d.today_in("HT", value),
    "sync_status": lambda tmp, d, value: somnet.sync_status(now=value),
    "synced_copy_warnings": lambda tmp, d, value: somnet.synced_copy_warnings(now=value),
    "generate_key_pair": lambda tmp, d, value: somnet.generate_key_pair(
        tmp / "office.key", now=value
    ),
    "publish_directory": lambda tmp, d, value: somnet.publish_directory(
        somnet.shipped_data_dir(), tmp / "office.key", tmp / "site", now=value, name="caribbean"
    ),
    "sync_directory": lambda tmp, d, value: somnet.sync_directory(
        "http://127.0.0.1:9/somnet/", [tmp / "office.pub"], now=value
    ),
}


@pytest.mark.parametrize("function", sorted(CLOCKS))
@pytest.mark.parametrize("value", NOT_A_CLOCK, ids=repr)
def test_every_clock_refuses_what_is_not_a_time_naming_now(
    tmp_path, shipped: somnet.Directory, function: str, value: Any
) -> None:
    error = _refused(lambda: CLOCKS[function](tmp_path, shipped, value), "now", value)
    assert error.reason.startswith("expected a time")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def _invite(tmp_path, **changes: Any) -> somnet.Issued:
    given: dict[str, Any] = {
        "title": "Regional coordination",
        "organizer": somnet.Person("focal@example.org", "Focal point"),
        "duration": 60,
        "first": FIRST,
        "last": FIRST + timedelta(days=4),
        "now": MEETING_NOW,
        "store": somnet.MeetingStore(tmp_path / "meetings"),
        "channels": somnet.Channels(out=tmp_path / "meeting.ics"),
        **changes,
    }
    return somnet.invite_meeting(_people(), **given)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", None),
        ("title", b"Regional coordination"),
        ("title", 7),
        ("location", 7),
        ("location", b"Panama"),
        ("description", 7),
        ("description", {"agenda": "x"}),
        ("timezone", 7),
        ("timezone", b"America/Panama"),
        ("timezone", ["America/Panama"]),
        ("organizer", None),
        ("organizer", "focal@example.org"),
        ("channels", None),
        ("channels", "meeting.ics"),
        ("first", ""),
        ("last", ""),
    ],
    ids=repr,
)
def test_invite_meeting_refuses_what_is_not_of_its_kind_naming_it_and_writes_nothing(
    tmp_path, field: str, value: Any
) -> None:
    _refused(lambda: _invite(tmp_path, **{field: value}), field, value)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", 7), ("location", 7), ("timezone", b"America/Panama"), ("channels", None)],
    ids=repr,
)
def test_update_meeting_refuses_what_is_not_of_its_kind_naming_it(
    tmp_path, field: str, value: Any
) -> None:
    issued = _invite(tmp_path, channels=somnet.Channels())
    record = issued.record.read_bytes() if issued.record else b""
    with pytest.raises(somnet.MeetingError) as raised:
        somnet.update_meeting(
            somnet.MeetingStore(tmp_path / "meetings"),
            issued.meeting.id,
            now=MEETING_NOW,
            **{field: value},
        )
    assert raised.value.field == field
    assert issued.record is None or issued.record.read_bytes() == record


#: What a script may pass where a number of days or years goes.
NOT_A_COUNT = [None, "30", 1.5, float("nan"), True, date(2026, 12, 1)]
#: What a script may pass where a day goes: a time, a text, nothing.
NOT_A_DAY = [datetime(2026, 12, 1, tzinfo=UTC), "2026-12-01", None, 20261201]
TODAY = date(2026, 12, 1)


@pytest.mark.parametrize("value", NOT_A_COUNT, ids=repr)
def test_the_stale_limits_refuse_what_is_not_a_whole_number_naming_them(
    shipped: somnet.Directory, value: Any
) -> None:
    calls = [
        (lambda: somnet.stale_report(shipped, days=value, evidence_years=2, today=TODAY), "days"),
        (
            lambda: somnet.stale_report(shipped, days=30, evidence_years=value, today=TODAY),
            "evidence_years",
        ),
        (lambda: shipped.stale_contacts(days=value, today=TODAY), "days"),
        (lambda: shipped.unverified(days=value, today=TODAY), "days"),
        (lambda: shipped.old_evidence(years=value, today=TODAY), "years"),
        (lambda: somnet.days_before(TODAY, value), "days"),
        (lambda: somnet.years_before(TODAY, value), "years"),
    ]
    for call, field in calls:
        _refused(call, field, value)


@pytest.mark.parametrize("value", NOT_A_DAY, ids=repr)
def test_the_stale_look_ups_refuse_what_is_not_a_day_naming_it(
    shipped: somnet.Directory, value: Any
) -> None:
    calls = [
        (lambda: shipped.stale_contacts(days=30, today=value), "today"),
        (lambda: shipped.unverified(days=30, today=value), "today"),
        (lambda: shipped.old_evidence(years=2, today=value), "today"),
        (lambda: somnet.days_before(value, 3), "day"),
        (lambda: somnet.years_before(value, 3), "day"),
    ]
    for call, field in calls:
        _refused(call, field, value)


#: What a script may pass where a path goes: nothing (where one is needed), bytes, a number.
NOT_A_PATH = [b"/tmp/somnet", 7, ["folder", 7], "data\x00"]

#: Each function that takes a path, called with ``value`` for it, and the field it names.
PATHS: dict[str, tuple[Any, str]] = {
    "load_directory(overlays)": (
        lambda tmp, value: somnet.load_directory(value, use_env=False),
        "overlays",
    ),
    "load_directory(base)": (lambda tmp, value: somnet.load_directory(base=value), "base"),
    "load_directory(cache_dir)": (
        lambda tmp, value: somnet.load_directory(cache_dir=value),
        "cache_dir",
    ),
    "MeetingStore": (lambda tmp, value: somnet.MeetingStore(value), "store"),
    "sync_status": (lambda tmp, value: somnet.sync_status(value), "cache"),
    "synced_copy_warnings": (lambda tmp, value: somnet.synced_copy_warnings(value), "cache"),
    "generate_key_pair": (lambda tmp, value: somnet.generate_key_pair(value), "out"),
    "load_trusted_keys": (lambda tmp, value: somnet.load_trusted_keys(value), "trust"),
    "publish_directory(data)": (
        lambda tmp, value: somnet.publish_directory(
            value, tmp / "office.key", tmp / "site", name="caribbean"
        ),
        "data",
    ),
    "publish_directory(key)": (
        lambda tmp, value: somnet.publish_directory(
            somnet.shipped_data_dir(), value, tmp / "s", name="caribbean"
        ),
        "key",
    ),
    "publish_directory(out)": (
        lambda tmp, value: somnet.publish_directory(
            somnet.shipped_data_dir(), tmp / "office.key", value, name="caribbean"
        ),
        "out",
    ),
}


@pytest.mark.parametrize("function", sorted(PATHS))
@pytest.mark.parametrize("value", NOT_A_PATH, ids=repr)
def test_every_path_refuses_what_is_not_a_path_naming_it(
    tmp_path, function: str, value: Any
) -> None:
    call, field = PATHS[function]
    refused = value[-1] if isinstance(value, list) else value
    if isinstance(value, list) and function not in (
        "load_directory(overlays)",
        "load_trusted_keys",
    ):
        refused = value  # a list where one path goes is refused as a whole
    _refused(lambda: call(tmp_path, value), field, refused)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", [None, "", "BS", b"BS", ["bs-rbdf"], [None]], ids=repr)
def test_vcards_refuses_what_is_not_a_list_of_agencies_naming_agencies(
    shipped: somnet.Directory, value: Any
) -> None:
    refused = value[0] if isinstance(value, list) else value
    _refused(lambda: somnet.vcards(shipped, value), "agencies", refused)


def test_vcards_writes_agencies_given_as_a_generator_as_a_list(shipped: somnet.Directory) -> None:
    agencies = shipped.agencies(state="BS")
    assert somnet.vcards(shipped, (a for a in agencies)) == somnet.vcards(shipped, agencies)


@pytest.mark.parametrize("value", [None, "BS", [None], ["states/BS.toml"]], ids=repr)
def test_validation_view_refuses_what_is_not_a_list_of_replacements_naming_replaced(
    shipped: somnet.Directory, value: Any
) -> None:
    refused = value[0] if isinstance(value, list) else value
    _refused(lambda: somnet.validation_view(shipped, value), "replaced", refused)


@pytest.mark.parametrize("value", [None, (FIRST, FIRST), "2026-12-07/2026-12-11"], ids=repr)
def test_plan_meeting_refuses_what_is_not_a_window_naming_window(value: Any) -> None:
    _refused(lambda: somnet.plan_meeting(_people(), value, now=MEETING_NOW), "window", value)


@pytest.mark.parametrize("value", [None, b"checked by hand", [7]], ids=repr)
def test_plan_meeting_refuses_warnings_that_are_not_texts_naming_warnings(value: Any) -> None:
    refused = value[0] if isinstance(value, list) else value
    _refused(
        lambda: somnet.plan_meeting(_people(), _window(), now=MEETING_NOW, warnings=value),
        "warnings",
        refused,
    )


def test_plan_meeting_carries_one_warning_given_alone_as_that_warning() -> None:
    found = somnet.plan_meeting(
        _people(), _window(), now=MEETING_NOW, warnings="calendars checked by hand"
    )
    assert "calendars checked by hand" in found.warnings
    assert "c" not in found.warnings


@pytest.mark.parametrize("value", [["coast-guard"], b"coast-guard", 7], ids=repr)
def test_agencies_and_at_home_refuse_a_role_that_is_not_text_naming_role(
    shipped: somnet.Directory, value: Any
) -> None:
    _refused(lambda: shipped.agencies(state="BS", role=value), "role", value)
    _refused(lambda: shipped.at_home("BS", value), "role", value)


@pytest.mark.parametrize("value", [None, "90", 1.5, True], ids=repr)
def test_duration_text_refuses_what_is_not_a_whole_number_naming_minutes(value: Any) -> None:
    _refused(lambda: somnet.duration_text(value), "minutes", value)


def _interception(directory: somnet.Directory) -> somnet.Interception:
    return somnet.make_interception(
        zone="contiguous", flag="HT", coastal="BS", at=AT, directory=directory
    )


#: Each function that takes the directory, called with ``value`` in its place.
DIRECTORY_TAKERS: dict[str, Any] = {
    "plan_contacts": lambda d, value: somnet.plan_contacts(value, _interception(d)),
    "make_interception": lambda d, value: somnet.make_interception(
        zone="contiguous", flag="HT", directory=value
    ),
    "consular_posts": lambda d, value: somnet.consular_posts(value, "IN", "HN"),
    "consular_channels": lambda d, value: somnet.consular_channels(value, "IN", "HN"),
    "coverage": lambda d, value: somnet.coverage(value),
    "vcards": lambda d, value: somnet.vcards(value, d.agencies(state="BS")),
    "agency_view": lambda d, value: somnet.agency_view(value, d.agencies(state="BS")[0]),
    "validation_view": lambda d, value: somnet.validation_view(value, []),
    "stale_report": lambda d, value: somnet.stale_report(
        value, days=30, evidence_years=2, today=TODAY
    ),
    "export_directory": lambda d, value: somnet.export_directory(value),
    "resolve_participants": lambda d, value: somnet.resolve_participants(value, states=["BS"]),
}


@pytest.mark.parametrize("function", sorted(DIRECTORY_TAKERS))
@pytest.mark.parametrize("value", ["directory", [], "interception"], ids=repr)
def test_what_is_not_a_directory_is_refused_naming_directory(
    shipped: somnet.Directory, function: str, value: Any
) -> None:
    given = _interception(shipped) if value == "interception" else value
    _refused(lambda: DIRECTORY_TAKERS[function](shipped, given), "directory", given)


def test_arguments_given_in_the_wrong_order_are_refused_naming_them(
    shipped: somnet.Directory,
) -> None:
    interception = _interception(shipped)
    _refused(lambda: somnet.plan_contacts(interception, shipped), "directory", interception)  # type: ignore[arg-type]
    agency = shipped.agencies(state="BS")[0]
    _refused(lambda: somnet.agency_view(shipped, agency.id), "agency", agency.id)  # type: ignore[arg-type]
    _refused(
        lambda: somnet.agreement_status_on("bs-cu-migration-1996", TODAY),
        "agreement",
        "bs-cu-migration-1996",
    )  # type: ignore[arg-type]


# Two directories, two languages, one process ---------------------------------------------------


def test_an_overlaid_directory_and_the_shipped_one_side_by_side_do_not_leak(tmp_path) -> None:
    import json

    cache = tmp_path / "cache"
    shipped = somnet.load_directory(use_env=False, synced=False, cache_dir=cache)
    before = json.dumps(_plan_json(shipped))
    overlay = tmp_path / "overlay" / "states"
    overlay.mkdir(parents=True)
    text = (somnet.shipped_data_dir() / "states" / "BS.toml").read_text(encoding="utf-8")
    assert 'name_en = "' in text
    (overlay / "BS.toml").write_text(
        text.replace('name_en = "', 'name_en = "Overlaid ', 1), encoding="utf-8"
    )
    overlaid = somnet.load_directory(
        [tmp_path / "overlay"], use_env=False, synced=False, cache_dir=cache
    )
    again = somnet.load_directory(use_env=False, synced=False, cache_dir=cache)
    assert "Overlaid " in json.dumps(_plan_json(overlaid))
    for directory in (shipped, again):
        assert json.dumps(_plan_json(directory)) == before
        assert len(directory.layers) == 1
    assert len(overlaid.layers) == 2
    assert overlaid.illustrative_notice != shipped.illustrative_notice


def test_a_plan_told_in_spanish_leaves_no_spanish_in_the_next_one_in_english(
    shipped: somnet.Directory,
) -> None:
    interception = _interception(shipped)

    def told() -> list[str]:
        plan = somnet.plan_contacts(shipped, interception)
        return [somnet.localized(text) for text in (*plan.warnings, *plan.notes)] + [
            somnet.localized(text) for step in plan.steps for text in step.notes
        ]

    english = told()
    somnet.set_language("es")
    try:
        spanish = told()
    finally:
        somnet.set_language("en")
    assert spanish != english
    assert told() == english
    assert somnet.language() == "en"


def test_public_holidays_of_no_state_are_none_as_every_look_up_finds_nothing(
    shipped: somnet.Directory,
) -> None:
    assert shipped.public_holidays(None, 2026) is None


@pytest.mark.parametrize("value", [7, b"meeting.ics", "meeting\x00.ics"], ids=repr)
def test_channels_out_that_is_not_a_path_is_refused_naming_out(tmp_path, value: Any) -> None:
    _refused(
        lambda: _invite(tmp_path, channels=somnet.Channels(out=value)),
        "out",
        value,
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", [None, b"focal@example.org", 7], ids=repr)
def test_an_organizer_whose_address_is_not_text_is_refused_naming_organizer(
    tmp_path, value: Any
) -> None:
    _refused(
        lambda: _invite(tmp_path, organizer=somnet.Person(value, "Focal point")),
        "organizer",
        value,
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", [None, [None], "pa-focal"], ids=repr)
def test_interpretation_refuses_what_is_not_a_list_of_participants(value: Any) -> None:
    refused = value[0] if isinstance(value, list) else value
    _refused(lambda: somnet.interpretation(value), "participants", refused)


@pytest.mark.parametrize("value", [["coast-guard"], None, 7], ids=repr)
def test_role_name_and_term_refuse_a_code_that_is_not_text_naming_it(value: Any) -> None:
    _refused(lambda: somnet.role_name(value), "role", value)
    _refused(lambda: somnet.term("role", value), "code", value)


@pytest.mark.parametrize("function", ["cancel_meeting", "resend_meeting", "cancel_series"])
@pytest.mark.parametrize("value", [None, "meeting.ics"], ids=repr)
def test_the_other_meeting_functions_refuse_channels_that_are_not_channels(
    tmp_path, function: str, value: Any
) -> None:
    issued = _invite(tmp_path, channels=somnet.Channels())
    store = somnet.MeetingStore(tmp_path / "meetings")
    record = issued.record.read_bytes() if issued.record else b""
    call = getattr(somnet, function)
    _refused(
        lambda: call(
            store, issued.meeting.series or issued.meeting.id, now=MEETING_NOW, channels=value
        ),
        "channels",
        value,
    )
    assert issued.record is None or issued.record.read_bytes() == record


def test_invite_series_refuses_an_organizer_that_is_not_a_person(tmp_path) -> None:
    _refused(
        lambda: somnet.invite_series(
            _people(),
            first=FIRST,
            every="month",
            count=2,
            duration=60,
            title="Regional coordination",
            organizer="focal@example.org",  # type: ignore[arg-type]
            store=somnet.MeetingStore(tmp_path / "meetings"),
            now=MEETING_NOW,
        ),
        "organizer",
        "focal@example.org",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_format_time_refuses_a_moment_pattern_or_language_of_the_wrong_kind_naming_it() -> None:
    _refused(lambda: somnet.format_time(None, "%Y"), "moment", None)  # type: ignore[arg-type]
    _refused(lambda: somnet.format_time("2026-12-01", "%Y"), "moment", "2026-12-01")  # type: ignore[arg-type]
    _refused(lambda: somnet.format_time(TODAY, None), "pattern", None)  # type: ignore[arg-type]
    _refused(lambda: somnet.format_time(TODAY, "%A", 1), "code", 1)  # type: ignore[arg-type]
    _refused(lambda: somnet.format_time(TODAY, "%A", b"es"), "code", b"es")  # type: ignore[arg-type]
    assert somnet.format_time(TODAY, "%A", "es") == "martes"


def test_state_code_with_no_codes_to_prefer_reads_the_code() -> None:
    assert somnet.state_code(" ht", preferred=None) == "HT"  # type: ignore[arg-type]


def test_utc_offset_reads_an_aware_time_as_the_plans_print_it() -> None:
    from zoneinfo import ZoneInfo

    winter = datetime(2026, 12, 1, 3, 0)
    assert somnet.utc_offset(winter.replace(tzinfo=ZoneInfo("America/Nassau"))) == "UTC-5"
    assert somnet.utc_offset(winter.replace(tzinfo=ZoneInfo("Asia/Kolkata"))) == "UTC+5:30"
    assert somnet.utc_offset(winter.replace(tzinfo=ZoneInfo("America/St_Johns"))) == "UTC-3:30"
    assert somnet.utc_offset(winter.replace(tzinfo=UTC)) == "UTC+0"
    # The same zone in summer: the offset of that instant, not of the zone's standard time.
    summer = datetime(2026, 7, 1, 3, 0, tzinfo=ZoneInfo("America/Nassau"))
    assert somnet.utc_offset(summer) == "UTC-4"


def test_utc_offset_refuses_a_time_without_offset_or_what_is_not_a_time() -> None:
    naive = datetime(2026, 12, 1, 3, 0)
    _refused(lambda: somnet.utc_offset(naive), "moment", naive)
    _refused(lambda: somnet.utc_offset(None), "moment", None)  # type: ignore[arg-type]
    _refused(lambda: somnet.utc_offset(TODAY), "moment", TODAY)  # type: ignore[arg-type]
    _refused(lambda: somnet.utc_offset("2026-12-01T03:00Z"), "moment", "2026-12-01T03:00Z")  # type: ignore[arg-type]
