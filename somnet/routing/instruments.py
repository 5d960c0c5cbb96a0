"""The treaties a plan cites on a day they did not bind: an instrument not yet in force
(a plan for a past moment: a review, a training case), or the SOM Protocol not binding the
acting state (not a party, uncertain, not yet bound, or not extended to its territory)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from somnet._i18n import Message, _, joined_messages
from somnet.directory.lookup import Directory
from somnet.directory.records import PROTOCOL_IN_FORCE

#: When each instrument a step's basis cites entered into force, by the beginning of what the
#: basis says, the most particular first: the 2004 amendments to SOLAS chapter V (regulation
#: 33.1-1) and to the SAR Convention's annex (3.1.9), in force on 1 July 2006 (IMO resolutions
#: MSC.153(78) and MSC.155(78)), and the Guidelines on the treatment of persons rescued at sea
#: (MSC.167(78)), adopted on 20 May 2004; then each treaty's entry into force as the United
#: Nations Treaty Collection records it (UNCLOS, chapter XXI.6; VCCR, III.6; CRC, IV.11;
#: 1951 Convention, V.2; ICCPR, IV.4; UNTOC and its Protocols, XVIII.12, 12-a, 12-b; UNCAC,
#: XVIII.14) and, for the IMO conventions, the IMO's status of conventions. Checked again on
#: 2026-12-02 against: the SAR Convention's registration in the UN Treaty Series (vol. 1405,
#: I-23489: "came into force on 22 June 1985") and its consolidated text (the 2004 amendments,
#: MSC.155(78), in force on 1 July 2006); resolution MSC.152(78), adopted with MSC.153(78)
#: on 20 May 2004, whose SOLAS amendments "shall enter into force on 1 July 2006"; and the UN
#: Information Service's release UNIS/CP/449 (4 November 2003): the fortieth ratification
#: of the SOM Protocol brings it into force on 28 January 2004 (its art. 22(1)).
IN_FORCE: tuple[tuple[str, date], ...] = (
    ("SOLAS V/33.1-1", date(2006, 7, 1)),
    ("SAR Convention annex 3.1.9", date(2006, 7, 1)),
    ("IMO res. MSC.167(78)", date(2004, 5, 20)),
    ("SAR Convention", date(1985, 6, 22)),
    ("SOLAS", date(1980, 5, 25)),
    ("UNCLOS", date(1994, 11, 16)),
    ("VCCR", date(1967, 3, 19)),
    ("CRC", date(1990, 9, 2)),
    ("1951 Convention", date(1954, 4, 22)),
    ("ICCPR", date(1976, 3, 23)),
    ("UNTOC", date(2003, 9, 29)),
    ("Trafficking in Persons Protocol", date(2003, 12, 25)),
    ("SOM Protocol", PROTOCOL_IN_FORCE),
    ("UNCAC", date(2005, 12, 14)),
)

#: The rules that read the SOM Protocol's hold on the day themselves, and cite it only where
#: it bound: R4 (art. 8 between the flag and the acting state), R5 (art. 8(7)), R13 (art. 18,
#: which binds the state of nationality).
_OWN_PROTOCOL_CHECK = frozenset({"R4", "R5", "R13"})


def in_force_from(basis: str) -> date | None:
    """The day the instrument ``basis`` cites entered into force (or, for an IMO resolution,
    was adopted); None for what no date bounds (general international law, a territory's own
    law, a bilateral convention)."""
    for beginning, day in IN_FORCE:
        if basis.startswith(beginning):
            return day
    return None


def protocol_unbound(
    d: Directory, code: str | None, day: date
) -> tuple[str, date | None, date | None] | None:
    """Why the SOM Protocol did not bind ``code`` on ``day``, or None when it did (or the
    state is unknown, from the day the Protocol entered into force): ``not-in-force`` before
    the Protocol entered into force (art. 22(1)), whoever the state, ``not-yet-bound`` before
    the state's instrument took effect (with the deposit and the first day bound),
    ``not-party``, ``uncertain``."""
    if day < PROTOCOL_IN_FORCE:
        # Art. 22(1): it bound nobody before, whatever a state's deposit date, and whichever
        # state acts, one not named included.
        return "not-in-force", None, PROTOCOL_IN_FORCE
    if code is None:
        return None
    state = d.state(code)
    if state is None:
        return None
    status = state.som_protocol
    bound_from = status.binding_from()
    if bound_from is not None and day < bound_from:
        return "not-yet-bound", status.date, bound_from
    if status.party in ("no", "uncertain"):
        return ("not-party" if status.party == "no" else "uncertain"), None, None
    return None


def unbound_instruments_warnings(
    d: Directory, acting: str | None, day: date, cited: Iterable[tuple[str, Iterable[str]]]
) -> Iterator[Message]:
    """The plan's warnings on what its steps and notes cite (``cited``: each rule's id and a
    basis) that bound no one on ``day``, the acting state's calendar day, or, for the SOM
    Protocol, not the acting state.

    A step keeps its basis: the instruments say what is owed in such a case, and a reader of
    a past plan, or an officer of a state not bound, is told what holds for it instead."""
    # Each basis as the steps tell it (a message, in the reader's language), found by its
    # English text.
    given = [(rule, basis) for rule, bases in cited for basis in bases]
    early: dict[str, tuple[str, date, set[str]]] = {}
    for rule, basis in given:
        bound_from = in_force_from(str(basis))
        if bound_from is not None and day < bound_from:
            early.setdefault(str(basis), (basis, bound_from, set()))[2].add(rule)
    if early:
        items = [
            _("{basis} (from {date})").format(basis=basis, date=bound_from.isoformat())
            for basis, bound_from, _rules in early.values()
        ]
        rules = sorted({r for _b, _d, rs in early.values() for r in rs}, key=_rule_order)
        yield _(
            "Not yet in force on {day}, so binding no state that day: {items}. The steps and "
            "notes citing them ({rules}) rest on what bound the states then: customary law, "
            "earlier treaties, their own law."
        ).format(day=day.isoformat(), items=joined_messages(items, _("; ")), rules=", ".join(rules))
    unbound = protocol_unbound(d, acting, day)
    if acting is None or unbound is None or unbound[0] == "not-in-force":
        return  # before the Protocol bound anyone, the warning above says so
    protocol: dict[str, tuple[str, str]] = {}
    for rule, basis in given:
        if str(basis).startswith("SOM Protocol") and rule not in _OWN_PROTOCOL_CHECK:
            protocol.setdefault(str(basis), (basis, rule))
    if not protocol:
        return
    why, _deposited, bound = unbound
    sovereign = d.sovereign_of(acting)
    if why == "not-yet-bound":
        text = _(
            "{code} was not yet bound by the SOM Protocol on {day} (binding from {bound}): the "
            "Protocol's articles cited in {rules} ({items}) did not bind it that day; those "
            "steps rest, for it, on the other instruments cited with them."
        )
    elif sovereign != acting:  # a territory is never a party: its sovereign extends it or not
        text = (
            _(
                "The acting state, {code}, is a territory of {sovereign}, which has not "
                "extended the SOM Protocol to it: the Protocol's articles cited in {rules} "
                "({items}) do not bind it there as a treaty; those steps rest, for it, on the "
                "other instruments cited with them."
            )
            if why == "not-party"
            else _(
                "The acting state, {code}, is a territory of {sovereign}, whose extension of "
                "the SOM Protocol to it is not confirmed: if it was not extended, the "
                "Protocol's articles cited in {rules} ({items}) do not bind it there as a "
                "treaty, and those steps rest, for it, on the other instruments cited with "
                "them."
            )
        )
    elif why == "not-party":
        text = _(
            "The acting state, {code}, is not a party to the SOM Protocol: the Protocol's "
            "articles cited in {rules} ({items}) do not bind it as a treaty; those steps rest, "
            "for it, on the other instruments cited with them."
        )
    else:
        text = _(
            "The acting state, {code}, has uncertain status under the SOM Protocol: if it is "
            "not a party, the Protocol's articles cited in {rules} ({items}) do not bind it as "
            "a treaty, and those steps rest, for it, on the other instruments cited with them."
        )
    rules = sorted({rule for _basis, rule in protocol.values()}, key=_rule_order)
    yield text.format(
        code=acting,
        sovereign=sovereign,
        day=day.isoformat(),
        bound=bound.isoformat() if bound else "",
        rules=", ".join(rules),
        items=joined_messages([basis for basis, _rule in protocol.values()], _("; ")),
    )


def _rule_order(rule: str) -> tuple[int, str]:
    """R2 before R10: the rules' own order."""
    digits = rule.lstrip("R")
    return (int(digits), rule) if digits.isdigit() else (0, rule)
