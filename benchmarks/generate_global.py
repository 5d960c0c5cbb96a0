"""Write a synthetic global directory that passes ``somnet directory validate``.

    python benchmarks/generate_global.py OUT [--states 200] [--agencies 50] [--contacts 5]
        [--consular 40] [--agreements 2000] [--seed 1]

The default is the size of a global deployment: 200 states, 50 agencies each, 5 contacts per
agency with 2 or 3 channels each, 40 consular channels per state, 2,000 agreements, and one
SAR region per state. The output is the layout of ``data/``: ``states/XX.toml`` (a state and
its agencies), ``agreements.toml``, ``consular.toml`` and ``sar.toml``. The same arguments
always write the same files.

Which codes: the directory refuses a state that is not an ISO 3166-1 alpha-2 code, a
non-multilateral agreement with a party it holds no state for, and a phone number that
phonenumbers does not hold valid. ISO 3166-1 has 249 codes; 242 of them have example numbers
in phonenumbers (Antarctica, Bouvet Island, South Georgia, Heard Island, Pitcairn, the French
Southern Territories and the US Minor Outlying Islands have none) and every one of those has
an IANA zone in tzdata's ``zone.tab``. The states are taken from those 242 candidates in a
fixed order: first the 30 of the region somnet serves (Mexico, Central America, the Caribbean,
the United States, Colombia, Venezuela, Guyana), then the others alphabetically; so
``--states 30`` is the regional scale and ``--states 200`` the global one. Agreements are
between generated states only.

Phone numbers are real-looking and valid: each region's example fixed-line and mobile numbers
(``phonenumbers.example_number_for_type``) with their last digits varied, every variant
checked the way the loader checks it, so that numbers are distinct across the directory (a
per-value cache in the loader must not make the benchmark look faster than real data would).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from somnet import ROLES as ROLE_VOCABULARY
from somnet import ZONES

#: The region somnet serves, first, so that ``--states 30`` is the regional directory.
REGION = (
    "MX", "GT", "BZ", "SV", "HN", "NI", "CR", "PA", "CO", "VE",
    "GY", "US", "CU", "JM", "HT", "DO", "BS", "TC", "KY", "PR",
    "BB", "TT", "AG", "DM", "GD", "KN", "LC", "VC", "AW", "CW",
)  # fmt: skip

# somnet's own vocabularies, so that the generator cannot drift from what the loader accepts.
ROLES = tuple(sorted(ROLE_VOCABULARY))
LANGUAGES = ("en", "es", "fr", "pt", "ar", "ru", "zh", "de", "sw", "hi", "nl", "id")
VERIFIED = date(2026, 6, 1)
AGREEMENT_KINDS = ("repatriation", "interdiction", "shiprider", "sar", "mou")
MISSION_TYPES = ("embassy", "consulate", "concurrent", "honorary")


def q(text: str) -> str:
    """A TOML basic string (JSON string escapes are valid TOML escapes)."""
    return json.dumps(text, ensure_ascii=False)


def qlist(values: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


def source(title: str) -> str:
    return f"[{{ title = {q(title)}, url = {q('https://example.org/source')} }}]"


# Codes, zones and numbers ------------------------------------------------------------------


def zones_by_country() -> dict[str, list[str]]:
    """IANA zones by ISO code, from tzdata's zone.tab (the system copy when tzdata is absent)."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo/zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        text = Path("/usr/share/zoneinfo/zone.tab").read_text("utf-8")
    import zoneinfo

    known = zoneinfo.available_timezones()
    zones: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _coordinates, zone, *_ = line.split("\t")
        if zone in known:
            zones.setdefault(code, []).append(zone)
    return zones


def candidate_codes() -> list[str]:
    """Every ISO code the directory can hold a valid state for, in the generator's order."""
    import phonenumbers
    import pycountry
    from phonenumbers import PhoneNumberType

    zones = zones_by_country()
    usable = {
        c.alpha_2
        for c in pycountry.countries
        if c.alpha_2 in zones
        and phonenumbers.example_number_for_type(c.alpha_2, PhoneNumberType.FIXED_LINE)
    }
    return [c for c in REGION if c in usable] + sorted(usable - set(REGION))


def valid_e164(value: str) -> bool:
    """The loader's check (somnet.directory.validation.phone_problem), without importing somnet."""
    import phonenumbers

    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and (
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == value
    )


def numbers(region: str, mobile: bool) -> Iterator[str]:
    """Distinct valid numbers of a region: its example number with the last digits varied.

    Cycles when every variant has been used (a region with very short numbers)."""
    import phonenumbers
    from phonenumbers import PhoneNumberType

    kind = PhoneNumberType.MOBILE if mobile else PhoneNumberType.FIXED_LINE
    example = phonenumbers.example_number_for_type(region, kind)
    if example is None:
        example = phonenumbers.example_number_for_type(region, PhoneNumberType.FIXED_LINE)
    national = phonenumbers.national_significant_number(example)
    prefix = f"+{example.country_code}"
    width = 4 if len(national) >= 7 else 2
    stem = national[:-width]
    found: list[str] = []
    from somnet.directory.reserved import is_fiction_number

    for n in range(10**width):
        value = f"{prefix}{stem}{n:0{width}d}"
        # A real contact may not hold a number reserved for fiction (the loader refuses it).
        if valid_e164(value) and not is_fiction_number(value):
            found.append(value)
            yield value
    if not found:
        found = [f"{prefix}{national}"]
    while True:
        yield from found


# Writing -------------------------------------------------------------------------------------


class Generator:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        codes = candidate_codes()
        if args.states > len(codes):
            raise SystemExit(
                f"--states {args.states}: only {len(codes)} ISO 3166-1 codes have example "
                "phone numbers and a time zone"
            )
        if args.states < 2:
            raise SystemExit("--states: at least 2 (agreements need two parties)")
        self.codes = codes[: args.states]
        self.zones = zones_by_country()
        #: Where each consular mission sits (written with the states, read for consular.toml).
        self.seats: dict[str, str] = {}
        # The territories of the shipped directory keep their sovereign: laid over it, the
        # generated files replace its states, and its records of those territories (their
        # consular posts, the agreements extended to them) must still hold.
        from somnet import load_directory

        shipped = load_directory(use_env=False)
        self.sovereigns = {c: s.sovereign for c, s in shipped.states.items() if s.sovereign}
        import pycountry

        self.names = {c: pycountry.countries.get(alpha_2=c).name for c in self.codes}
        self.language = {c: LANGUAGES[i % len(LANGUAGES)] for i, c in enumerate(self.codes)}
        self.counts = dict.fromkeys(
            ("states", "agencies", "contacts", "channels", "phone numbers", "consular"), 0
        )
        self.counts.update(agreements=0, sar_regions=0)

    def agency_id(self, code: str, j: int) -> str:
        return f"{code.lower()}-a{j:02d}"

    def consular_agencies(self, code: str) -> list[int]:
        return [j for j in range(self.args.agencies) if ROLES[j % len(ROLES)] == "consular"]

    def others(self, code: str, count: int) -> list[str]:
        pool = [c for c in self.codes if c != code]
        start = self.codes.index(code)
        # The next states in order, so that each receiving state is named once per nationality.
        return [pool[(start + k) % len(pool)] for k in range(min(count, len(pool)))]

    def state_file(self, code: str) -> str:
        args = self.args
        lang = self.language[code]
        zones = self.zones[code][:3]
        fixed = numbers(code, mobile=False)
        mobile = numbers(code, mobile=True)
        lines = [
            "[state]",
            f"code = {q(code)}",
            *([f"sovereign = {q(self.sovereigns[code])}"] if code in self.sovereigns else []),
            f"names = {{ en = {q(self.names[code])}, es = {q(self.names[code])}, "
            f"fr = {q(self.names[code])} }}",
            f"timezones = {qlist(zones)}",
            f"languages = {qlist([lang])}",
            'working_hours = "Mo-Fr 08:00-16:00"',
            'core_hours = "Mo-Fr 09:00-15:00"',
        ]
        if args.agencies > 11 and args.contacts > 0:
            lines.append(f"meeting_focal_point = {q(self.agency_id(code, 11) + '-c0')}")
        lines += [
            f"last_verified = {VERIFIED}",
            f"sources = {source(f'{self.names[code]}: government portal')}",
            "",
            "[state.maritime]",
            "territorial_sea_nm = 12",
            "contiguous_zone_nm = 24",
            "eez_nm = 200",
            f"archipelagic = {'true' if self.rng.random() < 0.1 else 'false'}",
            f"sources = {source('Maritime zones act')}",
            "",
            "[state.som_protocol]",
            f"party = {q(self.rng.choice(('yes', 'yes', 'yes', 'no', 'uncertain')))}",
            f"sources = {source('UN Treaty Collection, XVIII-12-b')}",
        ]
        self.counts["states"] += 1
        abroad = iter(self.others(code, args.agencies))
        for j in range(args.agencies):
            agency = self.agency_id(code, j)
            role = ROLES[j % len(ROLES)]
            roles = [role] if j else ["sar", "maritime-law-enforcement"]
            lines += [
                "",
                "[[agencies]]",
                f"id = {q(agency)}",
                f"state = {q(code)}",
                f"name = {q(f'{self.names[code]} agency {j} ({role})')}",
                f"name_en = {q(f'{self.names[code]} agency {j} ({role})')}",
                f"acronym = {q(f'A{j}')}",
                f"roles = {qlist(roles)}",
            ]
            if j and j % 3 == 0:
                lines.append(f"parent = {q(self.agency_id(code, 0))}")
            if role == "consular" and j:
                where = next(abroad, code)
                self.seats[agency] = where
                lines += [f"located_in = {q(where)}", f"covers = {qlist([where])}"]
            if j % 4 == 1:
                lines.append('working_hours = "Mo-Th 08:00-16:00; Fr 08:00-13:00"')
            if j % 10 == 9:
                lines += ['status = "uncertain"', 'notes = ["Synthetic: not confirmed."]']
            lines += [f"last_verified = {VERIFIED}", f"sources = {source('Official page')}"]
            self.counts["agencies"] += 1
            for k in range(args.contacts):
                kind = ("duty", "desk", "person")[k % 3]
                languages = [lang] if lang == "en" or k % 2 else [lang, "en"]
                stale = (j * args.contacts + k) % 50 == 7
                verified = date(2024, 1, 15) if stale else VERIFIED
                lines += [
                    "",
                    "[[agencies.contacts]]",
                    f"id = {q(f'{agency}-c{k}')}",
                    f"kind = {q(kind)}",
                ]
                if kind == "person":
                    lines.append(f"name = {q(f'Officer {j}.{k}')}")
                lines += [
                    f"title = {q(f'{kind.title()} {k}')}",
                    f"languages = {qlist(languages)}",
                    f"last_verified = {verified}",
                    # Not illustrative: the loader then checks each number as a real one
                    # (phonenumbers), the work this directory is made to measure; an
                    # illustrative contact may only hold numbers reserved for fiction. The
                    # numbers are phonenumbers' examples, varied, in a scratch folder only.
                    "illustrative = false",
                ]
                self.counts["contacts"] += 1
                channels = [("phone", next(fixed)), ("mobile", next(mobile))]
                if self.rng.random() < 0.5:
                    # No e-mail: a real contact's address may not be at a domain reserved for
                    # examples, and this directory writes no address anyone could receive at.
                    self.rng.random()  # the same draws as before, so the same numbers follow
                    channels.append(("fax", next(fixed)))
                for n, (channel_kind, value) in enumerate(channels):
                    lines += ["", "[[agencies.contacts.channels]]"]
                    lines += [f"kind = {q(channel_kind)}", f"value = {q(value)}"]
                    if kind == "duty" and n == 0:
                        lines.append('availability = "24/7"')
                    self.counts["channels"] += 1
                    self.counts["phone numbers"] += channel_kind != "email"
        return "\n".join(lines) + "\n"

    def consular_file(self) -> str:
        lines: list[str] = []
        for code in self.codes:
            missions = [j for j in self.consular_agencies(code) if j]
            for n, receiving in enumerate(self.others(code, self.args.consular)):
                sovereign = self.sovereigns.get(code, code)
                if self.sovereigns.get(receiving, receiving) == sovereign:
                    continue  # nationals in their own state: no consular post serves them
                lines += [
                    "[[consular]]",
                    f"nationality = {q(code)}",
                    f"receiving = {qlist([receiving])}",
                ]
                evidence = ""
                if not missions or n % 10 == 9:
                    lines.append('type = "none"')
                    # A "none" stands on negative evidence: the sending state's mission list.
                    evidence = 'evidence = "mission-list"'
                else:
                    mission = self.agency_id(code, missions[n % len(missions)])
                    # An embassy or consulate sits in the state it serves; a post elsewhere
                    # serves it concurrently.
                    sits_there = self.seats.get(mission) == receiving
                    kind = MISSION_TYPES[n % len(MISSION_TYPES)] if sits_there else "concurrent"
                    lines += [f"type = {q(kind)}", f"mission = {q(mission)}"]
                    if n % 7 == 3:
                        lines += ['status = "uncertain"']
                listed = source("Mission list")
                if evidence:
                    # Confirmed by both lists: the sending state's and the receiving state's.
                    listed = listed.replace(" }]", f", {evidence} }}]")
                    listed = listed[:-1] + (
                        ', { title = "Diplomatic list", url = "https://example.org/list", '
                        'evidence = "diplomatic-list" }]'
                    )
                lines += [f"last_verified = {VERIFIED}", f"sources = {listed}", ""]
                self.counts["consular"] += 1
        return "\n".join(lines)

    def agreements_file(self) -> str:
        rng = self.rng
        lines: list[str] = []
        for n in range(self.args.agreements):
            if n % 20 == 19:
                kind = "multilateral"
                parties = rng.sample(self.codes, min(len(self.codes), rng.randint(3, 12)))
            else:
                kind = rng.choice(AGREEMENT_KINDS)
                parties = rng.sample(self.codes, 2)
            signed = date(1980, 1, 1) + timedelta(days=rng.randrange(45 * 365))
            signed = min(signed, VERIFIED)
            in_force = min(signed + timedelta(days=rng.randrange(900)), VERIFIED)
            status = rng.choice(("in-force",) * 7 + ("signed", "uncertain", "terminated"))
            lines += [
                "[[agreements]]",
                f"id = {q(f'{parties[0]}-{parties[1]}-{kind}-{n}'.lower())}",
                f"title = {q(f'Agreement {n} ({kind}) between ' + ', '.join(parties))}",
                f"kind = {q(kind)}",
                f"parties = {qlist(parties)}",
                f"signed = {signed}",
                f"in_force = {in_force}",
            ]
            if status == "terminated":
                lines.append(f"ended = {min(in_force + timedelta(days=3650), VERIFIED)}")
            lines += [
                f"status = {q(status)}",
                f"last_verified = {VERIFIED}",
                f"sources = {source('Treaty series')}",
                "",
                "[agreements.provides]",
                f"boarding = {q(rng.choice(('none', 'expedited', 'pre-authorised')))}",
            ]
            if kind in ("shiprider", "interdiction", "multilateral", "mou"):
                lines.append(f"entry_by = {qlist(parties[:1])}")
            if kind == "repatriation":
                lines += [
                    f"return_days = {rng.randint(5, 30)}",
                    f"nationalities = {qlist(parties[1:2])}",
                ]
            lines.append(f"notification_hours = {rng.choice((2, 24, 72))}")
            if rng.random() < 0.3:
                lines.append(f"zones = {qlist(rng.sample(ZONES, 2))}")
            lines.append("")
            self.counts["agreements"] += 1
        return "\n".join(lines)

    def sar_file(self) -> str:
        lines: list[str] = []
        for code in self.codes:
            covers = [code, *self.others(code, 1)]
            lines += [
                "[[sar_regions]]",
                f"id = {q(f'srr-{code.lower()}')}",
                f"name = {q(f'{self.names[code]} SRR')}",
                f"rcc = {q(self.agency_id(code, 0))}",
                f"covers = {qlist(covers)}",
                f"last_verified = {VERIFIED}",
                f"sources = {source('IMO GISIS SAR plan')}",
                "",
            ]
            self.counts["sar_regions"] += 1
        return "\n".join(lines)

    def write(self, out: Path) -> dict[str, int]:
        (out / "states").mkdir(parents=True, exist_ok=True)
        for code in self.codes:
            (out / "states" / f"{code}.toml").write_text(self.state_file(code), encoding="utf-8")
        if self.args.agencies and self.args.consular:
            (out / "consular.toml").write_text(self.consular_file(), encoding="utf-8")
        if self.args.agreements:
            (out / "agreements.toml").write_text(self.agreements_file(), encoding="utf-8")
        if self.args.agencies:
            (out / "sar.toml").write_text(self.sar_file(), encoding="utf-8")
        return self.counts


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="the folder to write (created; files overwritten)")
    p.add_argument("--states", type=int, default=200)
    p.add_argument("--agencies", type=int, default=50, help="agencies per state")
    p.add_argument("--contacts", type=int, default=5, help="contacts per agency")
    p.add_argument("--consular", type=int, default=40, help="consular channels per state")
    p.add_argument("--agreements", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    return p


def generate(out: Path, **sizes: int) -> dict[str, int]:
    """Write a directory into ``out``; sizes as the command-line options. Returns the counts."""
    args = parser().parse_args([str(out)])
    for name, value in sizes.items():
        setattr(args, name, value)
    return Generator(args).write(out)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    counts = Generator(args).write(args.out)
    size = sum(p.stat().st_size for p in args.out.rglob("*.toml"))
    summary = ", ".join(f"{n:,} {name}" for name, n in counts.items())
    print(f"{args.out}: {summary}; {size / 1e6:.1f} MB of TOML")
    return 0


if __name__ == "__main__":
    sys.exit(main())
