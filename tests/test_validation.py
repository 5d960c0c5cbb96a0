"""What the types alone cannot check: the fast path for E.164 numbers answers exactly as
phonenumbers' full check, and the data standard's rules (illustrative numbers, evidence,
confidence no higher than the source)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import get_args

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from somnet.directory import records
from somnet.directory.evidence import confirmation_problem, is_official
from somnet.directory.loading import shipped_data_dir
from somnet.directory.records import Channel, FilledGap, Source
from somnet.directory.reserved import is_fiction_number
from somnet.directory.validation import _plainly_valid_e164, phone_problem
from tests.cli import run
from tests.factories import TODAY, make_directory, sample_files, write_layer
from tests.test_loading import BS, HT, agency_of, broken, load

#: Haiti's shipped file: the tests below lay an edited copy of it over the shipped directory.
SHIPPED_HT = shipped_data_dir() / "states" / "HT.toml"


def _overlay_of_haiti(tmp_path: Path, text: str) -> Path:
    """``text`` written as Haiti's file in an overlay folder at ``tmp_path``; its path."""
    (tmp_path / "states").mkdir()
    path = tmp_path / "states" / "HT.toml"
    path.write_text(text, encoding="utf-8")
    return path


US = "states/US.toml"


def full_check(value: str) -> bool:
    """The reference: parse, validate and require the value to be its own E.164 form."""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and (
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == value
    )


def example_numbers() -> list[str]:
    found = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                found.append(
                    phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
                )
    return sorted(set(found))


EXAMPLES = example_numbers()


def test_every_regions_example_number_is_accepted_by_both_paths() -> None:
    assert len(EXAMPLES) > 300
    for value in EXAMPLES:
        assert full_check(value), value
        assert phone_problem(value) is None, value


@settings(max_examples=400, deadline=None)
@given(
    value=st.sampled_from(EXAMPLES),
    position=st.integers(min_value=1, max_value=16),
    digit=st.sampled_from("0123456789"),
    change=st.sampled_from(["replace", "insert", "delete"]),
)
def test_the_fast_path_agrees_with_the_full_check_on_altered_numbers(
    value: str, position: int, digit: str, change: str
) -> None:
    position = min(position, len(value) - 1)
    if change == "replace":
        altered = value[:position] + digit + value[position + 1 :]
    elif change == "insert":
        altered = value[:position] + digit + value[position:]
    else:
        altered = value[:position] + value[position + 1 :]
    expected = full_check(altered)
    assert (phone_problem(altered) is None) == expected, altered
    if _plainly_valid_e164(altered):
        assert expected, altered  # the fast path never accepts what the full check refuses


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("+1 809 555 0100", "E.164 form: +18095550100"),
        ("+18095550100x", "E.164 form: +18095550100"),
        ("+1809555", "not a valid telephone number"),
        ("+12425550100", "not a valid telephone number"),
        ("809-555-0100", "not a telephone number"),
    ],
)
def test_phone_problems_are_worded(value: str, words: str) -> None:
    problem = phone_problem(value)
    assert problem is not None and words in problem


# Illustrative numbers never ring anyone --------------------------------------------------------


def phone_of_the_rbdf_duty_officer(value: str, *, illustrative: bool = True):
    """A change to the sample directory: the RBDF duty officer's phone, and whether the
    contact is illustrative."""

    def change(files):
        contact = files[BS]["agencies"][0]["contacts"][0]
        contact["channels"][0]["value"] = value
        contact["illustrative"] = illustrative
        if not illustrative:
            contact["channels"][1]["value"] = "ops@rbdf.gov.bs"

    return change


PHONE = "$.agencies[0].contacts[0].channels[0].value"


@pytest.mark.parametrize(
    "value",
    [
        "+12425550100",  # NANP fiction lines, though phonenumbers holds 242-555 invalid
        "+16495550199",
        "+18095550150",
        "+442079460123",  # Ofcom's drama ranges
        "+441214960000",
        "+447700900461",
        "+33199001234",  # ARCEP
        "+61255501234",  # ACMA
        "+509 XXXX 0101",  # placeholders where the plan reserves nothing
        "+53 XXXX XXXX 12",
        "+52 XX XXXX 0103",
    ],
)
def test_an_illustrative_contact_may_have_a_fiction_number_or_a_placeholder(tmp_path, value):
    files = sample_files()
    phone_of_the_rbdf_duty_officer(value)(files)
    load(write_layer(tmp_path / "base", files))


@pytest.mark.parametrize("value", ["+12423020000", "+50922453301", "+5372345678", "+14155550200"])
def test_an_illustrative_contact_with_a_number_in_a_live_range_is_refused(tmp_path, value):
    folder, problems = broken(tmp_path, phone_of_the_rbdf_duty_officer(value))
    [problem] = problems
    assert problem.startswith(f"{folder / BS}: {PHONE}: {value!r} could ring a real subscriber")


def test_a_placeholder_on_a_real_contact_is_refused(tmp_path):
    folder, problems = broken(
        tmp_path, phone_of_the_rbdf_duty_officer("+509 XXXX 0101", illustrative=False)
    )
    [problem] = problems
    assert problem.startswith(f"{folder / BS}: {PHONE}: '+509 XXXX 0101' is a placeholder")


def test_a_fiction_number_on_a_real_contact_is_refused(tmp_path):
    folder, problems = broken(
        tmp_path, phone_of_the_rbdf_duty_officer("+12425550100", illustrative=False)
    )
    [problem] = problems
    assert problem.startswith(f"{folder / BS}: {PHONE}: '+12425550100' is reserved for fiction")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("+999 XXXX 0101", "+999 is not a country calling code"),
        ("+1 XXX XXXX 0101", "the +1 numbering plan reserves numbers for fiction"),
        ("+44 XXXX 0101", "the +44 numbering plan reserves numbers for fiction"),
    ],
)
def test_a_placeholder_needs_a_real_country_code_without_a_fiction_range(tmp_path, value, reason):
    folder, problems = broken(tmp_path, phone_of_the_rbdf_duty_officer(value))
    [problem] = problems
    assert problem.startswith(f"{folder / BS}: {PHONE}: {value!r}: {reason}")


@pytest.mark.parametrize("value", ["+509 0101", "+509 XXXX", "+509XXXX0101", "+509 xxxx 0101"])
def test_what_is_neither_a_number_nor_a_placeholder_is_refused(tmp_path, value):
    folder, problems = broken(tmp_path, phone_of_the_rbdf_duty_officer(value))
    [problem] = problems
    assert problem.startswith(f"{folder / BS}: {PHONE}: {value!r} is not a ")
    assert "telephone number" in problem


@pytest.mark.parametrize(
    "address", ["ops@example.org", "ops@rbdf.example.com", "ops@rbdf.test", "ops@x.invalid"]
)
def test_a_real_contact_at_a_reserved_domain_is_refused(tmp_path, address):
    def change(files):
        contact = files[BS]["agencies"][0]["contacts"][0]
        contact["channels"] = [{"kind": "email", "value": address}]
        contact["illustrative"] = False

    folder, problems = broken(tmp_path, change)
    assert problems == [
        f"{folder / BS}: $.agencies[0].contacts[0].channels[0].value: {address!r} is at a "
        "domain reserved for examples and reaches no one: give the real address, or mark the "
        "contact illustrative = true"
    ]


@pytest.mark.parametrize("address", ["ops@rbdf.gov.bs", "ops@example.org.bs", "ops@gmail.com"])
def test_an_illustrative_contact_at_a_deliverable_domain_is_refused(tmp_path, address):
    # Made up, so it must reach no one (data/README.md): as its numbers ring no one, its
    # e-mail goes to no one, whoever sends it by mistake.
    def change(files):
        files[BS]["agencies"][0]["contacts"][0]["channels"][1]["value"] = address

    folder, problems = broken(tmp_path, change)
    assert [p.split(": ", 2)[:2] for p in problems] == [
        [str(folder / BS), "$.agencies[0].contacts[0].channels[1].value"]
    ]


def secure_message_of_the_rbdf_duty_officer(value: str, *, illustrative: bool = True):
    def change(files):
        contact = files[BS]["agencies"][0]["contacts"][0]
        contact["channels"] = [{"kind": "secure-message", "value": value}]
        contact["illustrative"] = illustrative

    return change


SECURE = "$.agencies[0].contacts[0].channels[0].value"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("ops@rbdf.gov.bs", "could reach a real mailbox"),
        ("ops@gmail.com", "could reach a real mailbox"),
        ("+12423020000", "could ring a real subscriber"),
        ("+50937001234", "could ring a real subscriber"),
    ],
)
def test_an_illustrative_secure_message_address_or_number_that_reaches_someone_is_refused(
    tmp_path, value, reason
):
    """A secure messenger's address is an e-mail address or a telephone number: made up, it
    must reach no one, as the contact's e-mail and telephone do."""
    folder, problems = broken(tmp_path, secure_message_of_the_rbdf_duty_officer(value))
    [problem] = problems
    assert problem.startswith(f"{folder / BS}: {SECURE}: {value!r} {reason}")


@pytest.mark.parametrize(
    "value", ["ops@rbdf.example.org", "+12425550100", "+509 XXXX 0101", "NATO BICES terminal 4"]
)
def test_an_illustrative_secure_message_that_reaches_no_one_is_accepted(tmp_path, value):
    files = sample_files()
    secure_message_of_the_rbdf_duty_officer(value)(files)
    load(write_layer(tmp_path / "base", files))


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("ops@rbdf.example.org", "is at a domain reserved for examples"),
        ("+12425550100", "is reserved for fiction"),
        ("+509 XXXX 0101", "is a placeholder"),
    ],
)
def test_a_real_secure_message_address_or_number_that_reaches_no_one_is_refused(
    tmp_path, value, reason
):
    folder, problems = broken(
        tmp_path, secure_message_of_the_rbdf_duty_officer(value, illustrative=False)
    )
    [problem] = problems
    assert problem.startswith(f"{folder / BS}: {SECURE}: {value!r} {reason}")


#: Addresses a hand edit can break: a bracket typed for a letter, a space, no host, a port.
BROKEN_ADDRESSES = [
    "https://[gov.bs/page",
    "https://www.gov.bs/a page",
    "https:// www.gov.bs/",
    "https://",
    "https:///path",
    "https://www.gov.bs:99999/",
]


@pytest.mark.parametrize("url", BROKEN_ADDRESSES)
def test_a_source_address_that_is_not_one_is_named_not_a_crash(tmp_path, url):
    folder, problems = broken(
        tmp_path, lambda f: f[BS]["agencies"][0]["sources"][0].update(url=url)
    )
    assert f"{folder / BS}: $.agencies[0].sources[0].url: " in "\n".join(problems)
    assert all(p.startswith(f"{folder / BS}: $.agencies[0].sources") for p in problems)


@pytest.mark.parametrize(
    "url",
    [
        "https://<gov.bs>/",
        "https://gov..bs/",
        "https://gov.bs\u200b/page",
        "https://www.gov.bs/page\u200b",
        "https://www.gov.bs/\u00adpage",
        "https://www.gov.bs/page\ufeff",
        "https://ex ample.gov/",
        "HTTPS://www.gov.bs/",
        "javascript:alert(1)",
        "mailto:ops@gov.bs",
    ],
)
def test_a_source_address_with_an_invisible_character_or_no_host_name_is_refused(tmp_path, url):
    """A browser opens an address whose host is a name (or an IP address) and that holds no
    invisible character (a zero-width space pasted with it: shown as the address, it is
    another one). Regression: '<gov.bs>' and a zero-width space loaded."""
    folder, problems = broken(
        tmp_path, lambda f: f[BS]["agencies"][0]["sources"][0].update(url=url)
    )
    assert problems == [
        f"{folder / BS}: $.agencies[0].sources[0].url: {url!r} is not an http(s) address"
    ]


def test_a_source_address_with_an_escaped_control_character_is_named_once(tmp_path):
    """TOML refuses a control character written as it is, not the escape ``\\u0007``: the
    file's reading names it, and the address is not told again as no address."""
    url = "https://www.gov.bs/\x07page"
    folder, problems = broken(
        tmp_path, lambda f: f[BS]["agencies"][0]["sources"][0].update(url=url)
    )
    assert problems == [
        f"{folder / BS}: $.agencies[0].sources[0].url: the control character '\\x07' in the "
        "text; text may hold no terminal command"
    ]


def test_a_web_channel_with_an_escaped_control_character_is_named_once(tmp_path):
    def change(files):
        channels = files[BS]["agencies"][0]["contacts"][0]["channels"]
        channels.append({"kind": "web", "value": "https://www.gov.bs/\x07page"})

    folder, problems = broken(tmp_path, change)
    assert problems == [
        f"{folder / BS}: $.agencies[0].contacts[0].channels[2].value: the control character "
        "'\\x07' in the text; text may hold no terminal command"
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://www.gob.mx/sre/es/articulos/comunicación-oficial",
        "https://xn--espaa-rta.gob.es/",
        "https://españa.gob.es/",
        "http://192.0.2.10:8080/page?q=a+b#part",
        "https://[2001:db8::1]/",
        "https://www.gov.bs./",
    ],
)
def test_a_source_address_with_letters_of_any_script_or_an_ip_address_is_accepted(tmp_path, url):
    files = sample_files()
    files[BS]["agencies"][0]["sources"][0]["url"] = url
    assert load(write_layer(tmp_path / "base", files)).agency("bs-rbdf").sources[0].url == url


@pytest.mark.parametrize("url", BROKEN_ADDRESSES)
def test_a_web_channel_that_is_not_an_address_is_refused(tmp_path, url):
    def change(files):
        channels = files[BS]["agencies"][0]["contacts"][0]["channels"]
        channels.append({"kind": "web", "value": url})

    folder, problems = broken(tmp_path, change)
    assert [p.split(": ", 2)[:2] for p in problems] == [
        [str(folder / BS), "$.agencies[0].contacts[0].channels[2].value"]
    ]


def test_a_real_contact_with_a_real_number_and_address_is_accepted(tmp_path):
    def change(files):
        contact = files[BS]["agencies"][0]["contacts"][0]
        contact["channels"] = [
            {"kind": "phone", "value": "+12423020000", "availability": "24/7"},
            {"kind": "email", "value": "ops@rbdf.gov.bs"},
        ]
        contact["illustrative"] = False

    files = sample_files()
    change(files)
    load(write_layer(tmp_path / "base", files))


@pytest.mark.parametrize(
    ("kind", "value", "dialable"),
    [
        ("phone", "+12425550100", True),
        ("satphone", "+870773123456", True),
        ("phone", "+509 XXXX 0101", False),
        ("fax", "+53 XXXX 0102", False),
        ("email", "ops@example.org", False),
        ("vhf", "Channel 16", False),
    ],
)
def test_a_channel_says_whether_it_can_be_dialled(kind, value, dialable):
    assert Channel(kind=kind, value=value).dialable is dialable


@pytest.mark.parametrize(
    ("value", "fiction"),
    [
        ("+12025550100", True),
        ("+12025550199", True),
        ("+12025550200", False),
        ("+12025550099", False),
        ("+11025550100", False),  # no area code starts with 1
        ("+442079460999", True),
        ("+442079461000", False),
        ("+447700900000", True),
        ("+447700901000", False),
    ],
)
def test_fiction_ranges_have_exact_bounds(value, fiction):
    assert is_fiction_number(value) is fiction


def give_number(files, agency_index: int, name: str, value: str) -> None:
    contact = files[name]["agencies"][agency_index]["contacts"][0]
    contact["channels"].append({"kind": "phone", "value": value})


def test_two_unrelated_agencies_sharing_a_number_load_with_a_warning(tmp_path):
    files = sample_files()
    # The RBDF's duty line given again as the Haitian embassy's consular desk.
    give_number(files, 3, HT, "+12425550100")
    directory = load(write_layer(tmp_path / "base", files))
    [warning] = directory.warnings
    assert warning.startswith(
        f"{tmp_path / 'base' / HT}: $.agencies[3].contacts[0].channels[1].value: "
        "'+12425550100' is also the number of 'bs-rbdf' ("
    )


def test_an_agency_may_share_a_number_with_its_parent_and_within_itself(tmp_path):
    files = sample_files()
    # RCC Miami (parent: the district) gives the district's command centre line.
    give_number(files, 1, US, "+13055550100")
    give_number(files, 1, US, "+13055550100")
    assert load(write_layer(tmp_path / "base", files)).warnings == ()


def test_directory_validate_reports_a_shared_number_as_a_warning(tmp_path, capsys, monkeypatch):
    files = sample_files()
    give_number(files, 3, HT, "+12425550100")
    folder = write_layer(tmp_path / "base", files)
    monkeypatch.setattr("somnet.directory.loading.shipped_data_dir", lambda: folder)
    result = run(capsys, "directory", "validate")
    assert result.exit_code == 0
    [line] = result.stderr.splitlines()
    assert line.startswith("somnet: warning: ")
    assert "'bs-rbdf'" in line and HT in line


# Evidence dates -------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["published", "as_of", "accessed"])
def test_a_source_dated_after_today_is_refused(tmp_path, field):
    def change(files):
        source = files[BS]["agencies"][0]["sources"][0]
        source[field] = date(2026, 11, 28)
        source["url"] = "https://example.gov/another-source"  # a document of its own

    folder, problems = broken(tmp_path, change)
    assert problems == [
        f"{folder / BS}: $.agencies[0].sources[0].{field}: 2026-11-28 is in the future "
        "(it is 2026-11-27 at the latest, anywhere on Earth)"
    ]


@pytest.mark.parametrize("field", ["published", "as_of"])
def test_a_source_read_before_its_date_is_refused(tmp_path, field):
    """A document is read after it exists: one accessed before its own date has a wrong
    date, whichever it is."""

    def change(files):
        source = files[BS]["agencies"][0]["sources"][0]
        del source["published"]
        # A document of its own, dated the day after it was accessed (VERIFIED); the record
        # checked since.
        source.update({"url": "https://example.gov/read-early", field: date(2026, 6, 2)})
        files[BS]["agencies"][0]["last_verified"] = date(2026, 6, 2)

    folder, problems = broken(tmp_path, change)
    assert problems == [
        f"{folder / BS}: $.agencies[0].sources[0].accessed: 2026-06-01 is before {field} = "
        "2026-06-02: a document is read after it exists"
    ]


@pytest.mark.parametrize("day", [date(1899, 12, 31), date(1066, 10, 14)])
@pytest.mark.parametrize(
    "field",
    ["sources[0].published", "sources[0].as_of", "sources[0].accessed", "last_verified"],
)
def test_an_evidence_date_before_1900_is_refused(tmp_path, field, day):
    """A typo for a recent year (1899 for 1999, 1066 for 2016): nothing the directory cites was
    published, read or checked before 1900. Regression: such dates loaded."""

    def change(files):
        agency = files[BS]["agencies"][0]
        if field == "last_verified":
            agency["last_verified"] = day
        else:
            source = agency["sources"][0]
            source.update({"url": "https://example.gov/an-old-typo", field.split(".")[1]: day})

    folder, problems = broken(tmp_path, change)
    assert problems == [
        f"{folder / BS}: $.agencies[0].{field}: {day.isoformat()} is before 1900: a typo for "
        "a later year?"
    ]


def test_a_source_dated_1900_is_accepted(tmp_path):
    files = sample_files()
    source = files[BS]["agencies"][0]["sources"][0]
    source.update(published=date(1900, 1, 1), url="https://example.gov/an-old-law")
    agency = load(write_layer(tmp_path / "base", files)).agency("bs-rbdf")
    assert agency.sources[0].published == date(1900, 1, 1)


def test_a_source_date_and_a_verification_date_in_the_future_are_told_alike(tmp_path):
    # Both are refused after the latest date anywhere on Earth, but a source's date was told
    # "(today is 2026-12-01)": at 23:30 on 30 November in Panama, the publisher's today is
    # the 30th, and the date named as today is UTC+14's. One check, one sentence.
    def change(files):
        source = files[BS]["agencies"][0]["sources"][0]
        source.update(published=date(2026, 11, 28), url="https://example.gov/another-source")
        files[BS]["agencies"][0]["contacts"][0]["last_verified"] = date(2026, 11, 28)

    _folder, problems = broken(tmp_path, change)
    reasons = sorted(p.rsplit(": ", 1)[1] for p in problems)
    assert reasons == 2 * [
        "2026-11-28 is in the future (it is 2026-11-27 at the latest, anywhere on Earth)"
    ]


def test_a_source_may_be_dated_today_by_publication_and_observation(tmp_path):
    files = sample_files()
    source = files[BS]["agencies"][0]["sources"][0]
    source.update(published=TODAY, as_of=TODAY, accessed=TODAY, url="https://example.gov/today")
    files[BS]["agencies"][0]["last_verified"] = TODAY
    assert load(write_layer(tmp_path / "base", files)).agency("bs-rbdf").sources[0].published == (
        TODAY
    )


@pytest.mark.parametrize(
    ("published", "as_of", "expected"),
    [
        (None, None, None),
        (date(2012, 5, 1), None, date(2012, 5, 1)),
        (None, date(2024, 1, 1), date(2024, 1, 1)),
        (date(2012, 5, 1), date(2024, 1, 1), date(2024, 1, 1)),
    ],
)
def test_a_sources_evidence_is_dated_by_the_newer_of_its_dates(published, as_of, expected):
    assert Source("t", published=published, as_of=as_of).evidence_date == expected


def test_negative_evidence_is_one_of_two_kinds(tmp_path):
    def change(files):
        files["consular.toml"]["consular"][2]["sources"][0]["evidence"] = "rumour"

    folder, problems = broken(tmp_path, change)
    [problem] = problems
    assert problem.startswith(f"{folder / 'consular.toml'}: $.consular[2].sources[0].evidence: ")
    assert "mission-list" in problem and "diplomatic-list" in problem


# Confidence no higher than the source -----------------------------------------------------------

AGREEMENTS = "agreements.toml"
CONSULAR = "consular.toml"
SAR = "sar.toml"

#: (file, path to the record, path of its sources) of each kind of record that asserts a fact.
CONFIRMED_RECORDS = [
    (BS, ("state",), "$.state.sources"),
    (BS, ("state", "maritime"), "$.state.maritime.sources"),
    (BS, ("state", "som_protocol"), "$.state.som_protocol.sources"),
    (BS, ("agencies", 0), "$.agencies[0].sources"),
    (AGREEMENTS, ("agreements", 0), "$.agreements[0].sources"),
    (CONSULAR, ("consular", 0), "$.consular[0].sources"),
    (SAR, ("sar_regions", 0), "$.sar_regions[0].sources"),
]


def record_at(files, name, keys):
    record = files[name]
    for key in keys:
        record = record[key]
    return record


@pytest.mark.parametrize(("name", "keys", "path"), CONFIRMED_RECORDS)
def test_a_confirmed_record_without_a_url_is_refused(tmp_path, name, keys, path):
    def change(files):
        for source in record_at(files, name, keys)["sources"]:
            del source["url"]

    folder, problems = broken(tmp_path, change)
    [problem] = problems
    assert problem.startswith(f"{folder / name}: {path}: a confirmed record needs a source ")


@pytest.mark.parametrize(
    ("name", "keys", "doubt"),
    [
        (BS, ("state", "maritime"), {"status": "uncertain"}),
        (BS, ("state", "som_protocol"), {"party": "uncertain"}),
        (BS, ("agencies", 0), {"status": "uncertain"}),
        (AGREEMENTS, ("agreements", 0), {"status": "uncertain"}),
        (CONSULAR, ("consular", 0), {"status": "uncertain"}),
        (SAR, ("sar_regions", 0), {"status": "uncertain"}),
    ],
)
def test_an_uncertain_record_may_cite_a_title_only(tmp_path, name, keys, doubt):
    files = sample_files()
    record = record_at(files, name, keys)
    record.update(doubt)
    for source in record["sources"]:
        del source["url"]
    if keys == ("state", "som_protocol"):
        record["notes"] = ["the depositary's record was not seen"]
    load(write_layer(tmp_path / "base", files))


@pytest.mark.parametrize(
    "urls",
    [
        ["https://en.wikipedia.org/wiki/Royal_Bahamas_Defence_Force"],
        ["https://wikimili.com/en/Royal_Bahamas_Defence_Force", "https://www.wikiwand.com/en/RBDF"],
        ["https://www.embassypages.com/bahamas"],
        # Copies of Wikipedia away from its domains: an offline dump, a proxy naming the
        # article's address, the IPFS snapshot, mirrors under names of their own.
        ["https://wiki.example.quest/content/wikipedia_en_all_maxi_2023-10/A/RBDF"],
        ["https://kiwix.example.xyz/content/hamichlol_he_all_maxi_2021-02/A/RBDF"],
        ["https://proxy.example.com/https/fr.m.wikipedia.org/wiki/RBDF"],
        ["https://seo.example.com/index.php?q=https%3A%2F%2Fnl.wikipedia.org%2Fwiki%2FRBDF"],
        [
            "https://gateway.example.ai/ipfs/QmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco/wiki/RBDF.html"
        ],
        ["https://franco.wiki/fr/RBDF.html", "https://es.wikidat.com/info/RBDF"],
    ],
)
def test_a_record_resting_only_on_mirrors_or_directory_sites_cannot_be_confirmed(tmp_path, urls):
    def change(files):
        files[BS]["agencies"][0]["sources"] = [{"title": f"page {u}", "url": u} for u in urls]

    folder, problems = broken(tmp_path, change)
    [problem] = problems
    assert problem.startswith(f"{folder / BS}: $.agencies[0].sources: ")
    assert "rests only on" in problem


def test_a_mirror_beside_an_official_source_is_accepted(tmp_path):
    files = sample_files()
    files[BS]["agencies"][0]["sources"].append(
        {"title": "Wikipedia", "url": "https://en.wikipedia.org/wiki/RBDF"}
    )
    load(write_layer(tmp_path / "base", files))


def test_a_mirror_may_support_an_uncertain_record(tmp_path):
    files = sample_files()
    agency = files[BS]["agencies"][0]
    agency["status"] = "uncertain"
    agency["sources"] = [{"title": "Wikipedia", "url": "https://en.wikipedia.org/wiki/RBDF"}]
    load(write_layer(tmp_path / "base", files))


def test_one_document_cited_twice_has_one_publication_date(tmp_path):
    """A url names one document, and a document has one date: two records citing it on two
    dates tell the reader two ages of the same evidence, and one of them is wrong."""

    def change(files):
        files[BS]["agencies"][0]["sources"][0]["published"] = date(2025, 1, 1)

    folder, problems = broken(tmp_path, change)
    [problem] = problems
    assert problem.startswith(f"{folder / BS}: $.agencies[0].sources[0].published: ")
    assert "'https://example.gov/source'" in problem
    assert "2025-03-01" in problem


def test_a_record_cites_a_document_once(tmp_path):
    """The same url twice in one record's sources counts one document as two, and lets their
    titles and dates drift apart: the second is refused, naming the first."""

    def change(files):
        sources = files[BS]["agencies"][0]["sources"]
        sources.append({**sources[0], "title": "The same page, read again"})

    folder, problems = broken(tmp_path, change)
    assert problems == [
        f"{folder / BS}: $.agencies[0].sources[1].url: 'https://example.gov/source' is cited "
        "already at $.agencies[0].sources[0]: cite a document once"
    ]


def test_a_document_dated_by_its_publication_is_not_cited_elsewhere_as_undated(tmp_path):
    """``as_of`` is for a page without a publication date: a document another record cites
    with its publication date has one, and the two citations must agree."""

    def change(files):
        source = files[BS]["agencies"][0]["sources"][0]
        del source["published"]
        source["as_of"] = date(2025, 6, 1)

    folder, problems = broken(tmp_path, change)
    [problem] = problems
    assert problem.startswith(f"{folder / BS}: $.agencies[0].sources[0].as_of: ")
    assert "as published on 2025-03-01" in problem


def test_one_document_may_be_cited_without_its_date_or_with_it_in_another_layer(tmp_path):
    files = sample_files()
    del files[BS]["agencies"][0]["sources"][0]["published"]
    base = write_layer(tmp_path / "base", files)
    agency = sample_files()[BS]["agencies"][0]
    agency["sources"][0]["published"] = date(2025, 1, 1)
    upper = write_layer(tmp_path / "overlay", {BS: {"agencies": [agency]}})
    load(base)
    load(base, upper)


def honorary_consul_in(sits: str):
    def change(files):
        files[CONSULAR]["consular"][0]["type"] = "honorary"
        agency_of(files, "ht-emb-bs")["located_in"] = sits

    return change


def test_an_honorary_consul_serving_a_state_from_abroad_is_concurrent_there(tmp_path):
    """An honorary consul in one state who also serves another is a post elsewhere for the
    second, as an embassy is: the plan must say it is abroad, not that an honorary consul
    covers the state."""
    folder, problems = broken(tmp_path, honorary_consul_in("US"))
    assert problems == [
        f"{folder / CONSULAR}: $.consular[0].type: ht-emb-bs sits in US, not in BS: a post "
        'elsewhere is "concurrent" there, in a record of its own'
    ]


def test_an_honorary_consul_in_the_receiving_state_is_accepted(tmp_path):
    files = sample_files()
    honorary_consul_in("BS")(files)
    [channel, *_] = load(write_layer(tmp_path / "base", files)).consular
    assert (channel.type, channel.mission) == ("honorary", "ht-emb-bs")


# A "none" must be proven ----------------------------------------------------------------------


def none_record_sources(*kinds: str | None):
    def change(files):
        record = files[CONSULAR]["consular"][2]
        assert record["type"] == "none"
        record["sources"] = [
            {
                "title": f"source {i}",
                "url": f"https://example.gov/list-{i}",
                **({"evidence": k} if k else {}),
            }
            for i, k in enumerate(kinds)
        ]

    return change


def test_a_none_record_without_negative_evidence_is_refused(tmp_path):
    folder, problems = broken(tmp_path, none_record_sources(None, None))
    [problem] = problems
    assert problem.startswith(f"{folder / CONSULAR}: $.consular[2].sources: a 'none' record ")


@pytest.mark.parametrize("kind", ["mission-list", "diplomatic-list"])
def test_a_none_record_with_one_kind_of_negative_evidence_cannot_be_confirmed(tmp_path, kind):
    folder, problems = broken(tmp_path, none_record_sources(kind, None))
    [problem] = problems
    assert problem.startswith(f"{folder / CONSULAR}: $.consular[2].status: ")
    files = sample_files()
    none_record_sources(kind, None)(files)
    files[CONSULAR]["consular"][2]["status"] = "uncertain"
    load(write_layer(tmp_path / "uncertain", files))


def test_a_none_record_with_both_kinds_of_negative_evidence_may_be_confirmed(tmp_path):
    files = sample_files()
    none_record_sources("diplomatic-list", "mission-list")(files)
    directory = load(write_layer(tmp_path / "base", files))
    [none] = [c for c in directory.consular if c.type == "none"]
    assert none.status == "confirmed"


# Official domains --------------------------------------------------------------------------------


@pytest.mark.parametrize("domain", ["https://gov.bs", "GOV.BS", "gov", "gov.bs/", ""])
def test_an_official_domain_is_a_bare_lower_case_host_name(tmp_path, domain):
    folder, problems = broken(
        tmp_path, lambda f: f[BS]["state"].update(official_domains=["gov.bs", domain])
    )
    [problem] = problems
    assert problem.startswith(f"{folder / BS}: $.state.official_domains[1]: {domain!r} ")


@pytest.mark.parametrize(
    ("url", "domains", "official"),
    [
        ("https://www.bahamas.gov.bs/page", (), True),  # public-sector shape: gov.XX
        ("https://www.gob.mx/semar", (), True),
        ("https://mae.gouv.ht/", (), True),
        ("https://www.state.gov/reports", (), True),  # .gov
        ("https://news.uscg.mil/x", (), True),
        ("https://treaties.un.org/Pages", (), True),  # the United Nations
        ("https://www.iom.int/news", (), True),  # .int
        ("https://www.jdfweb.com/coast-guard", ("jdfweb.com",), True),  # a state's own list
        ("https://www.jdfweb.com/coast-guard", (), False),
        ("https://jamaica-gleaner.com/x", ("jdfweb.com",), False),
        ("https://notgov.bs.example.com/", (), False),
        ("https://en.wikipedia.org/wiki/X", (), False),
    ],
)
def test_official_sources_are_recognised_by_domain(url, domains, official):
    assert is_official(url, domains) is official


@pytest.mark.parametrize(
    ("urls", "confirmed"),
    [
        (["https://www.gob.mx/semar"], True),
        (["https://a-newspaper.com/x", "https://another-paper.com/y"], True),
        (["https://a-newspaper.com/x", "https://www.a-newspaper.com/y"], False),  # one host
        # One publisher on two of its subdomains is not two independent sources.
        (["https://a-newspaper.com/x", "https://epaper.a-newspaper.com/y"], False),
        (["https://news.bbc.co.uk/x", "https://www.bbc.co.uk/y"], False),
        (["https://www.bbc.co.uk/x", "https://www.gleaner.co.uk/y"], True),
        (["https://a-newspaper.com/x", "https://en.wikipedia.org/wiki/X"], False),
        (["https://a-newspaper.com/x"], False),
        ([], False),
    ],
)
def test_a_record_is_confirmed_by_an_official_source_or_two_independent_ones(urls, confirmed):
    sources = tuple(Source(f"s{i}", url=u) for i, u in enumerate(urls))
    assert (confirmation_problem(sources) is None) is confirmed


# Role gaps -------------------------------------------------------------------------------------


def _gaps(files, *gaps):
    files[HT]["state"]["role_gaps"] = [{"roles": roles, "note": note} for roles, note in gaps]


def test_a_role_gap_names_roles_of_the_vocabulary(tmp_path):
    folder, problems = broken(
        tmp_path, lambda f: _gaps(f, (["navy"], "searched the gazette, found no navy"))
    )
    [problem] = problems
    assert problem.startswith(f"{folder / HT}: $.state.role_gaps[0].roles[0]: ")
    assert "'navy'" in problem


def test_a_role_gap_says_what_was_searched_and_names_each_role_once(tmp_path):
    folder, problems = broken(
        tmp_path,
        lambda f: _gaps(
            f,
            (["ship-registry"], "  "),
            (["prosecution", "ship-registry"], "searched the gazette; no register found"),
            ([], "a gap of no role"),
        ),
    )
    where = f"{folder / HT}: $.state.role_gaps"
    assert problems == [
        f"{where}[0].note: say what was searched and what was found",
        f"{where}[1].roles: 'ship-registry' is in another gap of HT already",
        f"{where}[2].roles: name at least one role",
    ]


def test_a_gap_that_an_agency_fills_is_a_warning_that_its_note_is_out_of_date(tmp_path):
    files = sample_files()
    _gaps(
        files,
        (["migration"], "no migration authority was found in the sources searched"),
        (["ship-registry"], "no register was found in the sources searched"),
    )
    directory = load(write_layer(tmp_path / "base", files))
    # The ONM holds migration for HT: the first gap is out of date; the second stands.
    [warning] = directory.warnings
    assert warning.startswith(f"{tmp_path / 'base' / HT}: $.state.role_gaps[0].roles: ")
    assert "'migration'" in warning and "ht-onm" in warning
    assert directory.state("HT").gap_for("ship-registry") is not None
    assert directory.state("HT").gap_for("migration") is not None
    assert directory.state("HT").gap_for("sar") is None


def _registry(agency_id: str = "ht-registry") -> dict:
    """An agency of HT holding the role 'ship-registry', which the sample HT file does not."""
    return {
        "id": agency_id,
        "state": "HT",
        "name": "Registre maritime",
        "name_en": "Maritime registry",
        "roles": ["ship-registry"],
        "last_verified": TODAY,
        "sources": [{"title": "The unit's own record"}],
        "status": "uncertain",
    }


def test_a_gap_that_a_later_layer_fills_is_no_warning_but_a_filled_gap(tmp_path):
    """An officer's unit lays its overlay over the shipped directory, and the overlay adds an
    agency holding a role the shipped file records as a gap. The shipped file is right about
    what it holds, and no one at sea can change it: a warning on every command would only
    stand above the plan. The filled gap is recorded, for ``directory validate`` to list."""
    files = sample_files()
    _gaps(files, (["ship-registry"], "no register was found in the sources searched"))
    base = write_layer(tmp_path / "base", files)
    overlay = write_layer(tmp_path / "unit", {"states/HT-unit.toml": {"agencies": [_registry()]}})
    directory = load(base, overlay)
    assert directory.warnings == ()
    assert directory.filled_gaps == (
        FilledGap(
            state="HT",
            role="ship-registry",
            gap=(str(base / HT), "$.state.role_gaps[0]"),
            agency="ht-registry",
            by=(str(overlay / "states/HT-unit.toml"), "$.agencies[0]"),
        ),
    )


def test_a_gap_a_later_layer_records_that_an_earlier_layer_fills_is_no_warning(tmp_path):
    """The overlay copied a state's record, gap included, and the directory it is laid over
    now holds an agency for the role (a newer release, a sync): the plan uses the agency, and
    the gap's note is listed by ``directory validate`` for the overlay's maintainer."""
    base = make_directory(tmp_path / "base")
    state = sample_files()[HT]["state"]
    state["role_gaps"] = [{"roles": ["migration"], "note": "no migration authority was found"}]
    overlay = write_layer(tmp_path / "unit", {HT: {"state": state}})
    directory = load(base, overlay)
    assert directory.warnings == ()
    [filled] = directory.filled_gaps
    assert filled.gap == (str(overlay / HT), "$.state.role_gaps[0]")
    assert (filled.agency, filled.by) == ("ht-onm", (str(base / HT), "$.agencies[2]"))


def test_a_gap_its_own_layer_fills_is_a_warning_in_an_overlay_too(tmp_path):
    """Within one layer the gap and the agency contradict each other: the layer is out of date,
    whichever it is."""
    base = make_directory(tmp_path / "base")
    files = sample_files()
    _gaps(files, (["ship-registry"], "no register was found in the sources searched"))
    files[HT]["agencies"].append(_registry())
    overlay = write_layer(tmp_path / "unit", {HT: files[HT]})
    directory = load(base, overlay)
    [warning] = directory.warnings
    assert warning == (
        f"{overlay / HT}: $.state.role_gaps[0].roles: 'ship-registry' is held for HT by "
        "ht-registry: the gap's note is out of date"
    )
    assert directory.filled_gaps == ()


def test_a_number_a_later_layer_shares_is_warned_of_where_that_layer_gives_it(tmp_path):
    """An overlay gives an agency the number another agency of the layer below it holds: the
    warning names the overlay's file, which caused it and whose maintainer can act, not the
    file below, which did not change (even when the agency it replaces comes first)."""
    base = make_directory(tmp_path / "base")
    files = sample_files()
    # The RBDF (in BS.toml, read before HT.toml) given the Haitian Coast Guard's duty line.
    give_number(files, 0, BS, "+509 XXXX 0100")
    overlay = write_layer(tmp_path / "unit", {BS: files[BS]})
    [warning] = load(base, overlay).warnings
    assert warning.startswith(
        f"{overlay / BS}: $.agencies[0].contacts[0].channels[2].value: '+509 XXXX 0100' is also "
        f"the number of 'ht-garde-cotes' ({base / HT}: $.agencies[1].contacts[0].channels[0]"
        ".value)"
    )


# Lists of codes and chains of parents ------------------------------------------------------------


def test_an_agreement_naming_one_party_twice_is_refused(tmp_path):
    # "US", "US" is one party (a typo for "US", "BS"), not the two an agreement needs.
    folder, problems = broken(
        tmp_path, lambda f: f[AGREEMENTS]["agreements"][1].update(parties=["US", "US"])
    )
    assert [p.split(": ", 2)[:2] for p in problems] == [
        [str(folder / AGREEMENTS), "$.agreements[1].parties[1]"]
    ]


@pytest.mark.parametrize(
    ("name", "path", "key", "codes", "where"),
    [
        (CONSULAR, ("consular", 0), "receiving", ["BS", "BS"], "$.consular[0].receiving[1]"),
        (BS, ("agencies", 0), "covers", ["HT", "US", "HT"], "$.agencies[0].covers[2]"),
        (
            "sar.toml",
            ("sar_regions", 0),
            "covers",
            ["US", "BS", "US"],
            "$.sar_regions[0].covers[2]",
        ),
    ],
)
def test_a_code_listed_twice_is_refused(tmp_path, name, path, key, codes, where):
    folder, problems = broken(tmp_path, lambda f: f[name][path[0]][path[1]].update({key: codes}))
    assert [p.split(": ", 2)[:2] for p in problems] == [[str(folder / name), where]]


def test_agencies_that_are_one_anothers_parents_are_refused(tmp_path):
    # As an agency cannot be its own parent, nor its own grandparent: a loop has no top.
    def loop(files):
        files[HT]["agencies"][0]["parent"] = "ht-garde-cotes"  # ht-pnh, the coast guard's parent

    folder, problems = broken(tmp_path, loop)
    assert [p.split(": ", 2)[:2] for p in problems] == [
        [str(folder / HT), "$.agencies[0].parent"],
        [str(folder / HT), "$.agencies[1].parent"],
    ]


def test_a_states_meeting_focal_point_is_one_of_its_own_contacts(tmp_path):
    # Haiti's returns desk named as the Bahamas' focal point: an invitation to the Bahamas
    # would go to Haiti, as a consular mission of another state is refused.
    folder, problems = broken(
        tmp_path, lambda f: f[BS]["state"].update(meeting_focal_point="ht-onm-desk")
    )
    assert [p.split(": ", 2)[:2] for p in problems] == [
        [str(folder / BS), "$.state.meeting_focal_point"]
    ]


def test_a_consular_channel_to_the_nationals_own_state_is_refused(tmp_path):
    # Haitians in Haiti need no consul (`consular --in HT` refuses it), yet the record made
    # `directory coverage` count Haiti's own posts among those serving Haiti.
    folder, problems = broken(
        tmp_path, lambda f: f[CONSULAR]["consular"][0].update(receiving=["BS", "HT"])
    )
    assert [p.split(": ", 2)[:2] for p in problems] == [
        [str(folder / CONSULAR), "$.consular[0].receiving[1]"]
    ]


def test_one_layer_recording_a_post_twice_for_the_same_place_is_refused(tmp_path):
    # The embassy in Nassau as a confirmed embassy and as an uncertain concurrent post for
    # Haitians in the Bahamas: `consular` listed it twice, contradicting itself.
    def twice(files):
        again = dict(files[CONSULAR]["consular"][0], receiving=["TC", "BS"], type="concurrent")
        files[CONSULAR]["consular"].append({**again, "status": "uncertain"})

    folder, problems = broken(tmp_path, twice)
    assert [p.split(": ", 2)[:2] for p in problems] == [
        [str(folder / CONSULAR), "$.consular[3].receiving[1]"]
    ]


def test_one_layer_recording_no_post_and_a_post_for_the_same_place_is_refused(tmp_path):
    def contradiction(files):
        none = files[CONSULAR]["consular"][2]
        files[CONSULAR]["consular"].append(dict(none, nationality="HT", receiving=["BS"]))

    folder, problems = broken(tmp_path, contradiction)
    assert [p.split(": ", 2)[:2] for p in problems] == [
        [str(folder / CONSULAR), "$.consular[3].receiving[0]"]
    ]


def test_a_later_layer_may_add_a_consular_record_beside_an_earlier_ones(tmp_path):
    # A layer cannot take an earlier layer's record out (a record without an id is replaced
    # only by one for the same receiving states): what it adds beside it loads. A "none"
    # where the earlier layer names a mission for the same people is refused (its own test).
    base = write_layer(tmp_path / "base", sample_files())
    none = dict(sample_files()[CONSULAR]["consular"][2], nationality="US", receiving=["BS"])
    overlay = write_layer(tmp_path / "overlay", {CONSULAR: {"consular": [none]}})
    directory = load(base, overlay)
    assert len(directory.consular_channels(nationality="HT", receiving="BS")) == 1
    assert len(directory.consular_channels(nationality="US", receiving="BS")) == 1


def test_an_agreement_signed_in_the_future_is_refused(tmp_path):
    # A typo (2031 for 2004) took an agreement in force out of every plan ("not yet in force");
    # a later entry into force or end is a fact a record may hold, a later signature is not.
    from datetime import timedelta

    folder, problems = broken(
        tmp_path,
        lambda f: f[AGREEMENTS]["agreements"][1].update(signed=TODAY + timedelta(days=2)),
    )
    assert [p.split(": ", 2)[:2] for p in problems] == [
        [str(folder / AGREEMENTS), "$.agreements[1].signed"]
    ]
    files = sample_files()
    files[AGREEMENTS]["agreements"][1].update(in_force=TODAY + timedelta(days=30))
    files[AGREEMENTS]["agreements"][0].update(status="terminated", ended=TODAY + timedelta(days=30))
    load(write_layer(tmp_path / "later", files))


@pytest.mark.parametrize(
    ("path", "key", "values", "where"),
    [
        (("agencies", 1), "roles", ["migration", "refugee-status", "migration"], "roles[2]"),
        (("agencies", 0), "primary_for", ["som-art8-authority"] * 2, "primary_for[1]"),
        (("state",), "languages", ["en", "en"], "languages[1]"),
        (("state",), "timezones", ["America/Nassau"] * 2, "timezones[1]"),
    ],
)
def test_a_role_language_or_zone_listed_twice_is_refused(tmp_path, path, key, values, where):
    def change(files):
        record = files[BS][path[0]] if len(path) == 1 else files[BS][path[0]][path[1]]
        record[key] = values

    folder, problems = broken(tmp_path, change)
    prefix = "$.state" if path == ("state",) else f"$.{path[0]}[{path[1]}]"
    assert [p.split(": ", 2)[:2] for p in problems] == [[str(folder / BS), f"{prefix}.{where}"]]


def test_a_resident_post_sits_in_the_receiving_state(tmp_path):
    # Haiti's embassy in Nassau recorded as a resident embassy for the United States: a post
    # elsewhere that serves a state is "concurrent" (data/README.md), listed after the posts
    # that are there.
    folder, problems = broken(
        tmp_path, lambda f: f[CONSULAR]["consular"][0].update(receiving=["BS", "US"])
    )
    assert [p.split(": ", 2)[:2] for p in problems] == [
        [str(folder / CONSULAR), "$.consular[0].type"]
    ]
    files = sample_files()
    files[CONSULAR]["consular"][0].update(receiving=["US"], type="concurrent")
    load(write_layer(tmp_path / "concurrent", files))


@pytest.mark.parametrize("key", ["boarding_by", "entry_by", "landing_by"])
def test_a_party_listed_twice_in_a_provision_is_refused(tmp_path, key):
    folder, problems = broken(
        tmp_path,
        lambda f: f[AGREEMENTS]["agreements"][0]["provides"].update({key: ["US", "US"]}),
    )
    assert [p.split(": ", 2)[:2] for p in problems] == [
        [str(folder / AGREEMENTS), f"$.agreements[0].provides.{key}[1]"]
    ]


# The 1951 Refugee Convention and its 1967 Protocol ----------------------------------------------

REFUGEE_TABLES = ("refugee_convention", "refugee_protocol")


def _refugee_treaty(**fields):
    return {
        "party": "yes",
        "date": date(1993, 9, 15),
        "sources": [
            {"title": "UN Treaty Collection, chapter V.2", "url": "https://treaties.un.org/"}
        ],
        **fields,
    }


@pytest.mark.parametrize("key", REFUGEE_TABLES)
def test_a_refugee_treaty_status_loads_and_is_read_as_its_party(tmp_path, key):
    files = sample_files()
    files[BS]["state"][key] = _refugee_treaty()
    directory = load(write_layer(tmp_path / "base", files))
    status = getattr(directory.state("BS"), key)
    assert (status.party, status.date) == ("yes", date(1993, 9, 15))
    assert directory.state("BS").refugee_treaty_party == "yes"


@pytest.mark.parametrize("key", REFUGEE_TABLES)
def test_a_refugee_treaty_party_outside_the_vocabulary_is_refused(tmp_path, key):
    def change(files):
        files[BS]["state"][key] = _refugee_treaty(party="maybe")

    folder, problems = broken(tmp_path, change)
    assert problems == [
        f"{folder / BS}: $.state.{key}.party: 'maybe' is not one of yes, no, uncertain"
    ]


@pytest.mark.parametrize("key", REFUGEE_TABLES)
def test_an_unknown_key_in_a_refugee_treaty_table_is_refused(tmp_path, key):
    def change(files):
        files[BS]["state"][key] = _refugee_treaty(parti="yes")

    folder, problems = broken(tmp_path, change)
    assert problems == [f"{folder / BS}: $.state.{key}: unknown key parti"]


@pytest.mark.parametrize("key", REFUGEE_TABLES)
def test_a_confirmed_refugee_treaty_status_without_a_url_is_refused(tmp_path, key):
    def change(files):
        files[BS]["state"][key] = _refugee_treaty(sources=[{"title": "A treaty record"}])

    folder, problems = broken(tmp_path, change)
    [problem] = problems
    assert problem.startswith(
        f"{folder / BS}: $.state.{key}.sources: a confirmed record needs a source with a url"
    )
    assert 'party = "uncertain"' in problem


@pytest.mark.parametrize("party", ["no", "uncertain"])
def test_a_refugee_treaty_date_is_refused_without_a_party(tmp_path, party):
    def change(files):
        files[BS]["state"]["refugee_protocol"] = _refugee_treaty(party=party, notes=["checked"])

    folder, problems = broken(tmp_path, change)
    assert problems == [
        f"{folder / BS}: $.state.refugee_protocol.date: is the day a party deposited its "
        'instrument: give it only with party = "yes"'
    ]


def test_a_refugee_treaty_date_in_the_future_is_refused(tmp_path):
    def change(files):
        files[BS]["state"]["refugee_convention"] = _refugee_treaty(date=date(2099, 1, 1))

    folder, problems = broken(tmp_path, change)
    assert problems == [f"{folder / BS}: $.state.refugee_convention.date: is in the future"]


def test_an_uncertain_refugee_treaty_status_may_cite_a_title_only(tmp_path):
    files = sample_files()
    files[BS]["state"]["refugee_convention"] = {
        "party": "uncertain",
        "sources": [{"title": "UN Treaty Collection, chapter V.2 (not read)"}],
        "notes": ["the depositary's record was not seen"],
    }
    directory = load(write_layer(tmp_path / "base", files))
    assert directory.state("BS").refugee_treaty_party == "uncertain"


@pytest.mark.parametrize(
    ("convention", "protocol", "party"),
    [
        ("no", "no", "no"),
        ("no", "yes", "yes"),  # the United States, Venezuela: art. 33 through Protocol art. I(1)
        ("yes", "no", "yes"),
        ("no", "uncertain", "uncertain"),
        ("no", None, "uncertain"),
        (None, None, "uncertain"),
    ],
)
def test_art_33_binds_as_a_treaty_through_either_instrument(tmp_path, convention, protocol, party):
    files = sample_files()
    for key, value in zip(REFUGEE_TABLES, (convention, protocol), strict=True):
        if value is not None:
            files[BS]["state"][key] = {
                "party": value,
                "sources": [{"title": "UN Treaty Collection", "url": "https://treaties.un.org/"}],
            }
    directory = load(write_layer(tmp_path / "base", files))
    assert directory.state("BS").refugee_treaty_party == party


@pytest.mark.parametrize(
    ("label", "vocabulary"),
    [
        ("roles", ("Role",)),
        ("zones", ("Zone",)),
        ("channel kinds", ("ChannelKind",)),
        ("statuses", ("Certainty", "AgreementStatus", "ProtocolParty")),
        ("mission types", ("MissionType",)),
    ],
)
def test_the_data_guide_lists_each_vocabulary_the_loader_checks(
    label: str, vocabulary: tuple[str, ...]
) -> None:
    """docs/data.md, "The vocabularies": each closed list is the loader's, word for word (a
    role added to the code and not to the guide leaves a data writer guessing)."""
    guide = (Path(__file__).parents[1] / "docs" / "data.md").read_text(encoding="utf-8")
    section = guide.split("## The vocabularies", 1)[1].split("\n## ", 1)[0]
    item = section.split(f"- **{label}**", 1)[1].split("\n- **", 1)[0].split("\n\n", 1)[0]
    listed = set(re.findall(r"`([a-z0-9-]+)`", item))
    checked = {word for name in vocabulary for word in get_args(getattr(records, name))}
    assert listed == checked


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("ht", "'ht' is not an ISO 3166-1 alpha-2 state code (upper case)"),
        ("DO", "'DO' is filed in HT.toml; use one name"),
    ],
    ids=["lower-case", "another-state"],
)
def test_a_state_code_typo_is_one_problem_not_one_more_at_its_focal_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], code: str, said: str
) -> None:
    """Haiti's file copied into an overlay with its code mistyped: the code is named, once.
    Its meeting focal point, a Haitian desk, was also reported as "a contact of ht-maec, an
    agency of HT, not of ht", and a lower-case code as filed under another name: three lines
    for one slip, two of them sending the reader to records that are right."""
    text = SHIPPED_HT.read_text(encoding="utf-8").replace('code = "HT"', f'code = "{code}"', 1)
    _overlay_of_haiti(tmp_path, text)
    result = run(capsys, "directory", "validate", "--data", str(tmp_path), "--no-cache")
    assert result.exit_code == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if "HT.toml" in line]
    assert lines == [f"somnet: {tmp_path / 'states' / 'HT.toml'}: $.state.code: {said}"], lines


@pytest.mark.parametrize(
    ("written", "where"),
    [
        ('name = ""', "$.agencies[0].name"),
        ('name = "   "', "$.agencies[0].name"),
        ('name = "\\t\\u00a0"', "$.agencies[0].name"),
        ("name = '''\n'''", "$.agencies[0].name"),
        ('acronym = ""', "$.agencies[0].acronym"),
    ],
    ids=["empty", "spaces", "escaped", "multi-line", "acronym"],
)
def test_a_text_of_nothing_is_refused_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str, where: str
) -> None:
    """An overlay agency named "" (or spaces) loaded, and the plan's step read "HT:" followed
    by nothing where the Haitian Coast Guard's name stands; an empty acronym showed its id."""
    text = SHIPPED_HT.read_text(encoding="utf-8")
    key = written.split(" = ", 1)[0]
    start = text.index(f"\n{key} = ", text.index("[[agencies]]"))
    end = text.index("\n", start + 1)
    path = _overlay_of_haiti(tmp_path, text[:start] + "\n" + written + text[end:])
    result = run(capsys, "contact", "--flag", "HT", "--zone", "high-seas", "--as", "US",
                 "--data", str(tmp_path), "--no-cache")  # fmt: skip
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        f"somnet: {path}: {where}: the text is empty or only spaces; write it, or leave it out\n"
    ), result.stderr


def test_a_blank_note_among_others_is_named_by_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SHIPPED_HT.read_text(encoding="utf-8")
    start = text.index("\nnotes = [", text.index("[[agencies]]"))
    path = _overlay_of_haiti(tmp_path, text[:start] + '\nnotes = ["", " ",' + text[start + 10 :])
    result = run(capsys, "directory", "validate", "--data", str(tmp_path), "--no-cache")
    assert result.exit_code == 2, result.stderr
    blank = "the text is empty or only spaces; write it, or leave it out"
    assert [line for line in result.stderr.splitlines() if blank in line] == [
        f"{path}: $.agencies[0].notes[0]: {blank}",
        f"{path}: $.agencies[0].notes[1]: {blank}",
    ], result.stderr


@pytest.mark.parametrize("written", ['en = ""', 'en = "  "'], ids=["empty", "spaces"])
def test_a_state_named_nothing_is_refused_naming_the_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    """Haiti's file in an overlay with its English name emptied loaded: every plan, table and
    warning then named the state as nothing ("the flag state, , ..."). The check of empty texts
    looked for a state's names under ``name``, where the file keeps them under ``names``."""
    text = SHIPPED_HT.read_text(encoding="utf-8").replace('en = "Haiti"', written, 1)
    path = _overlay_of_haiti(tmp_path, text)
    result = run(capsys, "directory", "validate", "--data", str(tmp_path), "--no-cache")
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        f"somnet: {path}: $.state.names.en: the text is empty or only spaces; write it, or "
        "leave it out\n"
    ), result.stderr


@pytest.mark.parametrize(
    ("before", "where", "limit"),
    [
        ('\nstate = "HT"\nname = ', "$.agencies[0].name", 300),
        ("names = { en = ", "$.state.names.en", 300),
        ("sources = [\n  { title = ", "$.state.sources[0].title", 1000),
        ("notes = [\n  ", "$.state.notes[0]", 5000),
    ],
    ids=["agency-name", "state-name", "source-title", "note"],
)
def test_a_text_longer_than_any_of_its_kind_is_refused_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], before: str, where: str, limit: int
) -> None:
    """An agency named by a paste gone wrong (a whole page, 100000 characters) loaded, and
    every plan, table and vCard carried it. A name holds at most 300 characters (the longest
    shipped, 140), a source's title 1000 (556), a note 5000 (2468)."""
    text = SHIPPED_HT.read_text(encoding="utf-8")
    # The first text after ``before``, made one character too long.
    start = text.index('"', text.index(before) + len(before)) + 1
    end = text.index('"', start)
    text = text[:start] + "x" * (limit + 1) + text[end:]
    path = _overlay_of_haiti(tmp_path, text)
    result = run(capsys, "directory", "validate", "--data", str(tmp_path), "--no-cache")
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        f"somnet: {path}: {where}: {limit + 1} characters long, more than the {limit} it "
        "may hold (a paste gone wrong?): shorten it\n"
    ), result.stderr


@pytest.mark.parametrize(
    ("sovereign", "new", "old"),
    [
        ('sovereign = "US"\n', "'US'", "'GB'"),
        ("", "none (a state of its own)", "'GB'"),
    ],
    ids=["another", "none"],
)
def test_an_overlay_moving_a_territory_to_another_sovereign_is_refused_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sovereign: str, new: str, old: str
) -> None:
    """The Cayman Islands' file in an overlay with another sovereign (or none) was refused by
    what followed from it, in the shipped files: "US nationals in KY are in their own state
    and need no consular post", "KY is not a territory (it has no sovereign)". Its flag,
    treaties and consular protection would have changed hands: the line is named."""
    shipped = shipped_data_dir() / "states" / "KY.toml"
    text = shipped.read_text(encoding="utf-8")
    assert 'sovereign = "GB"\n' in text
    (tmp_path / "states").mkdir()
    path = tmp_path / "states" / "KY.toml"
    path.write_text(text.replace('sovereign = "GB"\n', sovereign, 1), encoding="utf-8")
    result = run(capsys, "directory", "validate", "--data", str(tmp_path), "--no-cache")
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        f"somnet: {path}: $.state.sovereign: {new} would put KY under another sovereign than "
        f"{shipped}: $.state, which records {old}; a later layer may replace a record, not "
        "move it to another state\n"
    ), result.stderr


def test_a_record_checked_before_the_evidence_it_cites_was_published_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Haiti's coast guard in an overlay marked verified on 2012-01-01 while citing a page of
    2012-10-04 loaded: a record cannot have been checked against evidence that did not exist
    yet, and ``directory stale`` would count it as checked when it was not."""
    text = SHIPPED_HT.read_text(encoding="utf-8")
    start = text.index('id = "ht-garde-cotes"')
    at = text.index("last_verified = 2026-11-29", start)
    text = text[:at] + "last_verified = 2012-01-01" + text[at + len("last_verified = 2026-11-29") :]
    path = _overlay_of_haiti(tmp_path, text)
    result = run(capsys, "directory", "validate", "--data", str(tmp_path), "--no-cache")
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        f"somnet: {path}: $.agencies[0].last_verified: 2012-01-01 is before published = "
        "2012-10-04 of $.agencies[0].sources[2]: a record is checked against evidence that "
        "exists; give the day it was last checked\n"
    ), result.stderr


def test_two_agencies_of_a_state_first_for_one_role_are_refused_naming_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An overlay adding a desk of Antigua and Barbuda marked primary for migration, where the
    shipped immigration department is too, loaded: plans kept addressing the shipped one first
    (the order of the files decided), and the overlay's preference was dropped in silence."""
    shipped = shipped_data_dir() / "states" / "AG.toml"
    text = shipped.read_text(encoding="utf-8")
    # The shipped department, primary for migration, and its place among the file's agencies.
    assert 'id = "ag-immigration"\n' in text
    position = text[: text.index('id = "ag-immigration"\n')].count("[[agencies]]") - 1
    (tmp_path / "states").mkdir()
    path = tmp_path / "states" / "AG.toml"
    path.write_text(
        '[[agencies]]\nid = "ag-immigration-overlay"\nstate = "AG"\nname = "Immigration desk"\n'
        'name_en = "Immigration desk"\nroles = ["migration"]\nprimary_for = ["migration"]\n'
        'status = "uncertain"\nlast_verified = 2026-11-27\n'
        'sources = [{ title = "A circular", accessed = 2026-11-27 }]\n'
        'notes = ["A deployment\'s own desk."]\n',
        encoding="utf-8",
    )
    result = run(capsys, "directory", "validate", "--data", str(tmp_path), "--no-cache")
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        f"somnet: {path}: $.agencies[0].primary_for[0]: agency 'ag-immigration-overlay' and "
        f"agency 'ag-immigration' ({shipped}: $.agencies[{position}]) are both first for "
        "'migration' in AG: plans would address the one read first; mark one of them, "
        "replacing the other by its id to drop its primary_for\n"
    ), result.stderr


# UNCLOS and the CRC -----------------------------------------------------------------------------

TREATY_TABLES = ("unclos", "crc")


@pytest.mark.parametrize("key", TREATY_TABLES)
def test_an_unclos_or_crc_status_loads_and_a_territory_reads_its_sovereigns(tmp_path, key):
    files = sample_files()
    files[BS]["state"][key] = _refugee_treaty(party="no", date=None)
    del files[BS]["state"][key]["date"]
    directory = load(write_layer(tmp_path / "base", files))
    status = getattr(directory.state("BS"), key)
    assert (status.party, status.date) == ("no", None)
    assert directory.treaty_status("BS", key) is status


@pytest.mark.parametrize("key", TREATY_TABLES)
def test_an_unclos_or_crc_table_is_checked_as_a_refugee_treatys(tmp_path, key):
    """A party outside the vocabulary, an unknown key, a confirmed status without a url, a date
    without a party, a date in the future: each refused, naming the field."""
    cases = [
        (_refugee_treaty(party="maybe"), f"$.state.{key}.party: 'maybe' is not one of yes, no, "),
        (_refugee_treaty(parti="yes"), f"$.state.{key}: unknown key parti"),
        (
            _refugee_treaty(sources=[{"title": "A treaty record"}]),
            f"$.state.{key}.sources: a confirmed record needs a source with a url",
        ),
        (
            _refugee_treaty(party="no"),
            f"$.state.{key}.date: is the day a party deposited its instrument",
        ),
        (_refugee_treaty(date=date(2099, 1, 1)), f"$.state.{key}.date: is in the future"),
    ]
    for n, (table, expected) in enumerate(cases):

        def change(files, table=table):
            files[BS]["state"][key] = table

        folder, problems = broken(tmp_path / str(n), change)
        [problem] = problems
        assert problem.startswith(f"{folder / BS}: {expected}"), problem


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            'meeting_focal_point = "ht-maec-desk"',
            'meeting_focal_point = "ht-{}"',
            "$.state.meeting_focal_point",
        ),
        ('code = "HT"\n', 'code = "HT"\nsovereign = "{}"\n', "$.state.sovereign"),
        ('value = "+509 XXXX 0114"', 'value = "{}"', ".channels[0].value"),
    ],
    ids=["reference", "code", "channel"],
)
def test_a_pasted_value_is_told_cut_short_by_every_check_that_repeats_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, where: str
) -> None:
    """A reference, a code or a channel's value pasted 100000 characters long was repeated
    whole by the check that refused it (the length check, too, said it was too long): a
    page of x on the terminal, the problem's file and field scrolled away. It is told as
    every other paste is, its beginning and its length."""
    text = SHIPPED_HT.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new.format("x" * 100_000), 1)
    path = _overlay_of_haiti(tmp_path, text)
    result = run(capsys, "directory", "validate", "--data", str(tmp_path), "--no-cache")
    assert result.exit_code == 2, result.stderr[:500]
    assert f"{path}: " in result.stderr and where in result.stderr, result.stderr[:500]
    assert "(100000 characters)" in result.stderr or "(100003 characters)" in result.stderr
    assert max(map(len, result.stderr.splitlines())) < 500, result.stderr[:500]


@pytest.mark.parametrize(
    "written",
    ['en = "\\u200b"', 'en = "\u200b"', 'en = " \u00ad\u2060 "', "en = '\ufeff'"],
    ids=["escaped-zero-width-space", "zero-width-space", "soft-hyphen-word-joiner", "bom"],
)
def test_a_name_of_invisible_characters_alone_is_refused_as_a_name_of_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    """Haiti's English name in an overlay made of a zero-width space (pasted, or written as
    an escape) loaded: directory show printed "HT   / Haití / Haïti", and every plan named the
    state as nothing. Characters shown as nothing are no name, as a search of them alone is
    no text. A name holding one beside letters (a Bengali name's joiner) still loads."""
    text = SHIPPED_HT.read_text(encoding="utf-8").replace('en = "Haiti"', written, 1)
    path = _overlay_of_haiti(tmp_path, text)
    result = run(capsys, "directory", "validate", "--data", str(tmp_path), "--no-cache")
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        f"somnet: {path}: $.state.names.en: the text is empty or only spaces; write it, or "
        "leave it out\n"
    ), result.stderr
    path.write_text(text.replace(written, 'en = "Ha\u200diti"'), encoding="utf-8")
    result = run(capsys, "directory", "validate", "--data", str(tmp_path), "--no-cache")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("note", ["\uaaf7", "\ue000"], ids=["unassigned", "private-use"])
def test_a_note_of_a_character_unicode_does_not_assign_is_not_taken_for_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], note: str
) -> None:
    """A character Unicode does not assign (in the Python that reads the file), or a private
    one, is drawn (a box, a font's own glyph): a note of it alone is not a note of nothing,
    which only white space and format characters (a zero-width space, a soft hyphen) are. It
    was refused as empty, and a newer Python, assigning it, would have read the same file
    otherwise."""
    text = SHIPPED_HT.read_text(encoding="utf-8")
    # The state's own notes come first in the file: the note goes first among them.
    assert text.index("notes = [\n") < text.index("[state.maritime]")
    text = text.replace("notes = [\n", f'notes = [\n  "{note}",\n', 1)
    _overlay_of_haiti(tmp_path, text)
    result = run(capsys, "directory", "validate", "--data", str(tmp_path), "--no-cache")
    assert result.exit_code == 0, result.stderr
