"""The public API: every name in ``somnet.__all__`` resolves, and importing the package stays
light (meetings, sharing and their libraries load only when used)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import somnet


@pytest.mark.parametrize("name", somnet.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(somnet, name) is not None


@pytest.mark.parametrize("name", somnet.__all__)
def test_every_public_function_and_class_says_what_it_is_in_words_of_its_own(name: str) -> None:
    """``help(somnet.X)`` shows X's docstring alone: its first line says what X is, and never
    points at text around it in its module (parse_hours read "written in the grammar above")."""
    import inspect
    import re

    value = getattr(somnet, name)
    if not (inspect.isclass(value) or inspect.isfunction(value)):
        return
    doc = inspect.getdoc(value)
    assert doc, name
    first = doc.split("\n\n", 1)[0]
    assert not re.search(r"\b(above|below)(?=[.,;:)]|$)", first, re.MULTILINE), first


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        somnet.no_such_thing  # noqa: B018


def test_importing_somnet_loads_no_heavy_library() -> None:
    code = (
        "import sys, somnet; "
        "heavy = {'httpx', 'icalendar', 'holidays', 'cryptography', 'somnet.meetings.planning', "
        "'somnet.sharing.sync', 'phonenumbers', 'pycountry', 'cattrs'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# The README's "Using somnet from Python" ------------------------------------------------------


def test_the_readmes_python_example_gives_the_plan_the_command_line_gives(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json
    from pathlib import Path

    from tests.cli import run

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using somnet from Python", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    printed = capsys.readouterr().out
    cli = run(
        capsys,
        "contact",
        "--flag",
        "HT",
        "--zone",
        "contiguous",
        "--coastal",
        "BS",
        "--as",
        "US",
        "--nationality",
        "HT",
        "--distress",
        "--asylum",
        "--at",
        "2026-12-01T03:00-05:00",
        "--format",
        "json",
    )
    assert cli.exit_code == 0, cli.stderr
    assert namespace["data"] == json.loads(cli.stdout)
    assert len(printed.splitlines()) == len(json.loads(cli.stdout)["steps"])


def test_the_readme_names_every_public_reader_of_typed_text_beside_its_siblings() -> None:
    """A script that reads a setting as a command does finds the reader in the README's
    Python sections, with the others: ``parse_sync_seconds`` (sync's timeout and deadline),
    public beside ``parse_timeout`` (meeting's), was named nowhere, nor were they."""
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using somnet from Python", 1)[1].split("\n## ", 1)[0]
    readers = [name for name in somnet.__all__ if name.startswith("parse_")]
    assert readers
    assert [name for name in readers if f"`{name}`" not in section] == []


# Every command's JSON is the converter's writing of what one public call returns --------------


def _json_of(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    import json

    from tests.cli import run

    result = run(capsys, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_consular_json_is_the_library_s_consular_posts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    directory = somnet.load_directory()
    # A territory's nationals go through their sovereign's posts: the notes say so.
    posts = somnet.consular_posts(directory, "KY", "CU")
    assert posts and all(isinstance(p.mission, somnet.AgencyView) for p in posts)
    assert any(isinstance(n, somnet.Message) for n in posts[0].notes)
    assert _json_of(capsys, "consular", "--nationality", "KY", "--in", "CU") == (
        somnet.to_json(posts)
    )


def test_consular_posts_reads_codes_as_the_command_does(capsys: pytest.CaptureFixture[str]) -> None:
    # The README's example passes codes in any case: so may consular_posts (and a code that is
    # not ISO is the documented error, naming the parameter, not an empty answer).
    directory = somnet.load_directory()
    posts = somnet.consular_posts(directory, " in", "tc")
    assert posts and posts == somnet.consular_posts(directory, "IN", "TC")
    assert _json_of(capsys, "consular", "--nationality", "in", "--in", "tc") == (
        somnet.to_json(posts)
    )
    for nationality, receiving, field in (("XX", "TC", "nationality"), ("IN", "", "receiving")):
        with pytest.raises(somnet.UnknownCodeError) as refused:
            somnet.consular_posts(directory, nationality, receiving)
        assert refused.value.field == field


def test_export_json_and_vcards_are_the_library_s_export(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.cli import run

    directory = somnet.load_directory()
    chosen = somnet.export_directory(directory, state="TC")
    assert _json_of(capsys, "directory", "export", "--state", "TC") == {
        "states": somnet.to_json(list(chosen.states)),
        "agencies": somnet.to_json([somnet.agency_view(directory, a) for a in chosen.agencies]),
    }
    cards = run(capsys, "directory", "export", "--state", "TC", "--format", "vcard")
    assert cards.stdout == somnet.vcards(directory, chosen.agencies)


def test_search_and_show_json_are_the_library_s_agency_views(
    capsys: pytest.CaptureFixture[str],
) -> None:
    directory = somnet.load_directory()
    found = directory.search("coast guard")
    assert found
    views = [somnet.agency_view(directory, a) for a in found]
    assert _json_of(capsys, "directory", "search", "coast guard") == somnet.to_json(views)
    shown = _json_of(capsys, "directory", "show", "CW")
    assert isinstance(shown, dict)
    own = [a for a in directory.agencies(state="CW") if a.located_in in (None, "CW")]
    assert shown["agencies"] == somnet.to_json([somnet.agency_view(directory, a) for a in own])
    # Hours and zones resolved as an officer reads them; dates as ISO text.
    first = shown["agencies"][0]
    assert first["timezone"] == directory.agency_timezone(own[0])
    assert first["last_verified"] == own[0].last_verified.isoformat()


def test_validate_and_stale_json_are_the_library_s_views(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from datetime import date

    directory, replaced = somnet.check_directory()
    summary = somnet.validation_view(directory, replaced)
    assert summary.agencies == len(directory.all_agencies())
    assert _json_of(capsys, "directory", "validate") == somnet.to_json(summary)

    report = somnet.stale_report(directory, days=0, evidence_years=5, today=date.today())
    printed = _json_of(capsys, "directory", "stale", "--days", "0")
    assert printed == somnet.to_json(report)
    assert report.unverified.records  # every record is older than zero days
    assert isinstance(printed, dict) and printed["unverified"]["days"] == 0


@pytest.mark.parametrize(
    ("since", "today", "years"),
    [
        ("2020-02-29", "2021-02-28", 0),  # a leap day is a year old only on 1 March
        ("2020-02-29", "2021-03-01", 1),
        ("2019-11-29", "2026-11-29", 7),  # the anniversary itself counts
        ("2019-11-30", "2026-11-29", 6),
    ],
)
def test_evidence_age_is_counted_in_whole_years(since: str, today: str, years: int) -> None:
    from datetime import date

    from somnet.directory.views import whole_years

    assert whole_years(date.fromisoformat(since), date.fromisoformat(today)) == years


def test_a_plan_s_view_written_by_to_json_is_the_plan_s_json() -> None:
    # In a fresh interpreter: the view is written before the plan's own to_json ever ran, and
    # still names the interception's ``return`` as the contract does.
    code = (
        "import somnet\n"
        "from somnet.routing.views import plan_view\n"
        "d = somnet.load_directory()\n"
        "i = somnet.make_interception(zone='high-seas', flag='HT', directory=d)\n"
        "p = somnet.plan_contacts(d, i)\n"
        "first = somnet.to_json(plan_view(p))\n"
        "assert 'return' in first['interception'], first['interception']\n"
        "assert first == p.to_json()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_language_is_read_and_refused_alike_by_every_public_function() -> None:
    # set_language reads 'ES' and 'es-MX' as Spanish and refuses 'de' with UnknownLanguageError;
    # localized and format_time read the same codes, and refuse with the same error (they
    # raised FileNotFoundError, a missing catalog file).
    from datetime import date

    message = somnet.role_name("refugee-status")
    monday = date(2026, 11, 30)
    assert (
        somnet.localized(message, "ES")
        == somnet.localized(message, "es-MX")
        == (somnet.localized(message, "es"))
    )
    assert somnet.format_time(monday, "%A", "fr_CA.UTF-8") == somnet.format_time(monday, "%A", "fr")
    for call in (
        lambda: somnet.localized(message, "de"),
        lambda: message.localized("pt"),
        lambda: somnet.format_time(monday, "%A", "de"),
    ):
        with pytest.raises(somnet.UnknownLanguageError):
            call()


@pytest.mark.parametrize("value", [None, 1, b"es"])
def test_a_language_that_is_not_text_is_refused_naming_it(value: Any) -> None:
    # set_language(os.environ.get("LANG_OF_MY_APP")) with the variable unset ended in
    # AttributeError ('NoneType' object has no attribute 'strip'); choose_language(1) alike.
    somnet.set_language("fr")
    try:
        with pytest.raises(somnet.UnknownLanguageError) as raised:
            somnet.set_language(value)
        assert (raised.value.field, raised.value.value) == ("language", value)
        assert somnet.language() == "fr"  # as it was
        if value is not None:  # None is "not given" to choose_language
            with pytest.raises(somnet.UnknownLanguageError) as chosen:
                somnet.choose_language(value)
            assert (chosen.value.field, chosen.value.value) == ("language", value)
    finally:
        somnet.set_language("en")


def test_one_overlay_folder_may_be_given_alone(tmp_path) -> None:
    # load_directory("overlay") read each letter as a folder ("o: no such directory"), and a
    # Path was a TypeError; one folder given alone is that folder.
    import shutil
    from pathlib import Path

    folder = tmp_path / "overlay"
    (folder / "states").mkdir(parents=True)
    shutil.copy(somnet.shipped_data_dir() / "states" / "BS.toml", folder / "states")
    for given in (str(folder), Path(folder)):
        directory = somnet.load_directory(given, cache_dir=None, use_env=False)
        assert directory.layers[-1] == Path(folder)
        checked, _replaced = somnet.check_directory(given, use_env=False)
        assert checked.layers[-1] == Path(folder)


@pytest.mark.parametrize(("field", "value"), [("days", -1), ("evidence_years", -1)])
def test_stale_report_refuses_a_negative_limit_naming_it(field: str, value: int) -> None:
    # The command refuses a negative --days; the library took it and listed every record as
    # "not verified for more than -1 days".
    from datetime import date

    directory = somnet.load_directory()
    limits = {"days": 365, "evidence_years": 5, field: value}
    with pytest.raises(somnet.BadInputError) as raised:
        somnet.stale_report(directory, today=date(2026, 11, 29), **limits)
    assert raised.value.field == field


def test_state_name_reads_a_code_in_any_case() -> None:
    assert somnet.state_name("ht") == somnet.state_name("HT") != "ht"


def test_make_interception_takes_one_nationality_or_condition_as_a_word_not_its_letters() -> None:
    # A single code passed as text was read letter by letter ('H' is not a state code) and a
    # single condition as the conditions d, i, r, e, s, t.
    one = somnet.make_interception(
        zone="high-seas", flag="HT", nationalities="ht", conditions="distress"
    )
    assert one.nationalities == ("HT",)
    assert one.conditions == frozenset({"distress"})
    listed = somnet.make_interception(
        zone="high-seas", flag="HT", nationalities=["HT"], conditions=["distress"]
    )
    assert one == listed


def test_to_json_of_a_contact_plan_is_what_the_command_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The README says every command's JSON is somnet.to_json of what its call returns; for a
    # plan that was a NameError from inside cattrs (a type only imported for type checking).
    code = (
        "import json, somnet\n"
        "d = somnet.load_directory()\n"
        "i = somnet.make_interception(zone='contiguous', flag='HT', coastal='BS', acting='US',\n"
        "    nationalities=['HT'], conditions=['asylum'], at='2026-12-01T03:00-05:00',\n"
        "    directory=d)\n"
        "p = somnet.plan_contacts(d, i)\n"
        "assert somnet.to_json(p) == p.to_json()\n"
        "assert somnet.to_json([p]) == [p.to_json()]\n"
        "print(json.dumps(somnet.to_json(p)))\n"
    )
    import json

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    printed = _json_of(
        capsys, "contact", "--flag", "HT", "--zone", "contiguous", "--coastal", "BS", "--as",
        "US", "--nationality", "HT", "--asylum", "--at", "2026-12-01T03:00-05:00",
    )  # fmt: skip
    assert json.loads(result.stdout) == printed


def test_make_interception_points_stateless_among_the_nationalities_to_its_own_field() -> None:
    # The command line takes "--nationality stateless"; from Python the same word among the
    # nationalities was answered "did you mean US (United States)?".
    from somnet import InterceptionError

    with pytest.raises(InterceptionError) as raised:
        somnet.make_interception(zone="high-seas", flag="HT", nationalities=["HT", "Stateless"])
    assert raised.value.field == "nationalities"
    assert "stateless_persons" in str(raised.value) and "US" not in str(raised.value)


def test_to_json_of_an_interception_and_of_a_step_is_their_part_of_the_plan_s_json() -> None:
    # make_interception's result and a plan's steps are public records, yet somnet.to_json of
    # an interception gave a frozenset (not JSON) and of a step a NameError from inside cattrs.
    # Each is now written as the plan writes it.
    code = (
        "import json, somnet\n"
        "d = somnet.load_directory()\n"
        "i = somnet.make_interception(zone='contiguous', flag='HT', coastal='BS', acting='US',\n"
        "    nationalities=['HT'], conditions=['asylum', 'distress'], return_considered=True,\n"
        "    at='2026-12-01T03:00-05:00', directory=d)\n"
        "first = somnet.to_json(i)\n"
        "p = somnet.plan_contacts(d, i)\n"
        "data = p.to_json()\n"
        "assert somnet.to_json(p.interception) == data['interception']\n"
        # The plan reads the interception (BS claims no contiguous zone: its EEZ); the one given
        # is written in the same shape.
        "assert first.keys() == data['interception'].keys()\n"
        "assert first['zone'] == 'contiguous' and first['return'] is True, first\n"
        "assert [somnet.to_json(s) for s in p.steps] == data['steps']\n"
        "assert somnet.to_json(p.steps) == data['steps']\n"
        "assert somnet.to_json(list(p.steps)) == data['steps']\n"
        "json.dumps([first, somnet.to_json(p.steps)])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_to_json_of_the_trusted_keys_is_json(tmp_path) -> None:
    # load_trusted_keys is public, yet somnet.to_json of its keys kept the raw bytes of each
    # public key, which no JSON can hold; they are written as the trust file writes them.
    import json

    pair = somnet.generate_key_pair(tmp_path / "signing")
    keys = somnet.load_trusted_keys([pair.public])
    data = json.loads(json.dumps(somnet.to_json(keys)))
    assert [k["key_id"] for k in data] == [pair.key_id]
    assert data[0]["public"] == keys[0].encoded()
    assert data[0]["public"] in pair.public.read_text(encoding="utf-8")


@pytest.mark.parametrize("text", ["Mo-Zz 08:00-16:00", "Mo-Fr 08:00-25:00", "", 8])
def test_parse_hours_refuses_with_a_somnet_error_naming_the_hours(text: object) -> None:
    # somnet.parse_hours is public, yet refused bad hours with a bare ValueError (no field, no
    # value): every other public parser raises a BadInputError naming its input.
    with pytest.raises(somnet.BadInputError) as raised:
        somnet.parse_hours(text)  # type: ignore[arg-type]
    assert raised.value.field == "hours"
    assert raised.value.value == text
    assert isinstance(raised.value, ValueError)  # as the function said it raised
    with pytest.raises(somnet.BadInputError) as named:
        somnet.parse_hours("whenever", field="core_hours")  # type: ignore[call-arg]
    assert named.value.field == "core_hours"


def test_consular_channels_reads_codes_as_consular_posts_does() -> None:
    # somnet.consular_channels answered no channel at all for 'ht' in 'bs' (the directory's
    # codes are upper case), where consular_posts and the command read codes in any case; an
    # unknown code was answered alike, with nothing, instead of being refused.
    directory = somnet.load_directory()
    upper = somnet.consular_channels(directory, "HT", "BS")
    assert upper[0]
    assert somnet.consular_channels(directory, " ht", "bs") == upper
    for args, field in ((("ZZ", "BS"), "nationality"), (("HT", ""), "receiving")):
        with pytest.raises(somnet.UnknownCodeError) as raised:
            somnet.consular_channels(directory, *args)
        assert raised.value.field == field


@pytest.mark.parametrize("value", [509, b"HT", None, ("HT",)])
def test_a_state_code_that_is_not_text_is_refused_naming_the_field(value: Any) -> None:
    # consular_channels(directory, 509, "BS") ended in AttributeError ('int' object has no
    # attribute 'strip'), b"HT" in a TypeError from unicodedata: nothing a script could act on.
    directory = somnet.load_directory()
    for call, field in (
        (lambda: somnet.consular_channels(directory, value, "BS"), "nationality"),
        (lambda: somnet.consular_posts(directory, "HT", value), "receiving"),
        (lambda: somnet.state_code(value, field="flag"), "flag"),
    ):
        with pytest.raises(somnet.UnknownCodeError) as raised:
            call()
        assert raised.value.field == field
        assert raised.value.value == value


def test_plan_contacts_refuses_a_negative_stale_limit_naming_it() -> None:
    # The command refuses --stale-days -1; the library took it and flagged as stale every
    # contact of the plan, even one verified today.
    directory = somnet.load_directory()
    interception = somnet.make_interception(
        zone="eez", flag="HT", coastal="BS", acting="BS", directory=directory
    )
    with pytest.raises(somnet.BadInputError) as raised:
        somnet.plan_contacts(directory, interception, stale_days=-1)
    assert raised.value.field == "stale_days"
    assert raised.value.value == -1
    somnet.plan_contacts(directory, interception, stale_days=0)  # zero is a limit the command takes


@pytest.mark.parametrize("value", ["365", 365.5, True, None])
def test_plan_contacts_refuses_a_stale_limit_that_is_not_a_whole_number(value: Any) -> None:
    # A script's "365" (read from a file) ended in a TypeError from deep in the plan.
    directory = somnet.load_directory()
    interception = somnet.make_interception(
        zone="eez", flag="HT", coastal="BS", acting="BS", directory=directory
    )
    with pytest.raises(somnet.BadInputError) as raised:
        somnet.plan_contacts(directory, interception, stale_days=value)
    assert raised.value.field == "stale_days"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("stateless", "false"),  # truthy: the vessel would be planned as stateless
        ("stateless_persons", "no"),
        ("return_considered", 0),
        ("return_considered", None),
    ],
)
def test_make_interception_refuses_a_yes_or_no_that_is_not_a_bool(field: str, value: Any) -> None:
    # A script reading "false" from a file or a form got the opposite fact: the text is truthy,
    # so the vessel was planned as stateless (R1 and R2 left out), without a word.
    with pytest.raises(somnet.InterceptionError) as raised:
        somnet.make_interception(zone="eez", flag="HT", **{field: value})
    assert raised.value.field == field
    assert raised.value.value == value
    assert "--" not in str(raised.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("zone", None),
        ("zone", 12),
        ("flag", 509),
        ("coastal", ("BS",)),
        ("acting", b"BS"),
        ("disembark", 1.5),
        ("nationalities", ["HT", None]),
        ("nationalities", 509),
        ("conditions", ["distress", None]),
        ("conditions", 3),
    ],
)
def test_make_interception_refuses_a_code_that_is_not_text_naming_its_field(
    field: str, value: Any
) -> None:
    # Each ended in AttributeError ('int' object has no attribute 'strip') or TypeError from
    # inside the library, naming nothing a script could act on.
    facts: dict[str, Any] = {"zone": "eez", "flag": "HT", "coastal": "BS", "acting": "BS"}
    facts[field] = value
    if field in ("flag",):
        facts.pop("coastal")
    with pytest.raises(somnet.BadInputError) as raised:
        somnet.make_interception(**facts)
    assert raised.value.field == field
    assert "--" not in str(raised.value)


def test_a_start_without_a_zone_is_refused_by_invite_and_update_naming_start(tmp_path) -> None:
    # new_meeting refuses a start without a zone ("the start needs a zone", field start), but
    # invite_meeting stopped with a bare TypeError (comparing naive and aware times), and
    # update_meeting took it and read it on the machine's own clock: 15:00 on a server in UTC,
    # another instant on one in Mexico City, with no word. Nothing is recorded or written.
    from datetime import UTC, datetime

    directory = somnet.load_directory()
    people = somnet.resolve_participants(directory, states=["BS", "HT"])
    store = somnet.MeetingStore(tmp_path / "meetings")
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    common = {
        "title": "Regional coordination",
        "organizer": somnet.Person("focal@example.org", "Focal point"),
        "duration": 60,
        "store": store,
        "now": now,
    }
    with pytest.raises(somnet.MeetingError) as raised:
        somnet.invite_meeting(
            people,
            start=datetime(2026, 12, 15, 15),
            channels=somnet.Channels(out=tmp_path / "naive.ics"),
            **common,
        )
    assert raised.value.field == "start"
    assert not (tmp_path / "naive.ics").exists()
    issued = somnet.invite_meeting(
        people,
        start=datetime(2026, 12, 15, 15, tzinfo=UTC),
        channels=somnet.Channels(out=tmp_path / "invite.ics"),
        **common,
    )
    with pytest.raises(somnet.MeetingError) as raised:
        somnet.update_meeting(
            store,
            issued.meeting.id,
            start=datetime(2026, 12, 16, 15),
            now=now,
            channels=somnet.Channels(out=tmp_path / "update.ics"),
        )
    assert raised.value.field == "start"
    assert store.get(issued.meeting.id) == issued.meeting
    assert not (tmp_path / "update.ics").exists()


def test_resolve_participants_takes_one_state_role_or_contact_as_a_word_not_its_letters() -> None:
    # One state code given alone as text was read letter by letter ("'B' is not an ISO 3166-1
    # alpha-2 state code"), as make_interception once read a single nationality.
    directory = somnet.load_directory()
    alone = somnet.resolve_participants(directory, states="bs", roles="sar")
    assert alone == somnet.resolve_participants(directory, states=["BS"], roles=["sar"])
    contact = alone[0].contact
    assert somnet.resolve_participants(directory, contacts=contact) == alone


def test_an_empty_base_or_cache_folder_is_refused_never_the_working_folder(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An empty overlay name is refused (an unset variable), but load_directory(cache_dir="")
    # wrote its 1.7 MB cache into the working folder, and base="" read the working folder as
    # the directory. Both are refused, naming the parameter, and nothing is written.
    monkeypatch.chdir(tmp_path)
    for call, field in (
        (lambda: somnet.load_directory(cache_dir="", use_env=False), "cache_dir"),
        (lambda: somnet.load_directory(base="", cache_dir=None, use_env=False), "base"),
        (lambda: somnet.load_directory(base=" ", cache_dir=None, use_env=False), "base"),
        (lambda: somnet.check_directory(base="", use_env=False), "base"),
    ):
        with pytest.raises(somnet.BadInputError) as raised:
            call()
        assert raised.value.field == field
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("below", [False, True], ids=["the-file", "inside-the-file"])
def test_a_cache_folder_that_is_a_file_is_refused_naming_cache_dir(
    tmp_path: Path, below: bool
) -> None:
    """load_directory(cache_dir=<a file>) loaded without a cache and said nothing, where
    SOMNET_CACHE_DIR naming a file is refused: the folder given could never hold the cache,
    and every load would validate every file again without a word why."""
    taken = tmp_path / "notes.txt"
    taken.write_text("mine\n")
    given = taken / "cache" if below else taken
    with pytest.raises(somnet.BadInputError) as raised:
        somnet.load_directory(cache_dir=given, use_env=False)
    assert (raised.value.field, raised.value.value) == ("cache_dir", given)
    assert raised.value.reason == f"{taken}: a file, not a folder"
    assert taken.read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("given", ["missing", "file", "link-to-nowhere"])
@pytest.mark.parametrize("call", ["load_directory", "check_directory"])
def test_a_base_that_is_no_folder_is_refused_naming_base(tmp_path, call: str, given: str) -> None:
    """A base folder that does not exist or is a file names ``base``, with the path as
    ``value``, as an overlay names ``overlays``: the DirectoryError named no field, as if the
    directory's files were wrong rather than the argument (the error stays a DirectoryError
    with its one problem, as before)."""
    base = tmp_path / "data"
    if given == "file":
        base.write_text("not a folder\n")
    elif given == "link-to-nowhere":
        base.symlink_to(tmp_path / "gone")
    kwargs: dict[str, Any] = {"base": base, "use_env": False}
    if call == "load_directory":
        kwargs["cache_dir"] = None
    with pytest.raises(somnet.DirectoryError) as raised:
        getattr(somnet, call)(**kwargs)
    assert (raised.value.field, raised.value.value) == ("base", str(base))
    assert raised.value.problems == [raised.value.reason]
    assert raised.value.reason.startswith(f"{base}: ")


def test_keygen_and_publish_refuse_an_empty_path_never_the_working_folder(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The commands refuse an empty --out; from Python generate_key_pair(Path("")) stopped with
    # a bare ValueError ("has an empty name") and publish_directory(..., "") published the
    # whole site (3 MB) into the working folder.
    from pathlib import Path

    pair = somnet.generate_key_pair(tmp_path / "office.key")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for out in ("", " ", Path(""), Path("/")):
        with pytest.raises(somnet.KeyFileError) as raised:
            somnet.generate_key_pair(out)  # type: ignore[arg-type]
        assert raised.value.field == "out"
    for args, field in (
        ((somnet.shipped_data_dir(), pair.private, ""), "out"),
        (("", pair.private, tmp_path / "site"), "data"),
        ((somnet.shipped_data_dir(), "", tmp_path / "site"), "key"),
    ):
        with pytest.raises(somnet.BadInputError) as publish_refused:
            somnet.publish_directory(*args, name="caribbean")  # type: ignore[arg-type]
        assert publish_refused.value.field == field
    assert list(work.iterdir()) == []


def test_a_meeting_store_named_by_an_empty_path_is_refused(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The commands refuse an empty --store; somnet.MeetingStore("") recorded every meeting in
    # the working folder.
    from datetime import UTC, datetime

    monkeypatch.chdir(tmp_path)
    for root in ("", "  "):
        with pytest.raises(somnet.MeetingError) as raised:
            somnet.MeetingStore(root)
        assert raised.value.field == "store"
    directory = somnet.load_directory()
    with pytest.raises(somnet.MeetingError):
        somnet.invite_meeting(
            somnet.resolve_participants(directory, states=["BS", "HT"]),
            title="Regional coordination",
            organizer=somnet.Person("focal@example.org", "Focal point"),
            duration=60,
            start=datetime(2026, 12, 15, 15, tzinfo=UTC),
            now=datetime(2026, 11, 30, 12, tzinfo=UTC),
            store=somnet.MeetingStore(""),
        )
    assert list(tmp_path.iterdir()) == []


def test_sync_refuses_an_empty_sync_folder_before_writing_anything(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The command refuses an empty --cache; sync_directory(..., cache="") made the working
    # folder a sync folder (its lock, its marker, a copies/ folder) before trying the server.
    pair = somnet.generate_key_pair(tmp_path / "office.key")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    with pytest.raises(somnet.BadInputError) as raised:
        somnet.sync_directory(
            "http://127.0.0.1:9/", [pair.public], cache="", attempts=1, timeout=1, deadline=2
        )  # type: ignore[arg-type]
    assert raised.value.field == "cache"
    assert list(work.iterdir()) == []


def test_no_participants_is_refused_naming_participants(tmp_path) -> None:
    # plan_meeting, plan_series and invite_meeting refused an empty list of participants with
    # no field at all, though the caller gave it as `participants`.
    from datetime import UTC, date, datetime

    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    window = somnet.Window(date(2026, 12, 7), date(2026, 12, 11), duration=60)
    for call in (
        lambda: somnet.plan_meeting([], window, now=now),
        lambda: somnet.plan_series(
            [], first=date(2026, 12, 7), every="month", count=2, duration=60, now=now
        ),
        lambda: somnet.invite_meeting(
            [],
            title="Regional coordination",
            organizer=somnet.Person("focal@example.org", "Focal point"),
            duration=60,
            start=datetime(2026, 12, 15, 15, tzinfo=UTC),
            now=now,
            store=somnet.MeetingStore(tmp_path / "meetings"),
        ),
    ):
        with pytest.raises(somnet.MeetingError) as raised:
            call()
        assert raised.value.field == "participants"


def test_a_folder_given_where_a_meeting_store_goes_is_refused_naming_store(tmp_path) -> None:
    # MeetingStore(Path("meetings")) is the store; the folder itself given as `store` stopped
    # invite_meeting and the other issuing calls with a bare AssertionError (no message), and
    # plan_series with an AttributeError. It is refused as bad input naming `store`.
    from datetime import UTC, date, datetime

    directory = somnet.load_directory()
    people = somnet.resolve_participants(directory, states=["BS", "HT"])
    folder = tmp_path / "meetings"
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    for call in (
        lambda: somnet.invite_meeting(
            people,
            title="Regional coordination",
            organizer=somnet.Person("focal@example.org", "Focal point"),
            duration=60,
            start=datetime(2026, 12, 15, 15, tzinfo=UTC),
            now=now,
            store=folder,
        ),
        lambda: somnet.cancel_meeting(folder, "abc", now=now),
        lambda: somnet.update_meeting(store=str(folder), meeting_id="abc", title="New", now=now),
        lambda: somnet.plan_series(
            people, first=date(2026, 12, 7), every="month", count=2, duration=60, store=folder
        ),
    ):
        with pytest.raises(somnet.MeetingError) as raised:
            call()  # type: ignore[arg-type]
        assert raised.value.field == "store"
    assert not folder.exists()


@pytest.mark.parametrize("field", ["first", "last"])
def test_a_window_refuses_a_time_or_text_where_a_date_goes_naming_it(field: str) -> None:
    # Window(first=datetime.now(), ...) (a time, not a date) stopped with a bare TypeError
    # ("can't compare datetime.datetime to datetime.date"), and text with an AttributeError.
    from datetime import date, datetime

    for wrong in (datetime(2026, 12, 7, 9, 0), "2026-12-07"):
        dates = {"first": date(2026, 12, 7), "last": date(2026, 12, 11), field: wrong}
        with pytest.raises(somnet.MeetingError) as raised:
            somnet.Window(**dates, duration=60)  # type: ignore[arg-type]
        assert raised.value.field == field


def test_stale_report_and_plan_series_refuse_what_is_not_a_date_naming_it() -> None:
    # stale_report(today=datetime.now()) stopped with a bare TypeError and today="2026-11-30"
    # with another; plan_series(first="2026-12-07") with an AttributeError.
    from datetime import datetime

    directory = somnet.load_directory()
    for today in (datetime(2026, 11, 30, 9), "2026-11-30"):
        with pytest.raises(somnet.BadInputError) as raised:
            somnet.stale_report(directory, days=30, evidence_years=1, today=today)  # type: ignore[arg-type]
        assert raised.value.field == "today"
    people = somnet.resolve_participants(directory, states=["BS", "HT"])
    with pytest.raises(somnet.MeetingError) as refused:
        somnet.plan_series(people, first="2026-12-07", every="month", count=2, duration=60)  # type: ignore[arg-type]
    assert refused.value.field == "first"


def test_load_and_check_directory_refuse_a_today_that_is_not_a_date() -> None:
    # load_directory(today="2026-11-30") stopped with a bare TypeError from inside validation.
    from datetime import datetime

    for today in ("2026-11-30", datetime(2026, 11, 30, 9)):
        for call in (
            lambda today=today: somnet.load_directory(today=today, cache_dir=None, use_env=False),
            lambda today=today: somnet.check_directory(today=today, use_env=False),
        ):
            with pytest.raises(somnet.BadInputError) as raised:
                call()
            assert raised.value.field == "today"


def test_make_interception_refuses_a_date_where_a_time_goes_naming_at() -> None:
    # at=date(2026, 12, 1) (a day, not a time) stopped with a bare AttributeError ("'date'
    # object has no attribute 'tzinfo'"), as did a number.
    from datetime import date

    for at in (date(2026, 12, 1), 1764576000):
        with pytest.raises(somnet.InterceptionError) as raised:
            somnet.make_interception(zone="high-seas", flag="HT", at=at)  # type: ignore[arg-type]
        assert raised.value.field == "at"


def test_a_clock_without_offset_is_the_machine_s_local_time(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A naive `now` (datetime.now()) stopped invite_meeting with a bare TypeError. A clock is
    # read as the machine's clock reads it (datetime.astimezone), as the sharing functions read
    # a naive `now`: datetime.now() is the same instant on every machine.
    import time
    from datetime import UTC, date, datetime

    monkeypatch.setenv("TZ", "America/Mexico_City")
    time.tzset()
    try:
        directory = somnet.load_directory()
        people = somnet.resolve_participants(directory, states=["BS", "HT"])
        naive = datetime(2026, 11, 30, 6)
        local = naive.astimezone()  # 06:00 in Mexico City, 12:00 UTC
        assert local.utcoffset() is not None and local.astimezone(UTC).hour == 12
        window = somnet.Window(date(2026, 12, 7), date(2026, 12, 11), duration=60)
        invite = {
            "title": "Regional coordination",
            "organizer": somnet.Person("focal@example.org", "Focal point"),
            "duration": 60,
            "start": datetime(2026, 12, 15, 15, tzinfo=UTC),
        }
        read = somnet.invite_meeting(
            people, now=naive, store=somnet.MeetingStore(tmp_path / "a"), **invite
        )  # type: ignore[arg-type]
        told = somnet.invite_meeting(
            people, now=local, store=somnet.MeetingStore(tmp_path / "b"), **invite
        )  # type: ignore[arg-type]
        assert read.meeting.created == told.meeting.created == local
        assert (
            somnet.plan_meeting(people, window, now=naive).slots
            == somnet.plan_meeting(people, window, now=local).slots
        )
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


@pytest.mark.parametrize("call", ["plan_meeting", "plan_series"])
def test_an_earliest_start_without_offset_is_refused_as_a_start_is(call: str) -> None:
    # A naive `not_before` was read on the machine's clock: the same call planned from 09:00
    # UTC on a server and from 09:00 in Panama (14:00 UTC) on a laptop. A start the caller
    # writes needs its zone, as `start` and `fixed` do; only a clock may be naive.
    from datetime import UTC, date, datetime

    directory = somnet.load_directory()
    people = somnet.resolve_participants(directory, states=["BS", "HT"])
    naive = datetime(2026, 12, 8, 9)
    with pytest.raises(somnet.MeetingError) as raised:
        if call == "plan_meeting":
            window = somnet.Window(date(2026, 12, 7), date(2026, 12, 11), duration=60)
            somnet.plan_meeting(people, window, not_before=naive)
        else:
            somnet.plan_series(
                people,
                first=date(2026, 12, 7),
                every="week",
                count=2,
                duration=60,
                not_before=naive,
            )
    assert raised.value.field == "not_before"
    assert raised.value.value == naive
    assert "UTC offset" in raised.value.reason
    # With its zone, the same earliest start is one instant wherever the call runs.
    window = somnet.Window(date(2026, 12, 7), date(2026, 12, 11), duration=60)
    found = somnet.plan_meeting(people, window, not_before=naive.replace(tzinfo=UTC))
    assert all(s.start >= naive.replace(tzinfo=UTC) for s in found.slots)


def test_the_reason_of_a_no_slot_or_directory_error_is_told_in_the_language_in_use(
    tmp_path,
) -> None:
    # docs/translating.md: somnet.localized tells an error's reason in the language in use. The
    # reason of a NoSlotError and of a DirectoryError with several problems was plain English
    # text built by the exception, told in English whatever the language; str() stays English.
    from datetime import UTC, date, datetime

    directory = somnet.load_directory()
    people = somnet.resolve_participants(directory, states=["BS", "HT"])
    weekend = somnet.Window(date(2026, 12, 5), date(2026, 12, 6), duration=60)
    with pytest.raises(somnet.NoSlotError) as no_slot:
        somnet.plan_meeting(people, weekend, now=datetime(2026, 11, 30, tzinfo=UTC))
    broken = tmp_path / "broken"
    (broken / "states").mkdir(parents=True)
    for name in ("BS", "HT"):
        (broken / "states" / f"{name}.toml").write_text("[state]\ncode = 5\n", encoding="utf-8")
    with pytest.raises(somnet.DirectoryError) as problems:
        somnet.load_directory(broken, cache_dir=None, use_env=False)
    assert len(problems.value.problems) > 1
    for error, first in (
        (no_slot.value, no_slot.value.reasons[0]),
        (problems.value, problems.value.problems[0]),
    ):
        english = somnet.localized(error.reason, "en")
        assert english == str(error)
        for code in ("es", "fr"):
            told = somnet.localized(error.reason, code)
            assert told != english
            assert somnet.localized(first, code) in told


def test_a_states_refugee_instruments_are_read_on_a_day_refused_naming_what_is_not_one() -> None:
    """``State.refugee_treaty_party_on`` and ``RefugeeTreatyStatus.party_on`` and
    ``binding_from``, public today, are read as routing reads them; a time where the day goes
    (``datetime.now(UTC)``) or an instrument that is none failed with Python's TypeError or
    KeyError, naming nothing, where ``stale_report`` and ``load_directory`` refuse a time
    naming ``today``."""
    from datetime import UTC, date, datetime

    bahamas = somnet.load_directory().states["BS"]
    convention = bahamas.refugee_convention
    assert convention is not None and convention.date == date(1993, 9, 15)
    assert convention.binding_from("convention") == date(1993, 12, 14)
    assert convention.party_on("convention", date(1993, 12, 13)) == "no"
    assert bahamas.refugee_treaty_party_on(date(1990, 1, 1)) == "no"
    assert bahamas.refugee_treaty_party_on(None) == bahamas.refugee_treaty_party == "yes"
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    for call in (
        lambda: bahamas.refugee_treaty_party_on(now),
        lambda: convention.party_on("convention", now),
        lambda: bahamas.refugee_treaty_party_on("2026-12-01"),  # type: ignore[arg-type]
    ):
        with pytest.raises(somnet.BadInputError) as refused:
            call()
        assert refused.value.field == "day"
        assert refused.value.reason.startswith("expected a date like 2026-01-31, got ")
    for call in (
        lambda: convention.binding_from("Convention"),  # type: ignore[arg-type]
        lambda: convention.party_on("treaty", date(2026, 12, 1)),  # type: ignore[arg-type]
    ):
        with pytest.raises(somnet.BadInputError) as refused:
            call()
        assert refused.value.field == "instrument"
        assert refused.value.reason.endswith("is not one of convention, protocol")


def test_agreement_status_on_refuses_a_time_where_the_day_goes_naming_day() -> None:
    """``agreement_status_on(agreement, datetime.now(UTC))`` failed with Python's TypeError;
    a time is refused naming ``day``, as a state's refugee instruments read on a day are."""
    from datetime import UTC, date, datetime

    agreement = somnet.load_directory().all_agreements()[0]
    assert somnet.agreement_status_on(agreement, date(2026, 12, 1))
    for day in (datetime(2026, 12, 1, tzinfo=UTC), "2026-12-01", None):
        with pytest.raises(somnet.BadInputError) as refused:
            somnet.agreement_status_on(agreement, day)  # type: ignore[arg-type]
        assert (refused.value.field, refused.value.value) == ("day", day)


def test_localized_tells_an_error_in_the_language_in_use_as_str_tells_it_in_english() -> None:
    """``somnet.localized(error)`` gave ``str(error)``, English, whatever the language: a
    script telling its users why a call failed had to know to pass ``error.reason`` and lost
    the field. It is ``str(error)`` told in the language in use, field first."""
    error = None
    try:
        somnet.parse_sync_seconds("x", field="deadline")
    except somnet.BadInputError as caught:
        error = caught
    assert error is not None
    assert str(error) == "deadline: 'x' is not a number of seconds"
    assert somnet.localized(error, "en") == str(error)
    assert somnet.localized(error, "es") == "deadline: 'x' no es un número de segundos"
    assert somnet.localized(error, "fr") == ("deadline : " + somnet.localized(error.reason, "fr"))
    try:
        somnet.set_language("es")
        assert somnet.localized(error) == "deadline: 'x' no es un número de segundos"
        assert str(error) == "deadline: 'x' is not a number of seconds"
    finally:
        somnet.set_language("en")
    unnamed = somnet.NoSlotError("no slot", ["a reason"])
    assert unnamed.field is None and somnet.localized(unnamed, "es") == str(
        somnet.localized(unnamed.reason, "es")
    )


# The errors a script writer catches ----------------------------------------------------------

#: Exception classes of somnet's modules that no public function lets out, with why: each is
#: caught inside and turned into one of the exported errors, or is a private mixture of exported
#: classes (caught by any of them).
_INTERNAL_EXCEPTIONS = {
    # A CalDAV PUT or DELETE with no answer: ``issue`` records the delivery unconfirmed and
    # raises an IncompleteDeliveryError.
    "somnet.meetings.caldav.UnansweredError",
    "somnet.meetings.caldav._FailedAfter",
    # IncompleteSeriesError together with the kind of its cause.
    "somnet.meetings.errors._SeriesMeetingError",
    "somnet.meetings.errors._SeriesDeliveryError",
    "somnet.meetings.errors._SeriesStorageError",
    "somnet.meetings.errors._SeriesIncompleteDeliveryError",
    # A layer's walk stopped at the first sign that the folder is no layer: caught by the
    # walk itself, whose caller refuses the folder with the library's error.
    "somnet.directory.layers._NotALayer",
    # ValueErrors of the readers, placed at their file and field by the converter.
    "somnet._convert.FieldError",
    "somnet._convert.NotARecordError",
    "somnet.meetings.records.RecordFaults",
    "somnet._files.NotARegularFile",
    "somnet.sharing._json.Malformed",
    # Signals between two functions of one module.
    "somnet.directory.current._OverlaysRefused",
    "somnet.sharing.fetch._ServerError",
    "somnet.sharing.fetch._ShortBody",
}


def _somnet_exception_classes() -> dict[str, type[BaseException]]:
    """Every exception class defined in somnet's modules, by its qualified name."""
    import importlib
    import inspect
    import pkgutil

    found: dict[str, type[BaseException]] = {}
    for module_info in pkgutil.walk_packages(somnet.__path__, "somnet."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def test_every_error_a_public_function_can_raise_is_exported() -> None:
    # parse_hours raised HoursError, a BadInputError, which somnet did not export: a script
    # could catch it only as a BadInputError or from a private module.
    classes = _somnet_exception_classes()
    assert "somnet._exceptions.HoursError" in classes
    unexported = {
        name
        for name, cls in classes.items()
        if getattr(somnet, cls.__name__, None) is not cls or cls.__name__ not in somnet.__all__
    }
    assert sorted(unexported - _INTERNAL_EXCEPTIONS) == []
    # The list of internal ones names only classes there are.
    assert sorted(_INTERNAL_EXCEPTIONS - set(classes)) == []


def test_every_exported_error_is_in_the_tree_the_exceptions_module_draws() -> None:
    from somnet import _exceptions

    tree = _exceptions.__doc__ or ""
    exported = [
        name
        for name in somnet.__all__
        if isinstance(getattr(somnet, name), type) and issubclass(getattr(somnet, name), Exception)
    ]
    assert exported
    assert sorted(name for name in exported if name not in tree) == []


def test_a_typo_in_a_state_code_is_refused_by_a_look_up_not_read_as_no_duty() -> None:
    # directory.notification_mandatory("USA", "CN") answered None, which reads as "no duty".
    directory = somnet.load_directory()
    with pytest.raises(somnet.UnknownCodeError) as raised:
        directory.notification_mandatory("USA", "CN")
    assert raised.value.field == "detaining"
    assert raised.value.value == "USA"
    assert "US" in raised.value.reason  # the code meant, suggested
    assert isinstance(raised.value, somnet.BadInputError)
    # The duty the typo hid: the United States must notify China's consulate.
    duty = directory.notification_mandatory("US", "CN")
    assert duty is not None and duty.code == "US"
    # A state the directory does not hold (DE) is no error: nothing is recorded for it.
    assert "DE" not in directory.states
    assert directory.notification_mandatory("DE", "CN") is None


@pytest.mark.parametrize("code", ["ZZ", "zz", "USA", "", " ", 5, b"HT"])
def test_state_name_refuses_a_code_that_names_no_state(code: Any) -> None:
    """As the directory's look-ups do: a code naming no state was answered with itself, as if
    it were the state's name ("ZZ"), or failed in Python's words (5: no attribute 'strip')."""
    with pytest.raises(somnet.UnknownCodeError) as raised:
        somnet.state_name(code)
    assert (raised.value.field, raised.value.value) == ("code", code)


def test_state_name_names_a_state_the_directory_does_not_hold() -> None:
    assert somnet.state_name(" jm ") == "Jamaica"
