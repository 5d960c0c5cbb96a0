"""``somnet directory ...``: validate, show, search, stale, export (and the sharing commands
registered by somnet_cli.sync)."""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import date
from typing import TYPE_CHECKING, Any

from somnet import (
    ILLUSTRATIVE_NOTICE,
    BadInputError,
    coverage,
    days_before,
    state_code,
    state_name,
    to_json,
    vcards,
    years_before,
)

from . import _common, sync

if TYPE_CHECKING:
    from somnet import Agency, Directory


DIRECTORY_EPILOG = """\
examples:
  somnet directory validate --data /secure/overlay
  somnet directory show HT
  somnet directory search "coast guard"
  somnet directory stale --days 180 --evidence-years 3 --format json
  somnet directory export --format vcard --state BS > bahamas.vcf
  somnet directory sync https://office.example.org/somnet/ --trust office.key.pub
"""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "directory",
        help="read, check and share the directory",
        description="Read, check and share the regional directory.",
        epilog=DIRECTORY_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(help_parser=parser)
    sub = parser.add_subparsers(dest="directory_command", metavar="SUBCOMMAND")

    p = sub.add_parser("validate", help="check every data file; exit 2 listing each problem")
    _common.add_data_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=validate)

    p = sub.add_parser("show", help="a state's agencies, roles, contacts, channels and hours")
    p.add_argument("state", metavar="XX", help="ISO 3166-1 alpha-2 code, e.g. HT")
    _common.add_data_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=show, flags={"state": "directory show"})

    p = sub.add_parser("search", help="agencies by name, acronym, role or contact")
    p.add_argument("text")
    _common.add_data_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=search, flags={"text": "directory search"})

    p = sub.add_parser(
        "stale",
        help="records not verified for a while, and records whose evidence is old",
        description="Two checks: records whose last_verified is more than --days days old "
        "(contacts, agencies, states, agreements, consular channels, SAR regions), and records "
        "whose newest source (published or as_of) is more than --evidence-years years old, or "
        "undated.",
    )
    p.add_argument(
        "--days",
        type=_common.positive_days,
        default=365,
        help="not verified for more days than (365)",
    )
    p.add_argument(
        "--evidence-years",
        type=_common.whole_number_of("years"),
        default=5,
        metavar="YEARS",
        help="newest evidence older than this many years (5)",
    )
    _common.add_data_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=stale)

    p = sub.add_parser(
        "coverage",
        help="what the directory covers, per jurisdiction: agencies, claims, gaps",
        description="One line a jurisdiction: agencies acting for it (confirmed/uncertain, "
        "consulates left out), its maritime claims, its Smuggling of Migrants Protocol status, "
        "whether a SAR region covers its waters, how many nationalities have a consular post "
        "serving it, and the core roles no agency holds (each named in the state's notes).",
    )
    p.add_argument(
        "--format",
        choices=["table", "json", "markdown"],
        default="table",
        type=str.lower,
        help="table for people (default), json for scripts, markdown for documents",
    )
    _common.add_data_option(p)
    p.set_defaults(run=coverage_command)

    p = sub.add_parser("export", help="the directory as JSON or vCard")
    p.add_argument(
        "--format",
        choices=["json", "vcard"],
        default="json",
        type=str.lower,
        help="json (default: states and agencies with contacts) or vcard (one card a contact)",
    )
    p.add_argument(
        "--state",
        metavar="XX",
        help="only this state's agencies and those serving it (its consulates, UN offices)",
    )
    _common.add_data_option(p)
    p.set_defaults(run=export, flags={"state": "--state"})

    sync.register(sub)


# validate ------------------------------------------------------------------------------------


def validate(args: argparse.Namespace) -> int:
    directory, replaced = _common.load_checked(args)  # validation always reads every file
    contacts = sum(len(a.contacts) for a in directory.all_agencies())
    summary = {
        "valid": True,
        "layers": [str(p) for p in directory.layers],
        "states": len(directory.states),
        "agencies": len(directory.all_agencies()),
        "contacts": contacts,
        "agreements": len(directory.all_agreements()),
        "consular_channels": len(directory.consular),
        "sar_regions": len(directory.sar_regions),
        "replacements": [
            {
                "kind": r.kind,
                "id": r.id,
                "replaced": {"file": r.replaced[0], "path": r.replaced[1]},
                "by": {"file": r.by[0], "path": r.by[1]},
            }
            for r in replaced
        ],
    }
    if args.format == "json":
        _common.print_json(summary)
    else:
        print(
            f"valid: {summary['states']} states, {summary['agencies']} agencies, "
            f"{contacts} contacts, {summary['agreements']} agreements, "
            f"{summary['consular_channels']} consular channels, "
            f"{summary['sar_regions']} SAR regions"
        )
        for layer in directory.layers:
            print(f"  from {layer}")
        if replaced:
            count = len(replaced)
            print(f"{count} record{'s' if count != 1 else ''} replaced by a later layer:")
            for r in replaced:
                print(f"  {r.kind} {r.id}: {r.by[0]} {r.by[1]}")
                print(f"    replaces {r.replaced[0]} {r.replaced[1]}")
    return 0


# show ----------------------------------------------------------------------------------------


def show(args: argparse.Namespace) -> int:
    directory = _common.load(args)
    code = state_code(args.state, field="state", preferred=sorted(directory.states))
    state = directory.state(code)
    own = directory.agencies(state=code)
    own = [a for a in own if a.located_in in (None, code)]
    serving = [a for a in directory.agencies(serving=code) if a not in own]
    if state is None and not own and not serving:
        raise BadInputError(
            f"the directory holds nothing for {code} ({state_name(code)}); "
            f"it holds {', '.join(sorted(directory.states))}",
            field="state",
            value=code,
        )
    if args.format == "json":
        _common.print_json(
            {
                "state": to_json(state) if state else None,
                "agencies": [_common.agency_json(directory, a) for a in own],
                "serving_from_elsewhere": [_common.agency_json(directory, a) for a in serving],
            }
        )
        return 0
    out: list[str] = []
    if state:
        m = state.maritime
        out.append(f"{state.code}  {state.names.en} / {state.names.es} / {state.names.fr}")
        out.append(f"  time zones   {', '.join(state.timezones)}")
        out.append(f"  languages    {', '.join(state.languages)}")
        out.append(f"  working      {state.working_hours}")
        zones = f"territorial sea {m.territorial_sea_nm} nm"
        if m.contiguous_zone_nm:
            zones += f", contiguous zone {m.contiguous_zone_nm} nm"
        if m.eez_nm:
            zones += f", EEZ {m.eez_nm} nm"
        if m.archipelagic:
            zones += ", archipelagic state"
        if m.status != "confirmed":
            zones += "  [uncertain]"
        out.append(f"  maritime     {zones}")
        sp = state.som_protocol
        party = {"yes": "party", "no": "not a party", "uncertain": "status uncertain"}[sp.party]
        out.append(f"  SOM Protocol {party}{f' since {sp.date}' if sp.date else ''}")
        for note in state.notes:
            out += textwrap.wrap(
                f"note: {note}", width=80, initial_indent="  ", subsequent_indent="    "
            )
    else:
        out.append(f"{code}  {state_name(code)} (no state record in the directory)")
    _agency_lines(directory, own, out)
    if serving:
        out.append("")
        out.append(f"Serving {code} from elsewhere:")
        _agency_lines(directory, serving, out)
    if any(c.illustrative for a in own + serving for c in a.contacts):
        out += ["", _common.warn(ILLUSTRATIVE_NOTICE)]
    print("\n".join(out))
    return 0


def _agency_lines(directory: Directory, agencies: list[Agency], out: list[str]) -> None:
    for agency in agencies:
        out.append("")
        acronym = f" ({agency.acronym})" if agency.acronym else ""
        flag = "  [uncertain]" if agency.status != "confirmed" else ""
        out.append(f"{agency.name_en}{acronym}{flag}   id {agency.id}")
        if agency.name != agency.name_en:
            out.append(f"  {agency.name}")
        out.append(f"  roles: {', '.join(agency.roles)}")
        if agency.covers:
            out.append(f"  serves: {', '.join(agency.covers)}")
        hours = directory.agency_hours(agency)
        out.append(f"  hours: {hours} ({directory.agency_timezone(agency)})")
        for contact in agency.contacts:
            tag = " [illustrative]" if contact.illustrative else ""
            label = contact.name or contact.title or contact.id
            out.append(f"  - {label} ({contact.kind}, {'/'.join(contact.languages)}){tag}")
            for channel in contact.channels:
                when = directory.channel_hours(agency, channel)
                value = channel.value
                if channel.telephone and not channel.dialable:
                    value += " (not dialable)"
                out.append(f"      {channel.kind:<8} {value:<32} {when}")


# search, stale -----------------------------------------------------------------------------


def search(args: argparse.Namespace) -> int:
    if not args.text.strip():
        raise BadInputError(
            "give some text to look for (a name, an acronym, a role)", field="text", value=""
        )
    directory = _common.load(args)
    found = directory.search(args.text)
    if args.format == "json":
        _common.print_json([_common.agency_json(directory, a) for a in found])
        return 0
    if not found:
        print(f"no agency matches {args.text!r}")
        return 0
    for agency in found:
        acronym = f" ({agency.acronym})" if agency.acronym else ""
        print(
            f"{agency.state}  {agency.id:<28} {agency.name_en}{acronym}  "
            f"[{', '.join(agency.roles)}]"
        )
    return 0


def stale(args: argparse.Namespace) -> int:
    directory = _common.load(args)
    today = date.today()
    unverified = [
        {
            "kind": r.kind,
            "id": r.id,
            "state": r.state,
            "last_verified": r.last_verified.isoformat(),
            "days": (today - r.last_verified).days,
            "agency": r.agency,
            "illustrative": r.illustrative,
        }
        for r in directory.unverified(days=args.days, today=today)
    ]
    old = []
    for r in directory.old_evidence(years=args.evidence_years, today=today):
        newest = r.newest_evidence
        old.append(
            {
                "kind": r.kind,
                "id": r.id,
                "state": r.state,
                "newest_evidence": newest.isoformat() if newest else None,
                "years": _whole_years(newest, today) if newest else None,
                "last_verified": r.last_verified.isoformat(),
            }
        )
    if args.format == "json":
        _common.print_json(
            {
                "today": today.isoformat(),
                "unverified": {"days": args.days, "records": unverified},
                "old_evidence": {"years": args.evidence_years, "records": old},
            }
        )
        return 0
    limit = days_before(today, args.days)
    if unverified:
        print(
            f"not verified for more than {args.days} days (last verified before {limit}): "
            f"{len(unverified)}"
        )
        for row in unverified:
            print(
                f"  {row['state']:<5} {row['kind']:<15} {row['id']:<36} "
                f"verified {row['last_verified']} ({row['days']} days ago)"
            )
    else:
        print(f"no record is older than {args.days} days")
    since = years_before(today, args.evidence_years)
    if old:
        print(
            f"newest evidence older than {args.evidence_years} years (before {since}), "
            f"or undated: {len(old)}"
        )
        for row in old:
            evidence = (
                f"evidence {row['newest_evidence']} ({row['years']} years)"
                if row["newest_evidence"]
                else "no dated evidence"
            )
            print(
                f"  {row['state']:<5} {row['kind']:<15} {row['id']:<36} {evidence:<30} "
                f"verified {row['last_verified']}"
            )
    else:
        print(f"every record has evidence from the last {args.evidence_years} years")
    return 0


def _whole_years(since: date, today: date) -> int:
    """Whole years from ``since`` to ``today``."""
    years = today.year - since.year
    return years - ((today.month, today.day) < (since.month, since.day))


# export ------------------------------------------------------------------------------------


def export(args: argparse.Namespace) -> int:
    directory = _common.load(args)
    agencies = directory.all_agencies()
    held = sorted(directory.states)
    code = state_code(args.state, field="state", preferred=held) if args.state else None
    if code:
        agencies = [a for a in agencies if a.state == code or code in a.covers]
    if args.format == "json":
        _common.print_json(
            {
                "states": [
                    to_json(s)
                    for c, s in sorted(directory.states.items())
                    if code is None or c == code
                ],
                "agencies": [_common.agency_json(directory, a) for a in agencies],
            }
        )
        return 0
    sys.stdout.write(vcards(directory, agencies))
    return 0


def coverage_command(args: argparse.Namespace) -> int:
    rows = coverage(_common.load(args))
    if args.format == "json":
        _common.print_json(to_json(rows))
        return 0
    if args.format == "markdown":
        print(
            "| code | sovereign | agencies confirmed / uncertain | maritime claims "
            "| SOM Protocol | SAR region | consular posts of | roles with no agency |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(
                f"| {r.code} | {r.sovereign or ''} | {r.agencies_confirmed} / "
                f"{r.agencies_uncertain} | {r.maritime} | {r.som_protocol} | "
                f"{'yes' if r.sar_region else 'no'} | {r.consular_nationalities} nationalities "
                f"| {', '.join(r.missing_roles) or '-'} |"
            )
        return 0
    print("code  sov  agencies  claims     SOM Protocol  SAR  consular posts of")
    for r in rows:
        agencies = f"{r.agencies_confirmed}/{r.agencies_uncertain}"
        print(
            f"{r.code:<4}  {r.sovereign or '-':<3}  {agencies:<8}  {r.maritime:<9}  "
            f"{r.som_protocol:<12}  {'yes' if r.sar_region else 'no':<3}  "
            f"{r.consular_nationalities} nationalities"
        )
        if r.missing_roles:
            text = "no agency for: " + ", ".join(r.missing_roles)
            print("\n".join(_wrap_words(text, indent=" " * 5)))
    return 0


def _wrap_words(text: str, *, indent: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=80,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_on_hyphens=False,
        break_long_words=False,
    )
