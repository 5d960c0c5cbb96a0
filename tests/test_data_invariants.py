"""Every damaged data file a maintainer or an overlay can hand in: a record of a shipped file,
damaged at random (a field removed, a value of the wrong type, a duplicate id, a reference
that leads nowhere or to another state's record, an unknown key, a code in lower case, hours
that overlap, a live number on an illustrative contact, evidence dated in the future or before
1900, a source address that is not one), is refused with one message a problem naming the file
and a field path that is in the damaged file; ``somnet directory validate`` and ``somnet
contact`` exit 2 without a traceback; and the cache holds nothing from the damaged directory."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import tomllib
import typing
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from somnet import DirectoryError
from somnet._clock import latest_date
from somnet.directory.cache import cache_file
from somnet.directory.loading import load_directory, shipped_data_dir
from somnet.directory.records import DirectoryFile
from tests.cli import run
from tests.factories import to_toml

SHIPPED = shipped_data_dir()
#: Every shipped data file, parsed once for the module: its path below the layer -> document.
DOCUMENTS: dict[str, dict[str, Any]] = {
    path.relative_to(SHIPPED).as_posix(): tomllib.loads(path.read_text(encoding="utf-8"))
    for path in sorted(SHIPPED.rglob("*.toml"))
}
NAMES = sorted(DOCUMENTS)

Path_ = tuple[str | int, ...]


# What the records are: the record type of each table, by its path with the indices left out --


def _record_type(annotation: Any) -> type | None:
    """The attrs class an annotation holds (``X``, ``X | None``, ``tuple[X, ...]``), if any."""
    if attrs.has(annotation):
        return typing.cast(type, annotation)
    for argument in typing.get_args(annotation):
        found = _record_type(argument)
        if found is not None:
            return found
    return None


def _record_types() -> dict[tuple[str, ...], type]:
    found: dict[tuple[str, ...], type] = {}

    def visit(cls: type, at: tuple[str, ...]) -> None:
        found[at] = cls
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            inner = _record_type(hints[field.name])
            if inner is not None and inner is not cls:
                visit(inner, (*at, field.name))

    visit(DirectoryFile, ())
    return found


RECORD_TYPES = _record_types()


def shape(path: Path_) -> tuple[str, ...]:
    return tuple(part for part in path if isinstance(part, str))


def record_type(path: Path_) -> type | None:
    """The record type of the table at ``path`` (None for a free-form table, as ``names``)."""
    return RECORD_TYPES.get(shape(path))


def required(cls: type) -> set[str]:
    return {f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING}


def get(document: Any, path: Path_) -> Any:
    for part in path:
        document = document[part]
    return document


def walk(document: Any, at: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every value below ``document`` with its path (tables, lists and leaves)."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield (*at, key), value
            yield from walk(value, (*at, key))
    elif isinstance(document, list):
        for i, value in enumerate(document):
            yield (*at, i), value
            yield from walk(value, (*at, i))


def fields_of(name: str) -> list[tuple[Path_, Any]]:
    """The keys of the records of a file: each a field of a table of a known record type."""
    return [
        (path, value)
        for path, value in walk(DOCUMENTS[name])
        if isinstance(path[-1], str) and record_type(path[:-1]) is not None
    ]


FIELDS = {name: fields_of(name) for name in NAMES}
#: Where each record with an id sits: id -> (file, path of the record).
IDS: dict[str, tuple[str, Path_]] = {}
#: Each agency's state, and each contact's agency's state.
STATE_OF: dict[str, str] = {}
for _name in NAMES:
    for _path, _value in walk(DOCUMENTS[_name]):
        if isinstance(_value, dict) and isinstance(_value.get("id"), str):
            IDS.setdefault(_value["id"], (_name, _path))
        if shape(_path) == ("agencies",) and isinstance(_value, dict):
            STATE_OF[_value["id"]] = _value["state"]
            for _contact in _value.get("contacts", []):
                STATE_OF[_contact["id"]] = _value["state"]
SOVEREIGN = {
    doc["state"]["code"]: doc["state"].get("sovereign", doc["state"]["code"])
    for doc in DOCUMENTS.values()
    if "state" in doc
}
AGENCY_IDS = sorted(k for k, (_f, p) in IDS.items() if shape(p) == ("agencies",))
SAR_AGENCIES = {
    a for a in AGENCY_IDS if "sar" in get(DOCUMENTS[IDS[a][0]], IDS[a][1]).get("roles", [])
}
CONTACT_IDS = sorted(k for k, (_f, p) in IDS.items() if shape(p) == ("agencies", "contacts"))


def test_the_shipped_files_are_written_back_as_they_read():
    """The damage is written with the tests' TOML writer: undamaged, it writes what it read."""
    for name in NAMES:
        assert tomllib.loads(to_toml(DOCUMENTS[name])) == DOCUMENTS[name], name


# The damage ----------------------------------------------------------------------------------

TODAY = latest_date()

#: Values of each TOML type, to set where another type goes.
WRONG: dict[str, Any] = {
    "int": 7,
    "list": ["a", "b"],
    "table": {"a": 1},
    "bool": True,
    "date": date(2020, 1, 1),
    "datetime": datetime(2020, 1, 1, 12, 30),
    "text": "text",
}


def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "int"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    return "table"


#: Fields whose text is an id, a code or a word of a vocabulary: no text but the right one.
CLOSED = {
    "id",
    "code",
    "state",
    "parent",
    "located_in",
    "sovereign",
    "covers",
    "roles",
    "primary_for",
    "kind",
    "status",
    "party",
    "type",
    "nationality",
    "receiving",
    "mission",
    "rcc",
    "parties",
    "extends_to",
    "url",
    "timezone",
    "timezones",
    "languages",
    "meeting_focal_point",
    "sensitivity",
    "boarding",
    "zones",
    "nationalities",
    "evidence",
    "working_hours",
    "core_hours",
    "availability",
}

LOOK_ALIKES = str.maketrans("aceopxyABCEHKMOPTXS", "асеорхуАВСЕНКМОРТХЅ")


@attrs.frozen
class Damage:
    name: str  # the damaged file
    document: dict[str, Any]
    what: str
    must_fail: bool


def copy_of(name: str) -> dict[str, Any]:
    return tomllib.loads(to_toml(DOCUMENTS[name]))


@st.composite
def damages(draw: st.DrawFn) -> Damage:
    name = draw(st.sampled_from(NAMES))
    document = copy_of(name)
    kind = draw(
        st.sampled_from(
            [
                "remove",
                "wrong type",
                "text",
                "duplicate id",
                "dangling",
                "another state's",
                "unknown key",
                "lower case",
                "hours",
                "live number",
                "evidence date",
                "url",
            ]
        )
    )
    fields = FIELDS[name]
    if kind == "remove":
        path, _value = draw(st.sampled_from(fields))
        cls = record_type(path[:-1])
        assert cls is not None
        del get(document, path[:-1])[path[-1]]
        return Damage(name, document, f"removed {path}", path[-1] in required(cls))
    if kind == "wrong type":
        path, value = draw(st.sampled_from(fields))
        wrong = draw(st.sampled_from(sorted(set(WRONG) - {kind_of(value)})))
        get(document, path[:-1])[path[-1]] = WRONG[wrong]
        return Damage(name, document, f"{path} = {WRONG[wrong]!r}", True)
    if kind == "text":
        texts = [
            (path, value)
            for path, value in walk(document)
            if isinstance(value, str) and shape(path)[-1:] != ()
        ]
        assume(texts)
        path, value = draw(st.sampled_from(texts))
        how = draw(st.sampled_from(["empty", "long", "control", "look-alike"]))
        if how == "empty":
            new = ""
        elif how == "long":
            new = value + "x" * 10_000
        elif how == "control":
            at = draw(st.integers(0, len(value)))
            new = (
                value[:at]
                + draw(st.sampled_from(["\x07", "\x1b[2K", "\x7f", "\u202e"]))
                + value[at:]
            )
        else:
            new = value.translate(LOOK_ALIKES)
            assume(new != value)
        get(document, path[:-1])[path[-1]] = new
        # An address may be long (a query); no id, code or word of a vocabulary is.
        closed = shape(path)[-1] in CLOSED and not (how == "long" and path[-1] == "url")
        return Damage(name, document, f"{path} = {how} text", how == "control" or closed)
    if kind == "duplicate id":
        records = [
            (path, value)
            for path, value in walk(document)
            if isinstance(value, dict) and isinstance(value.get("id"), str)
        ]
        assume(records)
        path, record = draw(st.sampled_from(records))
        other = draw(st.sampled_from(sorted(set(IDS) - {record["id"]})))
        record["id"] = other
        return Damage(name, document, f"{path}.id = {other!r} (an id used already)", True)
    if kind == "dangling":
        refs = [
            p
            for p, v in walk(document)
            if p and p[-1] in ("parent", "rcc", "mission", "meeting_focal_point")
        ]
        assume(refs)
        path = draw(st.sampled_from(refs))
        get(document, path[:-1])[path[-1]] = "zz-no-such-record"
        return Damage(name, document, f"{path} = a missing id", True)
    if kind == "another state's":
        refs = [
            p
            for p, _v in walk(document)
            if p and p[-1] in ("rcc", "mission", "meeting_focal_point")
        ]
        assume(refs)
        path = draw(st.sampled_from(refs))
        owner = get(document, path[:-1])
        if path[-1] == "rcc":
            choices = [a for a in AGENCY_IDS if a not in SAR_AGENCIES]
        elif path[-1] == "mission":
            choices = [a for a in AGENCY_IDS if STATE_OF[a] != owner["nationality"]]
        else:
            mine = SOVEREIGN.get(owner["code"], owner["code"])
            choices = [c for c in CONTACT_IDS if STATE_OF[c] not in (owner["code"], mine)]
        other = draw(st.sampled_from(choices))
        owner[path[-1]] = other
        return Damage(name, document, f"{path} = {other!r} (another state's)", True)
    if kind == "unknown key":
        tables = [
            p for p, v in walk(document) if isinstance(v, dict) and record_type(p) is not None
        ]
        assume(tables)
        path = draw(st.sampled_from(tables))
        get(document, path)["unknown_zz"] = 1
        return Damage(name, document, f"{path}.unknown_zz", True)
    if kind == "lower case":
        codes = [
            p
            for p, v in walk(document)
            if isinstance(v, str) and re.fullmatch(r"[A-Z]{2}", v) and shape(p)[-1] in CLOSED
        ]
        assume(codes)
        path = draw(st.sampled_from(codes))
        get(document, path[:-1])[path[-1]] = get(document, path).lower()
        return Damage(name, document, f"{path} in lower case", True)
    if kind == "hours":
        hours = [
            p
            for p, v in walk(document)
            if isinstance(v, str) and p[-1] in ("working_hours", "core_hours", "availability")
        ]
        assume(hours)
        path = draw(st.sampled_from(hours))
        value = draw(
            st.sampled_from(
                [
                    "Mo-Fr 09:00-17:00,12:00-18:00",
                    "Mo-Fr 17:00-09:00",
                    "Mo-Fr 09:00-12:00; Mo 10:00-11:00",
                    "Mo-Fr 09:00-09:00",
                ]
            )
        )
        get(document, path[:-1])[path[-1]] = value
        return Damage(name, document, f"{path} = {value!r}", True)
    if kind == "live number":
        numbers = [
            (*contact_path, "channels", i, "value")
            for contact_path, contact in walk(document)
            if shape(contact_path) == ("agencies", "contacts")
            and isinstance(contact, dict)
            and contact.get("illustrative")
            for i, channel in enumerate(contact.get("channels", []))
            if channel["kind"] in ("phone", "mobile", "fax", "satphone")
        ]
        assume(numbers)
        path = draw(st.sampled_from(numbers))
        value = draw(
            st.sampled_from(["+12423020000", "+50922453301", "+442071234567", "+14155550200"])
        )
        get(document, path[:-1])[path[-1]] = value
        return Damage(name, document, f"{path} = {value!r} (a live number)", True)
    if kind == "evidence date":
        dates = [
            p
            for p, v in walk(document)
            if shape(p)[-2:] in (("sources", "published"), ("sources", "as_of"))
            or p[-1] == "last_verified"
        ]
        assume(dates)
        path = draw(st.sampled_from(dates))
        value = draw(
            st.sampled_from([TODAY + timedelta(days=400), date(1899, 12, 31), date(1066, 10, 14)])
        )
        get(document, path[:-1])[path[-1]] = value
        return Damage(name, document, f"{path} = {value}", True)
    assert kind == "url"
    urls = [p for p, _v in walk(document) if shape(p)[-2:] == ("sources", "url")]
    assume(urls)
    path = draw(st.sampled_from(urls))
    url = get(document, path)
    value = draw(
        st.sampled_from(
            [
                "ftp://" + url.partition("://")[2],
                url.partition("://")[2],
                "mailto:someone@example.org",
                "https://",
                "https:///path",
                "http://:80/",
                url + "\x07",
                url + "/a page",
                url + "\u200b",
                "https://exa\u00a0mple.gov/",
                "https://<gov.bs>/",
                "javascript:alert(1)",
            ]
        )
    )
    get(document, path[:-1])[path[-1]] = value
    return Damage(name, document, f"{path} = {value!r}", True)


# What a problem must say ---------------------------------------------------------------------

PROBLEM = re.compile(r"(?P<file>\S+?\.toml): (?P<path>\$[^\s:]*): \S")
STEP = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]")


def parse_path(text: str) -> Path_:
    assert text.startswith("$")
    parts: list[str | int] = []
    rest = text[1:]
    while rest:
        found = STEP.match(rest)
        assert found, text
        parts.append(found.group(1) if found.group(1) else int(found.group(2)))
        rest = rest[found.end() :]
    return tuple(parts)


def exists(document: Any, path: Path_, *, missing_ok: bool) -> bool:
    try:
        get(document, path)
    except (KeyError, IndexError, TypeError):
        if not missing_ok or not path:
            return False
        try:
            return isinstance(get(document, path[:-1]), dict)
        except (KeyError, IndexError, TypeError):
            return False
    return True


def check_problem(problem: str, layer: Path, documents: dict[str, dict[str, Any]]) -> None:
    """``problem`` names a file of ``layer`` and a field path that is in it (or, for a field
    said to be missing, whose table is)."""
    assert "\n" not in problem, problem
    assert "Traceback" not in problem, problem
    if problem.endswith(": the file is empty"):  # every section of it removed
        assert problem.removesuffix(": the file is empty").startswith(f"{layer}/"), problem
        return
    found = PROBLEM.match(problem)
    assert found, problem
    name = Path(found["file"]).relative_to(layer).as_posix()
    assert name in documents, problem
    # A field said to be missing or needed is not in the file: its table is.
    assert exists(documents[name], parse_path(found["path"]), missing_ok=True), problem


# The base, copied once; each example damages one file of it and puts it back ---------------


@pytest.fixture(scope="module")
def base() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="somnet-datafuzz-") as folder:
        copy = Path(folder) / "data"
        shutil.copytree(SHIPPED, copy)
        yield copy


@pytest.fixture(scope="module")
def overlay() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="somnet-datafuzz-overlay-") as folder:
        yield Path(folder) / "unit"


def write(folder: Path, name: str, document: dict[str, Any]) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    # TOML refuses DEL written as it is, as it refuses the C0 controls: escaped, as JSON
    # (the writer's string escapes) leaves it.
    path.write_text(to_toml(document).replace("\x7f", "\\u007f"), encoding="utf-8")
    return path


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(damage=damages())
def test_a_damaged_file_of_the_directory_is_refused_naming_the_file_and_field(base, damage):
    original = (SHIPPED / damage.name).read_bytes()
    write(base, damage.name, damage.document)
    try:
        with tempfile.TemporaryDirectory(prefix="somnet-datafuzz-cache-") as cache:
            try:
                load_directory(base=base, use_env=False, cache_dir=cache)
            except DirectoryError as exc:
                problems = exc.problems
            else:
                assert not damage.must_fail, f"loaded: {damage.what} in {damage.name}"
                return
            assert problems
            documents = {**DOCUMENTS, damage.name: damage.document}
            for problem in problems:
                check_problem(problem, base, documents)
            assert len(problems) == len(set(problems)), problems
            assert not cache_file(Path(cache), [base]).exists()
            assert os.listdir(cache) == []
    finally:
        (base / damage.name).write_bytes(original)


@settings(
    max_examples=6,
    deadline=None,
    # Each example runs two commands: a failure is reported as found, not shrunk for minutes.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(damage=damages().filter(lambda d: d.must_fail))
def test_a_damaged_overlay_makes_validate_and_contact_exit_2_naming_the_file(
    capsys, monkeypatch, overlay, isolated_environment, damage
):
    shutil.rmtree(overlay, ignore_errors=True)
    write(overlay, damage.name, damage.document)
    documents = {damage.name: damage.document}
    cache = isolated_environment / "cache"
    before = sorted(os.listdir(cache)) if cache.is_dir() else []
    result = run(capsys, "directory", "validate", "--data", str(overlay))
    if result.exit_code == 0 and damage.what.endswith("(an id used already)"):
        # An id of another file's record of the same kind, in a layer of its own: a
        # replacement, not a duplicate.
        return
    assert result.exit_code == 2, (damage.what, result)
    assert "Traceback" not in result.stderr
    lines = [line.removeprefix("somnet: error: ") for line in result.stderr.splitlines()]
    assert any(str(overlay / damage.name) in line for line in lines), result.stderr
    for line in lines:
        if PROBLEM.search(line) and str(overlay) in line:
            found = PROBLEM.search(line)
            assert found
            name = Path(found["file"]).relative_to(overlay).as_posix()
            if name in documents:
                assert exists(documents[name], parse_path(found["path"]), missing_ok=True), line
    monkeypatch.setenv("SOMNET_DATA", str(overlay))
    result = run(capsys, "contact", "--flag", "BS", "--zone", "territorial", "--coastal", "BS")
    assert result.exit_code == 2, (damage.what, result)
    assert "Traceback" not in result.stderr
    assert str(overlay / damage.name) in result.stderr
    after = sorted(os.listdir(cache)) if cache.is_dir() else []
    assert after == before


# An overlay may replace a record, never move it to another state -----------------------------

STATES = sorted(SOVEREIGN)
AUTHORITY_ROLES = ["maritime-law-enforcement", "migration", "sar", "prosecution"]


def shipped_agency(agency_id: str) -> dict[str, Any]:
    name, path = IDS[agency_id]
    return typing.cast(dict[str, Any], get(copy_of(name), path))


def refused(capsys: pytest.CaptureFixture[str], overlay: Path) -> str:
    result = run(capsys, "directory", "validate", "--data", str(overlay))
    assert result.exit_code == 2, result
    assert "Traceback" not in result.stderr
    return result.stderr


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(agency_id=st.sampled_from(AGENCY_IDS), data=st.data())
def test_an_overlay_agency_with_the_id_of_another_states_agency_is_refused(
    capsys, overlay, agency_id, data
):
    """docs/data.md: a later layer replaces a record by its id but may never move it to another
    state. An overlay's agency of state T with the id of a shipped agency of state S is one."""
    state = STATE_OF[agency_id]
    other = data.draw(st.sampled_from([code for code in STATES if code != state]))
    agency = {**shipped_agency(agency_id), "state": other}
    shutil.rmtree(overlay, ignore_errors=True)
    write(overlay, f"states/{other}.toml", {"agencies": [agency]})
    message = refused(capsys, overlay)
    assert (
        f"{overlay / 'states' / other}.toml: $.agencies[0].state: {other!r} would move agency "
        f"{agency_id!r} out of {state}"
    ) in message


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(agency_id=st.sampled_from(AGENCY_IDS), data=st.data())
def test_an_overlay_agency_answering_for_another_sovereigns_authorities_is_refused(
    capsys, overlay, agency_id, data
):
    """An agency replaced with ``covers`` naming a state of another sovereign, for an
    authority role, would answer for that state's authorities: another state's agency, in
    effect, replaced."""
    agency = shipped_agency(agency_id)
    mine = SOVEREIGN.get(agency["state"], agency["state"])
    other = data.draw(st.sampled_from([c for c in STATES if SOVEREIGN[c] != mine]))
    role = data.draw(st.sampled_from(AUTHORITY_ROLES))
    agency["roles"] = sorted({*agency["roles"], role})
    agency["covers"] = [*agency.get("covers", []), other]
    shutil.rmtree(overlay, ignore_errors=True)
    write(overlay, f"states/{agency['state']}.toml", {"agencies": [agency]})
    message = refused(capsys, overlay)
    i = len(agency["covers"]) - 1
    assert (
        f"$.agencies[0].covers[{i}]: {other} is not a territory of {agency['state']}: agency "
        f"{agency_id!r} would answer for its authorities"
    ) in message


REGIONS = sorted(k for k, (_f, p) in IDS.items() if shape(p) == ("sar_regions",))


@pytest.mark.parametrize("region_id", REGIONS[:2])
def test_an_overlay_handing_a_shipped_sar_region_to_another_states_rcc_is_refused(
    capsys, overlay, region_id
):
    name, path = IDS[region_id]
    region = get(copy_of(name), path)
    state = STATE_OF[region["rcc"]]
    rcc = next(a for a in sorted(SAR_AGENCIES) if STATE_OF[a] != state)
    shutil.rmtree(overlay, ignore_errors=True)
    write(overlay, "states/unit.toml", {"sar_regions": [{**region, "rcc": rcc}]})
    message = refused(capsys, overlay)
    assert f"$.sar_regions[0].rcc: {rcc!r} of {STATE_OF[rcc]} would take SAR region" in message


AGREEMENTS = sorted(k for k, (_f, p) in IDS.items() if shape(p) == ("agreements",))


@pytest.mark.parametrize("agreement_id", AGREEMENTS[:2])
def test_an_overlay_taking_a_shipped_agreement_from_a_party_is_refused(
    capsys, overlay, agreement_id
):
    name, path = IDS[agreement_id]
    agreement = get(copy_of(name), path)
    dropped = agreement["parties"][-1]
    agreement["parties"] = agreement["parties"][:-1]
    agreement.pop("extends_to", None)
    shutil.rmtree(overlay, ignore_errors=True)
    write(overlay, "agreements.toml", {"agreements": [agreement]})
    message = refused(capsys, overlay)
    assert f"$.agreements[0].parties: would take agreement {agreement_id!r} away from" in message
    assert dropped in message


def test_after_a_damaged_directory_is_refused_the_good_one_loads_through_the_cache(tmp_path):
    """Nothing of the damaged directory is kept: the next load, of the same folder mended,
    is the directory read afresh, and then served from the cache as it."""
    base = tmp_path / "data"
    shutil.copytree(SHIPPED, base)
    cache = tmp_path / "cache"
    name, path = IDS["bs-rbdf"] if "bs-rbdf" in IDS else IDS[AGENCY_IDS[0]]
    document = copy_of(name)
    get(document, path)["roles"] = ["navy"]
    write(base, name, document)
    with pytest.raises(DirectoryError):
        load_directory(base=base, use_env=False, cache_dir=cache)
    assert not cache.exists() or os.listdir(cache) == []
    write(base, name, DOCUMENTS[name])
    fresh = load_directory(base=base, use_env=False)
    for _run in range(2):  # written, then read back
        cached = load_directory(base=base, use_env=False, cache_dir=cache)
        assert cached.all_agencies() == fresh.all_agencies()
        assert cached.all_agreements() == fresh.all_agreements()
        assert cached.states == fresh.states
        assert cache_file(cache, [base]).exists()


def test_a_territorys_code_typo_is_named_at_the_code_not_at_the_posts_there(base):
    """Regression: 'sx' for SX in states/SX.toml was told at the code and again at the
    consular posts in Sint Maarten and Curaçao (SX, unknown, was no territory of the
    Netherlands: a post in one "sat" outside the other)."""
    name = "states/SX.toml"
    document = copy_of(name)
    document["state"]["code"] = "sx"
    write(base, name, document)
    try:
        with pytest.raises(DirectoryError) as info:
            load_directory(base=base, use_env=False)
    finally:
        (base / name).write_bytes((SHIPPED / name).read_bytes())
    problems = info.value.problems
    assert problems
    assert all(p.startswith(f"{base / name}: $.state.") for p in problems), problems
