"""Which agreement between two states governs a step: in force on the day, covering the case,
the sovereigns' agreements where extended to a territory; the others mentioned."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from somnet._i18n import Message, _
from somnet._terms import term
from somnet.directory.lookup import Directory
from somnet.directory.records import (
    Agreement,
)
from somnet.routing.asks import Mention
from somnet.routing.interception import (
    Interception,
)


def in_force(
    directory: Directory,
    i: Interception,
    a: str | None,
    b: str | None,
    test: Callable[[Agreement], bool],
    *,
    better: Callable[[Agreement], Any] = lambda agreement: 0,
) -> tuple[Agreement | None, list[Mention]]:
    """The agreement between a and b that governs: in force on the day of the interception,
    passing ``test``, the first by ``better`` and then the most recent. An agreement
    terminated since was in force from its entry into force to the day before it ended (a plan
    for a past moment applies it). The other agreements that pass are mentioned with their
    status: also in force, or (signed, uncertain, terminated, not yet in force) never
    applied."""
    if not a or not b or directory.same_state(a, b):
        return None, []
    # The day on the acting state's clock, whatever offset the time was written in.
    day = directory.today_in(i.acting, i.at)
    applicable = []
    mentioned: list[Mention] = []
    for agreement in agreements_for(directory, a, b):
        if not test(agreement):
            continue
        status = status_on(agreement, day)
        if status == "in-force":
            applicable.append(agreement)
        else:
            mentioned.append(Mention(agreement, status))
    if not applicable:
        return None, mentioned
    # Most recent first, then the caller's preference (a stable sort keeps both orders).
    applicable.sort(key=lambda x: x.in_force or x.signed or date.min, reverse=True)
    applicable.sort(key=better)
    applied, *others = applicable
    return applied, [Mention(x, "also in force") for x in others] + mentioned


def status_on(agreement: Agreement, day: date) -> str:
    """An agreement's status on ``day`` as a contact plan made that day reads it:
    ``in-force`` when it applies (recorded in force from its entry into force; terminated
    since, from its entry into force to the day before it ended); ``not yet in force`` for
    one of those before its entry into force; else its recorded status (``signed``,
    ``uncertain``, ``terminated``), never applied.

    Raises:
        BadInputError: a ``day`` that is not a day (a time, a text), field ``day``.
    """
    from somnet._given import one_of_kind

    one_of_kind(agreement, Agreement, field="agreement")
    if isinstance(day, datetime) or not isinstance(day, date):
        from somnet._convert import not_a_date
        from somnet._exceptions import BadInputError

        raise BadInputError(str(not_a_date(day)), field="day", value=day)
    # Where the day it entered into force is not recorded, it was not in force before it was
    # signed.
    since = agreement.in_force or agreement.signed
    started = since is None or since <= day
    # ``ended`` is the first day it no longer applies (the day a replacement took over).
    was_in_force = agreement.status == "in-force" or (
        agreement.status == "terminated" and agreement.ended is not None and day < agreement.ended
    )
    if was_in_force and started:
        return "in-force"
    if agreement.status in ("in-force", "terminated") and not started:
        return "not yet in force"
    return agreement.status


def agreements_for(d: Directory, a: str, b: str) -> list[Agreement]:
    """Agreements binding ``a`` and ``b``: their own, and their sovereigns' where extended to
    them (a territory acts with its sovereign's treaty capacity, for what was extended)."""
    return d.agreements_between(a, b, extended=True)


def named(d: Directory, code: str | None, codes: tuple[str, ...]) -> bool:
    """Whether ``code`` (or its sovereign, for a territory) is among an agreement's parties
    named for a provision."""
    return code is not None and (code in codes or d.sovereign_of(code) in codes)


def covers_smuggling(agreement: Agreement, i: Interception) -> bool:
    """Whether an agreement covers migrant smuggling in the interception's zone."""
    zones = agreement.provides.zones
    return agreement.provides.covers_migrant_smuggling and (not zones or i.zone in zones)


def carries_covered(d: Directory, agreement: Agreement, i: Interception) -> bool:
    """Whether an agreement limited to some nationalities (the 1981 U.S.-Haiti notes, for
    Haitians) may cover the vessel: one of them is aboard, or nobody's nationality is known
    yet, or others' besides those known (``nationalities_warning`` then says what it depends
    on). A vessel known to carry none of them is outside it."""
    codes = agreement.provides.nationalities
    if not codes or (not i.nationalities and not i.stateless_persons) or i.others_unknown:
        return True
    return any(named(d, n, codes) for n in i.nationalities)


def nationalities_warning(agreement: Agreement, i: Interception, d: Directory) -> Message | None:
    """The warning of a step that applies an agreement limited to some nationalities while
    nobody's nationality aboard is known, or while none known is among them and others' are
    not known (``carries_covered``)."""
    codes = agreement.provides.nationalities
    if not codes:
        return None
    if (i.nationalities or i.stateless_persons) and (
        not i.others_unknown or any(named(d, n, codes) for n in i.nationalities)
    ):
        return None
    return _(
        "{id} covers only vessels carrying nationals of {codes}: if none is aboard, it does "
        "not apply."
    ).format(id=agreement.id, codes=", ".join(codes))


def mention_text(mention: Mention) -> Message:
    a = mention.agreement
    if mention.status == "also in force":
        return _("Also in force: {title} ({id}).").format(title=a.title, id=a.id)
    return _("{title} ({id}) is {status}: mentioned, not applied; do not rely on it.").format(
        title=a.title, id=a.id, status=term("agreement-status", mention.status)
    )
