"""``somnet contact`` (the plan for an interception), ``somnet agreements``,
``somnet consular``."""

from __future__ import annotations

import argparse
import textwrap
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from somnet import (
    CONDITIONS,
    N_,
    ZONES,
    BadInputError,
    Directory,
    InterceptionError,
    Message,
    agreement_status_on,
    format_time,
    localized,
    make_interception,
    ngettext,
    parse_hours,
    plan_contacts,
    quoted,
    state_code,
    state_name,
    term,
    utc_offset,
)
from somnet import gettext as _

from . import _common

if TYPE_CHECKING:
    from somnet import Agency, ContactChoice, ContactPlan, Interception, Step

#: What each condition flag means, for --help; the conditions are somnet.CONDITIONS.
CONDITION_HELP = {
    "distress": N_("the vessel or people aboard are in distress"),
    "injured": N_("people aboard are injured or ill"),
    "deaths": N_("people died"),
    "minors": N_("children are aboard"),
    "unaccompanied": N_("unaccompanied or separated children are aboard"),
    "asylum": N_("someone asks for asylum or fears return"),
    "trafficking": N_("signs of trafficking in persons"),
    "smugglers": N_("suspected smugglers are aboard or identified"),
    "corruption": N_("signs that officials are involved"),
}
#: The conditions in words, for the plan's head.
CONDITION_WORDS = {
    "distress": N_("distress"),
    "injured": N_("injured"),
    "deaths": N_("deaths"),
    "minors": N_("minors"),
    "unaccompanied": N_("unaccompanied children"),
    "asylum": N_("asylum"),
    "trafficking": N_("trafficking"),
    "smugglers": N_("smugglers"),
    "corruption": N_("corruption"),
}
WIDTH = 80

CONTACT_EPILOG = N_("""\
examples:
  somnet contact --flag HT --zone contiguous
  somnet contact --flag HT --zone contiguous --coastal BS --as BS --nationality HT --distress
  somnet contact --stateless --zone high-seas --as BS --nationality CU,HT --minors --format json

The acting state defaults to SOMNET_HOME_STATE, else home_state in config.toml in the user
config directory (~/.config/somnet/ on Linux; SOMNET_CONFIG names another file). Codes are
ISO 3166-1 alpha-2, any case. --at without an offset is read in the acting state's zone, and
refused when its zones differ at that time (the United States, Mexico, France): add the offset.
""")


def register(commands: Any) -> None:
    p = commands.add_parser(
        "contact",
        help=_("whom to contact for an interception, in order, with the legal basis"),
        description=_(
            "Whom to contact for an interception at sea, in what order, on what legal "
            "basis, through which channel open now (rules R1-R15: docs/routing.md)."
        ),
        epilog=_(CONTACT_EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common.refuse_repeated_options(p)
    vessel = p.add_mutually_exclusive_group()
    vessel.add_argument("--flag", metavar="XX", help=_("the state whose flag the vessel flies"))
    vessel.add_argument("--stateless", action="store_true", help=_("the vessel has no nationality"))
    p.add_argument(
        "--zone",
        required=True,
        type=str.lower,
        metavar="ZONE",
        help=_("where it was intercepted: {zones}").format(zones=", ".join(ZONES)),
    )
    p.add_argument("--coastal", metavar="XX", help=_("the state whose zone it is"))
    p.add_argument(
        "--as",
        dest="acting",
        metavar="XX",
        help=_("the intercepting state (default: the configured home state)"),
    )
    p.add_argument(
        "--disembark",
        metavar="XX",
        help=_(
            "where people will be landed (default: coastal state in its waters and "
            "contiguous zone, else the acting state)"
        ),
    )
    p.add_argument(
        "--nationality",
        action="append",
        default=[],
        metavar="XX[,YY]",
        help=_(
            "nationalities aboard (comma-separated, repeatable); 'stateless' for people who "
            "have none; 'unknown' when others aboard are of nationalities not known yet "
            "(HT,unknown)"
        ),
    )
    for name in CONDITIONS:
        p.add_argument(f"--{name}", action="store_true", help=_(CONDITION_HELP[name]))
    p.add_argument(
        "--return",
        dest="return_considered",
        action="store_true",
        help=_("return or repatriation is being considered"),
    )
    p.add_argument(
        "--at",
        metavar="TIME",
        help=_(
            "when contact is made, ISO 8601 (default: now); without an offset, in the acting "
            "state's zone"
        ),
    )
    p.add_argument(
        "--stale-days",
        type=_common.positive_days,
        default=365,
        metavar="N",
        help=_("flag contacts verified more than N days ago (365)"),
    )
    # One or the other: the call list alone has no details to explain.
    detail = p.add_mutually_exclusive_group()
    detail.add_argument(
        "--brief", action="store_true", help=_("print only the call list (one line a step)")
    )
    detail.add_argument(
        "--explain",
        action="store_true",
        help=_("add each step's provenance: the agreements' notes, the records' reasoning"),
    )
    _common.add_data_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=contact, flags=FLAGS)

    p = commands.add_parser(
        "agreements",
        help=_("bilateral and regional agreements"),
        description=_(
            "Agreements in the directory, oldest first. Only those in force change a "
            "contact plan; the others are listed with their status."
        ),
        epilog=_("examples:") + "\n  somnet agreements --between US HT\n"
        "  somnet agreements --state BS --kind repatriation\n"
        "  somnet agreements --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common.refuse_repeated_options(p)
    p.add_argument("--between", nargs=2, metavar=("A", "B"), help=_("both states are parties"))
    p.add_argument("--state", metavar="X", help=_("this state is a party"))
    p.add_argument(
        "--kind",
        type=str.lower,
        choices=["repatriation", "interdiction", "shiprider", "sar", "mou", "multilateral"],
        help=_("only agreements of this kind"),
    )
    _common.add_data_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=agreements, flags={"between": "--between", "state": "--state"})

    p = commands.add_parser(
        "consular",
        help=_("which mission serves nationals of N in D"),
        description=_(
            "The consular mission of a nationality covering a state (VCCR art. 36), in the "
            "order resident, concurrent, honorary."
        ),
        epilog=_("examples:") + "\n  somnet consular --nationality HT --in BS\n"
        "  somnet consular --nationality IN --in HN --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common.refuse_repeated_options(p)
    p.add_argument("--nationality", required=True, metavar="N", help=_("whose nationals"))
    p.add_argument("--in", dest="receiving", required=True, metavar="D", help=_("where they are"))
    _common.add_data_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=consular, flags={"nationality": "--nationality", "receiving": "--in"})


# Parsing ---------------------------------------------------------------------------------

#: The flag of each field the library may name in an error or an unresolved step.
FLAGS = {
    "zone": "--zone",
    "flag": "--flag",
    "stateless": "--stateless",
    "coastal": "--coastal",
    "acting": "--as",
    "disembark": "--disembark",
    "nationalities": "--nationality",
    "conditions": "--" + "/--".join(CONDITIONS),
    "at": "--at",
    "brief": "--brief",
}
#: What to type for a field the plan lacks.
#: The word ``--nationality`` takes for people who have no nationality.
STATELESS = "stateless"
#: The word it takes for others aboard whose nationalities are not known yet (alone: nobody's
#: is known, as with no --nationality).
UNKNOWN = "unknown"

HINTS = {
    "flag": "--flag XX",
    "stateless": "--stateless",
    "coastal": "--coastal XX",
    "acting": "--as XX",
    "disembark": "--disembark XX",
    "nationalities": "--nationality XX[,YY]",
}


def interception_from_args(directory: Directory, args: argparse.Namespace) -> Interception:
    """The interception the flags describe; the acting state defaults to the home state."""
    # Named by where it was set (SOMNET_HOME_STATE, the config file), not as --as.
    acting = args.acting if args.acting is not None else _common.home_code()
    given = _common.code_list(args.nationality, "nationalities")
    words = {code.strip().lower() for code in given}
    return make_interception(
        zone=args.zone,
        flag=args.flag,
        stateless=args.stateless,
        coastal=args.coastal,
        acting=acting,
        disembark=args.disembark,
        nationalities=[code for code in given if code.strip().lower() not in (STATELESS, UNKNOWN)],
        stateless_persons=STATELESS in words,
        others_unknown=UNKNOWN in words,
        conditions=[name for name in CONDITIONS if getattr(args, name)],
        return_considered=args.return_considered,
        at=None if args.at is None or args.at.strip().lower() == "now" else args.at,
        directory=directory,
    )


# contact -----------------------------------------------------------------------------------


def contact(args: argparse.Namespace) -> int:
    if args.brief and args.format == "json":
        # A script's JSON holds every step: --brief, which keeps only the call list, would be
        # ignored without a word.
        raise BadInputError(
            _("the call list is text; the JSON holds every step (leave this flag out)"),
            field="brief",
        )
    directory = _common.load(args)
    interception = interception_from_args(directory, args)
    plan = plan_contacts(directory, interception, stale_days=args.stale_days)
    if args.format == "json":
        _common.print_json(plan.to_json())
    else:
        # The time on the acting state's clock: the day the plan is made on (today_in).
        acting = directory.state(interception.acting) if interception.acting else None
        zone = acting.timezone if acting else None
        given = args.at is not None and args.at.strip().lower() != "now"
        print(render_plan(plan, brief=args.brief, explain=args.explain, zone=zone, given=given))
    return 0


def _hint(fields: tuple[str, ...] | list[str]) -> str:
    hints = [HINTS[f] for f in fields if f in HINTS]
    if "acting" in fields:
        hints.append(_("set SOMNET_HOME_STATE"))
    if not hints:
        return ""
    return _("add {flags}").format(flags=_(" or ").join(dict.fromkeys(hints)))


#: What each step is, in words, for the call list and the step titles (at most 19 columns).
PURPOSE_LABELS = {
    "sar-coordination": N_("SAR coordination"),
    "coastal-state-authorization": N_("Entry authorisation"),
    "coastal-state-notification": N_("Coastal notice"),
    "flag-state-authorization": N_("Flag state"),
    "disembarkation": N_("Landing consent"),
    "protection-referral": N_("Protection referral"),
    "child-protection": N_("Child protection"),
    "trafficking-victim-referral": N_("Trafficking victims"),
    "consular-access": N_("Consular access"),
    "consular-death-notification": N_("Death notice"),
    "investigation": N_("Investigation"),
    "repatriation": N_("Repatriation"),
    "anti-corruption": N_("Anti-corruption"),
}
#: A landing notified under an agreement that provides for it asks no consent.
LANDING_NOTICE = N_("Landing notice")
#: Nor does a landing of the landing state's own nationals: it verifies who they are and
#: names the port.
NATIONALS_LANDING = N_("Nationals' landing")
#: The entry of rescue units asked of the coastal state's RCC (role ``sar``), beside the
#: entry authorisation asked of its maritime law enforcement.
RESCUE_ENTRY = N_("Rescue entry")
#: R10's notice to unaccompanied children's post (a guardian is to be appointed): no consent
#: is asked, unlike R6's offer of consular access, which shares its purpose.
GUARDIAN_NOTICE = N_("Guardian notice")


def _purpose_label(step: Step) -> str:
    """What the step is, in words, in the language in use."""
    if step.purpose == "disembarkation" and step.agreement is not None:
        # Notified under the agreement, now or once asylum claims are decided ("inform").
        return _(LANDING_NOTICE)
    if step.purpose == "disembarkation" and step.own_nationals:
        return _(NATIONALS_LANDING)
    if step.purpose == "coastal-state-authorization" and step.role == "sar":
        return _(RESCUE_ENTRY)
    if step.purpose == "consular-access" and step.rule == "R10":
        return _(GUARDIAN_NOTICE)
    return _(PURPOSE_LABELS[step.purpose])


#: Where the vessel is, in words: "in the EEZ of BS", "on the high seas".
ZONE_PHRASES = {
    "internal": N_("in the internal waters"),
    "territorial": N_("in the territorial sea"),
    "archipelagic": N_("in the archipelagic waters"),
    "contiguous": N_("in the contiguous zone"),
    "eez": N_("in the EEZ"),
    "high-seas": N_("on the high seas"),
}
#: The same, of a coastal state: "in the EEZ of BS".
ZONE_OF_PHRASES = {
    "internal": N_("in the internal waters of {coastal}"),
    "territorial": N_("in the territorial sea of {coastal}"),
    "archipelagic": N_("in the archipelagic waters of {coastal}"),
    "contiguous": N_("in the contiguous zone of {coastal}"),
    "eez": N_("in the EEZ of {coastal}"),
    "high-seas": N_("on the high seas"),
}
#: Channels a person can be reached on by voice, preferred in the call list.
VOICE = ("phone", "mobile", "vhf", "satphone", "hf")
#: Columns of the call list: order, action, what, whom; the channel takes the rest.
WHAT_WIDTH, WHOM_WIDTH = 19, 16


def _action_width() -> int:
    """The widest action word in the language in use (``request`` in English)."""
    return max(len(localized(term("action", a))) for a in ("request", "notify", "inform"))


def render_plan(
    plan: ContactPlan,
    *,
    brief: bool = False,
    explain: bool = False,
    zone: str | None = None,
    given: bool = False,
) -> str:
    """The plan as text for an 80-column terminal: the call list first (one line a step: what,
    whom, the channel open now), then each step in detail unless ``brief``; agreements'
    provenance and the records' reasoning only when ``explain``. Its time is shown on the clock
    of ``zone`` (the acting state's, whose date the plan is made on), else as given; a time
    ``given`` on another clock (an officer off Puerto Rico, the plan on New York's) follows as
    given."""
    i = plan.interception
    if i.stateless:
        vessel = _("Stateless vessel")
    else:
        vessel = _("{flag}-flagged vessel").format(flag=i.flag or "?")
    where = (
        _(ZONE_OF_PHRASES[i.zone]).format(coastal=i.coastal)
        if i.coastal
        else _(ZONE_PHRASES[i.zone])
    )
    head = _("{vessel} {where}; acting {acting}; landing in {landing}").format(
        vessel=vessel, where=where, acting=i.acting or "?", landing=i.disembark or "?"
    )
    aboard = [
        *i.nationalities,
        *([_("stateless")] if i.stateless_persons else []),
        *([_("others unknown")] if i.others_unknown else []),
    ]
    facts = [_("aboard: {nationalities}").format(nationalities=", ".join(aboard))] if aboard else []
    if i.conditions:
        facts.append(", ".join(_(CONDITION_WORDS[c]) for c in i.ordered_conditions))
    if i.return_considered:
        facts.append(_("return considered"))
    out = _wrap(head)
    if facts:
        out += _wrap(_separator().join(facts))
    at = i.at
    if zone:
        from zoneinfo import ZoneInfo

        at = at.astimezone(ZoneInfo(zone))
    if given and i.at.utcoffset() != at.utcoffset():
        # The hour as given, and its day when the two clocks are on different days.
        pattern = "%H:%M" if i.at.date() == at.date() else "%a %d %b %H:%M"
        as_given = f"{format_time(i.at, pattern)} ({utc_offset(i.at)})"
        out += _wrap(_("at {time}; {given} as given").format(time=_local(at), given=as_given))
    else:
        out += _wrap(_("at {time}").format(time=_local(at)))
    for warning in plan.warnings:
        out += _wrap(_common.warn(f"! {localized(warning)}"), indent="  ")
    if plan.missing:
        out += _wrap(_common.warn(f"! {_hint(plan.missing)}"), indent="  ")
    out += ["", *_call_list(plan, brief=brief)]
    if brief:
        return "\n".join(out)
    for note in plan.notes:
        out += ["", *_wrap(_common.labelled(note.rule, localized(note.text)), indent="    ")]
        out += _wrap(_basis(note.basis), indent="    ", first="    ")
    for step in plan.steps:
        out.append("")
        out += _render_step(step, plan.interception.at, explain=explain)
    return "\n".join(out)


def _separator() -> str:
    """What separates the items of a list in a line ("; "; French puts a space before it)."""
    # Translators: the separator of a list's items on one line.
    return _("; ")


def _basis(basis: tuple[str, ...]) -> str:
    return _("basis: {citations}").format(citations=_separator().join(localized(b) for b in basis))


def _local(moment: datetime) -> str:
    """A time with its UTC offset, not a zone abbreviation (CST is Havana's and Guatemala's)."""
    return f"{format_time(moment, '%a %d %b %Y %H:%M')} ({utc_offset(moment)})"


def _call_list(plan: ContactPlan, *, brief: bool = False) -> list[str]:
    """One line a step, resolved ones first: what, whom, and the channel to use now (and,
    under a step that needs it, the person's consent). Steps deferred (until the asylum claims
    are decided, or the nationalities aboard established) come under a heading that says what
    they wait for, so that none reads as a call to make now, nor waits for another reason."""
    # Alone (--brief), the list promises no details.
    lines = [_("CALL LIST") if brief else _("CALL LIST (details below)")]
    unresolved = [s for s in plan.steps if not s.resolved]
    action_width = _action_width()
    under = " " * (4 + action_width)
    heading: str | None = None
    if not plan.steps:
        # An empty list reads as a failure: say that nothing is owed, and (alone) why.
        if not brief:
            return [*lines, *_wrap(_("No step is owed on these facts: the notes below say why."))]
        lines += _wrap(_("No step is owed on these facts:"))
        for note in plan.notes:
            lines += _wrap(localized(note.text), indent="    ", first="  ")
        return lines
    for step in (s for s in plan.steps if s.resolved):
        # The steps keep the plan's order: a heading each time what they wait for changes.
        waits = _waits(step)
        if waits != heading:
            heading = waits
            if waits is not None:
                lines.append(waits)
        lead = _list_lead(step, action_width) + _whom(step).ljust(WHOM_WIDTH) + " "
        now = _now(step, plan.interception.at)
        if len(lead) + len(now) <= WIDTH:
            lines.append(f"{lead}{now}")
        else:
            # A value is never cut: it goes on its own line under the step.
            lines.append(lead.rstrip())
            lines += _wrap(now, indent=under, first=under)
        if step.requires_consent:
            # Consular access is the person's choice: never a call to make on one's own.
            lines += _wrap(_("only with the person's consent"), indent=under, first=under)
        for other in step.also:
            # Another RCC whose region may hold the position: reachable from the list too.
            lines += _wrap(
                _("also call {agency}: {now}").format(
                    agency=other.agency.acronym or _short_name(other.agency),
                    now=_now_on(other.contacts, plan.interception.at),
                ),
                indent=under + "  ",
                first=under,
            )
        lines += _caveat(plan, step, under)
    if unresolved:
        lines.append(_("NOT RESOLVED (what to add)"))
        for step in unresolved:
            # Whom it is for: the role sought (a coastal notice goes to two authorities).
            role = _cut(localized(term("role", step.role)), WHOM_WIDTH) if step.role else "?"
            lead = _list_lead(step, action_width) + role.ljust(WHOM_WIDTH) + " "
            missing = _missing(step)
            if len(lead) + len(missing) <= WIDTH:
                lines.append(lead + missing)
            else:
                lines.append(lead.rstrip())
                lines += _wrap(missing, indent=under, first=under)
            # What is to add does not make it a call to make now, nor without consent.
            waits = _waits(step)
            if waits is not None:
                lines += _wrap(waits, indent=under, first=under)
            if step.requires_consent:
                lines += _wrap(_("only with the person's consent"), indent=under, first=under)
            lines += _caveat(plan, step, under)
    return lines


def _caveat(plan: ContactPlan, step: Step, under: str) -> list[str]:
    """What the call list must say under a step beside consent, since the step's details,
    which say it at length, may not be read (``--brief``): under a return asked now (of the
    landing state's own authority), that nobody goes back before screening, nor, asylum
    claimed, before the claims are decided (a deferred return's heading says it already);
    under a notice sent to the post of people who claim asylum whatever their wish (a guardian
    to be appointed, a death, a mandatory notification), that it must not reveal the claim."""
    asylum = plan.interception.has("asylum")
    if step.purpose == "repatriation" and not step.deferred:
        caveat = (
            _("no return before the asylum claims are decided")
            if asylum
            else _("only after protection screening")
        )
    elif (
        asylum
        and step.purpose in ("consular-access", "consular-death-notification")
        and not step.requires_consent
    ):
        caveat = _("never reveal the asylum claim; consult UNHCR first")
    else:
        return []
    return _wrap(caveat, indent=under, first=under)


def _waits(step: Step) -> str | None:
    """What a deferred step waits for, as the call list says it; None for a step to take now."""
    if not step.deferred:
        return None
    if step.waits_for == "nationalities":
        return _("NOT NOW: until the nationalities aboard are established")
    return _("NOT NOW: after the asylum claims are decided")


def _whom(step: Step) -> str:
    """A short name: the acronym, else the name or the id when either fits."""
    agency = step.agency
    if agency is None:
        return "?"
    return _short_name(agency)


def _short_name(agency: Agency) -> str:
    """An agency's acronym, else its name or id when either fits the call list's column."""
    for name in (agency.acronym, agency.name_en, agency.id):
        if name and len(name) <= WHOM_WIDTH:
            return name
    return _cut(agency.name_en, WHOM_WIDTH)


def _list_lead(step: Step, action_width: int) -> str:
    what = _purpose_label(step)
    if step.nationality:
        # One step a nationality (consular, return): several may go to the same post (a
        # territory's people are its sovereign's), so the line says whose nationals it is for.
        what = f"{_cut(what, WHAT_WIDTH - len(step.nationality) - 1)} {step.nationality}"
    what = _cut(what, WHAT_WIDTH)
    action = localized(term("action", step.action))
    return f"{step.order:>2} {action:<{action_width}} {what:<{WHAT_WIDTH}} "


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _channel(kind: str) -> str:
    return localized(term("channel", kind))


def _now(step: Step, at: datetime) -> str:
    """The channel to use now (voice first, then any), or when the first one opens."""
    return _now_on(step.contacts, at)


def _now_on(contacts: tuple[ContactChoice, ...], at: datetime) -> str:
    """Of ``contacts``, the channel to use now (voice first, then any), or when the first one
    opens."""
    channels = [ch for choice in contacts for ch in choice.channels]
    open_now = [ch for ch in channels if ch.available]
    if open_now:
        best = next(
            (ch for ch in open_now if ch.kind in VOICE and not ch.placeholder),
            next((ch for ch in open_now if not ch.placeholder), open_now[0]),
        )
        text = f"{_channel(best.kind)} {best.value}"
        if best.placeholder:
            text += " " + _("(not dialable)")
        if best.always:
            text += " (24/7)"
        return text
    openings = [ch.next_available for ch in channels if ch.next_available is not None]
    if openings:
        # As instants: in an hour the clock repeats, the wall clock alone misorders them.
        first = min(openings, key=lambda moment: moment.astimezone(UTC))
        return _("closed, opens {time} ({offset})").format(
            time=_opening(first, at), offset=utc_offset(first)
        )
    if not channels:
        return _("no channel in the directory")
    return _("closed, hours unknown")


def _hours(text: str) -> str:
    """Hours as the plan's JSON writes them (``Mo-Fr 09:00-17:00``), their days named in the
    language in use."""
    return localized(parse_hours(text)) if text else text


def _missing(step: Step) -> str:
    if step.missing:
        return _hint(step.missing)
    if step.unresolved_because:
        return localized(step.unresolved_because)
    return _("no {role} authority of {state} in the directory").format(
        role=localized(term("role", step.role)), state=step.state
    )


def agency_title(agency: Any) -> str:
    """An agency's name: in English output its English name; in another language its own
    name (in its official language) first, then the English one."""
    from somnet import language

    if language() == "en" or agency.name == agency.name_en:
        return str(agency.name_en)
    return f"{agency.name} / {agency.name_en}"


def _opening(moment: datetime, at: datetime) -> str:
    """When a closed channel opens, on its agency's clock: the weekday names it within the
    coming days; six days on or more (the weekday of the time of contact, on one clock or
    another) the date is told too."""
    days = (moment.date() - at.astimezone(moment.tzinfo).date()).days
    return format_time(moment, "%a %H:%M" if days < 6 else "%a %d %b %H:%M")


def _contact_lines(contacts: tuple[ContactChoice, ...], at: datetime, indent: str) -> list[str]:
    """An agency's first three contacts, each with its channels and whether each is answered
    at ``at``, and how many more JSON holds."""
    lines: list[str] = []
    # The channels' labels padded to the longest in the reader's language (8 in English;
    # the French "téléphone" is 9), so that every value starts in one column.
    width = max([8] + [len(_channel(ch.kind)) for choice in contacts[:3] for ch in choice.channels])
    for n, choice in enumerate(contacts[:3]):
        c = choice.contact
        label = c.name or c.title or c.id
        tag = " " + _("[illustrative]") if c.illustrative else ""
        lead = "> " if n == 0 else "  "
        lines += _wrap(
            f"{lead}{label} ({'/'.join(c.languages)}){tag}", indent=indent + "  ", first=indent
        )
        for ch in choice.channels:
            if ch.available:
                hours = _hours(ch.hours)
                when = "24/7" if ch.always else _("open now ({hours})").format(hours=hours)
            elif ch.next_available is not None:
                # The agency's local time with its UTC offset (not CST, which is ambiguous).
                when = _("closed, opens {time} ({offset}; {hours})").format(
                    time=_opening(ch.next_available, at),
                    offset=utc_offset(ch.next_available),
                    hours=_hours(ch.hours),
                )
            else:
                # No opening to tell: hours unknown (as the call list says), not "closed".
                when = _("closed, hours unknown")
            value = f"{ch.value} " + _("(not dialable)") if ch.placeholder else ch.value
            lines += _wrap(
                f"{_channel(ch.kind):<{width}} {value}  {when}",
                indent=indent + " " * (5 + width),
                first=indent + "    ",
            )
    if len(contacts) > 3:
        more = len(contacts) - 3
        lines.append(
            indent
            + "  "
            + ngettext(
                "(+{n} more contact: --format json)",
                "(+{n} more contacts: --format json)",
                more,
            ).format(n=more)
        )
    return lines


def _render_step(step: Step, at: datetime, *, explain: bool = False) -> list[str]:
    title = _("{order}. {purpose} ({action})").format(
        order=f"{step.order:>2}",
        purpose=_purpose_label(step),
        action=localized(term("action", step.action)),
    )
    rule = step.rule
    lines = [f"{title}{' ' * max(1, WIDTH - len(title) - len(rule))}{rule}"]
    indent = "    "
    if step.resolved and step.agency is not None:
        acronym = f" ({step.agency.acronym})" if step.agency.acronym else ""
        lines += _wrap(
            _("{state}: {agency}").format(
                state=step.state, agency=agency_title(step.agency) + acronym
            ),
            indent=indent,
            first=indent,
        )
        lines += _contact_lines(step.contacts, at, indent)
    else:
        unresolved = _("{role} - UNRESOLVED").format(role=localized(term("role", step.role)))
        if step.state:
            unresolved = _("{state}: {agency}").format(state=step.state, agency=unresolved)
        lines += _wrap(
            unresolved,
            indent=indent,
            first=indent,
        )
        if step.missing:
            lines += _wrap(_hint(step.missing), indent=indent + "  ", first=indent)
    if step.requires_consent:
        lines += _wrap(_("only with the person's consent"), indent=indent, first=indent)
    if step.agreement is not None:
        lines += _wrap(
            _("agreement: {line}").format(line=_agreement_line(step.agreement)),
            indent=indent + "  ",
            first=indent,
        )
    for mention in step.mentioned:
        status = localized(term("agreement-status", mention.status))
        text = (
            _("also: {title} [{id}]: {status}")
            if mention.status == "also in force"
            else _("also: {title} [{id}]: {status}, not applied")
        )
        lines += _wrap(
            text.format(title=mention.agreement.title, id=mention.agreement.id, status=status),
            indent=indent + "  ",
            first=indent,
        )
    lines += _wrap(_basis(step.basis), indent=indent + "  ", first=indent)
    for note in step.notes:
        lines += _wrap(f"- {localized(note)}", indent=indent + "  ", first=indent)
    for warning in step.warnings:
        lines += _wrap(_common.warn(f"! {localized(warning)}"), indent=indent + "  ", first=indent)
    for other in step.also:
        acronym = f" ({other.agency.acronym})" if other.agency.acronym else ""
        lines += _wrap(
            _("also call: {state}: {agency}").format(
                state=other.state, agency=agency_title(other.agency) + acronym
            ),
            indent=indent + "  ",
            first=indent,
        )
        for note in other.notes:
            lines += _wrap(f"- {localized(note)}", indent=indent + "    ", first=indent + "  ")
        for warning in other.warnings:
            lines += _wrap(
                _common.warn(f"! {localized(warning)}"), indent=indent + "    ", first=indent + "  "
            )
        lines += _contact_lines(other.contacts, at, indent + "  ")
    if explain:
        for line in step.provenance:
            lines += _wrap(
                _("why: {reason}").format(reason=localized(line)),
                indent=indent + "  ",
                first=indent,
            )
    elif step.provenance:
        lines += _wrap(
            ngettext(
                "({n} source note: --explain)",
                "({n} source notes: --explain)",
                len(step.provenance),
            ).format(n=len(step.provenance)),
            indent=indent,
            first=indent,
        )
    return lines


def _agreement_line(agreement: Any) -> str:
    """One line for an agreement: its title, status and what it authorises."""
    provides = _provisions(agreement)
    status = localized(term("agreement-status", agreement.status))
    if provides:
        return _("{title} [{id}]: {status}; {provisions}").format(
            title=agreement.title,
            id=agreement.id,
            status=status,
            provisions=_separator().join(provides),
        )
    return _("{title} [{id}]: {status}").format(
        title=agreement.title, id=agreement.id, status=status
    )


def _provisions(agreement: Any) -> list[str]:
    p = agreement.provides
    provides = []
    if p.boarding != "none":
        boarding = localized(term("boarding", p.boarding))
        provides.append(
            _("boarding {how} for {states}").format(how=boarding, states=", ".join(p.boarding_by))
            if p.boarding_by
            else _("boarding {how}").format(how=boarding)
        )
    if p.entry_by:
        provides.append(_("entry into waters by {states}").format(states=", ".join(p.entry_by)))
    if p.landing_by:
        provides.append(_("landing by {states}").format(states=", ".join(p.landing_by)))
    # Its scope: whom and where it covers, as routing applies it.
    if not p.covers_migrant_smuggling:
        provides.append(_("not for migrant smuggling"))
    if p.nationalities:
        provides.append(
            _("for nationals of {states} only").format(states=", ".join(p.nationalities))
        )
    if p.zones:
        zones = ", ".join(localized(term("zone", zone)) for zone in p.zones)
        provides.append(_("only in zones {zones}").format(zones=zones))
    if p.notification_hours:
        provides.append(_("notice within {hours} h").format(hours=p.notification_hours))
    if p.return_days:
        provides.append(_("return within {days} days").format(days=p.return_days))
    if p.condition:
        provides.append(_("only if {condition}").format(condition=p.condition))
    return provides


def _wrap(text: str, *, indent: str = "", first: str = "", keep_last: bool = False) -> list[str]:
    # Long words (ids, addresses, URLs) are never split: a line may run long instead. With
    # keep_last, the last word stays on the line of the word before it ("id xx-yy").
    if keep_last:
        head, _space, last = text.rpartition(" ")
        text = f"{head}\u00a0{last}" if head else text
    lines = textwrap.wrap(
        _common.glue_punctuation(text),
        width=WIDTH - min(_common.wide_characters(text), 40),
        initial_indent=first,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [first]
    return [_common.unglue(line) for line in lines]


# agreements, consular ------------------------------------------------------------------------


def agreements(args: argparse.Namespace) -> int:
    directory = _common.load(args)
    held = sorted(directory.states)
    if args.between:
        a, b = (state_code(x, field="between", preferred=held) for x in args.between)
        if a == b:
            raise InterceptionError(
                _("give two different states, not {code} twice").format(code=a),
                field="between",
                value=a,
            )
        # Their sovereigns' agreements extended to them too, as a contact plan applies them.
        found = directory.agreements_between(a, b, kind=args.kind, extended=True)
        if args.state is not None:
            party = state_code(args.state, field="state", preferred=held)
            found = [x for x in found if party in x.parties or party in x.extends_to]
    else:
        state = (
            state_code(args.state, field="state", preferred=held)
            if args.state is not None
            else None
        )
        found = directory.agreements_of(state, args.kind, extended=True)
    if args.format == "json":
        from somnet import to_json  # the converter's module, for JSON only

        _common.print_json(to_json(found))
        return 0
    if not found:
        print(_("no agreement matches"))
        return 0
    # Each status as a contact plan made today reads it (today on the home state's calendar,
    # else UTC, as plans and ``directory stale`` count it): one recorded in force from a day
    # still ahead is not yet in force, one denounced with effect from a day ahead still is.
    today = _common.today_at_home(directory)
    dates_in_words = {
        "signed": N_("signed {date}"),
        "in_force": N_("in force {date}"),
        "ended": N_("ended {date}"),
    }
    for agreement in found:
        lines = [
            *_wrap(agreement.title, indent="  "),
            *_wrap(
                _("id {id}  kind {kind}  parties {parties}  status {status}").format(
                    id=agreement.id,
                    kind=localized(term("agreement-kind", agreement.kind)),
                    parties=", ".join(agreement.parties),
                    status=localized(
                        term("agreement-status", agreement_status_on(agreement, today))
                    ).upper(),
                ),
                indent="    ",
                first="  ",
            ),
        ]
        dates = [
            (
                _("ends {date}")
                if name == "ended" and agreement.ended is not None and agreement.ended > today
                else _(text)
            ).format(date=getattr(agreement, name))
            for name, text in dates_in_words.items()
            if getattr(agreement, name)
        ]
        if dates:
            lines.append("  " + ", ".join(dates))
        if agreement.extends_to:
            lines += _wrap(
                _("extended to {territories}").format(territories=", ".join(agreement.extends_to)),
                indent="    ",
                first="  ",
            )
        provides = _provisions(agreement)
        if provides:
            lines += _wrap(
                _("provides: {provisions}").format(provisions=_separator().join(provides)),
                indent="    ",
                first="  ",
            )
        for note in agreement.notes:
            lines += _wrap(f"- {localized(quoted(note))}", indent="    ", first="  ")
        print("\n".join(lines))
    return 0


def consular(args: argparse.Namespace) -> int:
    directory = _common.load(args)
    # As routing finds them: a territory's people through its sovereign's posts, a territory
    # with no record of its own through the posts accredited to its sovereign. It checks the
    # codes (and refuses "stateless": no consul serves those who have no nationality).
    from somnet import consular_posts  # its views are not needed by the contact plan

    posts = consular_posts(directory, args.nationality, args.receiving)
    held = sorted(directory.states)
    nationality = state_code(args.nationality, field="nationality", preferred=held)
    receiving = state_code(args.receiving, field="receiving", preferred=held)
    if args.format == "json":
        from somnet import to_json

        _common.print_json(to_json(posts))
        return 0
    sovereign = directory.sovereign_of(nationality)
    title = (
        _("{nationality} nationals in {receiving}")
        if sovereign == nationality
        # A territory grants no nationality: its people are its sovereign's nationals.
        else _("People of {nationality} (nationals of {sovereign}) in {receiving}")
    ).format(
        nationality=localized(state_name(nationality)),
        sovereign=sovereign,
        receiving=localized(state_name(receiving)),
    )
    # Without a post, notice goes through diplomatic channels: the ministry is named.
    ministry = directory.foreign_ministry(nationality)
    if not posts:
        print(
            "\n".join(
                _wrap(
                    _(
                        "{title}: the directory records no consular mission; ask the foreign "
                        "ministry of {code} or its nearest mission."
                    ).format(title=title, code=nationality)
                )
            )
        )
        _print_ministry(ministry)
        return 0
    print(title)
    for row in posts:
        mission = row.mission
        status = "" if row.status == "confirmed" else "  " + _("[uncertain]")
        kind = localized(term("mission", row.type))
        if mission is None:
            line = _("{kind}: no representation covers {receiving}").format(
                kind=kind, receiving=receiving
            )
            print("\n".join(_wrap(line + status, indent="      ", first="  ")))
        else:
            post = directory.agency(mission.id)
            name = agency_title(post) if post is not None else mission.name_en
            line = _("{kind}: {mission}{status}   id {id}").format(
                kind=kind, mission=name, status=status, id=mission.id
            )
            print("\n".join(_wrap(line, indent="      ", first="  ", keep_last=True)))
            # The records behind the view say which telephone numbers are placeholders.
            records = {c.id: c for c in post.contacts} if post is not None else {}
            # Labels padded to the longest in the reader's language, as in the contact details.
            width = max(
                [8] + [len(_channel(ch.kind)) for c in mission.contacts for ch in c.channels]
            )
            for c in mission.contacts:
                tag = " " + _("[illustrative]") if c.illustrative else ""
                if c.sensitivity == "restricted":
                    tag += " " + _("[restricted]")
                print("\n".join(_wrap(f"- {c.name or c.id}{tag}", indent="      ", first="    ")))
                record = records.get(c.id)
                for n, ch in enumerate(c.channels):
                    value = ch.value
                    if record is not None:
                        channel = record.channels[n]
                        if channel.telephone and not channel.dialable:
                            value += " " + _("(not dialable)")
                    hours = _hours(ch.availability) if ch.availability else _("hours unknown")
                    line = f"{_channel(ch.kind):<{width}} {value:<30} {hours}"
                    print("\n".join(_wrap(line, indent=" " * (9 + width), first=" " * 8)))
        for note in row.notes:
            # Routing's own notes are messages (translated); the data's are quoted as written.
            text = localized(note) if isinstance(note, Message) else localized(quoted(note))
            print("\n".join(_wrap(f"- {text}", indent="      ", first="    ")))
    if all(row.mission is None for row in posts):
        _print_ministry(ministry)
    if any(c.illustrative for r in posts if r.mission for c in r.mission.contacts):
        print("\n" + "\n".join(_wrap(_common.warn(localized(directory.illustrative_notice)))))
    return 0


def _print_ministry(ministry: Agency | None) -> None:
    """The foreign ministry that takes notice through diplomatic channels where no post does."""
    if ministry is None:
        return
    line = _("Foreign ministry (the diplomatic channel): {ministry}   id {id}").format(
        ministry=agency_title(ministry), id=ministry.id
    )
    print("\n".join(_wrap(line, indent="      ", first="  ", keep_last=True)))
