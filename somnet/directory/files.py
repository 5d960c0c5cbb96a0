"""A layer's data files read into records, strictly: TOML parsed, each record structured by
the one converter with every problem located as ``FILE: $.path.to.field: what``, and layers
merged (a later layer replaces records by id, never moving one to another state)."""

from __future__ import annotations

import contextlib
import functools
import re
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import attrs

from somnet._convert import FieldError, converter, describe, make_converter, refusal
from somnet._i18n import N_, _, _n, shown
from somnet.directory.layers import layer_files, name_problems, not_a_folder
from somnet.directory.records import (
    Agency,
    Agreement,
    ChannelKind,
    ConsularChannel,
    DirectoryFile,
    Role,
    SarRegion,
    State,
    Zone,
)

if TYPE_CHECKING:
    import cattrs


#: Vocabularies named in messages: "'navy' is not a role; the roles are ...".
VOCABULARIES: dict[Any, str] = {
    Role: N_("{value} is not a role; the roles are {choices}"),
    ChannelKind: N_("{value} is not a channel kind; use {choices}"),
}


def _format_exception(exc: BaseException, type_: Any) -> str:
    """What the converter found wrong, as a message (told in the language in use), in a TOML
    data file's words."""
    return refusal(exc, type_, toml=True, vocabularies=VOCABULARIES)


@functools.cache
def lenient_converter() -> cattrs.Converter:
    """The converter's twin for a record that failed: unknown keys ignored and any text taken
    for a vocabulary (roles, channel kinds, zones), so that the record's other problems are
    still checked and one run reports every problem. Its faults were reported already."""
    converter = make_converter(forbid_extra_keys=False)

    def any_text(value: Any, _type: Any) -> str:
        if not isinstance(value, str):
            raise FieldError(_("expected text, got {describe}").format(describe=describe(value)))
        return value

    converter.register_structure_hook_func(lambda t: t in (Role, ChannelKind, Zone), any_text)
    return converter


#: Marks, among the ids of records left out, that some left-out content could not even be
#: enumerated (a list that is not a list): any reference may then point into it.
OPAQUE = "\x00opaque"


def located(where: str) -> object:
    """``where`` (``file: $.path``, as the checks build it) with the colon of the language in
    use between the file and the path ("BS.toml : $.agencies[0]" in French)."""
    label, sep, path = where.partition(": $")
    if not sep:
        return where
    return _("{where}: {message}").format(where=label, message="$" + path)


#: The sections of a data file and the record each list holds.
SECTIONS: dict[str, type] = {
    "agencies": Agency,
    "agreements": Agreement,
    "consular": ConsularChannel,
    "sar_regions": SarRegion,
}


def structure_file(
    raw: dict[str, Any],
    label: str,
    broken: set[str] | None = None,
    positions: dict[str, list[int]] | None = None,
) -> tuple[DirectoryFile, list[str]]:
    """Turn a parsed TOML document into a DirectoryFile, record by record.

    A record with problems is left out and its problems reported; the file's other records are
    kept, so that one typo does not make every reference to the file's records dangle. The ids
    (and contact ids, state codes) of records left out are added to ``broken``, so that the
    validation does not report references to them as dangling as well. ``positions``, when
    given, receives each kept record's index in its list in the file, so that the paths of
    later checks name the record where it is written.
    """
    import cattrs
    from cattrs.errors import ClassValidationError, IterableValidationError

    problems: list[str] = []
    broken = broken if broken is not None else set()

    def structure(value: Any, type_: type, path: str) -> Any:
        # cattrs joins each message to its path as text, which would lose the translation:
        # it is given the message's place in ``said`` instead, and the message taken back.
        said: list[str] = []

        def formatted(exc: BaseException, type_: Any) -> str:
            said.append(_format_exception(exc, type_))
            return f"\x00{len(said) - 1}"

        try:
            return converter().structure(value, type_)
        except (ClassValidationError, IterableValidationError) as exc:
            messages = cattrs.transform_error(exc, path, formatted)
        except Exception as exc:  # the converter's own errors for a value of the wrong shape
            messages = [f"{formatted(exc, type_)} @ {path}"]
        for message in messages:
            token, _at, where = message.rpartition(" @ ")
            text = said[int(token[1:])] if token.startswith("\x00") else token
            problems.append(
                _("{label}: {where}: {text}").format(label=label, where=where, text=text)
            )
        # When unknown keys were the only fault, keep the record for the other checks, so
        # that one run reports every problem (the load fails anyway on the ones above).
        with contextlib.suppress(Exception):
            return lenient_converter().structure(value, type_)
        if isinstance(value, dict):
            for key in ("id", "code"):
                if isinstance(value.get(key), str):
                    broken.add(value[key])
            contacts = value.get("contacts", [])
            if not isinstance(contacts, list):
                broken.add(OPAQUE)
                contacts = []
            for contact in contacts:
                if isinstance(contact, dict) and isinstance(contact.get("id"), str):
                    broken.add(contact["id"])
                else:
                    broken.add(OPAQUE)
        else:
            broken.add(OPAQUE)
        return None

    unknown = sorted(set(raw) - {"state", *SECTIONS})
    if unknown:
        problems.append(
            _n(
                "{file}: $: unknown key {keys}", "{file}: $: unknown keys {keys}", len(unknown)
            ).format(file=label, keys=", ".join(unknown))
        )
    state = None
    if "state" in raw:
        if isinstance(raw["state"], dict):
            state = structure(raw["state"], State, "$.state")
        else:
            problems.append(
                _("{label}: $.state: expected a table, got {describe}").format(
                    label=label, describe=describe(raw["state"])
                )
            )
            broken.add(OPAQUE)
    sections: dict[str, tuple[Any, ...]] = {}
    for section, record_type in SECTIONS.items():
        items = raw.get(section, [])
        if not isinstance(items, list):
            problems.append(
                _("{label}: $.{section}: expected a list, got {describe}").format(
                    label=label, section=section, describe=describe(items)
                )
            )
            broken.add(OPAQUE)
            continue
        kept = [
            (i, r)
            for i, item in enumerate(items)
            if (r := structure(item, record_type, f"$.{section}[{i}]")) is not None
        ]
        sections[section] = tuple(r for _, r in kept)
        if positions is not None:
            positions[section] = [i for i, _ in kept]
    return DirectoryFile(state=state, **sections), problems


#: Characters text in a data file may not hold: C0 controls but tab and line ends, DEL, C1,
#: and the bidirectional overrides and isolates (text after them is shown reordered).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: What makes one in a TOML file: an escape (``\e`` and ``\xHH`` are TOML 1.1's), or a C1
#: control or a bidirectional control written as it is (TOML refuses the others).
_ESCAPES = re.compile(r"\\[bfeuUx]|[\x80-\x9f\u202a-\u202e\u2066-\u2069]")


def _texts(
    value: Any, where: str, key: str | None = None, holder: str | None = None
) -> Iterator[tuple[str, str, str | None, str | None]]:
    """Each text below ``value``: its path, the text, the key it is under (a list's, for its
    items) and the key of the table holding it."""
    if isinstance(value, str):
        yield where, value, key, holder
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _texts(item, f"{where}.{name}", name, key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, f"{where}[{i}]", key, holder)


#: Where a file may hold a text that is empty or only spaces: a string whose quotes hold only
#: white space, escapes or characters beyond ASCII (a blank one among them, or one shown as
#: nothing), a first look that spares walking every value of a file without one.
_MAYBE_BLANK = re.compile(
    r'"(?:\s|\\[tnrf]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}|\\\s|[^\x00-\x7f])*"|\'[^\x21-\x7e]*\''
)

#: The keys of words shown as written (names, titles, notes), which no other check reads:
#: codes, ids, addresses, hours and zones are refused, empty too, by their own checks.
_FREE_TEXT = frozenset({"name", "name_en", "acronym", "title", "note", "notes", "district"})
_NAMES = frozenset({"en", "es", "fr"})  # a state's names, in [state.names]
#: Texts whose emptiness has its own check and message: (the key holding their table, their key).
_OWN_CHECKS = frozenset({("sources", "title"), ("role_gaps", "note")})


def _blank(text: str, key: str | None, holder: str | None) -> bool:
    """Whether ``text``, under ``key`` in a table under ``holder``, is a name, title or note of
    nothing: shown, it would be a blank line, or a step naming no one."""
    free = key in _FREE_TEXT or (holder == "names" and key in _NAMES)
    return free and (holder, key) not in _OWN_CHECKS and not shown_as_something(text)


def shown_as_something(text: str) -> bool:
    """Whether ``text`` holds a character shown as more than nothing: not white space, nor a
    format character, shown as nothing (a zero-width space, a soft hyphen, a word joiner, a
    byte-order mark: a name pasted as one alone is a name of nothing). A character Unicode
    does not assign, or a private one, is drawn (as a box, or a font's own glyph)."""
    import unicodedata

    return any(not c.isspace() and unicodedata.category(c) != "Cf" for c in text)


#: The longest text of each kind a record may hold: a name or a contact's title (the longest
#: shipped: 140 characters), a document's title (556), a note (2,468), an address (454). One
#: longer is a paste gone wrong (a page, a file), which every plan, table and vCard would carry.
MAX_NAME_CHARS = 300
MAX_TITLE_CHARS = 1_000
MAX_NOTE_CHARS = 5_000
MAX_ADDRESS_CHARS = 2_000
#: The longest text of each key; one not listed (a code, an id, hours) has its own check.
_LIMITS = {
    **dict.fromkeys(("name", "name_en", "acronym", "district", "condition"), MAX_NAME_CHARS),
    **dict.fromkeys(("note", "notes"), MAX_NOTE_CHARS),
    **dict.fromkeys(("url", "value"), MAX_ADDRESS_CHARS),
}


def _limit(key: str | None, holder: str | None) -> int | None:
    """The longest text under ``key``, in a table under ``holder``; None for a text that has
    its own check (a code, an id, hours)."""
    if key == "title":
        # A source's or an agreement's title names a document; a contact's names a post.
        return MAX_NAME_CHARS if holder == "contacts" else MAX_TITLE_CHARS
    if holder == "names" and key in _NAMES:
        return MAX_NAME_CHARS
    return _LIMITS.get(key or "")


def _too_long(value: Any, key: str | None = None, holder: str | None = None) -> bool:
    """Whether a text below ``value`` is longer than its kind may be (:func:`_limit`): a
    first look that builds no path."""
    if isinstance(value, str):
        return len(value) > MAX_NAME_CHARS and len(value) > (_limit(key, holder) or len(value))
    if isinstance(value, dict):
        return any(_too_long(item, name, key) for name, item in value.items())
    if isinstance(value, list):
        return any(_too_long(item, key, holder) for item in value)
    return False


def read_toml(path: Path, label: str) -> tuple[dict[str, Any] | None, list[str]]:
    """Parse one data file; unreadable, empty, binary, non-UTF-8 or broken files are problems."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        return None, [
            _("{path}: cannot be read: {value}").format(path=label, value=exc.strerror or exc)
        ]
    if not content.strip():
        return None, [_("{path}: the file is empty").format(path=label)]
    if b"\x00" in content:
        return None, [
            _("{path}: binary data (a NUL byte at offset {offset}), not TOML").format(
                path=label, offset=content.index(0)
            )
        ]
    try:
        # utf-8-sig: editors on Windows save a byte-order mark, which TOML would refuse.
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [
            _("{path}: not UTF-8 text (invalid byte at offset {offset})").format(
                path=label, offset=exc.start
            )
        ]
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [toml_problem(label, exc)]
    except RecursionError:
        return None, [_("{path}: not valid TOML: values nested too deeply").format(path=label)]
    problems: list[str] = []
    # TOML refuses most control characters written as they are: only a file with an escape
    # (\u001b, \b, \f) or a C1 control is searched.
    if _ESCAPES.search(text):
        for where, value, _key, _holder in _texts(raw, "$"):
            found = CONTROL_CHARACTERS.search(value)
            if found:
                # An escape sequence in a name would reach the terminal as a command
                # ("\x1b[2K" erases a line: a warning, a step).
                problems.append(
                    _(
                        "{label}: {where}: the control character {char} in the text; text may "
                        "hold no terminal command"
                    ).format(label=label, where=where, char=repr(found.group()))
                )
    if _too_long(raw):
        problems.extend(
            _(
                "{label}: {where}: {length} characters long, more than the {limit} it may "
                "hold (a paste gone wrong?): shorten it"
            ).format(label=label, where=where, length=len(value), limit=limit)
            for where, value, key, holder in _texts(raw, "$")
            if len(value) > (limit := _limit(key, holder) or len(value))
        )
    if _MAYBE_BLANK.search(text):
        # A name, a note or a title of nothing: a blank line in a call list or a step.
        problems.extend(
            _(
                "{label}: {where}: the text is empty or only spaces; write it, or leave it out"
            ).format(label=label, where=where)
            for where, value, key, holder in _texts(raw, "$")
            if _blank(value, key, holder)
        )
    return raw, problems


def toml_problem(label: str, exc: ValueError) -> str:
    """tomllib's error as a message: where (line and column) in words of the language in use,
    tomllib's own reason as it gives it (like the system's reasons, in English)."""
    text = str(exc)
    at = re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", text, re.S)
    if at:
        return _("{path}: not valid TOML: {reason} (at line {line}, column {column})").format(
            path=label, reason=at.group(1), line=int(at.group(2)), column=int(at.group(3))
        )
    end = re.fullmatch(r"(.*) \(at end of document\)", text, re.S)
    if end:
        return _("{path}: not valid TOML: {reason} (at end of document)").format(
            path=label, reason=end.group(1)
        )
    return _("{path}: not valid TOML: {reason}").format(path=label, reason=text)


@attrs.define
class Layer:
    """What one folder contributed, with where each record came from (for messages)."""

    folder: Path
    #: Each file: its label, its records, and where each kept record sits in its list.
    files: list[tuple[str, DirectoryFile, dict[str, list[int]]]] = attrs.Factory(list)
    #: Ids of records left out for their problems (references to them are not reported).
    broken: set[str] = attrs.Factory(set)


def read_layer(folder: Path) -> tuple[Layer, list[str]]:
    """Read and structure every file in a folder, collecting all problems."""
    layer = Layer(folder)
    refusal = not_a_folder(folder)
    if refusal is not None:
        return layer, [refusal]
    paths, problems = layer_files(folder)
    if not paths and not problems:
        return layer, [_("{folder}: holds no *.toml data files").format(folder=folder)]
    # The files are read all the same: a name is the one problem of a file otherwise valid.
    problems += name_problems(folder, paths)
    for path in paths:
        label = str(path)
        raw, found = read_toml(path, label)
        problems += found
        if raw is None:
            continue
        positions: dict[str, list[int]] = {}
        record, found = structure_file(raw, label, layer.broken, positions)
        problems += found
        layer.files.append((label, record, positions))
    return layer, problems


@attrs.frozen
class Replacement:
    """A record of an earlier layer replaced by the record with the same id in a later one.

    Attributes:
        kind: ``state``, ``agency``, ``agreement``, ``consular channel`` or ``SAR region``.
        id: the record's id (a state's code; for a consular channel, its nationality,
            mission and receiving states).
        replaced: the file and JSON path of the record replaced.
        by: the file and JSON path of the record that replaces it.
    """

    kind: str
    id: str
    replaced: tuple[str, str]
    by: tuple[str, str]


@attrs.define
class Merged:
    """Records merged from all layers, each with the file and path it came from."""

    states: dict[str, tuple[State, str, str]] = attrs.Factory(dict)
    agencies: dict[str, tuple[Agency, str, str]] = attrs.Factory(dict)
    agreements: dict[str, tuple[Agreement, str, str]] = attrs.Factory(dict)
    consular: dict[tuple[str, str, str], tuple[ConsularChannel, str, str]] = attrs.Factory(dict)
    sar_regions: dict[str, tuple[SarRegion, str, str]] = attrs.Factory(dict)
    broken: set[str] = attrs.Factory(set)
    #: Every record a later layer replaced, in the order the layers were read.
    replacements: list[Replacement] = attrs.Factory(list)
    #: Each file's layer, by its label: 0 for the base, then each overlay in order.
    layer_of: dict[str, int] = attrs.Factory(dict)
    #: The receiving states of a "none" consular record (by its key) where a later layer's
    #: mission took its place: the directory served does not hold the "none" there.
    superseded: dict[tuple[str, str, str], set[str]] = attrs.Factory(dict)
    #: Contact ids an agency of a later layer left out of the record it replaced: that agency,
    #: with its file and path, so that a reference to the contact names what dropped it.
    dropped_contacts: dict[str, tuple[Agency, str, str]] = attrs.Factory(dict)


def _sovereign_shown(code: str | None) -> str:
    """A state's ``sovereign`` as a message shows it."""
    return shown(code) if code is not None else _("none (a state of its own)")


def merge_layers(layers: Sequence[Layer]) -> tuple[Merged, list[str]]:
    """Merge layers in order. Within a layer an id may appear once; across layers the later
    record replaces the earlier one."""
    merged = Merged()
    problems: list[str] = []
    #: SAR regions replaced, judged once every layer's agencies are known: the region, its
    #: earlier RCC, the file and path of the earlier record and of the replacing one.
    regions_replaced: list[tuple[SarRegion, str, tuple[str, str], tuple[str, str]]] = []
    #: SAR regions replaced, to judge whether they leave out waters the earlier one covered:
    #: the region, the earlier one, the file and path of the earlier one and of the region.
    narrowed: list[tuple[SarRegion, SarRegion, tuple[str, str], tuple[str, str]]] = []

    def replacing(
        kind: str, key: str, earlier: tuple[Any, str, str] | None, label: str, path: str
    ) -> None:
        if earlier is not None:
            merged.replacements.append(
                Replacement(kind, key, (earlier[1], earlier[2]), (label, path))
            )

    #: Agencies whose record comes from a later layer (an overlay).
    from_later: set[str] = set()
    #: Each record of an agency a later layer replaced, with its file and path: judged once
    #: every layer is known, for the roles it held that its state is left without.
    agencies_replaced: list[tuple[Agency, str, str]] = []
    for index, layer in enumerate(layers):
        merged.broken |= layer.broken
        # Ids are one namespace across kinds within a layer: a contact id can be named wherever
        # an agency id can (meeting participants), so they must not collide.
        seen: dict[str, str] = {}
        #: What the layer records for a nationality in a receiving state: the mission (None
        #: for a "none" record) and where, so that one layer does not contradict itself.
        posts: dict[tuple[str, str], list[tuple[str | None, str]]] = {}

        def claim(key: str, where: str, seen: dict[str, str] = seen) -> bool:
            if key in seen:
                # Keys of records without an id of their own carry a kind prefix.
                kind, _sep, name = key.rpartition(":") if ":" in key else ("id", "", key)
                if kind == "state":
                    duplicate = _("duplicate state {repr}, already used at {value}")
                elif kind == "consular":
                    duplicate = _(
                        "duplicate consular channel (same nationality, mission and receiving "
                        "states), already used at {value}"
                    )
                else:
                    duplicate = _("duplicate id {repr}, already used at {value}")
                problems.append(
                    _("{where}: {message}").format(
                        where=located(where),
                        message=duplicate.format(repr=repr(name), value=located(seen[key])),
                    )
                )
                return False
            seen[key] = where
            return True

        for label, record, positions in layer.files:
            merged.layer_of[label] = index
            if record.state is not None:
                where = f"{label}: $.state.code"
                if claim(f"state:{record.state.code}", where):
                    code = record.state.code
                    earlier_state = merged.states.get(code)
                    if (
                        earlier_state is not None
                        and earlier_state[0].sovereign != record.state.sovereign
                    ):
                        # Its flag, treaties and consular protection would change hands: told
                        # here, not by what follows from it in the files below.
                        problems.append(
                            _(
                                "{file}: $.state.sovereign: {new} would put {state} under "
                                "another sovereign than {earlier_file}: $.state, which records "
                                "{old}; a later layer may replace a record, not move it to "
                                "another state"
                            ).format(
                                file=label,
                                new=_sovereign_shown(record.state.sovereign),
                                state=code,
                                earlier_file=earlier_state[1],
                                old=_sovereign_shown(earlier_state[0].sovereign),
                            )
                        )
                    else:
                        replacing("state", code, earlier_state, label, "$.state")
                        merged.states[code] = (record.state, label, "$.state")
            for i, agency in zip(positions.get("agencies", []), record.agencies, strict=True):
                path = f"$.agencies[{i}]"
                if claim(agency.id, f"{label}: {path}.id"):
                    earlier = merged.agencies.get(agency.id)
                    if earlier is not None and earlier[0].state != agency.state:
                        # Replacing is allowed; moving another state's agency away is not
                        # (an overlay could silently take Haiti's coast guard out of plans).
                        problems.append(
                            _(
                                "{file}: {path}.state: {new_state} would move agency {agency} out "
                                "of {state}, where {earlier_file}: {earlier_path} has it; a later "
                                "layer may replace a record, not move it to another state"
                            ).format(
                                file=label,
                                path=path,
                                new_state=repr(agency.state),
                                agency=repr(agency.id),
                                state=earlier[0].state,
                                earlier_file=earlier[1],
                                earlier_path=earlier[2],
                            )
                        )
                    elif earlier is not None and (
                        dropped := [c for c in earlier[0].covers if c not in agency.covers]
                    ):
                        # As for an agreement's parties: states may be added, and dropping
                        # one would take the agency out of that state's plans.
                        problems.append(
                            _(
                                "{file}: {path}.covers: would take agency {agency} away from "
                                "{states}, which {earlier_file}: {earlier_path} has it serve; a "
                                "later layer may replace a record, not move it to another state"
                            ).format(
                                file=label,
                                path=path,
                                agency=repr(agency.id),
                                states=", ".join(dropped),
                                earlier_file=earlier[1],
                                earlier_path=earlier[2],
                            )
                        )
                    else:
                        replacing("agency", agency.id, earlier, label, path)
                        if earlier is not None:
                            agencies_replaced.append(earlier)
                        merged.agencies[agency.id] = (agency, label, path)
                        kept = {c.id for c in agency.contacts}
                        for contact in earlier[0].contacts if earlier is not None else ():
                            if contact.id not in kept:
                                merged.dropped_contacts[contact.id] = (agency, label, path)
                        if index:
                            from_later.add(agency.id)
                        else:
                            from_later.discard(agency.id)
                for j, contact in enumerate(agency.contacts):
                    claim(contact.id, f"{label}: {path}.contacts[{j}].id")
            for i, agreement in zip(
                positions.get("agreements", []), record.agreements, strict=True
            ):
                path = f"$.agreements[{i}]"
                if claim(agreement.id, f"{label}: {path}.id"):
                    earlier_agreement = merged.agreements.get(agreement.id)
                    dropped = (
                        [p for p in earlier_agreement[0].parties if p not in agreement.parties]
                        if earlier_agreement is not None
                        else []
                    )
                    if earlier_agreement is not None and dropped:
                        # Parties may be added (an accession); dropping one would take the
                        # agreement out of that state's plans.
                        problems.append(
                            _(
                                "{file}: {path}.parties: would take agreement {agreement} away "
                                "from {states}, where {earlier_file}: {earlier_path} has it; a "
                                "later layer may replace a record, not move it to another state"
                            ).format(
                                file=label,
                                path=path,
                                agreement=repr(agreement.id),
                                states=", ".join(dropped),
                                earlier_file=earlier_agreement[1],
                                earlier_path=earlier_agreement[2],
                            )
                        )
                    else:
                        replacing("agreement", agreement.id, earlier_agreement, label, path)
                        merged.agreements[agreement.id] = (agreement, label, path)
            for i, channel in zip(positions.get("consular", []), record.consular, strict=True):
                path = f"$.consular[{i}]"
                key = (channel.nationality, channel.mission or "", ",".join(channel.receiving))
                if claim(f"consular:{key}", f"{label}: {path}"):
                    problems.extend(_posts_recorded(posts, channel, label, path))
                    shown = f"{key[0]} by {key[1] or 'no mission'} in {key[2]}"
                    replacing("consular channel", shown, merged.consular.get(key), label, path)
                    merged.consular[key] = (channel, label, path)
            for i, region in zip(positions.get("sar_regions", []), record.sar_regions, strict=True):
                path = f"$.sar_regions[{i}]"
                if claim(region.id, f"{label}: {path}.id"):
                    earlier_region = merged.sar_regions.get(region.id)
                    if earlier_region is not None:
                        narrowed.append(
                            (
                                region,
                                earlier_region[0],
                                (earlier_region[1], earlier_region[2]),
                                (label, path),
                            )
                        )
                    if earlier_region is not None and earlier_region[0].rcc != region.rcc:
                        regions_replaced.append(
                            (
                                region,
                                earlier_region[0].rcc,
                                (earlier_region[1], earlier_region[2]),
                                (label, path),
                            )
                        )
                    replacing("SAR region", region.id, earlier_region, label, path)
                    merged.sar_regions[region.id] = (region, label, path)
    problems += _sar_regions_moved(merged, regions_replaced)
    problems += _sar_waters_dropped(merged, narrowed, regions_replaced)
    problems += _roles_taken(merged, from_later)
    problems += _roles_dropped(merged, agencies_replaced)
    problems += _missions_and_nones(merged)
    return merged, problems


def _missions_and_nones(merged: Merged) -> list[str]:
    """A "none" of one layer against a mission of another for the same nationals in the same
    state (one layer holding both is told by :func:`_posts_recorded`). Routing takes the
    mission wherever one is recorded: a later layer's "none" would be read nowhere, and is
    refused; a later layer's mission (opened since the lower layer found none) takes the
    place of the "none" for that state, which the directory then no longer serves there, and
    is listed as a replacement of it."""
    missions: dict[tuple[str, str], list[tuple[str, int, tuple[str, str]]]] = {}
    nones: list[tuple[tuple[str, str, str], ConsularChannel, int, str, str]] = []
    for key, (channel, label, path) in merged.consular.items():
        layer = merged.layer_of.get(label, 0)
        if channel.mission is None:
            nones.append((key, channel, layer, label, path))
            continue
        for receiving in dict.fromkeys(channel.receiving):
            missions.setdefault((channel.nationality, receiving), []).append(
                (channel.mission, layer, (label, path))
            )
    problems: list[str] = []
    for key, channel, layer, label, path in nones:
        for i, receiving in enumerate(channel.receiving):
            found = missions.get((channel.nationality, receiving), [])
            below = [(mission, where) for mission, other, where in found if other < layer]
            above = [where for _mission, other, where in found if other > layer]
            if below:
                mission, (below_label, below_path) = below[0]
                problems.append(
                    _("{where}: {message}").format(
                        where=located(f"{label}: {path}.receiving[{i}]"),
                        message=_(
                            "{nationality} nationals in {receiving} are served by {mission} at "
                            "{value}, in a lower layer: a later layer may replace that record "
                            "(the same nationality, mission and receiving states), not record "
                            "that no mission serves them"
                        ).format(
                            nationality=channel.nationality,
                            receiving=receiving,
                            mission=mission,
                            value=located(f"{below_label}: {below_path}"),
                        ),
                    )
                )
            elif above:
                merged.superseded.setdefault(key, set()).add(receiving)
                merged.replacements.append(
                    Replacement(
                        "consular channel",
                        f"{channel.nationality} by no mission in {receiving}",
                        (label, path),
                        above[0],
                    )
                )
    return problems


def _roles_dropped(merged: Merged, replaced: list[tuple[Agency, str, str]]) -> list[str]:
    """An agency replaced by one without a role it held, where no other agency holds that
    role for its state, takes the state's authority out of every plan that needs it (Haiti's
    coast guard replaced without ``maritime-law-enforcement``: no one to ask for entry into
    Haiti's waters), as moving the agency to another state would. A state whose role gaps
    record the role says so on purpose; the partners' and coordination roles and ``consular``
    serve other states, and an RCC's role is told where its SAR region names it."""
    from somnet.directory.lookup import Directory

    held: set[tuple[str, str]] = {
        (code, role)
        for agency, _label, _path in merged.agencies.values()
        for code in (agency.state, *agency.covers)
        if Directory._serves(agency, code)
        for role in agency.roles
    }
    rccs = {region.rcc for region, _label, _path in merged.sar_regions.values()}
    problems: list[str] = []
    told: set[tuple[str, str, str]] = set()
    roles = frozenset(get_args(Role))
    for earlier, earlier_file, earlier_path in replaced:
        agency, label, path = merged.agencies[earlier.id]
        if not roles.issuperset(agency.roles):
            continue  # a role mistyped ('navy') is named already, and may be the one meant
        for role in dict.fromkeys(earlier.roles):
            if role in agency.roles or role in SHARED_ROLES:
                continue
            if role == "sar" and agency.id in rccs:
                continue
            for code in dict.fromkeys((earlier.state, *earlier.covers)):
                found = merged.states.get(code)
                if (
                    not Directory._serves(earlier, code)
                    or (code, role) in held
                    or (found is not None and found[0].gap_for(role) is not None)
                    or (agency.id, role, code) in told
                ):
                    continue
                told.add((agency.id, role, code))
                problems.append(
                    _(
                        "{file}: {path}.roles: would leave {state} with no agency for {role}, "
                        "which {earlier_file}: {earlier_path} has agency {agency} hold; a later "
                        "layer may replace a record, not take a role away from a state: keep "
                        "the role, or record it in the role_gaps of {state} with what was found"
                    ).format(
                        file=label,
                        path=path,
                        state=code,
                        role=repr(role),
                        earlier_file=earlier_file,
                        earlier_path=earlier_path,
                        agency=repr(agency.id),
                    )
                )
    return problems


def _sar_waters_dropped(
    merged: Merged,
    narrowed: list[tuple[SarRegion, SarRegion, tuple[str, str], tuple[str, str]]],
    replaced: list[tuple[SarRegion, str, tuple[str, str], tuple[str, str]]],
) -> list[str]:
    """A SAR region replaced by one that leaves out a state the earlier one covered would take
    the region's RCC from those waters' distress calls: as for an agency's covers, a later
    layer may add states, not drop one. A region handed to another state's RCC is told so by
    :func:`_sar_regions_moved`, and not again."""

    def state_of(agency: str) -> str | None:
        found = merged.agencies.get(agency)
        return found[0].state if found is not None else None

    moved = {
        region.id
        for region, earlier_rcc, _earlier, _where in replaced
        if None not in (state_of(earlier_rcc), state_of(region.rcc))
        and state_of(earlier_rcc) != state_of(region.rcc)
    }
    problems: list[str] = []
    for region, earlier, (earlier_file, earlier_path), (label, path) in narrowed:
        waters = [code for code in earlier.covers if code not in region.covers]
        if not waters or region.id in moved:
            continue
        problems.append(
            _(
                "{file}: {path}.covers: would take SAR region {region} away from the waters of "
                "{states}, which {earlier_file}: {earlier_path} has it cover; a later layer may "
                "replace a record, not move it to another state"
            ).format(
                file=label,
                path=path,
                region=repr(region.id),
                states=", ".join(waters),
                earlier_file=earlier_file,
                earlier_path=earlier_path,
            )
        )
    return problems


def _posts_recorded(
    posts: dict[tuple[str, str], list[tuple[str | None, str]]],
    channel: ConsularChannel,
    label: str,
    path: str,
) -> list[str]:
    """A layer's consular record against what the layer recorded before it for the same
    nationals in each of its receiving states: the same mission again (an embassy and a
    concurrent post at once), or a mission beside a record that no mission serves them."""
    problems: list[str] = []
    here = f"{label}: {path}"
    for i, receiving in enumerate(channel.receiving):
        earlier = posts.setdefault((channel.nationality, receiving), [])
        for mission, where in earlier:
            if where == here:  # a state listed twice in the record: validation names it
                continue
            if mission == channel.mission or None in (mission, channel.mission):
                problems.append(
                    _("{where}: {message}").format(
                        where=located(f"{label}: {path}.receiving[{i}]"),
                        message=_(
                            "{nationality} nationals in {receiving} are recorded already at "
                            "{value} ({earlier}): a mission is recorded once for a place, and "
                            "'none' alone"
                        ).format(
                            nationality=channel.nationality,
                            receiving=receiving,
                            value=located(where),
                            earlier=mission or 'type = "none"',
                        ),
                    )
                )
                break
        earlier.append((channel.mission, here))
    return problems


#: Roles an agency may hold for states of other sovereigns: a mission serves its host and
#: the states it is accredited to, a regional office of a partner several states.
SHARED_ROLES = frozenset(
    {"consular", "protection-partner", "migration-partner", "regional-coordination"}
)


def _roles_taken(merged: Merged, agencies: set[str]) -> list[str]:
    """An agency of a later layer that covers a state of another sovereign with one of its
    authority roles would answer for that state's authorities (a U.S. desk covering Haiti as
    a maritime authority is asked for Haiti's consent to enter its waters): another state's
    agency, in effect, replaced."""

    def sovereign(code: str) -> str:
        found = merged.states.get(code)
        return found[0].sovereign or code if found is not None else code

    problems: list[str] = []
    for agency_id in sorted(agencies):
        agency, label, path = merged.agencies[agency_id]
        roles = [role for role in agency.roles if role not in SHARED_ROLES]
        if not roles:
            continue
        for i, code in enumerate(agency.covers):
            if sovereign(code) != sovereign(agency.state):
                problems.append(
                    _(
                        "{file}: {path}.covers[{i}]: {code} is not a territory of {state}: "
                        "agency {agency} would answer for its authorities ({roles}); a later "
                        "layer may add a state's own agencies, not take another state's roles"
                    ).format(
                        file=label,
                        path=path,
                        i=i,
                        code=code,
                        state=agency.state,
                        agency=repr(agency.id),
                        roles=", ".join(roles),
                    )
                )
    return problems


def _sar_regions_moved(
    merged: Merged, replaced: list[tuple[SarRegion, str, tuple[str, str], tuple[str, str]]]
) -> list[str]:
    """A SAR region is its RCC's state's: one replaced by a region whose RCC is another state's
    would hand that state's waters (and the distress calls) to another RCC. An RCC that does
    not exist is the validation's to report."""
    problems: list[str] = []
    for region, earlier_rcc, (earlier_file, earlier_path), (label, path) in replaced:
        before, after = merged.agencies.get(earlier_rcc), merged.agencies.get(region.rcc)
        if before is None or after is None or before[0].state == after[0].state:
            continue
        problems.append(
            _(
                "{file}: {path}.rcc: {rcc} of {new_state} would take SAR region {region} from "
                "{rcc_before} of {state}, where {earlier_file}: {earlier_path} has it; a later "
                "layer may replace a record, not move it to another state"
            ).format(
                file=label,
                path=path,
                rcc=repr(region.rcc),
                new_state=after[0].state,
                region=repr(region.id),
                rcc_before=repr(earlier_rcc),
                state=before[0].state,
                earlier_file=earlier_file,
                earlier_path=earlier_path,
            )
        )
    return problems


def unstructure_file(record: DirectoryFile) -> dict[str, Any]:
    """A DirectoryFile as plain data (the inverse of structuring), without empty defaults."""
    plain: dict[str, Any] = _drop_defaults(converter().unstructure(record))
    return plain


def _drop_defaults(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _drop_defaults(v) for k, v in value.items() if v is not None and v != () and v != []
        }
    if isinstance(value, list | tuple):
        return [_drop_defaults(v) for v in value]
    return value
