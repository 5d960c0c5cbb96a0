"""``somnet contact`` (the plan for an interception), ``somnet agreements``,
``somnet consular``."""

from __future__ import annotations

import argparse
import textwrap
from datetime import datetime
from typing import TYPE_CHECKING, Any

from somnet_cli import _common
from somnet_cli.directory import ILLUSTRATIVE_NOTE, _positive_days

from somnet._interception import CONDITIONS, MAX_YEAR, MIN_YEAR, ZONES

if TYPE_CHECKING:
    from somnet import Directory
    from somnet._routing import ContactPlan, Step

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
        type=_positive_days,
        default=365,
        metavar="N",
        help="flag contacts verified more than N days ago (365)",
    )
    _common.add_data_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=contact)

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
    p.set_defaults(run=agreements)

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
    p.set_defaults(run=consular)


# Parsing ---------------------------------------------------------------------------------


def _nationalities(directory: Directory, values: list[str]) -> list[str]:
    from somnet import InterceptionError

    codes = []
    for value in values:
        for part in value.split(","):
            if not part.strip():
                raise InterceptionError(
                    f"--nationality: empty code in {value!r}; write codes like HT,CU"
                )
            code = _common.state_code(directory, part, "--nationality")
            codes.append(code)
    return codes


def _when(text: str | None, acting: str | None, acting_zone: str | None) -> datetime | None:
    from somnet import InterceptionError

    if text is None or text.strip().lower() == "now":
        return None
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InterceptionError(
            f"--at: {text!r} is not a time; write ISO 8601 with its offset, e.g. "
            "2026-12-01T03:00-05:00 or 2026-12-01T08:00Z"
        ) from None
    if not MIN_YEAR <= at.year <= MAX_YEAR:
        raise InterceptionError(f"--at: {text!r} is outside the years {MIN_YEAR}-{MAX_YEAR}")
    if at.tzinfo is not None:
        return at
    if acting_zone is None:
        why = (
            f"the directory holds no time zone for the acting state {acting}"
            if acting
            else "the acting state is unknown"
        )
        raise InterceptionError(
            f"--at: {text!r} has no UTC offset and {why}; add the offset, e.g. "
            "2026-12-01T03:00-05:00"
        )
    from datetime import UTC
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(acting_zone)
    first, second = at.replace(tzinfo=zone), at.replace(tzinfo=zone, fold=1)
    if first.astimezone(UTC) != second.astimezone(UTC):
        # A wall time the clock skips or repeats at a daylight-saving change is not one instant.
        skipped = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != at
        what = "does not exist" if skipped else "happens twice"
        offsets = " or ".join(
            sorted({f"{t.isoformat(timespec='minutes')[-6:]}" for t in (first, second)})
        )
        raise InterceptionError(
            f"--at: {text!r} {what} in {acting_zone} (a daylight-saving change); add the UTC "
            f"offset ({offsets})"
        )
    return first


def interception_from_args(directory: Directory, args: argparse.Namespace) -> Any:
    """The interception the flags describe, with codes checked against ISO 3166-1."""
    from somnet._config import home_state
    from somnet._interception import make_interception

    acting_text, source = (args.acting, "--as") if args.acting else home_state()
    acting = _common.state_code(directory, acting_text, source) if acting_text else None
    acting_state = directory.state(acting) if acting else None
    conditions = [name for name in CONDITIONS if getattr(args, name)]
    return make_interception(
        zone=args.zone,
        flag=_common.state_code(directory, args.flag, "--flag"),
        stateless=args.stateless,
        coastal=_common.state_code(directory, args.coastal, "--coastal"),
        acting=acting,
        disembark=_common.state_code(directory, args.disembark, "--disembark"),
        nationalities=_nationalities(directory, args.nationality),
        conditions=conditions,
        return_considered=args.return_considered,
        at=_when(args.at, acting, acting_state.timezone if acting_state else None),
    )


# contact -----------------------------------------------------------------------------------


def contact(args: argparse.Namespace) -> int:
    from somnet import InterceptionError
    from somnet._routing import plan_contacts

    if args.zone not in ZONES:
        raise InterceptionError(
            f"--zone: {args.zone!r} is not a zone; choose one of {', '.join(ZONES)}"
        )
    directory = _common.load(args)
    interception = interception_from_args(directory, args)
    plan = plan_contacts(directory, interception, stale_days=args.stale_days)
    if args.format == "json":
        _common.print_json(plan.to_json())
    else:
        print(render_plan(plan))
    return 0


def render_plan(plan: ContactPlan) -> str:
    """The plan as text for an 80-column terminal: numbered steps, best channel first."""
    i = plan.interception
    vessel = "stateless vessel" if i.stateless else f"{i.flag or '?'}-flagged vessel"
    head = (
        f"{vessel} in the {i.zone} zone"
        + (f" of {i.coastal}" if i.coastal else "")
        + f"; acting {i.acting or '?'}; landing in {i.disembark or '?'}"
    )
    facts = [f"aboard: {', '.join(i.nationalities)}"] if i.nationalities else []
    if i.conditions:
        facts.append(", ".join(c for c in CONDITIONS if c in i.conditions))
    if i.return_considered:
        facts.append("return considered")
    out = _wrap(head)
    if facts:
        out += _wrap("; ".join(facts))
    out += _wrap(f"at {i.at.isoformat(timespec='minutes')}")
    for warning in plan.warnings:
        out += _wrap(_common.warn(f"! {warning}"), indent="  ")
    for note in plan.notes:
        out += ["", *_wrap(f"{note.rule}: {note.text}", indent="    ")]
        out += _wrap(f"basis: {'; '.join(note.basis)}", indent="    ", first="    ")
    for step in plan.steps:
        out.append("")
        out += _render_step(step)
    return "\n".join(out)


def _render_step(step: Step) -> list[str]:
    purpose = step.purpose.replace("-", " ").upper()
    title = f"{step.order:>2}. {purpose} ({step.action})"
    rule = step.rule
    lines = [f"{title}{' ' * max(1, WIDTH - len(title) - len(rule))}{rule}"]
    indent = "    "
    if step.resolved and step.agency is not None:
        acronym = f" ({step.agency.acronym})" if step.agency.acronym else ""
        lines += _wrap(f"{step.state}: {step.agency.name_en}{acronym}", indent=indent, first=indent)
        for n, choice in enumerate(step.contacts[:3]):
            c = choice.contact
            tag = " [illustrative]" if c.illustrative else ""
            lead = "> " if n == 0 else "  "
            label = c.name or c.title or c.id
            lines += _wrap(
                f"{lead}{label} ({'/'.join(c.languages)}){tag}", indent=indent + "  ", first=indent
            )
            for ch in choice.channels:
                if ch.available:
                    when = "24/7" if ch.always else f"open now ({ch.hours})"
                elif ch.next_available is not None:
                    # The agency's local time, with its zone's abbreviation (EST, AST...).
                    when = f"closed, opens {ch.next_available:%a %H:%M %Z} ({ch.hours})"
                else:
                    when = "closed"
                lines += _wrap(
                    f"{ch.kind:<8} {ch.value}  {when}",
                    indent=indent + " " * 13,
                    first=indent + "    ",
                )
        if len(step.contacts) > 3:
            lines.append(f"{indent}  (+{len(step.contacts) - 3} more contacts: --format json)")
    else:
        who = f"{step.state}: " if step.state else ""
        lines += _wrap(f"{who}{step.role} - UNRESOLVED", indent=indent, first=indent)
    if step.requires_consent:
        lines += _wrap("only with the person's consent", indent=indent, first=indent)
    if step.agreement is not None:
        lines += _wrap(
            f"agreement: {step.agreement.title} [{step.agreement.id}]",
            indent=indent + "  ",
            first=indent,
        )
    lines += _wrap(f"basis: {'; '.join(step.basis)}", indent=indent + "  ", first=indent)
    for note in step.notes:
        lines += _wrap(f"- {note}", indent=indent + "  ", first=indent)
    for warning in step.warnings:
        lines += _wrap(_common.warn(f"! {warning}"), indent=indent + "  ", first=indent)
    return lines


def _wrap(text: str, *, indent: str = "", first: str = "") -> list[str]:
    return textwrap.wrap(
        text, width=WIDTH, initial_indent=first, subsequent_indent=indent, break_on_hyphens=False
    ) or [first]


# agreements, consular ------------------------------------------------------------------------


def agreements(args: argparse.Namespace) -> int:
    from somnet import InterceptionError

    directory = _common.load(args)
    if args.between:
        a, b = (_common.state_code(directory, x, "--between") for x in args.between)
        if a == b:
            raise InterceptionError(f"--between: give two different states, not {a} twice")
        found = directory.agreements_between(a, b, kind=args.kind)
        if args.state:
            state = _common.state_code(directory, args.state, "--state")
            found = [x for x in found if state in x.parties]
    else:
        state = _common.state_code(directory, args.state, "--state")
        found = directory.agreements_of(state, args.kind)
    if args.format == "json":
        _common.print_json([_agreement_json(a) for a in found])
        return 0
    if not found:
        print("no agreement matches")
        return 0
    for agreement in found:
        p = agreement.provides
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
        provides = []
        if p.boarding != "none":
            provides.append(
                f"boarding {p.boarding}"
                + (f" for {', '.join(p.boarding_by)}" if p.boarding_by else "")
            )
        if p.entry_by:
            provides.append(f"entry into waters by {', '.join(p.entry_by)}")
        if p.notification_hours:
            provides.append(f"notice within {p.notification_hours} h")
        if p.return_days:
            provides.append(f"return within {p.return_days} days")
        if provides:
            lines.append("  provides: " + "; ".join(provides))
        for note in agreement.notes:
            lines += _wrap(f"- {note}", indent="    ", first="  ")
        print("\n".join(lines))
    return 0


def _agreement_json(a: Any) -> dict[str, Any]:
    p = a.provides
    return {
        "id": a.id,
        "title": a.title,
        "kind": a.kind,
        "parties": list(a.parties),
        "status": a.status,
        "signed": a.signed.isoformat() if a.signed else None,
        "in_force": a.in_force.isoformat() if a.in_force else None,
        "ended": a.ended.isoformat() if a.ended else None,
        "provides": {
            "boarding": p.boarding,
            "boarding_by": list(p.boarding_by),
            "entry_by": list(p.entry_by),
            "notification_hours": p.notification_hours,
            "return_days": p.return_days,
            "nationalities": list(p.nationalities),
            "zones": list(p.zones),
        },
        "sources": [{"title": s.title, "url": s.url} for s in a.sources],
        "notes": list(a.notes),
    }


def consular(args: argparse.Namespace) -> int:
    from somnet_cli.directory import agency_json

    from somnet._codes import state_name

    directory = _common.load(args)
    nationality = _common.state_code(directory, args.nationality, "--nationality")
    receiving = _common.state_code(directory, args.receiving, "--in")
    if nationality == receiving:
        from somnet import InterceptionError

        raise InterceptionError(
            f"--nationality {nationality} --in {receiving}: nationals in their own state "
            "need no consular access; give another state with --in"
        )
    channels = directory.consular_channels(nationality=nationality, receiving=receiving)
    rows = []
    for channel in channels:
        mission = directory.agency(channel.mission) if channel.mission else None
        rows.append(
            {
                "nationality": channel.nationality,
                "receiving": receiving,
                "type": channel.type,
                "status": channel.status,
                "mission": agency_json(directory, mission) if mission else None,
                "notes": list(channel.notes),
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
        mission = row["mission"]
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
        print("\n" + "\n".join(_wrap(_common.warn(ILLUSTRATIVE_NOTE))))
    return 0
