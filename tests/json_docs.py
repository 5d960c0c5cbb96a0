"""docs/json.md against the JSON the commands print: each ```json example of the page, under
the heading that names its command in backticks, must have exactly the fields the command
writes, with the same types.

An example may stand for a record shown elsewhere on the page by a placeholder: the string
``"<agency>"`` is the example under the heading whose backticks hold ``<agency>``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

DOC = Path(__file__).parents[1] / "docs" / "json.md"

_PLACEHOLDER = re.compile(r"^<[a-z-]+>$")


def doc_examples() -> dict[str, Any]:
    """Each ```json block of docs/json.md, by the first backticked text of the heading above
    it (one example a heading), placeholders not yet filled in."""
    examples: dict[str, Any] = {}
    heading: str | None = None
    block: list[str] | None = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if block is not None:
            if line.startswith("```"):
                assert heading is not None, "a JSON example under no heading"
                assert heading not in examples, f"two JSON examples under `{heading}`"
                examples[heading] = json.loads("\n".join(block))
                block = None
            else:
                block.append(line)
        elif line.startswith("#"):
            found = re.search(r"`([^`]+)`", line)
            heading = found.group(1).removesuffix(" --format json") if found else None
        elif line.startswith("```json"):
            block = []
    return examples


def example(name: str) -> Any:
    """The example of ``name`` (a heading's backticked text), its placeholders filled in."""
    examples = doc_examples()

    def fill(value: Any) -> Any:
        if isinstance(value, str) and _PLACEHOLDER.match(value):
            return fill(examples[value])
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        return value

    assert name in examples, f"docs/json.md has no JSON example under a heading naming `{name}`"
    return fill(examples[name])


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def shape(value: Any) -> dict[str, set[str]]:
    """Every path of ``value`` (``$.steps[].agency.id``; the items of a list merged) with the
    kinds of value found there."""
    found: dict[str, set[str]] = {}

    def walk(v: Any, path: str) -> None:
        found.setdefault(path, set()).add(_kind(v))
        if isinstance(v, dict):
            for key, item in v.items():
                walk(item, f"{path}.{key}")
        elif isinstance(v, list):
            for item in v:
                walk(item, f"{path}[]")

    walk(value, "$")
    return found


def _ancestors(path: str) -> list[str]:
    parts = re.findall(r"\.[^.\[]+|\[\]", path)
    return ["$" + "".join(parts[:i]) for i in range(len(parts))]


def differences(documented: Any, printed: Any) -> list[str]:
    """What the documented example and the printed JSON disagree on: a field printed and not
    documented, a field documented and not printed (unless what holds it was null or an empty
    list in this output), or a field whose kinds differ (null aside)."""
    doc, out = shape(documented), shape(printed)
    problems = [f"printed, not documented: {p}" for p in sorted(out.keys() - doc.keys())]
    for path in sorted(doc.keys() - out.keys()):
        # The output had nothing there to show (an agreement null, no replacement): fine.
        holders = [a for a in _ancestors(path) if a in out]
        holder = holders[-1] if holders else None
        if holder is None or not (out[holder] <= {"null", "array"}):
            problems.append(f"documented, not printed: {path}")
    for path in sorted(doc.keys() & out.keys()):
        d, o = doc[path] - {"null"}, out[path] - {"null"}
        if d and o and d != o:
            problems.append(f"{path}: documented {sorted(d)}, printed {sorted(o)}")
    return problems


#: Instants and dates, anywhere in the JSON: ISO 8601 with a UTC offset or Z, and YYYY-MM-DD.
_TIMELIKE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:?\d{2}")
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def bad_times(value: Any, path: str = "$") -> list[str]:
    """The strings of ``value`` that look like a time but are not a date or an ISO 8601
    instant with its offset."""
    if isinstance(value, dict):
        return [b for k, v in value.items() for b in bad_times(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [b for v in value for b in bad_times(v, f"{path}[]")]
    if isinstance(value, str) and _TIMELIKE.match(value):
        return [] if _INSTANT.match(value) else [f"{path}: {value}"]
    return []


def delivery_forms() -> list[re.Pattern[str]]:
    """The forms of a ``delivered`` entry that docs/json.md lists (`smtp:HOST:PORT to
    ADDRESS, ...`), each as a pattern its placeholders (upper-case words) match."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("### `somnet meeting invite`", 1)[1].split("\n#", 1)[0]
    forms = re.findall(r"`((?:file|smtp|caldav):[^`]+)`", section)
    patterns = []
    for form in forms:
        pattern = re.escape(form).replace(r",\ \.\.\.", r"(, \S+)*")
        pattern = re.sub(r"HOST:PORT", r"[^ ]+:[0-9]+", pattern)
        pattern = pattern.replace("PATH", ".+")  # a file name may hold spaces
        pattern = re.sub(r"URL|ADDRESS", r"\\S+", pattern)
        patterns.append(re.compile(pattern + "$"))
    return patterns


def undocumented_deliveries(entries: list[str]) -> list[str]:
    """The ``delivered`` entries none of the documented forms matches."""
    forms = delivery_forms()
    return [e for e in entries if not any(f.match(e) for f in forms)]


def contradictions(documented: Any, printed: Any, path: str = "$") -> list[str]:
    """Where an example (placeholders not filled in) names a record the directory holds (by its
    `id`) and says another value than the command prints for it: free text (``"..."``) and
    placeholders aside, and where the record has nothing (null, an empty list) the example may
    show a value, to show its type."""
    if isinstance(documented, str) and ("..." in documented or _PLACEHOLDER.match(documented)):
        return []
    if (
        isinstance(documented, list)
        and documented
        and all(isinstance(d, str) and _PLACEHOLDER.match(d) for d in documented)
    ):
        return []  # ["<source>"]: that record's example is checked on its own
    if printed is None or printed == []:
        return []
    if isinstance(documented, dict) and isinstance(printed, dict):
        return [
            c
            for key, value in documented.items()
            if key in printed
            for c in contradictions(value, printed[key], f"{path}.{key}")
        ]
    if (
        isinstance(documented, list)
        and isinstance(printed, list)
        and all(isinstance(d, dict) for d in documented)
    ):
        found = []
        for i, item in enumerate(documented):
            if "id" in item:
                same = [p for p in printed if isinstance(p, dict) and p.get("id") == item["id"]]
                if not same:
                    found.append(f"{path}[{item['id']}]: no such record printed")
                    continue
                found += contradictions(item, same[0], f"{path}[{item['id']}]")
            elif i < len(printed):
                found += contradictions(item, printed[i], f"{path}[{i}]")
        return found
    if isinstance(documented, list) and isinstance(printed, list) and "..." in documented:
        # ["SOM Protocol art. 8(7)", "..."]: the first items as shown, then any.
        documented = documented[: documented.index("...")]
        printed = printed[: len(documented)]
    if documented != printed:
        return [f"{path}: documented {documented!r}, printed {printed!r}"]
    return []
