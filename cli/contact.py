"""``somnet contact`` (the plan for an interception), ``somnet agreements``,
``somnet consular``."""

from __future__ import annotations

import argparse
import textwrap
from datetime import datetime
from typing import TYPE_CHECKING, Any

from somnet import (
    CONDITIONS,
    ILLUSTRATIVE_NOTICE,
    ZONES,
    Directory,
    InterceptionError,
    consular_channels,
    home_state,
    make_interception,
    plan_contacts,
    state_code,
    state_name,
    to_json,
)

from . import _common

if TYPE_CHECKING:
    from somnet import ContactPlan, Interception, Step

#: What each condition flag means, for --help; the conditions are somnet.CONDITIONS.
CONDITION_HELP = {
    "distress": "the vessel or people aboard are in distress",
    "injured": "people aboard are injured or ill",
    "deaths": "people died",
    "minors": "children are aboard",
    "unaccompanied": "unaccompanied or separated children are aboard",
    "asylum": "someone asks for asylum or fears return",
    "trafficking": "signs of trafficking in persons",
    "smugglers": "suspected smugglers are aboard or identified",
    "corruption": "signs that officials are involved",
}
WIDTH = 80

CONTACT_EPILOG = """\
examples:
  somnet contact --flag HT --zone contiguous
  somnet contact --flag HT --zone contiguous --coastal BS --as BS --nationality HT --distress
  somnet contact --stateless --zone high-seas --as BS --nationality CU,HT --minors --format json

The acting state defaults to SOMNET_HOME_STATE, else home_state in config.toml in the user
config directory (~/.config/somnet/ on Linux; SOMNET_CONFIG names another file). Codes are
ISO 3166-1 alpha-2, any case. --at without an offset is read in the acting state's zone.
"""


def register(commands: Any) -> None:
    p = commands.add_parser(
        "contact",
        help="whom to contact for an interception, in order, with the legal basis",
        description="Whom to contact for an interception at sea, in what order, on what legal "
        "basis, through which channel open now (rules R1-R15: docs/routing.md).",
        epilog=CONTACT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    vessel = p.add_mutually_exclusive_group()
    vessel.add_argument("--flag", metavar="XX", help="the state whose flag the vessel flies")
    vessel.add_argument("--stateless", action="store_true", help="the vessel has no nationality")
    p.add_argument(
        "--zone",
        required=True,
        type=str.lower,
        metavar="ZONE",
        help=f"where it was intercepted: {', '.join(ZONES)}",
    )
    p.add_argument("--coastal", metavar="XX", help="the state whose zone it is")
    p.add_argument(
        "--as",
        dest="acting",
        metavar="XX",
        help="the intercepting state (default: the configured home state)",
    )
    p.add_argument(
        "--disembark",
        metavar="XX",
        help="where people will be landed (default: coastal state in its waters and "
        "contiguous zone, else the acting state)",
    )
    p.add_argument(
        "--nationality",
        action="append",
        default=[],
        metavar="XX[,YY]",
        help="nationalities aboard (comma-separated, repeatable)",
    )
    for name in CONDITIONS:
        p.add_argument(f"--{name}", action="store_true", help=CONDITION_HELP[name])
    p.add_argument(
        "--return",
        dest="return_considered",
        action="store_true",
        help="return or repatriation is being considered",
    )
    p.add_argument(
        "--at", metavar="TIME", help="when contact is made, ISO 8601 with offset (default: now)"
    )
    p.add_argument(
        "--stale-days",
        type=_common.positive_days,
        default=365,
        metavar="N",
        help="flag contacts verified more than N days ago (365)",
    )
    p.add_argument(
        "--brief", action="store_true", help="print only the call list (one line a step)"
    )
    p.add_argument(
        "--explain",
        action="store_true",
        help="add each step's provenance: the agreements' notes, the records' reasoning",
    )
    _common.add_data_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=contact, flags=FLAGS)

    p = commands.add_parser(
        "agreements",
        help="bilateral and regional agreements",
        description="Agreements in the directory, oldest first. Only those in force change a "
        "contact plan; the others are listed with their status.",
        epilog="examples:\n  somnet agreements --between US HT\n"
        "  somnet agreements --state BS --kind repatriation\n"
        "  somnet agreements --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--between", nargs=2, metavar=("A", "B"), help="both states are parties")
    p.add_argument("--state", metavar="X", help="this state is a party")
    p.add_argument(
        "--kind",
        type=str.lower,
        choices=["repatriation", "interdiction", "shiprider", "sar", "mou", "multilateral"],
    )
    _common.add_data_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=agreements, flags={"between": "--between", "state": "--state"})

    p = commands.add_parser(
        "consular",
        help="which mission serves nationals of N in D",
        description="The consular mission of a nationality covering a "
        "state (VCCR art. 36), in the order resident, concurrent, honorary.",
        epilog="examples:\n  somnet consular --nationality HT --in BS\n"
        "  somnet consular --nationality IN --in HN --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--nationality", required=True, metavar="N", help="whose nationals")
    p.add_argument("--in", dest="receiving", required=True, metavar="D", help="where they are")
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
}
#: What to type for a field the plan lacks.
HINTS = {
    "flag": "--flag XX",
    "stateless": "--stateless",
    "coastal": "--coastal XX",
    "acting": "--as XX",
    "disembark": "--disembark XX",
    "nationalities": "--nationality XX[,YY]",
}


def _nationalities(values: list[str]) -> list[str]:
    codes = []
    for value in values:
        for part in value.split(","):
            if not part.strip():
                raise InterceptionError(
                    f"empty code in {value!r}; write codes like HT,CU"[:120],
                    field="nationalities",
                    value=value,
                )
            codes.append(part)
    return codes


def interception_from_args(directory: Directory, args: argparse.Namespace) -> Interception:
    """The interception the flags describe; the acting state defaults to the home state."""
    acting = args.acting
    if not acting:
        configured, source = home_state()
        # Named by where it was set (SOMNET_HOME_STATE, the config file), not as --as.
        acting = state_code(configured, field=source) if configured else None
    return make_interception(
        zone=args.zone,
        flag=args.flag,
        stateless=args.stateless,
        coastal=args.coastal,
        acting=acting,
        disembark=args.disembark,
        nationalities=_nationalities(args.nationality),
        conditions=[name for name in CONDITIONS if getattr(args, name)],
        return_considered=args.return_considered,
        at=None if args.at is None or args.at.strip().lower() == "now" else args.at,
        directory=directory,
    )


# contact -----------------------------------------------------------------------------------


def contact(args: argparse.Namespace) -> int:
    directory = _common.load(args)
    interception = interception_from_args(directory, args)
    plan = plan_contacts(directory, interception, stale_days=args.stale_days)
    if args.format == "json":
        _common.print_json(plan.to_json())
    else:
        print(render_plan(plan, brief=args.brief, explain=args.explain))
    return 0


def _hint(fields: tuple[str, ...] | list[str]) -> str:
    hints = [HINTS[f] for f in fields if f in HINTS]
    if "acting" in fields:
        hints.append("set SOMNET_HOME_STATE")
    return "add " + " or ".join(dict.fromkeys(hints)) if hints else ""


#: What each step is, in words, for the call list and the step titles.
PURPOSE_LABELS = {
    "sar-coordination": "SAR coordination",
    "coastal-state-authorization": "Entry authorisation",
    "coastal-state-notification": "Coastal notice",
    "flag-state-authorization": "Flag state",
    "disembarkation": "Landing consent",
    "protection-referral": "Protection referral",
    "child-protection": "Child protection",
    "trafficking-victim-referral": "Trafficking victims",
    "consular-access": "Consular access",
    "consular-death-notification": "Death notice",
    "investigation": "Investigation",
    "repatriation": "Repatriation",
    "anti-corruption": "Anti-corruption",
}
#: Where the vessel is, in words: "in the EEZ of BS", "on the high seas".
ZONE_PHRASES = {
    "internal": "in the internal waters",
    "territorial": "in the territorial sea",
    "archipelagic": "in the archipelagic waters",
    "contiguous": "in the contiguous zone",
    "eez": "in the EEZ",
    "high-seas": "on the high seas",
}
#: Channels a person can be reached on by voice, preferred in the call list.
VOICE = ("phone", "mobile", "vhf", "satphone", "hf")
#: Columns of the call list: order, action, what, whom; the channel takes the rest.
ACTION_WIDTH, WHAT_WIDTH, WHOM_WIDTH = 7, 19, 16


def render_plan(plan: ContactPlan, *, brief: bool = False, explain: bool = False) -> str:
    """The plan as text for an 80-column terminal: the call list first (one line a step: what,
    whom, the channel open now), then each step in detail unless ``brief``; agreements'
    provenance and the records' reasoning only when ``explain``."""
    i = plan.interception
    vessel = "Stateless vessel" if i.stateless else f"{i.flag or '?'}-flagged vessel"
    where = ZONE_PHRASES[i.zone] + (f" of {i.coastal}" if i.coastal else "")
    head = f"{vessel} {where}; acting {i.acting or '?'}; landing in {i.disembark or '?'}"
    facts = [f"aboard: {', '.join(i.nationalities)}"] if i.nationalities else []
    if i.conditions:
        facts.append(", ".join(c for c in CONDITIONS if c in i.conditions))
    if i.return_considered:
        facts.append("return considered")
    out = _wrap(head)
    if facts:
        out += _wrap("; ".join(facts))
    out += _wrap(f"at {_local(i.at)}")
    for warning in plan.warnings:
        out += _wrap(_common.warn(f"! {warning}"), indent="  ")
    if plan.missing:
        out += _wrap(_common.warn(f"! {_hint(plan.missing)}"), indent="  ")
    out += ["", *_call_list(plan)]
    if brief:
        return "\n".join(out)
    for note in plan.notes:
        out += ["", *_wrap(f"{note.rule}: {note.text}", indent="    ")]
        out += _wrap(f"basis: {'; '.join(note.basis)}", indent="    ", first="    ")
    for step in plan.steps:
        out.append("")
        out += _render_step(step, explain=explain)
    return "\n".join(out)


def _local(moment: datetime) -> str:
    """A time with its UTC offset, not a zone abbreviation (CST is Havana's and Guatemala's)."""
    return f"{moment:%a %d %b %Y %H:%M} ({_offset(moment)})"


def _offset(moment: datetime) -> str:
    delta = moment.utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta is not None else 0
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _call_list(plan: ContactPlan) -> list[str]:
    """One line a step, resolved ones first: what, whom, and the channel to use now."""
    lines = ["CALL LIST (details below)"]
    resolved = [s for s in plan.steps if s.resolved]
    unresolved = [s for s in plan.steps if not s.resolved]
    for step in resolved:
        lead = _list_lead(step) + _whom(step).ljust(WHOM_WIDTH) + " "
        now = _now(step)
        if len(lead) + len(now) <= WIDTH:
            lines.append(f"{lead}{now}")
        else:
            # A value is never cut: it goes on its own line under the step.
            lines.append(lead.rstrip())
            lines += _wrap(now, indent=" " * 11, first=" " * 11)
    if unresolved:
        lines.append("NOT RESOLVED (what to add)")
        for step in unresolved:
            lead, missing = _list_lead(step), _missing(step)
            if len(lead) + len(missing) <= WIDTH:
                lines.append(lead + missing)
            else:
                lines.append(lead.rstrip())
                lines += _wrap(missing, indent=" " * 11, first=" " * 11)
    return lines


def _whom(step: Step) -> str:
    """A short name: the acronym, else the name or the id when either fits."""
    agency = step.agency
    if agency is None:
        return "?"
    for name in (agency.acronym, agency.name_en, agency.id):
        if name and len(name) <= WHOM_WIDTH:
            return name
    return _cut(agency.name_en, WHOM_WIDTH)


def _list_lead(step: Step) -> str:
    what = _cut(PURPOSE_LABELS[step.purpose], WHAT_WIDTH)
    return f"{step.order:>2} {step.action:<{ACTION_WIDTH}} {what:<{WHAT_WIDTH}} "


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _now(step: Step) -> str:
    """The channel to use now (voice first, then any), or when the first one opens."""
    channels = [ch for choice in step.contacts for ch in choice.channels]
    open_now = [ch for ch in channels if ch.available]
    if open_now:
        best = next(
            (ch for ch in open_now if ch.kind in VOICE and not ch.placeholder),
            next((ch for ch in open_now if not ch.placeholder), open_now[0]),
        )
        return (
            f"{best.kind} {best.value}"
            + (" (not dialable)" if best.placeholder else "")
            + (" (24/7)" if best.always else "")
        )
    openings = [ch.next_available for ch in channels if ch.next_available is not None]
    if openings:
        first = min(openings)
        return f"closed, opens {first:%a %H:%M} ({_offset(first)})"
    return "no channel in the directory" if not channels else "closed, hours unknown"


def _missing(step: Step) -> str:
    if step.missing:
        return _hint(step.missing)
    if step.warnings:
        return step.warnings[0]
    return f"no {step.role} authority of {step.state} in the directory"


def _render_step(step: Step, *, explain: bool = False) -> list[str]:
    title = f"{step.order:>2}. {PURPOSE_LABELS[step.purpose]} ({step.action})"
    rule = step.rule
    lines = [f"{title}{' ' * max(1, WIDTH - len(title) - len(rule))}{rule}"]
    indent = "    "
    if step.resolved and step.agency is not None:
        acronym = f" ({step.agency.acronym})" if step.agency.acronym else ""
        lines += _wrap(f"{step.state}: {step.agency.name_en}{acronym}", indent=indent, first=indent)
        for n, choice in enumerate(step.contacts[:3]):
            c = choice.contact
            label = c.name or c.title or c.id
            tag = " [illustrative]" if c.illustrative and "illustrative" not in label else ""
            lead = "> " if n == 0 else "  "
            lines += _wrap(
                f"{lead}{label} ({'/'.join(c.languages)}){tag}", indent=indent + "  ", first=indent
            )
            for ch in choice.channels:
                if ch.available:
                    when = "24/7" if ch.always else f"open now ({ch.hours})"
                elif ch.next_available is not None:
                    # The agency's local time with its UTC offset (not CST, which is ambiguous).
                    when = (
                        f"closed, opens {ch.next_available:%a %H:%M} "
                        f"({_offset(ch.next_available)}; {ch.hours})"
                    )
                else:
                    when = "closed"
                value = f"{ch.value} (not dialable)" if ch.placeholder else ch.value
                lines += _wrap(
                    f"{ch.kind:<8} {value}  {when}",
                    indent=indent + " " * 13,
                    first=indent + "    ",
                )
        if len(step.contacts) > 3:
            lines.append(f"{indent}  (+{len(step.contacts) - 3} more contacts: --format json)")
    else:
        who = f"{step.state}: " if step.state else ""
        lines += _wrap(f"{who}{step.role} - UNRESOLVED", indent=indent, first=indent)
        if step.missing:
            lines += _wrap(_hint(step.missing), indent=indent + "  ", first=indent)
    if step.requires_consent:
        lines += _wrap("only with the person's consent", indent=indent, first=indent)
    if step.agreement is not None:
        lines += _wrap(
            f"agreement: {_agreement_line(step.agreement)}", indent=indent + "  ", first=indent
        )
    for mention in step.mentioned:
        lines += _wrap(
            f"also: {mention.agreement.title} [{mention.agreement.id}]: {mention.status}"
            + ("" if mention.status == "also in force" else ", not applied"),
            indent=indent + "  ",
            first=indent,
        )
    lines += _wrap(f"basis: {'; '.join(step.basis)}", indent=indent + "  ", first=indent)
    for note in step.notes:
        lines += _wrap(f"- {note}", indent=indent + "  ", first=indent)
    for warning in step.warnings:
        lines += _wrap(_common.warn(f"! {warning}"), indent=indent + "  ", first=indent)
    if explain:
        for line in step.provenance:
            lines += _wrap(f"why: {line}", indent=indent + "  ", first=indent)
    elif step.provenance:
        lines += _wrap(
            f"({len(step.provenance)} source note(s): --explain)", indent=indent, first=indent
        )
    return lines


def _agreement_line(agreement: Any) -> str:
    """One line for an agreement: its title, status and what it authorises."""
    provides = _provisions(agreement)
    return f"{agreement.title} [{agreement.id}]: {agreement.status}" + (
        f"; {'; '.join(provides)}" if provides else ""
    )


def _provisions(agreement: Any) -> list[str]:
    p = agreement.provides
    provides = []
    if p.boarding != "none":
        provides.append(
            f"boarding {p.boarding}" + (f" for {', '.join(p.boarding_by)}" if p.boarding_by else "")
        )
    if p.entry_by:
        provides.append(f"entry into waters by {', '.join(p.entry_by)}")
    if p.landing_by:
        provides.append(f"landing by {', '.join(p.landing_by)}")
    if p.notification_hours:
        provides.append(f"notice within {p.notification_hours} h")
    if p.return_days:
        provides.append(f"return within {p.return_days} days")
    if p.condition:
        provides.append(f"only if {p.condition}")
    return provides


def _wrap(text: str, *, indent: str = "", first: str = "") -> list[str]:
    # Long words (ids, addresses, URLs) are never split: a line may run long instead.
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=first,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [first]


# agreements, consular ------------------------------------------------------------------------


def agreements(args: argparse.Namespace) -> int:
    directory = _common.load(args)
    held = sorted(directory.states)
    if args.between:
        a, b = (state_code(x, field="between", preferred=held) for x in args.between)
        if a == b:
            raise InterceptionError(
                f"give two different states, not {a} twice", field="between", value=a
            )
        found = directory.agreements_between(a, b, kind=args.kind)
        if args.state:
            party = state_code(args.state, field="state", preferred=held)
            found = [x for x in found if party in x.parties]
    else:
        state = state_code(args.state, field="state", preferred=held) if args.state else None
        found = directory.agreements_of(state, args.kind)
    if args.format == "json":
        _common.print_json(to_json(found))
        return 0
    if not found:
        print("no agreement matches")
        return 0
    for agreement in found:
        lines = [
            *_wrap(agreement.title, indent="  "),
            *_wrap(
                f"id {agreement.id}  kind {agreement.kind}  parties "
                f"{', '.join(agreement.parties)}  status {agreement.status.upper()}",
                indent="    ",
                first="  ",
            ),
        ]
        dates = [
            f"{n} {getattr(agreement, n)}"
            for n in ("signed", "in_force", "ended")
            if getattr(agreement, n)
        ]
        if dates:
            lines.append("  " + ", ".join(d.replace("_", " ") for d in dates))
        provides = _provisions(agreement)
        if provides:
            lines.append("  provides: " + "; ".join(provides))
        for note in agreement.notes:
            lines += _wrap(f"- {note}", indent="    ", first="  ")
        print("\n".join(lines))
    return 0


def consular(args: argparse.Namespace) -> int:
    directory = _common.load(args)
    held = sorted(directory.states)
    nationality = state_code(args.nationality, field="nationality", preferred=held)
    receiving = state_code(args.receiving, field="receiving", preferred=held)
    if nationality == receiving:
        raise InterceptionError(
            f"{nationality} nationals in their own state need no consular access; give another "
            "state",
            field="receiving",
            value=receiving,
        )
    # As routing finds them: a territory's people through its sovereign's posts, a territory
    # with no record of its own through the posts accredited to its sovereign.
    channels, inferred, cautions = consular_channels(directory, nationality, receiving)
    rows: list[dict[str, Any]] = []
    for channel in channels:
        post = directory.agency(channel.mission) if channel.mission else None
        rows.append(
            {
                "nationality": channel.nationality,
                "receiving": receiving,
                "type": channel.type,
                "status": channel.status,
                "mission": _common.agency_json(directory, post) if post else None,
                "notes": [*inferred, *cautions, *channel.notes],
            }
        )
    if args.format == "json":
        _common.print_json(rows)
        return 0
    title = f"{state_name(nationality)} nationals in {state_name(receiving)}"
    if not rows:
        print(
            f"{title}: the directory records no consular mission; ask the foreign ministry "
            f"of {nationality} or its nearest mission."
        )
        return 0
    print(title)
    for row in rows:
        mission: dict[str, Any] | None = row["mission"]
        status = "" if row["status"] == "confirmed" else "  [uncertain]"
        if mission is None:
            print(f"  {row['type']}: no representation covers {receiving}{status}")
        else:
            print(f"  {row['type']}: {mission['name_en']}{status}   id {mission['id']}")
            for c in mission["contacts"]:
                tag = " [illustrative]" if c["illustrative"] else ""
                print(f"    - {c['name'] or c['id']}{tag}")
                for ch in c["channels"]:
                    print(f"        {ch['kind']:<8} {ch['value']:<30} {ch['availability']}")
        for note in row["notes"]:
            print("\n".join(_wrap(f"- {note}", indent="      ", first="    ")))
    if any(c["illustrative"] for r in rows if r["mission"] for c in r["mission"]["contacts"]):
        print("\n" + "\n".join(_wrap(_common.warn(ILLUSTRATIVE_NOTICE))))
    return 0
