"""Values that reach no one, for illustrative contacts: telephone numbers that numbering plans
reserve for fiction, placeholders that cannot be dialled, and e-mail domains reserved for
examples. The shipped directory's contacts are made up; these keep them from ringing or
writing to anyone real (data/README.md, "Illustrative contacts").
"""

from __future__ import annotations

import re
from functools import cache

from somnet._i18n import _

#: Telephone ranges that numbering plans reserve for drama, film and examples: (country calling
#: code, what the range is, E.164 pattern). Keep data/README.md's table in step.
#:
#: Sources:
#: - NANP (+1, every area code of every NANP country and territory): lines 555-0100 to 555-0199
#:   are reserved for fictitious use (NANPA's 555 line number guidelines, since 1994), as
#:   summarised by TechRepublic, "Geek Trivia: Strength in (phone) numbers"
#:   (https://www.techrepublic.com/blog/geekend/geek-trivia-strength-in-phone-numbers/).
#: - United Kingdom (+44): Ofcom's telephone numbers for drama purposes, kept out of allocation
#:   since the number change of 22 April 2000: city blocks, the 01632 area that exists only
#:   on screen, mobile 07700 900xxx, freephone 08081 570xxx, premium 0909 879 0xxx, UK-wide
#:   03069 990xxx (BBC News, "The 20,000 fake phone numbers", 2015-04-20,
#:   http://www.bbc.com/news/blogs-magazine-monitor-32348371).
#: - France (+33): ARCEP's numbers reserved for works of fiction in the national numbering
#:   plan (decision 2018-0881 as amended), one block a zone and one for mobiles.
#: - Australia (+61): ACMA's fictitious numbers for creative works, blocks 5550 and 7010 of
#:   each geographic area code (https://www.acma.gov.au, "phone numbers for use in TV shows,
#:   films and creative works").
#: The French and Australian blocks were not re-read at their regulator when this table was
#: written (no shipped number uses them): check them there before relying on them.
FICTION_RANGES: tuple[tuple[int, str, str], ...] = (
    (1, "NANP: any area code, 555-0100 to 555-0199", r"\+1[2-9][0-9]{2}55501[0-9]{2}"),
    (44, "UK: London 020 7946 0xxx", r"\+442079460[0-9]{3}"),
    (44, "UK: Leeds to Reading 011[3-8] 496 0xxx", r"\+4411[3-8]4960[0-9]{3}"),
    (44, "UK: Birmingham to Manchester 01[2-6]1 496 0xxx", r"\+441[2-6]14960[0-9]{3}"),
    (44, "UK: Tyneside 0191 498 0xxx", r"\+441914980[0-9]{3}"),
    (44, "UK: Northern Ireland 028 9649 6xxx", r"\+442896496[0-9]{3}"),
    (44, "UK: Cardiff 029 2018 0xxx", r"\+442920180[0-9]{3}"),
    (44, "UK: no area 01632 960xxx", r"\+441632960[0-9]{3}"),
    (44, "UK: mobile 07700 900xxx", r"\+447700900[0-9]{3}"),
    (44, "UK: freephone 08081 570xxx", r"\+448081570[0-9]{3}"),
    (44, "UK: premium rate 0909 879 0xxx", r"\+449098790[0-9]{3}"),
    (44, "UK: UK-wide 03069 990xxx", r"\+443069990[0-9]{3}"),
    (33, "France: 01 99 00 xx xx", r"\+3319900[0-9]{4}"),
    (33, "France: 02 61 91 xx xx", r"\+3326191[0-9]{4}"),
    (33, "France: 03 53 01 xx xx", r"\+3335301[0-9]{4}"),
    (33, "France: 04 65 71 xx xx", r"\+3346571[0-9]{4}"),
    (33, "France: 05 36 49 xx xx", r"\+3353649[0-9]{4}"),
    (33, "France: mobile 06 39 98 xx xx", r"\+3363998[0-9]{4}"),
    (61, "Australia: 0[2378] 5550 xxxx", r"\+61[2378]5550[0-9]{4}"),
    (61, "Australia: 0[2378] 7010 xxxx", r"\+61[2378]7010[0-9]{4}"),
)


@cache
def _fiction() -> re.Pattern[str]:
    # Compiled on first use: only validation asks, and a directory served from the cache is
    # validated already.
    return re.compile("|".join(f"(?:{pattern})" for _, _, pattern in FICTION_RANGES))


#: A number that cannot be dialled: "+CC", a space, X's for the subscriber digits (in groups
#: separated by spaces) and a serial of 2 to 4 digits, e.g. "+509 XXXX 0101".
_PLACEHOLDER = re.compile(r"\+(?P<code>[1-9][0-9]{0,2}) (?:X+ )+(?P<serial>[0-9]{2,4})")

#: E-mail domains that deliver to no one: RFC 2606 and RFC 6761 (example.com, .net and .org,
#: and the top-level domains .example, .test, .invalid and .localhost).
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TOP_LEVEL = ("example", "test", "invalid", "localhost")


def is_fiction_number(value: str) -> bool:
    """Whether ``value`` (E.164) lies in a range reserved for fiction: it rings no one."""
    return _fiction().fullmatch(value) is not None


def is_placeholder(value: str) -> bool:
    """Whether ``value`` has the shape of a placeholder that cannot be dialled
    (``+509 XXXX 0101``), whatever its country code."""
    return _PLACEHOLDER.fullmatch(value) is not None


def placeholder_problem(value: str) -> str | None:
    """Why a placeholder is not acceptable, or None: its country code must be a real one, and
    one whose numbering plan has no range reserved for fiction (use the range there)."""
    found = _PLACEHOLDER.fullmatch(value)
    if found is None:
        return _("{value} is not a placeholder such as '+509 XXXX 0101'").format(value=repr(value))
    code = int(found["code"])
    if code not in _country_codes():
        return _("{value}: +{code} is not a country calling code").format(
            value=repr(value), code=code
        )
    ranges = [name for plan, name, _range in FICTION_RANGES if plan == code]
    if ranges:
        return _(
            "{value}: the +{code} numbering plan reserves numbers for fiction; use one (e.g. "
            "{example}) instead of a placeholder"
        ).format(value=repr(value), code=code, example=ranges[0])
    return None


@cache
def _country_codes() -> frozenset[int]:
    import phonenumbers

    return frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)


def is_reserved_address(address: str) -> bool:
    """Whether an e-mail address is at a domain reserved for examples (it reaches no one)."""
    domain = address.rpartition("@")[2].lower().rstrip(".")
    if any(domain == d or domain.endswith("." + d) for d in RESERVED_DOMAINS):
        return True
    return domain.rpartition(".")[2] in RESERVED_TOP_LEVEL
