"""Languages: the catalogs are complete and compiled, the language is chosen as documented, every
command's text output goes through the catalogs (a pseudo-translation leaves no English in it),
JSON stays the same in every language, and invites speak to each attendee in their language."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import somnet
from somnet import _i18n
from tests.cli import run
from tests.i18n_helpers import (
    LOCALE,
    ascii_words,
    catalog,
    compiled,
    directory_words,
    marked_messages,
    message_id,
    placeholders,
    pseudo_catalog,
)

LANGUAGES = ("es", "fr")
OFFICER = [
    "--flag", "HT", "--zone", "contiguous", "--coastal", "BS", "--as", "US",
    "--nationality", "HT", "--distress", "--asylum", "--at", "2026-12-01T03:00-05:00",
]  # fmt: skip


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """Each test leaves the library speaking English, as a new process would."""
    yield
    somnet.set_language("en")


# The catalogs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_message_is_translated_and_nothing_else_is_in_the_catalog(
    language: str,
) -> None:
    marked = marked_messages()
    entries = {message_id(m): m for m in catalog(language) if m.id}
    assert sorted(map(str, marked - set(entries))) == [], "not in the catalog: run pybabel update"
    assert sorted(map(str, set(entries) - marked)) == [], "obsolete entries: run pybabel update"
    for key, entry in entries.items():
        assert not entry.fuzzy, key
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(forms), f"untranslated: {key!r}"
        template = key if isinstance(key, str) else key[1]
        # A singular form may leave the count out ("el mejor" for one); nothing else may
        # differ.
        assert placeholders(forms[-1]) == placeholders(template), key
        assert all(placeholders(f) <= placeholders(template) for f in forms), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogs_are_those_of_the_po_files(language: str) -> None:
    shipped = LOCALE / language / "LC_MESSAGES" / "somnet.mo"
    assert shipped.read_bytes() == compiled(language), (
        "run pybabel compile -d somnet/locale -D somnet"
    )


#: One English term, one translation (docs/glossary.md): a message that names the term (the
#: pattern, in the English text) is translated with these words (a pattern), in every message.
TERMS: dict[str, list[tuple[str, str]]] = {
    "es": [
        (r"\bflag[ -]state", "Estado del pabellón"),
        (r"\bcoastal[ -]state", "Estado ribereño"),
        (r"\bacting state", "Estado que actúa"),
        (r"\bcontiguous zone", "zona contigua"),
        (r"\bterritorial sea\b", "mar territorial"),
        (r"\bhigh seas\b", "alta mar"),
        (r"\bplace of safety\b", "lugar seguro"),
        (r"\bUNCLOS\b", "CONVEMAR"),
        (r"\bVCCR\b", "CVRC"),
        (r"\bUNHCR\b", "ACNUR"),
        (r"\bnon-refoulement\b", "no devolución"),
        (r"\broles?\b", r"\bfunci(ón|ones)\b"),
        (r"\binvites?\b", r"\bconvo(c|qu)"),
        (r"\bcommands?\b", r"\b(orden|órdenes)\b"),
        (r"\bgaps?\b", r"\bcarencias?\b"),
        (r"\bmaritime claims\b|\bclaims, gaps\b|^claims$", r"\breivind"),
        (r"\bprosecutors\b", r"\bministerio público\b"),
    ],
    "fr": [
        (r"\bflag[ -]state", "État du pavillon"),
        (r"\bcoastal[ -]state", "État côtier"),
        (r"\bacting state", "État qui intervient"),
        (r"\bcontiguous zone", "zone contiguë"),
        (r"\bterritorial sea\b", "mer territoriale"),
        (r"\bhigh seas\b", "haute mer"),
        (r"\bplace of safety\b", "lieu sûr"),
        (r"\bUNCLOS\b", "CNUDM"),
        (r"\bVCCR\b", "CVRC"),
        (r"\bUNHCR\b", "HCR"),
        (r"\bnon-refoulement\b", "non-refoulement"),
        (r"\broles?\b", r"\bfonctions?\b"),
        (r"\binvites?\b", r"\binvit"),
        (r"\bcommands?\b", r"\bcommandes?\b"),
        (r"\bgaps?\b", r"\blacunes?\b"),
        (r"\bmaritime claims\b|\bclaims, gaps\b|^claims$", r"\brevendic"),
        (r"\bprosecutors\b", r"\bministère public\b"),
    ],
}
#: What is code in a message, not words: example command lines, placeholders (with what sticks to
#: them, "{where}.roles"), flags and quoted values ('sar').
_CODE_IN_MESSAGE = re.compile(
    r"^\s*somnet .*$|\S*\{[^{}]*\}\S*|(?<![\w-])--?[a-z][a-z-]*|'[^']*'", re.M
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_term_is_translated_the_same_way_in_every_message(language: str) -> None:
    differing = []
    for entry in catalog(language):
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        english = _CODE_IN_MESSAGE.sub(" ", ids[-1])
        for term, translation in TERMS[language]:
            if re.search(term, english, re.I | re.M) and not re.search(translation, forms[-1]):
                differing.append(f"{term} -> {translation}: {ids[-1]!r} = {forms[-1]!r}")
    assert not differing, "\n".join(differing)


#: A note that points the officer to another step names it by the label the call list shows for it
#: (the English says what the step does; the reader looks for the label).
STEP_REFERENCES = {
    "see the entry authorisation step": "Entry authorisation",
    "see the coastal-state-authorization step": "Entry authorisation",
    "see the protection-referral steps": "Protection referral",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_note_points_to_a_step_by_the_label_the_call_list_shows(language: str) -> None:
    entries = [entry for entry in catalog(language) if isinstance(entry.id, str) and entry.id]
    labels = {entry.id: entry.string for entry in entries}
    differing = [
        f"{label!r} ({labels[label]!r}): {entry.id!r} = {entry.string!r}"
        for entry in entries
        for reference, label in STEP_REFERENCES.items()
        if reference in entry.id and labels[label] not in entry.string
    ]
    assert not differing, "\n".join(differing)


def test_french_sets_one_kind_of_space_before_its_punctuation_in_every_message() -> None:
    # Plain or non-breaking, but the same everywhere (the command line keeps it from breaking a
    # line either way).
    spaces: set[str] = set()
    for entry in catalog("fr"):
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for form in forms:
            spaces.update(re.findall(r"[ \u00a0\u202f](?=[:;?!»])|(?<=«)[ \u00a0\u202f]", form))
    assert len(spaces) == 1, spaces


#: Placeholders that stand for a state's or territory's code (HT, KY): French puts a place so
#: named after "en" throughout ("débarqués en HT"), never "à" as for a town.
STATE_PLACEHOLDERS = (
    "code", "state", "states", "receiving", "place", "landing", "coastal", "sovereign",
    "territory", "acting", "flag", "nationality", "seat",
)  # fmt: skip


def test_french_never_says_a_for_in_before_a_state_code() -> None:
    differing = []
    for entry in catalog("fr"):
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for name in STATE_PLACEHOLDERS:
            # "à {code}" is a dative ("adressées à {code}", "demandez à {landing}"): no more of
            # them than the English names the state otherwise than "in {code}".
            placed = len(re.findall(rf"\bin \{{{name}\}}", ids[-1]))
            named = len(re.findall(rf"\{{{name}\}}", ids[-1])) - placed
            if placed and len(re.findall(rf"\b(?:à|au) \{{{name}\}}", forms[-1])) > named:
                differing.append(f"{{{name}}}: {ids[-1]!r} = {forms[-1]!r}")
    assert not differing, "\n".join(differing)


@pytest.mark.parametrize(("language", "code"), [("es", "DZ")])
def test_a_state_the_iso_catalogs_leave_in_english_is_still_named_in_the_language(
    language: str, code: str
) -> None:
    # pycountry's Spanish catalog has no entry for Algeria: the suggestions for a mistyped
    # code ('ZZ') named it in English in a Spanish line.
    english = str(somnet.state_name(code))
    assert somnet.localized(somnet.state_name(code), language) != english


def test_the_languages_somnet_speaks_are_its_catalogs() -> None:
    assert somnet.available_languages() == ("en", "es", "fr")


# Choosing the language ---------------------------------------------------------------------------


def _heading(language: str, *, brief: bool = False) -> str:
    """The call list's heading in ``language``, from its catalog (alone, with --brief)."""
    heading = "CALL LIST" if brief else "CALL LIST (details below)"
    if language == "en":
        return heading
    return _i18n._catalog(language).gettext(heading)


BRIEF = ["contact", "--flag", "HT", "--zone", "contiguous", "--brief"]


@pytest.mark.parametrize(
    ("flag", "env", "config", "locale", "chosen"),
    [
        ("es", "fr", "fr", "fr_FR.UTF-8", "es"),
        (None, "fr", "es", "es_MX.UTF-8", "fr"),
        (None, None, "es", "fr_FR.UTF-8", "es"),
        (None, None, None, "fr_CA.UTF-8", "fr"),
        (None, None, None, "de_DE.UTF-8", "en"),
        (None, None, None, "C", "en"),
    ],
)
def test_the_language_is_the_flags_then_the_environments_then_the_configs_then_the_locales(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    isolated_environment: Path,
    flag: str | None,
    env: str | None,
    config: str | None,
    locale: str,
    chosen: str,
) -> None:
    for name in ("SOMNET_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    if env:
        monkeypatch.setenv("SOMNET_LANG", env)
    if config:
        (isolated_environment / "config.toml").write_text(f'language = "{config}"\n')
    monkeypatch.setenv("LANG", locale)
    result = run(capsys, *BRIEF, *(["--lang", flag] if flag else []))
    assert result.exit_code == 0, result.stderr
    assert somnet.language() == chosen
    assert _heading(chosen, brief=True) in result.stdout.splitlines()


def test_lc_all_overrides_lang(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOMNET_LANG", raising=False)
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    assert run(capsys, *BRIEF).exit_code == 0
    assert somnet.language() == "fr"


def test_the_flag_works_after_the_command_and_before_it(capsys: pytest.CaptureFixture[str]) -> None:
    before = run(capsys, "--lang", "fr", *BRIEF)
    after = run(capsys, *BRIEF, "--lang=fr")
    assert before.exit_code == after.exit_code == 0
    assert before.stdout == after.stdout
    assert _heading("fr", brief=True) in after.stdout.splitlines()


@pytest.mark.parametrize("where", ["flag", "env", "config"])
def test_an_unknown_language_is_exit_2_naming_where_and_listing_the_languages(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    isolated_environment: Path,
    where: str,
) -> None:
    monkeypatch.delenv("SOMNET_LANG", raising=False)
    args = list(BRIEF)
    if where == "flag":
        args += ["--lang", "de"]
    elif where == "env":
        monkeypatch.setenv("SOMNET_LANG", "de")
    else:
        (isolated_environment / "config.toml").write_text('language = "de"\n')
    result = run(capsys, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    named = {"flag": "--lang", "env": "SOMNET_LANG", "config": "config.toml"}[where]
    assert named in line
    assert re.search(r"\ben, es, fr\b", line), line
    assert "Traceback" not in result.stderr


def test_the_help_is_in_the_language_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    english = run(capsys, "contact", "--help")
    spanish = run(capsys, "contact", "--help", "--lang", "es")
    assert english.exit_code == spanish.exit_code == 0
    usage = _i18n._catalog("es").gettext("usage: ")
    assert spanish.stdout.startswith(usage)
    help_text = _i18n._catalog("es").gettext("the state whose flag the vessel flies")
    assert help_text in " ".join(spanish.stdout.split())
    assert spanish.stdout != english.stdout


# JSON stays the same ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["contact", *OFFICER, "--format", "json"],
        ["agreements", "--between", "US", "HT", "--format", "json"],
        ["consular", "--nationality", "IN", "--in", "HN", "--format", "json"],
        ["directory", "coverage", "--format", "json"],
    ],
)
def test_json_is_the_same_in_every_language(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    outputs = [run(capsys, *command, "--lang", code) for code in ("en", "es", "fr")]
    assert all(o.exit_code == 0 for o in outputs)
    assert outputs[0].stdout == outputs[1].stdout == outputs[2].stdout


# The officer's plan in Spanish and French --------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_officers_plan_is_translated_and_keeps_its_shape(
    capsys: pytest.CaptureFixture[str], language: str
) -> None:
    english = run(capsys, "contact", *OFFICER)
    translated = run(capsys, "contact", *OFFICER, "--lang", language)
    assert english.exit_code == translated.exit_code == 0
    lines = translated.stdout.splitlines()
    start = lines.index(_heading(language))
    # The call list first, one line a step (or two when the channel does not fit), within 80
    # columns; the same steps in the same order as in English.
    assert max(len(line) for line in lines) <= 80
    numbered = [line.split()[0] for line in lines[start:] if re.match(r"^\s?\d+ ", line)]
    english_numbered = [
        line.split()[0] for line in english.stdout.splitlines() if re.match(r"^\s?\d+ ", line)
    ]
    assert numbered == english_numbered
    catalog_ = _i18n._catalog(language)
    # The legal terms of the UN language versions (docs/glossary.md).
    unclos = catalog_.gettext("UNCLOS art. 98")
    assert unclos.split()[0] in {"es": {"CONVEMAR"}, "fr": {"CNUDM"}}[language]
    assert unclos in " ".join(translated.stdout.split())
    # The flag state's agency under its own name first.
    assert "Garde-Côtes d'Haïti (Police Nationale d'Haïti) / Haitian Coast Guard" in " ".join(
        translated.stdout.split()
    )


@pytest.mark.parametrize("language", ("en", *LANGUAGES))
def test_every_illustrative_contact_of_a_plan_carries_the_tag_in_the_readers_language(
    capsys: pytest.CaptureFixture[str], language: str
) -> None:
    # The UN offices' desks among them: their names once said "(illustrative)" in English,
    # and the tag was left out in every language.
    case = ["--flag", "CU", "--zone", "territorial", "--coastal", "KY", "--as", "KY",
            "--nationality", "CU", "--asylum", "--at", "2026-12-01T03:00-05:00"]  # fmt: skip
    plan = json.loads(run(capsys, "contact", *case, "--format", "json").stdout)
    shown = [
        contact
        for step in plan["steps"]
        if step["resolved"]
        for contact in step["contacts"][:3]  # the plan shows a step's first three contacts
    ]
    assert any(c["id"].startswith("unhcr-") for c in shown)
    text = run(capsys, "contact", *case, "--lang", language).stdout
    tag = _i18n._catalog(language).gettext("[illustrative]") if language != "en" else None
    tag = tag or "[illustrative]"
    assert text.count(tag) == sum(c["illustrative"] for c in shown) > 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_interpreter_note_sets_language_codes_apart_from_its_sentence(language: str) -> None:
    # A code as the verb's object misreads: "ningún contacto habla en" is "no contact speaks in".
    note = _i18n._catalog(language).gettext(
        "Interpreter needed: no contact speaks {wanted} (they speak {spoken})."
    )
    assert "({wanted})" in note
    assert not re.search(r"\b(habla|parle) \{wanted\}", note)


FRENCH_WRAPPED = [
    ["contact", "--stateless", "--zone", "territorial", "--coastal", "TC", "--as", "BS",
     "--nationality", "CU,HT,IN", "--distress", "--injured", "--deaths", "--minors",
     "--unaccompanied", "--asylum", "--trafficking", "--smugglers", "--corruption",
     "--return", "--at", "2026-12-01T03:00-05:00", "--explain"],
    ["contact", *OFFICER, "--explain"],
    ["directory", "show", "HT"],
    ["agreements", "--state", "US"],
]  # fmt: skip


@pytest.mark.parametrize("command", FRENCH_WRAPPED, ids=lambda c: " ".join(c)[:40])
def test_a_french_line_never_starts_with_the_punctuation_that_ends_a_phrase(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    # French sets a space before : ; ? and inside « »; a wrapped line must not break there and
    # leave "; Mo-Fr 09:00-17:00)" or "»" alone at the start of the next line.
    result = run(capsys, *command, "--lang", "fr")
    assert result.exit_code == 0, result.stderr
    orphans = [line for line in result.stdout.splitlines() if re.match(r"\s*[:;?»]", line)]
    assert orphans == []


# Python users -------------------------------------------------------------------------------------


def test_a_python_user_chooses_the_language_and_the_plan_data_stays_english() -> None:
    directory = somnet.load_directory()
    interception = somnet.make_interception(
        zone="high-seas", stateless=True, acting="BS", nationalities=["CU"],
        at="2026-12-01T03:00-05:00", directory=directory,
    )  # fmt: skip
    plan = somnet.plan_contacts(directory, interception)
    note = plan.notes[0].text
    assert somnet.localized(note) == str(note)  # English until asked otherwise
    somnet.set_language("fr")
    french = somnet.localized(note)
    assert french == _i18n._catalog("fr").gettext(note._template)  # type: ignore[attr-defined]
    assert french != str(note)
    assert plan.to_json()["notes"][0]["text"] == str(note)


def test_a_message_survives_pickling_with_its_template() -> None:
    import pickle

    message = _i18n._("{code} is not a zone").format(code="XX")
    copy = pickle.loads(pickle.dumps(message))
    assert copy == message
    assert copy.localized("fr") == message.localized("fr")


# The pseudo-translation ---------------------------------------------------------------------------

PSEUDO = "xx"


@pytest.fixture
def pseudo_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A language whose catalog changes every message recognisably (every letter)."""
    pseudo_catalog(PSEUDO, tmp_path)
    monkeypatch.setattr(_i18n, "LOCALE_DIR", str(tmp_path))
    monkeypatch.setattr(_i18n, "_catalogs", {})
    return PSEUDO


def _data_values() -> list[str]:
    """Everything the directory (and the libraries that name states and holidays) says: data,
    shown as it is, never a message."""
    found = directory_words(somnet.load_directory())
    # Not the hours: their days are named in the reader's language ("lun.-ven.").
    import pycountry

    for country in pycountry.countries:
        found.add(somnet.state_name(country.alpha_2))
    # A name cut to fit a column keeps its beginning; notes run into one sentence lose their
    # final stop.
    found |= {value[:15] + "…" for value in found if len(value) > 16}
    found |= {value.strip().rstrip(".") for value in found}
    return sorted((v for v in found if v.strip()), key=len, reverse=True)


#: Words that are code, not messages: the program, its commands, the flags' placeholders and
#: argparse's value lists, language codes.
CODE = {
    "somnet", "contact", "agreements", "consular", "directory", "meeting", "show", "search",
    "stale", "coverage", "validate", "plan", "XX", "YY", "ZONE", "TIME", "DIR", "LANG", "DAYS",
    "YEARS", "FORMAT", "ID", "EMAIL", "DATE", "table", "json", "markdown", "vcard", "en", "es",
    "fr", "ht", "xx", "URL",
    # The zones are values typed on the command line (--zone eez), listed as such in help.
    *(word for zone in somnet.ZONES for word in zone.split("-")),
}  # fmt: skip


def _untranslated(output: str, data: list[str], given: list[str]) -> set[str]:
    text = " ".join(output.split())
    # Data first, each value where it stands as a whole (not inside a longer word).
    for value in data:
        value = " ".join(value.split())
        if len(value) > 2 and value in text:
            text = re.sub(rf"(?<![A-Za-z]){re.escape(value)}(?![A-Za-z])", " ", text)
    # Then what is code, not words: flags (with their placeholders), variables, files, URLs,
    # offsets, state codes, and the words given on the command line.
    text = re.sub(
        r"(?<![\w-])--?[a-z][a-z-]*(?:[ =][A-Z][A-Z0-9_,|.\[\]]*(?![a-z]))?"
        r"|\S*(?:_|://|/|\.[a-z]{2,4}\b)\S*|UTC[+-]?[\d:]*|\b[A-Z]{2}\b"
        # UIDs, meeting and key ids, hashes: random hex, now and then letters only (no English
        # word of eight letters or more is written with a to f alone).
        r"|\b[0-9a-f-]{8,}\b",
        " ",
        text,
    )
    words = set(given) | CODE
    text = re.sub(r"[A-Za-z]+", lambda m: " " if m.group() in words else m.group(), text)
    return set(ascii_words(text))


def _holidays(command: list[str]) -> tuple[str, ...]:
    """The names python-holidays gives the holidays of the command's states, as somnet asks
    for them (in English where it has them; else in the calendar's default language, which
    follows the locale): data."""
    from somnet.directory.hours import holiday_calendar

    codes = command[command.index("--states") + 1].split(",")
    return tuple(
        name for code in codes for name in holiday_calendar(code, None, [2026, 2027]).values()
    )


MEETING = ["--states", "BS,DO,HT,HN,JM,MX,PA", "--duration", "90m",
           "--from", "2026-12-01", "--to", "2026-12-18", "--count", "2", "--per-day"]  # fmt: skip
INVITE = ["meeting", "invite", "--states", "BS,DO", "--start", "2027-03-02T15:00Z",
          "--duration", "1h", "--title", "Coordination",
          "--organizer", "focal@example.org"]  # fmt: skip
COMMANDS = [
    ["contact", *OFFICER],
    ["contact", *OFFICER, "--explain"],
    ["contact", "--flag", "HT", "--zone", "contiguous", "--brief"],
    ["contact", "--flag", "HT", "--zone", "eez"],
    ["contact", "--stateless", "--zone", "territorial", "--coastal", "TC", "--as", "BS",
     "--nationality", "CU,HT,IN", "--distress", "--injured", "--deaths", "--minors",
     "--unaccompanied", "--asylum", "--trafficking", "--smugglers", "--corruption",
     "--return", "--at", "2026-12-01T03:00-05:00"],
    ["contact", "--flag", "TC", "--zone", "high-seas", "--as", "US", "--nationality", "HT,DO",
     "--minors", "--smugglers", "--return", "--at", "2026-12-05T14:00-05:00"],
    ["agreements", "--state", "US"],
    ["agreements", "--between", "BS", "CU"],
    ["consular", "--nationality", "IN", "--in", "HN"],
    ["consular", "--nationality", "HT", "--in", "BS"],
    ["directory", "show", "HT"],
    ["directory", "show", "TC"],
    ["directory", "search", "coast guard"],
    ["directory", "stale", "--evidence-years", "10"],
    ["directory", "coverage"],
    ["directory", "validate"],
    ["meeting", "plan", *MEETING],
    ["contact", "--help"],
    ["directory", "show", "--help"],
    ["meeting", "plan", "--help"],
]  # fmt: skip
ERRORS = [
    ["contact", "--flag", "HT", "--zone", "nowhere"],
    ["contact", "--flag", "XQ", "--zone", "contiguous"],
    ["contact", "--flag", "HT", "--stateless", "--zone", "eez"],
    ["contact", "--flag", "HT", "--zone", "high-seas", "--coastal", "BS"],
    ["contact", "--flag", "HT", "--zone", "eez", "--at", "2026-13-01"],
    ["contact", "--flag", "HT", "--zone", "eez", "--at", "2027-03-14T02:30", "--as", "BS"],
    ["contact", "--zone"],
    ["agreements", "--between", "US", "US"],
    ["directory", "show", "ZZ"],
    ["consular", "--nationality", "HT", "--in", "HT"],
    ["directory", "show", "HT", "--data", "/nonexistent/overlay"],
    ["meeting", "plan", "--states", "DO,HT,PA", "--duration", "90m",
     "--from", "2027-01-01", "--to", "2027-01-04"],
    ["meeting", "plan", "--states", "DO,HT", "--duration", "25h",
     "--from", "2027-01-01", "--to", "2027-01-04"],
    ["meeting", "plan", "--states", "DO", "--role", "coastguard", "--duration", "1h",
     "--from", "2027-01-01", "--to", "2027-01-04"],
    ["meeting", "series", "--states", "BS,DO", "--duration", "90m", "--from", "2027-01-04",
     "--every", "quarter", "--count", "2", "--title", "Coordination"],
    ["meeting", "series", "--states", "BS,DO", "--duration", "90m", "--from", "2027-01-04",
     "--every", "quarter", "--count", "2", "--invite", "--title", "Coordination"],
    # Where an invite cannot be written: a device, a folder, a missing folder, a file for a
    # series' folder.
    [*INVITE, "--out", "/dev/null"],
    [*INVITE, "--out", "/"],
    [*INVITE, "--out", "/nonexistent/meeting.ics"],
    # A server address of another scheme.
    [*INVITE, "--send", "ftp://mail.example.org"],
    ["meeting", "series", "--states", "BS,DO", "--duration", "90m", "--from", "2027-01-04",
     "--every", "quarter", "--count", "2", "--invite", "--title", "Coordination",
     "--organizer", "focal@example.org", "--out", "/dev/null"],
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS + ERRORS, ids=lambda c: " ".join(c)[:60])
def test_a_pseudo_translation_leaves_no_untranslated_text(
    capsys: pytest.CaptureFixture[str], pseudo_language: str, command: list[str]
) -> None:
    holidays = _holidays(command) if "--states" in command else ()
    result = run(capsys, *command, "--lang", pseudo_language)
    assert result.stdout or result.stderr
    if command in ERRORS:
        assert result.exit_code == 2, result.stderr
    else:
        assert result.exit_code == 0, result.stderr
    data = sorted([*holidays, *_data_values()], key=len, reverse=True)
    given = [w for word in command for w in re.findall(r"[A-Za-z]+", word)]
    left = _untranslated(result.stdout + "\n" + result.stderr, data, given)
    assert sorted(left) == [], result.stdout + result.stderr


@pytest.mark.parametrize("command", ERRORS, ids=lambda c: " ".join(c)[:60])
def test_a_french_error_sets_its_colons_as_french_does(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    # "somnet : --zone : ..." like "somnet : avertissement : ..." and argparse's errors, not
    # "somnet: --zone: ..." (times such as 09:00 and URLs have no space after the colon).
    result = run(capsys, *command, "--lang", "fr")
    assert result.exit_code == 2
    assert result.stderr.startswith("somnet")
    assert re.findall(r"\S: ", result.stderr) == [], result.stderr


def test_a_french_plans_rule_notes_set_their_colons_as_french_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = run(capsys, *FRENCH_WRAPPED[0], "--lang", "fr")
    assert result.exit_code == 0, result.stderr
    notes = [line for line in result.stdout.splitlines() if re.match(r"R\d+\b", line)]
    assert notes
    assert all(re.match(r"R\d+ : ", line) for line in notes), notes


def test_a_french_meeting_history_sets_its_colons_as_french_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, meeting_clock: Any
) -> None:
    # "créée (SEQUENCE 0) : file:..." (a file: URI keeps its own colon).
    store, out = str(tmp_path / "store"), str(tmp_path / "meeting.ics")
    invited = run(
        capsys, "meeting", "invite", "--states", "BS,HT", "--start", "2026-12-03T15:00Z",
        "--duration", "90m", "--title", "Coordination", "--organizer", "focal@example.org",
        "--out", out, "--store", store, "--format", "json",
    )  # fmt: skip
    assert invited.exit_code == 0, invited.stderr
    meeting_id = json.loads(invited.stdout)["meeting"]["id"]
    shown = run(capsys, "meeting", "show", meeting_id, "--store", store, "--lang", "fr")
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    history = lines[lines.index("  historique :") + 1 :]
    assert history
    assert all(re.findall(r"\S: ", line) == [] for line in history), history


# Invites written for their attendees -------------------------------------------------------------


def test_an_invite_to_bs_do_ht_mx_carries_english_spanish_and_french_in_one_message(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    meeting_clock: Any,
    smtp: tuple[Any, int],
) -> None:
    from somnet.meetings.ical import described_text
    from tests.meeting_fixtures import parse_both

    inbox, port = smtp
    out, store = tmp_path / "meeting.ics", tmp_path / "store"
    result = run(
        capsys, "meeting", "invite", "--states", "BS,DO,HT,MX",
        "--start", "2026-12-03T15:00Z", "--duration", "90m", "--title", "Regional coordination",
        "--organizer", "focal@example.org", "--out", str(out), "--store", str(store),
        "--send", f"smtp://127.0.0.1:{port}", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    meeting = somnet.MeetingStore(store).get(json.loads(result.stdout)["meeting"]["id"])
    # The attendees' contacts read English (BS), Spanish (DO, MX) and French (HT).
    read = {tag.split("-")[0] for person in meeting.attendees for tag in person.languages}
    assert {"en", "es", "fr"} <= read
    texts = {
        code: described_text(meeting, False, code, own=code == "en") for code in ("en", "es", "fr")
    }
    assert len(set(texts.values())) == 3  # three languages, three texts
    ours, theirs = parse_both(out.read_bytes())
    [event] = ours.walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert description == theirs.vevent.description.value
    for text in texts.values():
        assert text in description
    assert (
        description.index(texts["en"])
        < description.index(texts["es"])
        < description.index(texts["fr"])
    )
    # The e-mail: one message to all (its text part in the three languages too), the same
    # invite attached.
    [message] = inbox.messages()
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    for text in texts.values():
        assert text in body
    calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    ours, theirs = parse_both(calendar.get_payload(decode=True))
    assert str(next(iter(ours.walk("VEVENT")))["DESCRIPTION"]) == description


def test_an_invite_to_english_readers_only_is_in_english_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, meeting_clock: Any
) -> None:
    from somnet.meetings.ical import description_text, meeting_languages
    from tests.meeting_fixtures import sample_meeting

    meeting = sample_meeting()  # its attendees record no languages
    assert meeting_languages(meeting) == ("en",)
    assert "==" not in description_text(meeting)


def test_the_meeting_plan_says_which_interpretation_the_meeting_needs() -> None:
    directory = somnet.load_directory()
    mixed = somnet.resolve_participants(directory, states=["BS", "DO", "HT"])
    needed = somnet.interpretation(mixed)
    assert needed.needed
    assert {"en", "es", "fr"} <= set(needed.languages)
    same = somnet.resolve_participants(directory, states=["DO", "MX", "PA"])
    assert somnet.interpretation(same).common == ("es",)
    assert not somnet.interpretation(same).needed


def _readme_examples() -> list[tuple[list[str], list[str]]]:
    """The README's contact examples for the officer: the command and the lines shown."""
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(
        r"```text\n(\$ somnet contact --flag HT --zone contiguous --coastal.*?)```", text, re.S
    ):
        lines = block.rstrip("\n").split("\n")
        command = (lines[0] + " " + lines[1]).replace("\\", " ").split()[2:]
        shown = lines[2:]
        assert shown[-1] == " ..."
        found.append((command, shown[:-1]))
    return found


@pytest.mark.parametrize("example", _readme_examples(), ids=lambda e: " ".join(e[0][-2:]))
def test_the_readmes_examples_in_three_languages_are_real_output(
    capsys: pytest.CaptureFixture[str], example: tuple[list[str], list[str]]
) -> None:
    command, shown = example
    result = run(capsys, *command)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[: len(shown)] == shown


def test_the_readme_shows_the_officers_plan_in_english_spanish_and_french() -> None:
    languages = {" ".join(c).partition("--lang ")[2] or "en" for c, _shown in _readme_examples()}
    assert languages == {"en", "es", "fr"}


def test_a_pseudo_translation_leaves_no_english_in_the_meeting_records_commands(
    capsys: pytest.CaptureFixture[str], pseudo_language: str, tmp_path: Path, meeting_clock: Any
) -> None:
    store, out = str(tmp_path / "store"), str(tmp_path / "meeting.ics")
    states = ["--states", "BS,DO,HT,MX"]
    invited = run(
        capsys, "meeting", "invite", *states, "--start", "2026-12-03T15:00Z",
        "--duration", "90m", "--title", "Coordination", "--organizer", "focal@example.org",
        "--out", out, "--store", store, "--format", "json",
    )  # fmt: skip
    meeting_id = json.loads(invited.stdout)["meeting"]["id"]
    commands = [
        ["meeting", "series", *states, "--duration", "90m", "--from", "2027-01-04",
         "--every", "quarter", "--count", "2", "--store", store],
        ["meeting", "update", meeting_id, "--start", "2026-12-04T15:00Z", "--store", store,
         "--out", out],
        ["meeting", "list", "--store", store],
        ["meeting", "show", meeting_id, "--store", store],
        ["meeting", "cancel", meeting_id, "--store", store, "--out", out],
    ]  # fmt: skip
    data = sorted([*_holidays(["--states", "BS,DO,HT,MX"]), *_data_values()], key=len, reverse=True)
    for command in commands:
        result = run(capsys, *command, "--lang", pseudo_language)
        assert result.exit_code == 0, result.stderr
        given = [w for word in command for w in re.findall(r"[A-Za-z]+", word)]
        words = {"Coordination", "focal", "example", "org", "UID", "SEQUENCE", "METHOD", "CANCEL",
                 "seq", "min", "UTC"}  # fmt: skip
        left = _untranslated(result.stdout + "\n" + result.stderr, data, [*given, *words])
        assert sorted(left) == [], result.stdout + result.stderr


def test_a_pseudo_translation_leaves_no_english_in_the_sharing_commands(
    capsys: pytest.CaptureFixture[str], pseudo_language: str, tmp_path: Path
) -> None:
    key, site = tmp_path / "office.key", tmp_path / "site"
    site.mkdir()
    data = str(somnet.shipped_data_dir())
    commands = [
        (["directory", "keygen", "--out", str(key)], 0),
        (["directory", "keygen", "--out", str(key)], 2),
        (["directory", "publish", "--name", "caribbean", "--data", data, "--key", str(key),
          "--out", str(site)], 0),
        (["directory", "publish", "--name", "caribbean", "--data", data, "--key", str(key),
          "--out", str(site), "--version", "0"], 2),
        (["directory", "status", "--cache", str(tmp_path / "sync")], 0),
        (["directory", "sync", "ftp://example.org/somnet/", "--trust", f"{key}.pub"], 2),
    ]  # fmt: skip
    data_values = _data_values()
    for command, status in commands:
        result = run(capsys, *command, "--lang", pseudo_language)
        assert result.exit_code == status, result.stderr
        given = [w for word in command for w in re.findall(r"[A-Za-z]+", word)]
        left = _untranslated(result.stdout + "\n" + result.stderr, data_values, given)
        assert sorted(left - {"sha", "SEQUENCE"}) == [], result.stdout + result.stderr


def test_a_pseudo_translation_leaves_no_english_in_the_directorys_problems(
    capsys: pytest.CaptureFixture[str], pseudo_language: str, tmp_path: Path
) -> None:
    shipped = Path(somnet.shipped_data_dir()) / "states" / "BS.toml"
    text = shipped.read_text(encoding="utf-8")
    # Contacts that claim to be real with made-up details, and a language that is not a tag.
    broken = text.replace("illustrative = true", "illustrative = false").replace(
        'languages = ["en"]', 'languages = ["english"]', 1
    )
    # Telephone numbers that are none, or not written as E.164; sources without an address,
    # and one that is only an encyclopaedia mirror.
    broken = broken.replace('value = "+12425550108"', 'value = "+0242555"', 1)
    broken = broken.replace('value = "+12425550109"', 'value = "+44 20 7946 0018"', 1)
    state, _, agencies = broken.partition("[[agencies]]")
    state = re.sub(r', url = "[^"]*"', "", state)
    agencies = re.sub(r'url = "https://[^/"]*/', 'url = "https://en.wikipedia.org/', agencies)
    broken = f"{state}[[agencies]]{agencies}"
    (tmp_path / "overlay" / "states").mkdir(parents=True)
    (tmp_path / "overlay" / "states" / "BS.toml").write_text(broken, encoding="utf-8")
    command = ["directory", "validate", "--data", str(tmp_path / "overlay")]
    result = run(capsys, *command, "--lang", pseudo_language)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) > 3  # several problems, under one heading
    given = [w for word in command for w in re.findall(r"[A-Za-z]+", word)]
    left = _untranslated(
        result.stderr,
        _data_values(),
        [
            *given,
            "english",
            "state",
            "agencies",
            "contacts",
            "channels",
            "value",
            "languages",
            "name",
            "maritime",
            "sources",
            "unclos",  # a table's key in the path ($.state.unclos.sources)
            # The data's own words: a value to write (status = "uncertain"), a host.
            "status",
            "party",
            "uncertain",
            "en",
            "wikipedia",
            "org",
        ],
    )
    assert sorted(left) == [], result.stderr


def test_a_french_directory_problem_sets_the_files_colon_as_french_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # ".../BS.toml : $.agencies[0]... : ..." as the loader's own problems say, not
    # ".../BS.toml: $.agencies[0]...".
    shipped = Path(somnet.shipped_data_dir()) / "states" / "BS.toml"
    broken = shipped.read_text(encoding="utf-8").replace(
        "illustrative = true", "illustrative = false"
    )
    (tmp_path / "overlay" / "states").mkdir(parents=True)
    (tmp_path / "overlay" / "states" / "BS.toml").write_text(broken, encoding="utf-8")
    result = run(
        capsys, "directory", "validate", "--data", str(tmp_path / "overlay"), "--lang", "fr"
    )
    assert result.exit_code == 2
    problems = [line for line in result.stderr.splitlines() if "BS.toml" in line]
    assert problems
    assert [line for line in problems if re.search(r"\.toml: ", line)] == []


def test_a_french_list_of_replaced_records_sets_its_colons_as_french_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # "organisme bs-rbdf : .../BS.toml $.agencies[0]", not "organisme bs-rbdf: ...".
    shipped = Path(somnet.shipped_data_dir()) / "states" / "BS.toml"
    (tmp_path / "overlay" / "states").mkdir(parents=True)
    (tmp_path / "overlay" / "states" / "BS.toml").write_bytes(shipped.read_bytes())
    result = run(
        capsys, "directory", "validate", "--data", str(tmp_path / "overlay"), "--lang", "fr"
    )
    assert result.exit_code == 0, result.stderr
    replaced = [line for line in result.stdout.splitlines() if "$." in line and "BS.toml" in line]
    replacing = [line for line in replaced if not line.startswith("    ")]
    assert replacing
    assert [line for line in replacing if re.search(r"\S: ", line)] == []


#: Broken data files, one of each kind a reader meets: what the loader says of each must be
#: in the language in use (tomllib's own reason, like the system's, is left as it is).
BROKEN_FILES = {
    "empty.toml": b"",
    "latin1.toml": "[[agencies]]\nid = 'caf\u00e9'\n".encode("latin-1"),
    "binary.toml": b"\x00\x01",
    "syntax.toml": b"[[agencies]\nid = 1\n",
    "wrong.toml": (
        b"surprise = 1\n[[agencies]]\nid = 5\nstate = 'BS'\nname = 'x'\nname_en = 'x'\n"
        b"roles = ['navy']\nextra = true\nlast_verified = 2026-01-01\n"
        b"sources = [{ title = 't', url = 'https://example.org' }]\n"
    ),
}


def test_a_pseudo_translation_leaves_no_english_in_the_data_files_problems(
    capsys: pytest.CaptureFixture[str], pseudo_language: str, tmp_path: Path
) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    for name, content in BROKEN_FILES.items():
        (overlay / name).write_bytes(content)
    command = ["directory", "validate", "--data", str(overlay)]
    result = run(capsys, *command, "--lang", pseudo_language)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) > len(BROKEN_FILES)  # every file, the last one's several problems
    given = [w for word in command for w in re.findall(r"[A-Za-z]+", word)]
    fields = ["agencies", "id", "roles", "state", "name", "surprise", "extra", "navy", "toml"]
    # tomllib's reason for the broken table, as the system's reasons are left as they are.
    tomllib_reason = ["Expected", "at", "the", "end", "of", "an", "array", "declaration"]
    roles = [w for role in somnet.ROLES for w in re.findall(r"[A-Za-z]+", role)]  # codes
    left = _untranslated(result.stderr, [], [*given, *fields, *tomllib_reason, *roles])
    assert sorted(left) == [], result.stderr


def _columns(line: str) -> int:
    """The columns a line takes on a terminal (Chinese characters take two, marks none)."""
    import unicodedata

    return sum(
        2
        if unicodedata.east_asian_width(c) in "WF"
        else 0
        if unicodedata.category(c) in ("Mn", "Me", "Mc")
        else 1
        for c in line
    )


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_directory_show_search_and_consular_fit_80_columns_in_every_language(
    capsys: pytest.CaptureFixture[str], language: str
) -> None:
    codes = sorted(somnet.load_directory().states)
    commands = [["directory", "show", code] for code in codes]
    commands += [["directory", "search", "coast"], ["directory", "search", "embassy"]]
    pairs = [("IN", "HN"), ("HT", "BS"), ("CU", "MX"), ("CN", "PA"), ("US", "HT")]
    commands += [["consular", "--nationality", n, "--in", d] for n, d in pairs]
    for command in commands:
        result = run(capsys, *command, "--lang", language)
        assert result.exit_code == 0, result.stderr
        for line in result.stdout.splitlines():
            # A line may run long only for a word that cannot be split: an id, an address, a URL.
            assert _columns(line) <= 80 or max(map(len, line.split())) > 40, (command, line)
        # An id is never left on a line without the word that says what it is.
        lines = result.stdout.splitlines()
        for before, line in itertools.pairwise(lines):
            word = line.split()[0] if line.split() else ""
            assert not (before.rstrip().endswith(" id") and "-" in word), (command, before, line)


#: A two-letter English day as the data files write them, in a day list or range.
_DATA_DAYS = re.compile(r"\b(?:Mo|Tu|We|Th|Fr|Sa|Su)\b(?=[-,]| \d\d:\d\d)")


_HOURS_SHOWN = [
    ["contact", *OFFICER],
    ["consular", "--nationality", "HT", "--in", "BS"],
    ["directory", "show", "BS"],
    ["meeting", "plan", "--states", "DO,HT,PA", "--duration", "90m", "--from", "2027-01-01",
     "--to", "2027-01-04"],
]  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("command", _HOURS_SHOWN, ids=lambda c: " ".join(c[:2]))
def test_opening_hours_name_their_days_in_the_readers_language(
    capsys: pytest.CaptureFixture[str], language: str, command: list[str]
) -> None:
    english = run(capsys, *command)
    translated = run(capsys, *command, "--lang", language)
    assert english.exit_code == translated.exit_code
    # The English text keeps the data's notation; the others name the days as their dates do.
    assert _DATA_DAYS.search(english.stdout + english.stderr)
    # The directory's own notes are quoted as written.
    shown = re.sub(r"«[^»]*»", "", translated.stdout + translated.stderr)
    assert not _DATA_DAYS.search(shown), shown
    monday = _i18n._catalog(language).gettext("Mon")
    assert f"{monday}-" in shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_agreements_zones_are_named_in_the_readers_language(
    capsys: pytest.CaptureFixture[str], language: str
) -> None:
    # The 1981 exchange of notes applies in the contiguous zone, the EEZ and the high seas.
    result = run(capsys, "agreements", "--between", "US", "HT", "--lang", language)
    assert result.exit_code == 0, result.stderr
    words = " ".join(result.stdout.split())
    catalog_ = _i18n._catalog(language)
    for zone in ("contiguous", "eez", "high-seas"):
        assert catalog_.gettext(zone) != zone
        assert catalog_.gettext(zone) in words
    assert not re.search(r"\b(contiguous|eez|high-seas)\b", re.sub(r"«[^»]*»", "", words))


@pytest.mark.parametrize("value", ["+509 0101", "+999 XXXX 0101", "+1 XXXX 0101"])
def test_a_placeholders_problem_is_a_message_told_in_the_language_in_use(value: str) -> None:
    # Not a placeholder; a country code that is none; a plan with numbers kept for fiction.
    from somnet.directory.reserved import placeholder_problem

    problem = placeholder_problem(value)
    assert isinstance(problem, _i18n.Message)
    for language in LANGUAGES:
        assert somnet.localized(problem, language) != str(problem)


@pytest.mark.parametrize("language", LANGUAGES)
def test_argparses_count_of_values_is_told_in_the_language_in_use(
    capsys: pytest.CaptureFixture[str], language: str
) -> None:
    result = run(capsys, "agreements", "--between", "US", "--lang", language)
    assert result.exit_code == 2
    assert "expected" not in result.stderr and "2" in result.stderr


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_directory_shows_channels_in_one_column_in_every_language(
    capsys: pytest.CaptureFixture[str], language: str
) -> None:
    """A channel's label was padded to 8 characters, the width of the English ones: the French
    "téléphone" pushed its number a column right of the e-mail address below it, and the
    hours of a wrapped row began a column left of its value."""
    result = run(capsys, "directory", "show", "BS", "--lang", language)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    # A channel's row: six spaces, its label, its value, its hours.
    rows = [
        n for n, x in enumerate(lines) if re.match(r"      [^ -]", x) and ("@" in x or "+1" in x)
    ]
    assert len(rows) >= 2, result.stdout
    starts = {len(lines[n]) - len(lines[n][6:].split(None, 1)[1]) for n in rows}
    assert len(starts) == 1, [lines[n] for n in rows]
    (start,) = starts
    # A wrapped row goes on in the value's column.
    wrapped = [lines[n + 1] for n in rows if re.match(r" {7,}\S", lines[n + 1])]
    assert all(len(x) - len(x.lstrip()) == start for x in wrapped), wrapped


def test_a_french_delivery_failure_sets_its_semicolons_as_french_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, meeting_clock: Any
) -> None:
    """The parts of a run that did not deliver everything (why, what went, what did not, the
    record) were joined with an English "; ": "non remise : CalDAV; la réunion ..."."""
    from tests.meeting_servers import free_port

    result = run(
        capsys, "meeting", "invite", "--states", "BS,HT", "--start", "2026-12-03T15:00Z",
        "--duration", "90m", "--title", "Coordination", "--organizer", "focal@example.org",
        "--publish", f"http://127.0.0.1:{free_port()}/cal/", "--store", str(tmp_path / "store"),
        "--lang", "fr",
    )  # fmt: skip
    assert result.exit_code != 0
    assert "CalDAV" in result.stderr
    assert re.findall(r"\S; ", result.stderr) == [], result.stderr


def _value_columns(lines: list[str]) -> set[int]:
    """The column each channel row's value starts in (after its label and padding)."""
    starts = set()
    for line in lines:
        label = line.split()[0]
        after = line[line.index(label) + len(label) :]
        starts.add(len(line) - len(after.lstrip()))
    return starts


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_contact_details_show_a_contacts_channels_in_one_column_in_every_language(
    capsys: pytest.CaptureFixture[str], language: str
) -> None:
    """A Turks and Caicos patrol's first call: telephone, VHF and e-mail, their labels padded
    to the 8 characters of the English ones: the French "téléphone" pushed its number a column
    right of the e-mail address below it."""
    result = run(
        capsys, "contact", "--flag", "HT", "--zone", "territorial", "--coastal", "TC", "--as",
        "KY", "--nationality", "US,HT", "--at", "2026-12-01T15:00Z", "--lang", language,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    first = next(n for n, x in enumerate(lines) if x.startswith("    > "))
    rows = list(itertools.takewhile(lambda x: re.match(r" {8}\S", x), lines[first + 1 :]))
    assert len(rows) == 3, lines[first : first + 5]
    assert len(_value_columns(rows)) == 1, rows


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_consular_shows_a_missions_channels_in_one_column_in_every_language(
    capsys: pytest.CaptureFixture[str], language: str
) -> None:
    result = run(capsys, "consular", "--nationality", "HT", "--in", "BS", "--lang", language)
    assert result.exit_code == 0, result.stderr
    rows = [x for x in result.stdout.splitlines() if re.match(r" {8}\S", x)]
    assert len(rows) == 2, result.stdout
    assert len(_value_columns(rows)) == 1, rows


# The separator of a list: "; " in English and Spanish, " ; " in French -----------------------

#: Where a literal "; " is written on purpose, in text that is the same in every language: the
#: data files' notation of weekly hours, which JSON carries (``WeeklyHours.__str__``;
#: ``localized`` sets the language's), a synced copy's warning as JSON says it, and the English
#: reason of a NoSlotError made without the told one somnet always gives it (the errors' module
#: cannot import the messages, which import it).
_DATA_SEPARATORS = {
    ("somnet/directory/hours.py", "__str__"),
    ("cli/sync.py", "copy_warning_text"),
    ("somnet/_exceptions.py", "__init__"),
}


def _literal_separators(path: Path) -> list[tuple[str, int]]:
    """Each "; " written in ``path`` outside ``_()`` and ``gettext()``: (function, line)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    marked: set[int] = set()
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "gettext"):
            marked.update(id(a) for a in node.args)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = node.name
        if isinstance(node, ast.Constant) and node.value == "; " and id(node) not in marked:
            found.append((function, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "")
    return found


def test_a_list_for_people_is_joined_with_the_languages_separator() -> None:
    # A weekly schedule's rules, holiday names, notes and the parts of meeting messages were
    # joined with a literal "; " in every language: "lun.-jeu. 08:00-16:30; ven. ...".
    root = Path(somnet.__file__).parent.parent
    literal = [
        f"{path.relative_to(root)}:{line} ({function})"
        for folder in ("somnet", "cli")
        for path in sorted((root / folder).rglob("*.py"))
        for function, line in _literal_separators(path)
        if (str(path.relative_to(root)), function) not in _DATA_SEPARATORS
    ]
    assert literal == []


@pytest.mark.parametrize(
    ("text", "french"),
    [
        ("Mo-Th 08:00-16:30; Fr 08:00-15:30", "lun.-jeu. 08:00-16:30 ; ven. 08:00-15:30"),
        (
            "Mo-Tu,Th 08:00-16:00; We,Fr 08:00-13:30",
            "lun.-mar.,jeu. 08:00-16:00 ; mer.,ven. 08:00-13:30",
        ),
    ],
)  # fmt: skip
def test_weekly_hours_set_their_rules_apart_as_the_language_does(text: str, french: str) -> None:
    hours = somnet.parse_hours(text)
    assert str(hours) == text  # the data's notation, as JSON carries it
    assert hours.localized("en") == text
    assert hours.localized("fr") == french
    assert "; " in hours.localized("es") and " ; " not in hours.localized("es")


def test_directory_show_sets_a_schedules_rules_apart_as_french_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = run(capsys, "directory", "show", "GY", "--lang", "fr")
    assert result.exit_code == 0, result.stderr
    assert "lun.-jeu. 08:00-16:30 ; ven. 08:00-15:30" in result.stdout
    # The directory's own notes are quoted as written.
    shown = re.sub(r"«[^»]*»", "", result.stdout)
    assert re.findall(r"\S; ", shown) == [], shown
    english = run(capsys, "directory", "show", "GY", "--format", "json", "--lang", "fr")
    assert '"Mo-Th 08:00-16:30; Fr 08:00-15:30"' in english.stdout


def test_two_holidays_on_one_day_are_named_apart_as_the_language_does() -> None:
    # Haiti's 18 November is Armed Forces Day and the anniversary of Vertières.
    from datetime import date

    from somnet.meetings.participants import public_holidays

    directory = somnet.load_directory()
    named = directory.public_holidays("HT", 2026)
    assert named is not None
    day = date(2026, 11, 18)
    english = "Armed Forces Day; Commemoration of the Battle of Vertieres"
    assert named[day] == english  # as JSON carries it, in every language
    assert somnet.localized(named[day], "fr") == english.replace("; ", " ; ")
    participants = somnet.resolve_participants(directory, states=["HT"])
    calendars, _warnings = public_holidays(participants, day, day)
    (calendar,) = calendars.values()
    assert calendar[day] == english
    # A meeting's calendar names them in French where python-holidays has Haiti's in French.
    assert somnet.localized(calendar[day], "fr") == (
        "Commémoration de la Bataille de Vertières ; Jour des Forces Armées"
    )


def test_a_records_notes_run_into_a_sentence_set_apart_as_the_language_does() -> None:
    from somnet.routing.asks import joined

    notes = joined(("Named in a 2019 report.", "Not confirmed since"))
    assert notes == "Named in a 2019 report; Not confirmed since"
    assert somnet.localized(notes, "fr") == "Named in a 2019 report ; Not confirmed since"


def test_a_french_invite_on_a_holiday_sets_the_holidays_apart_as_french_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, meeting_clock: Any
) -> None:
    # Haiti's 1 January is its Independence Day and New Year's Day.
    result = run(
        capsys, "meeting", "invite", "--states", "BS,HT", "--start", "2027-01-01T15:00Z",
        "--duration", "90m", "--title", "Coordination", "--organizer", "focal@example.org",
        "--out", str(tmp_path / "meeting.ics"), "--store", str(tmp_path / "store"),
        "--lang", "fr",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "(Fête de l'Indépendance Nationale ; Nouvel An)" in result.stderr
    assert re.findall(r"\S; ", result.stderr) == [], result.stderr
