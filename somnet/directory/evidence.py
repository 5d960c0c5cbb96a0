"""How much a source can carry: encyclopaedia mirrors and directory sites, which cannot confirm
a fact on their own, and the official domains that can (data/README.md, "Sources").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from somnet.directory.records import Source

#: Sites that copy or collect what others published: Wikipedia and its mirrors, and directories
#: of embassies. A record whose only sources are on them is "uncertain", never "confirmed".
TERTIARY_DOMAINS = frozenset(
    {
        # Wikipedia, its sister projects and the mirrors that republish its articles.
        "wikipedia.org",
        "wikimedia.org",
        "wikidata.org",
        "dbpedia.org",
        "wikiwand.com",
        "wikimili.com",
        "wiki2.org",
        "everybodywiki.com",
        "alchetron.com",
        "infogalactic.com",
        "frwiki.wiki",
        "abcdef.wiki",
        "academic.ru",
        "fr-academic.com",
        "en-academic.com",
        "liquisearch.com",
        "profilbaru.com",
        "profilpelajar.com",
        "piglix.com",
        "cryer.org.uk",
        "franco.wiki",
        "wikidat.com",
        "s-crepy.com",  # serves Wikipedia's articles under scrambled addresses
        # Directories of embassies and consulates, compiled by third parties.
        "embassypages.com",
        "embassy-finder.com",
        "embassyworld.org",
        "embassies.net",
        "embassy.goabroad.com",
    }
)

#: Official sites that are not any one state's: the United Nations system and the regional
#: organisations whose records and treaty depositaries the data cites.
INTERNATIONAL_DOMAINS = frozenset(
    {
        "un.org",
        "unmissions.org",  # the United Nations' peacekeeping and political missions
        "unhcr.org",
        "unodc.org",
        "imo.org",
        "ohchr.org",
        "unicef.org",
        "oas.org",
        "caricom.org",
        "int",  # the top-level domain of intergovernmental organisations: iom.int, sica.int
    }
)

#: Second-level labels under which governments publish (gob.mx, gov.jm, gouv.ht, mil), and
#: the top-level domains of the United States government.
_PUBLIC_SECTOR_LABELS = frozenset({"gov", "gob", "gouv", "govt", "go", "mil"})
_PUBLIC_SECTOR_TOP_LEVEL = frozenset({"gov", "mil"})


def host_of(url: str) -> str:
    """The host of an http(s) address, lower case, without ``www.`` or a port; empty for what
    is not an address (``https://[gov.bs``, which validation names)."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    return host.removeprefix("www.")


#: A label of a host name: letters (of any script: an internationalised name), digits and
#: hyphens, not a hyphen first or last.
_HOST_LABEL = re.compile(r"(?!-)[^\W_]+(?:-+[^\W_]+)*")


def is_http_address(value: str) -> bool:
    """Whether ``value`` is an http(s) address a browser can open and a reader sees as it is:
    a scheme, a host that is a name (labels of letters, digits and hyphens: ``<gov.bs>`` and
    ``gov..bs`` are none) or an IP address, a port in range if any, and no space and no
    invisible character (a control, a zero-width space, a soft hyphen, a byte-order mark:
    pasted with the address, it is another address than the one shown)."""
    import unicodedata

    if not value.startswith(("https://", "http://")) or any(
        c.isspace() or unicodedata.category(c) in _INVISIBLE for c in value
    ):
        return False
    try:
        parts = urlsplit(value)
        _port = parts.port  # out of range: ValueError
    except ValueError:
        return False
    host = parts.hostname
    if not host:
        return False
    if parts.netloc.rpartition("@")[2].startswith("["):
        return True  # an IPv6 address, which urlsplit checked
    return all(_HOST_LABEL.fullmatch(label) for label in host.removesuffix(".").split("."))


#: The Unicode categories of characters shown as nothing: controls, formats (zero-width
#: space, soft hyphen, byte-order mark, bidirectional controls), surrogates, private use and
#: unassigned code points.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def invisible_character(value: str) -> str | None:
    """The first character of ``value`` shown as nothing (:data:`_INVISIBLE`: a zero-width
    space, a word joiner, a soft hyphen...), or None."""
    import unicodedata

    return next((c for c in value if unicodedata.category(c) in _INVISIBLE), None)


#: Second-level labels under a country code that are not a publisher's own (co.uk, com.mx,
#: org.jm): a site's domain is then three labels long.
_GENERIC_SECOND_LEVEL = frozenset(
    {"co", "com", "org", "net", "edu", "ac", "or", "ne", "info", "biz", "web", "nom", "ltd"}
    | _PUBLIC_SECTOR_LABELS
)


def site_of(host: str) -> str:
    """The domain a publisher registered for ``host`` (``news.bbc.co.uk`` -> ``bbc.co.uk``,
    ``epaper.jamaica-gleaner.com`` -> ``jamaica-gleaner.com``): two pages on it are one
    source's, whatever their subdomains. An approximation of the public suffix list for the
    shapes the data cites."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _GENERIC_SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def on_domain(host: str, domain: str) -> bool:
    """Whether ``host`` is ``domain`` or one of its subdomains."""
    return host == domain or host.endswith("." + domain)


#: Copies of an encyclopaedia on any host, known by their address: a proxy or search page whose
#: path or query carries the article's wikipedia.org address; an offline dump served by Kiwix
#: (ZIM files are named ``wikipedia_en_all_maxi_2023-10``, ``hamichlol_he_all_maxi_2021-02``);
#: the HTML snapshot of Wikipedia published on IPFS (``/wiki/Article.html``).
_COPIED_ENCYCLOPAEDIA = re.compile(
    r"wikipedia|/[a-z]+_[a-z]{2,3}_all_(?:maxi|mini|nopic)_|/wiki/[^/?#]+\.html?(?:$|[?#])",
    re.IGNORECASE,
)


def is_tertiary(url: str) -> bool:
    """Whether the address is on an encyclopaedia mirror or a directory site, or is a copy of
    an encyclopaedia's article wherever it is served."""
    host = host_of(url)
    if any(on_domain(host, domain) for domain in TERTIARY_DOMAINS):
        return True
    return _COPIED_ENCYCLOPAEDIA.search(unquote(url)) is not None


def is_official(url: str, official_domains: Iterable[str] = ()) -> bool:
    """Whether the address is on an official site: one of ``official_domains`` (a state's own
    list, data/README.md), an international organisation's, or a public-sector domain by its
    shape (``*.gov``, ``*.mil``, ``*.gob.XX``, ``*.gov.XX``, ``*.gouv.XX``...)."""
    host = host_of(url)
    if not host:
        return False
    if any(on_domain(host, d) for d in (*official_domains, *INTERNATIONAL_DOMAINS)):
        return True
    labels = host.split(".")
    if labels[-1] in _PUBLIC_SECTOR_TOP_LEVEL:
        return True
    # gob.mx, sre.gob.mx, gov.tc, mfaft.gov.jm: a public-sector label above a country code.
    return len(labels) >= 2 and len(labels[-1]) == 2 and labels[-2] in _PUBLIC_SECTOR_LABELS


#: Official domains of sending states the directory holds no state file for (their missions'
#: own sites and foreign ministries), where the public-sector shape does not show it.
FOREIGN_OFFICIAL_DOMAINS: dict[str, tuple[str, ...]] = {
    "IN": ("nic.in",),  # the Government of India's domain, besides *.gov.in
    "LK": ("news.lk",),  # the Government of Sri Lanka's news portal
}


def confirmation_problem(
    sources: Iterable[Source], official_domains: Iterable[str] = ()
) -> str | None:
    """Why these sources cannot confirm a record, or None when they can: being confirmed takes
    a source on an official site, or two independent secondary ones (on two sites, not two
    subdomains of one, neither an encyclopaedia mirror nor a directory site). What can be
    checked mechanically; whether a source without a url is primary (a law cited by title) is
    for a person to judge."""
    domains = tuple(official_domains)
    urls = [s.url for s in sources if s.url]
    if not urls:
        return "no source has a url"
    if any(is_official(url, domains) for url in urls):
        return None
    hosts = {host_of(url) for url in urls if not is_tertiary(url)}
    if len({site_of(host) for host in hosts}) >= 2:
        return None
    if hosts:
        return f"one secondary source only ({', '.join(sorted(hosts))}) and none official"
    return "encyclopaedia mirrors or directory sites only"
