"""``somnet directory ...``: validate, show, search, stale, export (and the sharing commands
registered by somnet_cli.sync)."""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import TYPE_CHECKING, Any

from somnet import (
    N_,
    BadInputError,
    agency_view,
    coverage,
    days_before,
    export_directory,
    language,
    localized,
    ngettext,
    quoted,
    stale_report,
    state_code,
    state_name,
    term,
    to_json,
    validation_view,
    vcards,
    years_before,
)
from somnet import gettext as _

from . import _common, sync

if TYPE_CHECKING:
    from somnet import Agency, Directory


DIRECTORY_EPILOG = N_("""\
examples:
  somnet directory validate --data /secure/overlay
  somnet directory show HT
  somnet directory search "coast guard"
  somnet directory stale --days 180 --evidence-years 3 --format json
  somnet directory export --format vcard --state BS > bahamas.vcf
  somnet directory sync https://office.example.org/somnet/ --trust office.key.pub
""")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "directory",
        help=_("read, check and share the directory"),
        description=_("Read, check and share the regional directory."),
        epilog=_(DIRECTORY_EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(help_parser=parser)
    sub = parser.add_subparsers(dest="directory_command", metavar="SUBCOMMAND")

    p = sub.add_parser("validate", help=_("check every data file; exit 2 listing each problem"))
    _common.refuse_repeated_options(p)
    _common.add_data_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=validate)

    p = sub.add_parser("show", help=_("a state's agencies, roles, contacts, channels and hours"))
    _common.refuse_repeated_options(p)
    p.add_argument("state", metavar="XX", help=_("ISO 3166-1 alpha-2 code, e.g. HT"))
    _common.add_data_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=show, flags={"state": "directory show"})

    p = sub.add_parser(
        "search", help=_("agencies by name, acronym, role, contact, telephone number or e-mail")
    )
    _common.refuse_repeated_options(p)
    p.add_argument(
        "text",
        nargs="+",
        help=_(
            "a name, an acronym, a role, a contact, a telephone number (any way it is "
            "written, or its end) or an e-mail address"
        ),
    )
    _common.add_data_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=search, flags={"text": "directory search"})

    p = sub.add_parser(
        "stale",
        help=_("records not verified for a while, and records whose evidence is old"),
        description=_(
            "Two checks: records whose last_verified is more than --days days old "
            "(states, agencies, contacts, agreements, consular channels, SAR regions), and "
            "records whose newest source (published or as_of) is more than --evidence-years "
            "years old, or undated (states and their maritime claims, SOM Protocol status, "
            "status under the refugee convention and refugee protocol, under UNCLOS and "
            "under the CRC, and mandatory-notification list; agencies, agreements, consular "
            "channels, SAR regions)."
        ),
    )
    _common.refuse_repeated_options(p)
    p.add_argument(
        "--days",
        type=_common.positive_days,
        default=365,
        help=_("not verified for more days than (365)"),
    )
    p.add_argument(
        "--evidence-years",
        type=_common.whole_number_of("years"),
        default=5,
        metavar="YEARS",
        help=_("newest evidence older than this many years (5)"),
    )
    _common.add_data_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=stale)

    p = sub.add_parser(
        "coverage",
        help=_("what the directory covers, per jurisdiction: agencies, claims, gaps"),
        description=_(
            "One line a jurisdiction: agencies acting for it (confirmed/uncertain, "
            "consulates left out), its maritime claims, its Smuggling of Migrants Protocol "
            "status, whether a SAR region covers its waters, how many nationalities have a "
            "consular post serving it, and the core roles no agency holds (each named in the "
            "state's notes)."
        ),
    )
    _common.refuse_repeated_options(p)
    p.add_argument(
        "--format",
        choices=["table", "json", "markdown"],
        default="table",
        type=str.lower,
        help=_("table for people (default), json for scripts, markdown for documents"),
    )
    _common.add_data_option(p)
    p.set_defaults(run=coverage_command)

    p = sub.add_parser("export", help=_("the directory as JSON or vCard"))
    _common.refuse_repeated_options(p)
    p.add_argument(
        "--format",
        choices=["json", "vcard"],
        default="json",
        type=str.lower,
        help=_("json (default: states and agencies with contacts) or vcard (one card a contact)"),
    )
    p.add_argument(
        "--state",
        metavar="XX",
        help=_("only this state's agencies and those serving it (its consulates, UN offices)"),
    )
    p.add_argument(
        "--include-restricted",
        action="store_true",
        help=_("also write the contacts marked restricted (left out by default)"),
    )
    _common.add_data_option(p)
    p.set_defaults(run=export, flags={"state": "--state"})

    sync.register(sub)


# validate ------------------------------------------------------------------------------------


def validate(args: argparse.Namespace) -> int:
    directory, replaced = _common.load_checked(args)  # validation always reads every file
    summary = validation_view(directory, replaced)
    if args.format == "json":
        _common.print_json(to_json(summary))
    else:
        print(
            _(
                "valid: {states} states, {agencies} agencies, {contacts} contacts, "
                "{agreements} agreements, {consular} consular channels, {regions} SAR regions"
            ).format(
                states=summary.states,
                agencies=summary.agencies,
                contacts=summary.contacts,
                agreements=summary.agreements,
                consular=summary.consular_channels,
                regions=summary.sar_regions,
            )
        )
        for layer in directory.layers:
            print("  " + _("from {folder}").format(folder=layer))
        if replaced:
            count = len(replaced)
            print(
                ngettext(
                    "{n} record replaced by a later layer:",
                    "{n} records replaced by a later layer:",
                    count,
                ).format(n=count)
            )
            for r in replaced:
                record = f"{localized(term('record', r.kind))} {r.id}"
                print("  " + _("{where}: {message}").format(where=record, message=" ".join(r.by)))
                print(
                    "    "
                    + _("replaces {file} {path}").format(file=r.replaced[0], path=r.replaced[1])
                )
        if directory.filled_gaps:
            # Information for the layers' maintainers, not a warning: plans use the agency.
            count = len(directory.filled_gaps)
            print(
                ngettext(
                    "{n} gap recorded in one layer is filled from another:",
                    "{n} gaps recorded in one layer are filled from another:",
                    count,
                ).format(n=count)
            )
            for g in directory.filled_gaps:
                print(
                    "  "
                    + _("{where}: {message}").format(
                        where=f"{g.state} {g.role}", message=" ".join((g.agency, *g.by))
                    )
                )
                print(
                    "    "
                    + _("fills the gap at {file} {path}").format(file=g.gap[0], path=g.gap[1])
                )
    return 0


# show ----------------------------------------------------------------------------------------


def show(args: argparse.Namespace) -> int:
    directory = _common.load(args)
    code = state_code(args.state, field="state", preferred=sorted(directory.states))
    state = directory.state(code)
    # Its own agencies, those sitting in its territories too (the U.S. Coast Guard sector in
    # Puerto Rico is at home, not a mission abroad).
    own_agencies = [
        a
        for a in directory.agencies(state=code)
        if a.located_in in (None, code) or directory.same_state(a.located_in, code)
    ]
    serving = [a for a in directory.agencies(serving=code) if a not in own_agencies]
    # Its embassies and consulates in other states: named here, shown in full with the states
    # they serve (for a nationality without a state file, all the directory holds of it).
    abroad = sorted(
        (a for a in directory.agencies(state=code) if a not in own_agencies),
        key=lambda a: a.id,
    )
    if state is None and not own_agencies and not serving and not abroad:
        raise _holds_nothing(directory, code)
    if args.format == "json":
        _common.print_json(
            {
                "state": to_json(state) if state else None,
                "agencies": to_json([agency_view(directory, a) for a in own_agencies]),
                "serving_from_elsewhere": to_json([agency_view(directory, a) for a in serving]),
                "missions_abroad": to_json([agency_view(directory, a) for a in abroad]),
            }
        )
        return 0
    out: list[str] = []
    if state:
        m = state.maritime
        names = [state.names.en, state.names.es, state.names.fr]
        # The name in the language in use first.
        own = {"es": state.names.es, "fr": state.names.fr}.get(language())
        if own:
            names = [own, *(n for n in names if n != own)]
        out += _wrap_words(f"{state.code}  {' / '.join(names)}", indent="")
        labels = {
            "zones": _("time zones"),
            "languages": _("languages"),
            "working": _("working"),
            "maritime": _("maritime"),
            "protocol": _("SOM Protocol"),
            "convention_1951": _("Refugee Convention"),
            "protocol_1967": _("Refugee Protocol"),
            "unclos": _("UNCLOS"),
            "crc": _("CRC"),
            "notify": _("must notify"),
        }
        width = max(len(label) for label in labels.values()) + 1

        def field(key: str, value: str) -> None:
            lines = textwrap.wrap(
                _common.glue_punctuation(f"{labels[key]:<{width}}{value}"),
                width=80,
                initial_indent="  ",
                subsequent_indent=" " * (2 + width),
                break_on_hyphens=False,
                break_long_words=False,
            )
            out.extend(_common.unglue(line) for line in lines)

        field("zones", ", ".join(state.timezones))
        field("languages", ", ".join(state.languages))
        field("working", localized(state.working_hours))
        zones = [_("territorial sea {nm} nm").format(nm=m.territorial_sea_nm)]
        if m.contiguous_zone_nm:
            zones.append(_("contiguous zone {nm} nm").format(nm=m.contiguous_zone_nm))
        if m.eez_nm:
            zones.append(_("EEZ {nm} nm").format(nm=m.eez_nm))
        if m.archipelagic:
            zones.append(_("archipelagic state"))
        claims = ", ".join(zones)
        if m.status != "confirmed":
            claims += "  " + _("[uncertain]")
        field("maritime", claims)
        parties = {
            "yes": N_("party"),
            "no": N_("not a party"),
            "uncertain": N_("status uncertain"),
        }
        # A refugee instrument the layer does not record reads as uncertain, as routing reads it.
        # A party is one from the day the instrument binds it, as routing reads it: the SOM
        # Protocol on the thirtieth day after the deposit, the Convention on the ninetieth.
        for key, status, bound in (
            ("protocol", state.som_protocol, state.som_protocol.binding_from()),
            (
                "convention_1951",
                state.refugee_convention,
                state.refugee_convention.binding_from("convention")
                if state.refugee_convention
                else None,
            ),
            (
                "protocol_1967",
                state.refugee_protocol,
                state.refugee_protocol.binding_from("protocol") if state.refugee_protocol else None,
            ),
        ):
            party = parties[status.party if status else "uncertain"]
            if status and status.date and bound and bound != status.date:
                shown = _("{party} since {date} (deposited {deposit})").format(
                    party=_(party), date=bound, deposit=status.date
                )
            elif status and status.date:
                shown = _("{party} since {date}").format(party=_(party), date=status.date)
            else:
                shown = _(party)
            field(key, shown)
        # UNCLOS and the CRC: a territory's are its sovereign's, read there as routing reads
        # them; not recorded reads as uncertain here, as nothing is said in a plan.
        for treaty, recorded, in_file in (
            ("unclos", directory.treaty_status(code, "unclos"), state.unclos),
            ("crc", directory.treaty_status(code, "crc"), state.crc),
        ):
            party = parties[recorded.party if recorded else "uncertain"]
            shown = (
                # The deposit, not the day it bound the state: routing does not read it.
                _("{party} (deposited {deposit})").format(party=_(party), deposit=recorded.date)
                if recorded and recorded.date
                else _(party)
            )
            if recorded is not None and in_file is None and state.sovereign:
                shown = _("{status} (as {sovereign})").format(
                    status=shown, sovereign=state.sovereign
                )
            field(treaty, shown)
        # Whose consular post it must notify of a detained national whatever the person's
        # wish: routing skips the consent on it (R6).
        # A territory detains with its sovereign's duties too.
        sovereign = directory.state(state.sovereign) if state.sovereign else None
        for bound_by in (state, sovereign):
            notify = bound_by.mandatory_notification if bound_by else None
            if bound_by is None or notify is None:
                continue
            listed = ", ".join(sorted(notify.nationalities))
            if notify.status != "confirmed":
                listed += "  " + _("[uncertain]")
            if bound_by is not state:
                listed = _("{nationalities} (as {sovereign})").format(
                    nationalities=listed, sovereign=bound_by.code
                )
            field("notify", listed)
        for note in state.notes:
            out += _wrap_words(_("note: {note}").format(note=localized(quoted(note))), indent="  ")
        for gap in state.role_gaps:
            roles = ", ".join(localized(term("role", r)) for r in gap.roles)
            out += _wrap_words(
                _("no agency for {roles}: {note}").format(
                    roles=roles, note=localized(quoted(gap.summary))
                ),
                indent="  ",
            )
    else:
        out.append(
            _("{code}  {name} (no state record in the directory)").format(
                code=code, name=localized(state_name(code))
            )
        )
    _agency_lines(directory, own_agencies, out)
    if abroad:
        missions = ", ".join(f"{a.id}{_common.NO_BREAK}({a.located_in})" for a in abroad)
        out.append("")
        out += _wrap_words(
            _("Missions of {code} abroad, each with the state it sits in: {missions}").format(
                code=code, missions=missions
            ),
            indent="",
        )
    if serving:
        out.append("")
        out.append(_("Serving {code} from elsewhere:").format(code=code))
        _agency_lines(directory, serving, out)
    if any(c.illustrative for a in own_agencies + serving for c in a.contacts):
        out += ["", *_wrap_words(_common.warn(localized(directory.illustrative_notice)), indent="")]
    print("\n".join(out))
    return 0


def _agency_lines(directory: Directory, agencies: list[Agency], out: list[str]) -> None:
    # The channels' labels padded to the longest in the reader's language (8 in English; the
    # French "téléphone" is 9), so that every value starts in one column.
    width = max(
        [8]
        + [
            len(localized(term("channel", c.kind)))
            for a in agencies
            for contact in a.contacts
            for c in contact.channels
        ]
    )
    for agency in agencies:
        out.append("")
        acronym = f" ({agency.acronym})" if agency.acronym else ""
        flag = "  " + _("[uncertain]") if agency.status != "confirmed" else ""
        # The agency's own name (in its official language) first outside English.
        first, second = (
            (agency.name_en, agency.name) if language() == "en" else (agency.name, agency.name_en)
        )
        out += _wrap_words(
            _("{name}{acronym}{status}   id {id}").format(
                name=first, acronym=acronym, status=flag, id=agency.id
            ),
            indent="",
            keep_last=True,
        )
        if agency.name != agency.name_en:
            out += _wrap_words(second, indent="  ")
        roles = ", ".join(localized(term("role", r)) for r in agency.roles)
        out += _wrap_words(_("roles: {roles}").format(roles=roles), indent="  ")
        if agency.covers:
            out += _wrap_words(
                _("serves: {states}").format(states=", ".join(agency.covers)), indent="  "
            )
        hours = directory.agency_hours(agency)
        zone = directory.agency_timezone(agency)
        out += _wrap_words(
            _("hours: {hours} ({zone})").format(hours=localized(hours), zone=zone)
            if hours is not None
            # A post abroad where the directory holds no file of the place it sits.
            else _("hours: unknown ({zone})").format(zone=zone),
            indent="  ",
        )
        for contact in agency.contacts:
            tag = " " + _("[illustrative]") if contact.illustrative else ""
            if contact.sensitivity == "restricted":
                tag += " " + _("[restricted]")
            label = contact.name or contact.title or contact.id
            kind = localized(term("contact", contact.kind))
            out += _wrap_words(
                f"- {label} ({kind}, {'/'.join(contact.languages)}){tag}", indent="  "
            )
            if contact.roles and set(contact.roles) != set(agency.roles):
                # Only some of its agency's roles: say which, as the JSON does.
                only = ", ".join(localized(term("role", r)) for r in contact.roles)
                out += _wrap_words(_("roles: {roles}").format(roles=only), indent="      ")
            for channel in contact.channels:
                when = directory.channel_hours(agency, channel) or _("hours unknown")
                value = channel.value
                if channel.telephone and not channel.dialable:
                    value += " " + _("(not dialable)")
                label = localized(term("channel", channel.kind))
                line = f"{label:<{width}} {value:<32} {localized(when)}"
                out += _wrap_words(line, indent="      ", rest=" " * (7 + width))


# search, stale -----------------------------------------------------------------------------


def _shown_as_nothing(text: str) -> bool:
    """Whether ``text`` is only spaces and characters shown as nothing (a zero-width space, a
    soft hyphen), which search does not compare: a search for nothing."""
    import unicodedata

    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


def search(args: argparse.Namespace) -> int:
    text = " ".join(args.text)  # the words as typed, quoted or not
    if not text.strip() or (not text.isprintable() and _shown_as_nothing(text)):
        raise BadInputError(
            _("give some text to look for (a name, an acronym, a role)"), field="text", value=""
        )
    directory = _common.load(args)
    found = directory.search(text)
    if args.format == "json":
        _common.print_json(to_json([agency_view(directory, a) for a in found]))
        return 0
    if not found:
        print(_("no agency matches {text}").format(text=repr(text)))
        return 0
    for agency in found:
        acronym = f" ({agency.acronym})" if agency.acronym else ""
        name = agency.name_en if language() == "en" else agency.name
        roles = ", ".join(localized(term("role", r)) for r in agency.roles)
        line = f"{agency.state}  {agency.id:<28} {name}{acronym}  [{roles}]"
        print("\n".join(_wrap_words(line, indent="", rest=" " * 4)))
    return 0


def stale(args: argparse.Namespace) -> int:
    directory = _common.load(args)
    today = _common.today_at_home(directory)
    report = stale_report(
        directory, days=args.days, evidence_years=args.evidence_years, today=today
    )
    if args.format == "json":
        _common.print_json(to_json(report))
        return 0
    unverified = report.unverified.records
    old = report.old_evidence.records
    limit = days_before(today, args.days)
    if unverified:
        heading = ngettext(
            "not verified for more than {days} day (last verified before {limit}): {count}",
            "not verified for more than {days} days (last verified before {limit}): {count}",
            args.days,
        ).format(days=args.days, limit=limit, count=len(unverified))
        print("\n".join(_wrap_words(heading, indent="")))
        _print_rows(
            [(row.state, localized(term("record", row.kind)), row.id) for row in unverified],
            [
                [
                    ngettext(
                        "verified {date} ({days} day ago)",
                        "verified {date} ({days} days ago)",
                        row.days,
                    ).format(date=row.last_verified.isoformat(), days=row.days)
                ]
                for row in unverified
            ],
        )
    else:
        print(
            ngettext(
                "no record is older than {days} day",
                "no record is older than {days} days",
                args.days,
            ).format(days=args.days)
        )
    since = years_before(today, args.evidence_years)
    if old:
        heading = ngettext(
            "newest evidence older than {years} year (before {since}), or undated: {count}",
            "newest evidence older than {years} years (before {since}), or undated: {count}",
            args.evidence_years,
        ).format(years=args.evidence_years, since=since, count=len(old))
        print("\n".join(_wrap_words(heading, indent="")))
        evidences = [
            ngettext(
                "evidence {date} ({years} year)",
                "evidence {date} ({years} years)",
                aged.years or 0,
            ).format(date=aged.newest_evidence.isoformat(), years=aged.years)
            if aged.newest_evidence
            else _("no dated evidence")
            for aged in old
        ]
        _print_rows(
            [(aged.state, localized(term("record", aged.kind)), aged.id) for aged in old],
            [
                [evidence, _("verified {date}").format(date=aged.last_verified.isoformat())]
                for aged, evidence in zip(old, evidences, strict=True)
            ],
        )
    else:
        print(
            ngettext(
                "every record has evidence from the last {years} year",
                "every record has evidence from the last {years} years",
                args.evidence_years,
            ).format(years=args.evidence_years)
        )
    return 0


def _print_rows(heads: list[tuple[str, str, str]], details: list[list[str]]) -> None:
    """Rows of a report in columns: state, kind and id, then the details. In 80 columns: when
    the widest row does not fit, each row's details go on the line below its id."""
    kind_width = max(len(kind) for _state, kind, _id in heads)
    id_width = max(len(record) for _state, _kind, record in heads)
    widths = [max(len(row[n]) for row in details) for n in range(len(details[0]))]
    lead = [
        f"  {state:<5} {kind:<{kind_width}} {record:<{id_width}}" for state, kind, record in heads
    ]
    cells = [
        " ".join(f"{c:<{w}}" for c, w in zip(row, widths, strict=True)).rstrip() for row in details
    ]
    if max(len(a) + 1 + len(b) for a, b in zip(lead, cells, strict=True)) <= 80:
        for a, b in zip(lead, cells, strict=True):
            print(f"{a} {b}")
        return
    for a, row in zip(lead, details, strict=True):
        print(a.rstrip())
        print("\n".join(_wrap_words("  ".join(row), indent=" " * 8)))


# export ------------------------------------------------------------------------------------


def export(args: argparse.Namespace) -> int:
    directory = _common.load(args)
    chosen = export_directory(
        directory, state=args.state, include_restricted=args.include_restricted
    )
    if args.state is not None and not chosen.states and not chosen.agencies:
        # As show refuses it: an empty file made from a mistyped code would be passed around.
        raise _holds_nothing(directory, state_code(args.state, field="state"))
    cards: str | None = None
    if args.format == "json":
        _common.print_json(
            {
                "states": to_json(list(chosen.states)),
                "agencies": to_json([agency_view(directory, a) for a in chosen.agencies]),
            }
        )
    else:
        cards = vcards(directory, chosen.agencies)
        _common.write_document(cards)
    # A file exported is passed around: say what of the restricted directory is in it, or not,
    # and when it holds no card at all (read as "nobody to call" otherwise).
    if cards == "" and not chosen.restricted:
        text = _("no contact to write: the vCard file is empty")
    elif chosen.restricted and chosen.include_restricted:
        text = ngettext(
            "wrote {n} restricted contact: handle the file as restricted",
            "wrote {n} restricted contacts: handle the file as restricted",
            chosen.restricted,
        )
    elif chosen.restricted:
        text = ngettext(
            "left out {n} restricted contact (--include-restricted writes it)",
            "left out {n} restricted contacts (--include-restricted writes them)",
            chosen.restricted,
        )
    else:
        return 0
    sys.stdout.flush()
    text = text.format(n=chosen.restricted)
    warning = _("somnet: warning: {warning}").format(warning=text)
    print(_common.colour(warning, "1;33", sys.stderr), file=sys.stderr)
    return 0


def coverage_command(args: argparse.Namespace) -> int:
    rows = coverage(_common.load(args))
    if args.format == "json":
        _common.print_json(to_json(rows))
        return 0
    if args.format == "markdown":
        # A table for documents, written in English like the JSON (codes and role names).
        print(
            "| code | sovereign | agencies confirmed / uncertain | maritime claims "
            "| SOM Protocol | SAR region | consular posts of | roles with no agency |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(
                f"| {r.code} | {r.sovereign or ''} | {r.agencies_confirmed} / "
                f"{r.agencies_uncertain} | {r.maritime} | {r.som_protocol} | "
                f"{'yes' if r.sar_region else 'no'} | {r.consular_nationalities} "
                f"{'nationality' if r.consular_nationalities == 1 else 'nationalities'} "
                f"| {', '.join(r.missing_roles) or '-'} |"
            )
        return 0
    headings = [
        _("code"),
        _("sov"),
        _("agencies"),
        _("claims"),
        _("SOM Protocol"),
        _("SAR"),
        _("consular posts of"),
    ]
    widths = [
        max(len(headings[0]), 4),
        max(len(headings[1]), 3),
        max(len(headings[2]), 8),
        max(len(headings[3]), *(len(localized(term("certainty", r.maritime))) for r in rows)),
        max(len(headings[4]), *(len(localized(term("party", r.som_protocol))) for r in rows)),
        max(len(headings[5]), len(_("yes")), len(_("no"))),
    ]
    print("  ".join(h.ljust(w) for h, w in zip(headings, [*widths, 0], strict=True)).rstrip())
    for r in rows:
        cells = [
            r.code,
            r.sovereign or "-",
            f"{r.agencies_confirmed}/{r.agencies_uncertain}",
            localized(term("certainty", r.maritime)),
            localized(term("party", r.som_protocol)),
            _("yes") if r.sar_region else _("no"),
        ]
        nationalities = ngettext(
            "{n} nationality", "{n} nationalities", r.consular_nationalities
        ).format(n=r.consular_nationalities)
        print(
            "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + "  " + nationalities
        )
        if r.missing_roles:
            roles = ", ".join(localized(term("role", role)) for role in r.missing_roles)
            text = _("no agency for: {roles}").format(roles=roles)
            print("\n".join(_wrap_words(text, indent=" " * 5)))
    return 0


def _wrap_words(
    text: str, *, indent: str, rest: str | None = None, keep_last: bool = False
) -> list[str]:
    """80 columns; an id, an address or a URL is never split (a line may run long instead).
    With ``keep_last``, the last word stays on the line of the word before it ("id xx-yy")."""
    if keep_last:
        head, _space, last = text.rpartition(" ")
        text = f"{head}\u00a0{last}" if head else text
    lines = textwrap.wrap(
        _common.glue_punctuation(text),
        width=80 - min(_common.wide_characters(text), 40),
        initial_indent=indent,
        subsequent_indent=indent + "  " if rest is None else rest,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [indent]
    return [_common.unglue(line) for line in lines]


def _holds_nothing(directory: Directory, code: str) -> BadInputError:
    """``--state`` naming a code the directory holds nothing for (show, export)."""
    return BadInputError(
        _("the directory holds nothing for {code} ({name}); it holds {codes}").format(
            code=code,
            name=localized(state_name(code)),
            codes=", ".join(sorted(directory.states)),
        ),
        field="state",
        value=code,
    )
