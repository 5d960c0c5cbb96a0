"""What every plan told in Spanish or French must hold, whatever the interception: no sentence
left in English, no note cut short, no stray space, checked over a broad, fixed sample of
interceptions on the shipped directory.

A sentence of a plan told in another language that is the very sentence of the English plan,
and is not data (an agency's name, an agreement's title, a note of the directory, a code, a
time), was never translated: it was put together outside the catalogs. Each property names the
change that would break it."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from somnet_cli.contact import render_plan

import somnet
from somnet import (
    BadInputError,
    ContactPlan,
    Directory,
    load_directory,
    make_interception,
    plan_contacts,
)
from somnet._i18n import Message, localized, set_language
from somnet.directory.hours import HolidayName
from tests.i18n_helpers import directory_words

LANGUAGES = ("es", "fr")
#: How many interceptions the sample holds (before those whose facts contradict each other).
SAMPLE = 240

#: Sovereigns, territories with their own law and under their sovereign's, foreign states, and
#: a state the directory does not hold (SY); None is unknown.
_CODES = [
    None, "GB", "KY", "TC", "VG", "NL", "AW", "CW", "BQ", "SX", "US", "PR", "VI", "FR", "GP",
    "MF", "HT", "CU", "BS", "DO", "JM", "MX", "VE", "SY",
]  # fmt: skip
_ZONES = ["internal", "territorial", "archipelagic", "contiguous", "eez", "high-seas"]
_CONDITIONS = [
    "distress", "injured", "deaths", "minors", "unaccompanied", "asylum", "trafficking",
    "smugglers", "corruption",
]  # fmt: skip
#: Today, a night on another calendar day, before the SOM Protocol bound anyone, and between.
_MOMENTS = [
    "2026-12-01T15:00:00-05:00",
    "2026-12-05T03:00:00-05:00",
    "2001-03-10T12:00:00-05:00",
    "2012-07-04T23:00:00-04:00",
]
#: Interceptions every sample holds: the notes found built outside the catalogs (a stateless
#: vessel beyond the territorial sea, acted on by a territory or before the Protocol bound the
#: acting state), and steps deferred until the claims are decided or the nationalities known.
_CHOSEN: list[dict[str, Any]] = [
    {"stateless": True, "zone": "high-seas", "acting": "BQ", "disembark": "BQ"},
    {"stateless": True, "zone": "eez", "coastal": "BS", "acting": "US", "at": _MOMENTS[2]},
    {"stateless": True, "zone": "high-seas", "acting": "BS", "nationalities": ["CU"],
     "conditions": ["asylum", "minors", "trafficking"], "return_considered": True},
    {"stateless": True, "zone": "territorial", "coastal": "TC", "acting": "BS",
     "nationalities": ["CU", "HT"], "conditions": _CONDITIONS, "return_considered": True},
    {"flag": "HT", "zone": "contiguous", "coastal": "BS", "acting": "US", "disembark": "HT",
     "conditions": ["asylum", "minors", "unaccompanied", "trafficking", "deaths"],
     "return_considered": True},
]  # fmt: skip


def _facts(rng: random.Random) -> dict[str, Any]:
    stateless = rng.random() < 0.3
    return {
        "flag": None if stateless else rng.choice(_CODES),
        "stateless": stateless,
        "zone": rng.choice(_ZONES),
        "coastal": rng.choice(_CODES),
        "acting": rng.choice(_CODES),
        "disembark": rng.choice(_CODES),
        "nationalities": rng.sample([c for c in _CODES if c], rng.randint(0, 2)),
        "stateless_persons": rng.random() < 0.3,
        "conditions": rng.sample(_CONDITIONS, rng.randint(0, 5)),
        "return_considered": rng.random() < 0.5,
        "at": rng.choice(_MOMENTS),
        "others_unknown": rng.random() < 0.3,
    }


@pytest.fixture(scope="module")
def shipped() -> Directory:
    return load_directory(use_env=False)


@pytest.fixture(scope="module")
def plans(shipped: Directory) -> list[ContactPlan]:
    """The plans of the sample: the chosen interceptions, then random ones drawn from a fixed
    seed (the same every run), less those whose facts contradict each other."""
    rng = random.Random(20261201)
    drawn = [*_CHOSEN, *(_facts(rng) for _ in range(SAMPLE))]
    found = []
    for facts in drawn:
        facts = {"at": _MOMENTS[0], **facts}
        try:
            interception = make_interception(
                **{**facts, "at": datetime.fromisoformat(facts["at"])}, directory=shipped
            )
        except BadInputError:
            continue
        found.append(plan_contacts(shipped, interception))
    assert len(found) > SAMPLE // 2
    return found


@pytest.fixture(scope="module")
def data(shipped: Directory) -> str:
    """Everything the directory says, one value a line: data, shown as it is in every
    language, never a message."""
    return "\n".join(" ".join(value.split()) for value in directory_words(shipped))


def _items(plan: ContactPlan) -> Iterator[tuple[str, object]]:
    """The plan's sentences for people, each with where it stands: its notes and their basis,
    its warnings, and each step's basis, notes, warnings, provenance and what it lacks (the
    JSON's fields for people, and the text's)."""
    for note in plan.notes:
        yield f"note {note.rule}", note.text
        yield from ((f"note {note.rule} basis", b) for b in note.basis)
    yield from (("warning", w) for w in plan.warnings)
    for step in plan.steps:
        where = f"step {step.order} {step.rule} {step.purpose}"
        yield from ((f"{where} basis", b) for b in step.basis)
        yield from ((f"{where} note", n) for n in step.notes)
        yield from ((f"{where} warning", w) for w in step.warnings)
        yield from ((f"{where} provenance", p) for p in step.provenance)
        if step.unresolved_because:
            yield f"{where} unresolved", step.unresolved_because


def _holidays(value: object) -> Iterator[HolidayName]:
    """The public holidays a message names: python-holidays' names, data."""
    if isinstance(value, HolidayName):
        yield value
    elif isinstance(value, Message):
        for inner in value._values.values():
            yield from _holidays(inner)


#: Where a text is cut into pieces: after a full stop, and at a colon or semicolon (set with a
#: space before it in French).
_BREAK = re.compile(r"(?<=[.!?])\s+|\s*[;:]\s+")
#: What is code, not words: flags, ids, files and zones (with a slash or an underscore),
#: offsets, state and language codes, acronyms (SOLAS), times, numbers, articles (VII(4)).
_CODE = re.compile(
    r"(?<![\w-])--?[a-z][a-z-]*|\S*(?:_|://|/)\S*|UTC[+-]?[\d:]*|\b[A-Z]{2,}\b|\b[a-z]{2,3}\b"
    r"(?=[/ )]|$)|\b[a-z0-9]+(?:-[a-z0-9]+)+\b|\b[IVX]+\b|[\d:.,()-]+"
)


def _pieces(text: str) -> set[str]:
    # In a plan's text, an item starts a line: a note ("- "), a warning ("! "), a contact.
    text = re.sub(r"\n\s*[-!>] ", ". ", text)
    flat = " ".join(text.split())
    return {p.strip(" .") for p in _BREAK.split(flat) if p.strip(" .")}


#: Where a piece of data is cut from the names and codes beside it: "Name (ACRONYM) (id, XX)",
#: "title [id]", a contact under its agency ("Agency > desk"), a list.
_BESIDE = re.compile(r"\s*[()\[\]]\s*|\s*>\s+|,\s+")
#: Words a language writes as English does (French "refoulement"), and a case's name as its
#: court reports it (Sale v. Haitian Centers Council, cut at "v." and "U.S.").
_CASE = "Haitian Centers Council, 509 U.S"
_SAME = {"fr": {"Refoulement", _CASE}, "es": {_CASE}}


def _words(piece: str, data: str, given: tuple[str, ...]) -> bool:
    """Whether ``piece`` holds words that are not data nor code."""
    for value in given:  # names the message quotes (public holidays)
        piece = piece.replace(value, " ")
    for chunk in _BESIDE.split(piece):
        chunk = chunk.strip(" .")
        if chunk in data:  # a whole value, or a part of a name, title or note of the directory
            continue
        if re.findall(r"[A-Za-z]{2,}", _CODE.sub(" ", chunk)):
            return True
    return False


def _english_left(
    en: str, told: str, code: str, data: str, given: tuple[str, ...], known: dict[str, bool]
) -> list[str]:
    """The pieces of ``told`` that are word for word pieces of ``en``, and not data."""
    if told == en and not re.findall(r"[A-Za-z]{2,}", _CODE.sub(" ", en)):
        return []
    english = _pieces(en)
    left = []
    for piece in _pieces(told):
        if piece in english and piece not in _SAME[code]:
            if piece not in known:
                known[piece] = _words(piece, data, given)
            if known[piece]:
                left.append(piece)
    return left


def _untranslated_templates(value: object, code: str) -> Iterator[str]:
    """The templates in ``value`` that the catalog of ``code`` does not translate (new
    messages whose translation is to come, or text put together outside the catalogs)."""
    if not isinstance(value, Message):
        return
    if not value._literal:
        from somnet._i18n import _catalog

        if _catalog(code).gettext(value._template) == value._template:
            yield value._template
    for inner in value._values.values():
        yield from _untranslated_templates(inner, code)


def test_no_sentence_of_a_plan_is_left_in_english_in_spanish_or_french(
    plans: list[ContactPlan], data: str
) -> None:
    """Each note, warning, basis and provenance of every plan, told in Spanish and in French,
    has no sentence (nor clause) that is word for word its English one, data aside. Broken by
    a note built with an f-string or glued from plain pieces (English in every language), or
    by a message left out of the catalogs."""
    known: dict[str, bool] = {}
    left: dict[tuple[str, str], set[str]] = {}
    for plan in plans:
        for where, item in _items(plan):
            given = tuple(str(h) for h in _holidays(item))
            for code in LANGUAGES:
                told = localized(item, code)
                given_here = (*given, *(h.localized(code) for h in _holidays(item)))
                pieces = _english_left(str(item), told, code, data, given_here, known)
                if pieces:
                    what = (
                        "; ".join(sorted(set(_untranslated_templates(item, code))))
                        or f"not a message: {type(item).__name__}"
                    )
                    left.setdefault((code, what), set()).add(f"{where}: {pieces[0]}")
    report = [f"[{code}] {what}\n    e.g. {min(where)}" for (code, what), where in left.items()]
    assert report == [], "\n".join(sorted(report))


def test_no_sentence_of_a_plans_text_is_left_in_english_in_spanish_or_french(
    plans: list[ContactPlan], data: str
) -> None:
    """The whole text of every plan (call list, steps, notes, with the sources' notes), told in
    Spanish and in French, has no sentence that is word for word its English one, data aside.
    Broken by words the command line puts together outside the catalogs."""
    known: dict[str, bool] = {}
    left: dict[tuple[str, str], str] = {}
    for plan in plans[:: max(1, len(plans) // 60)]:
        given = tuple(
            told
            for _where, item in _items(plan)
            for holiday in _holidays(item)
            for told in (str(holiday), *(holiday.localized(code) for code in LANGUAGES))
        )
        try:
            en = render_plan(plan, explain=True)
            for code in LANGUAGES:
                set_language(code)
                told = render_plan(plan, explain=True)
                set_language("en")
                for piece in _english_left(en, told, code, data, given, known):
                    left.setdefault((code, piece), str(plan.to_json()["interception"]))
        finally:
            set_language("en")
    report = [f"[{code}] {piece}\n    in {where}" for (code, piece), where in left.items()]
    assert report == [], "\n".join(sorted(report))


def test_no_note_of_a_plan_is_cut_short_or_spaced_twice_in_any_language(
    plans: list[ContactPlan],
) -> None:
    """No note, warning, basis or provenance of any plan, in English, Spanish or French, is
    blank or ends with a colon (a note that announced what follows as other notes, read alone
    in JSON), nor holds two spaces in a row or a space before a comma. Broken by a note that
    leads into the next ones, or by an empty value put into a sentence."""
    bad: dict[tuple[str, str], str] = {}
    for plan in plans:
        for where, item in _items(plan):
            for code in ("en", *LANGUAGES):
                told = localized(item, code)
                problems = [
                    problem
                    for problem, found in (
                        ("blank", not told.strip()),
                        ("ends with a colon", told.rstrip().endswith(":")),
                        ("two spaces", "  " in told),
                        ("a space before a comma", " ," in told),
                        ("a space at an end", told != told.strip()),
                    )
                    if found
                ]
                for problem in problems:
                    bad.setdefault((code, f"{problem}: {told[:160]!r}"), where)
    report = [f"[{code}] {what}\n    at {where}" for (code, what), where in bad.items()]
    assert report == [], "\n".join(sorted(report))


def test_the_directorys_own_words_in_a_plans_sentence_are_quoted_in_spanish_and_french(
    shipped: Directory, plans: list[ContactPlan]
) -> None:
    """A SAR region's name and a gap's note are the directory's English words set inside a
    plan's sentence ("Région SAR couvrant TC : Miami maritime SRR (RCC Miami): waters of ...").
    Unquoted, a French or Spanish reader cannot tell where the sentence ends and the data
    begins: each is quoted as the language quotes (« ... » in French, «...» in Spanish), and
    left bare in English."""
    words = {" ".join(r.name.split()) for r in shipped.sar_regions}
    for state in shipped.states.values():
        for gap in state.role_gaps:
            words.update({" ".join(gap.summary.split()), " ".join(gap.note.split())})
    seen: dict[str, int] = {"en": 0, **dict.fromkeys(LANGUAGES, 0)}
    # How each language quotes: French « text », Spanish «text», English not at all.
    marks = {code: tuple(localized(somnet.quoted("|"), code).split("|")) for code in seen}
    assert marks["en"] == ("", "") and all(marks[code] != ("", "") for code in LANGUAGES)
    bare: list[str] = []
    for plan in plans:
        for where, item in _items(plan):
            for code in ("en", *LANGUAGES):
                told = " ".join(localized(item, code).split())
                # The longest first: a gap's summary begins its note, and is read as the note.
                for text in sorted(words, key=len, reverse=True):
                    start = told.find(text)
                    if start < 0:
                        continue
                    seen[code] += 1
                    before, after = told[:start], told[start + len(text) :]
                    if not (before.endswith(marks[code][0]) and after.startswith(marks[code][1])):
                        bare.append(f"[{code}] {where}: {text[:60]!r} in {told!r}")
                    told = before + "\0" + after
    assert all(seen.values()), seen  # the sample reaches such sentences in every language
    assert bare == [], "\n".join(sorted(set(bare)))
