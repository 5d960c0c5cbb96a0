"""The message catalogs as the tests read them: the messages marked in the code (extracted as
``pybabel extract`` does, from babel.cfg), the committed catalogs, and a pseudo-translation;
and the directory's own words, which no catalog translates."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import somnet

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "somnet" / "locale"
#: The keywords docs/translating.md gives pybabel (beyond its defaults: _, gettext, N_...).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "_n": (1, 2)}

#: A msgid is either one text or a (singular, plural) pair.
MessageId = str | tuple[str, str]


def marked_messages() -> set[MessageId]:
    """Every message the code marks, extracted as ``pybabel extract -F babel.cfg`` does."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: set[MessageId] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        if isinstance(message, tuple):
            found.add((message[0], message[1]))
        elif message:
            found.add(message)
    return found


def catalog(language: str) -> Catalog:
    with (LOCALE / language / "LC_MESSAGES" / "somnet.po").open("rb") as handle:
        return read_po(handle, locale=language)


def compiled(language: str) -> bytes:
    """The .mo that ``pybabel compile`` makes from the committed .po."""
    out = io.BytesIO()
    write_mo(out, catalog(language))
    return out.getvalue()


def message_id(message: object) -> MessageId:
    key = message.id  # type: ignore[attr-defined]
    return key if isinstance(key, str) else (key[0], key[1])


PLACEHOLDER = re.compile(r"\{\{|\}\}|\{[^{}]*\}|%\([a-z_]+\)[sr]|%[sr]")


def placeholders(text: str) -> set[str]:
    """The names a template fills: ``{name}``, ``{time:%a}`` -> ``time``, ``%(prog)s``."""
    return {
        p.strip("{}").split(":")[0].split("!")[0]
        for p in PLACEHOLDER.findall(text)
        if p not in ("{{", "}}")
    }


# A pseudo-translation: every letter of every message replaced by a look-alike, so that any text
# that reaches the output untranslated still shows plain ASCII letters. Placeholders and the words
# a translation keeps as they are (flags, variables, file names, URLs) are left alone.
_PSEUDO = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "àƀçđéƒĝĥíĵķĺɱñóþʠŕşţúṽŵẋýẑÀƁÇĐÉƑĜĤÍĴĶĹṀÑÓÞɊŔŞŢÚṼŴẊÝẐ",
        strict=True,
    )
)
_KEPT = re.compile(
    r"\{[^{}]*\}|%\([a-z_]+\)[sr]|%[sr]"  # placeholders
    r"|(?<![\w}-])--?[a-z][a-z-]*"  # flags
    r"|[A-Za-z0-9_.~]*(?:_|\.[a-z]|/|://)[^\s,;)]*"  # variables, files, paths, URLs
)


def pseudo(text: str) -> str:
    out, last = [], 0
    for kept in _KEPT.finditer(text):
        out.append(text[last : kept.start()].translate(str.maketrans(_PSEUDO)))
        out.append(kept.group())
        last = kept.end()
    out.append(text[last:].translate(str.maketrans(_PSEUDO)))
    return "".join(out)


def pseudo_catalog(language: str, folder: Path) -> None:
    """Write ``folder/<language>/LC_MESSAGES/somnet.mo``: every marked message pseudo-translated."""
    made = Catalog(locale="en")  # two plural forms, like the real catalogs
    for key in sorted(marked_messages(), key=str):
        if isinstance(key, tuple):
            made.add(key, (pseudo(key[0]), pseudo(key[1])))
        else:
            made.add(key, pseudo(key))
    target = folder / language / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "somnet.mo").open("wb") as handle:
        write_mo(handle, made)


def ascii_words(text: str) -> Iterator[str]:
    """Runs of two or more plain ASCII letters: what a pseudo-translated message never has."""
    yield from re.findall(r"[A-Za-z]{2,}", text)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def directory_words(directory: somnet.Directory) -> set[str]:
    """Every text the directory's records hold (states, agencies, agreements, consular
    channels, SAR regions, as their JSON gives them) and each documented gap's first sentence,
    as a plan shows it: data, shown as it is in every language, never a message."""
    found: set[str] = set()
    records: list[Any] = [
        *directory.states.values(),
        *directory.all_agencies(),
        *directory.all_agreements(),
        *directory.consular,
        *directory.sar_regions,
    ]
    for record in records:
        found.update(_strings(somnet.to_json(record)))
    found.update(gap.summary for state in directory.states.values() for gap in state.role_gaps)
    return found
