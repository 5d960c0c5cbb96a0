"""The directory's contacts as vCards: RFC 6350 text through vobject, its lines refolded at
75 octets."""

from __future__ import annotations

from collections.abc import Iterable

from somnet.directory.lookup import Directory
from somnet.directory.records import Agency

_TEL_TYPES = {"phone": "voice", "mobile": "cell", "fax": "fax", "satphone": "voice"}


def vcards(directory: Directory, agencies: Iterable[Agency]) -> str:
    """One vCard 3.0 per contact of the given agencies, concatenated; a restricted contact's
    card is marked ``CLASS:CONFIDENTIAL``. Every contact of ``agencies`` is written: leave
    restricted ones out with :func:`somnet.export_directory`."""
    from somnet._given import a_directory

    a_directory(directory)
    import vobject

    from somnet._given import items_of_kind
    from somnet.directory.records import Agency

    cards = []
    for agency in items_of_kind(agencies, Agency, field="agencies"):
        for contact in agency.contacts:
            card = vobject.vCard()
            label = contact.name or contact.title or f"{agency.name_en} ({contact.kind})"
            if contact.illustrative:
                # A phone lists and dials by name and never shows the NOTE there.
                label += " (ILLUSTRATIVE)"
            card.add("fn").value = label
            card.add("n").value = vobject.vcard.Name(family=label)
            card.add("org").value = (
                [agency.name, agency.name_en] if agency.name != agency.name_en else [agency.name]
            )
            if contact.title:
                card.add("title").value = contact.title
            # The roles the contact handles (all its agency's when it names none).
            card.add("categories").value = list(contact.roles or agency.roles)
            for channel in contact.channels:
                hours = directory.channel_hours(agency, channel)
                if channel.telephone and not channel.dialable:
                    # A placeholder is no TEL: a phone would offer to dial it.
                    text = f"{channel.kind}: {channel.value} (not dialable)"
                    card.add("x-somnet-channel").value = text
                elif channel.kind in _TEL_TYPES:
                    tel = card.add("tel")
                    tel.value = channel.value
                    tel.type_param = _TEL_TYPES[channel.kind]
                elif channel.kind == "email":
                    email = card.add("email")
                    email.value = channel.value
                    email.type_param = "INTERNET"
                elif channel.kind == "web":
                    card.add("url").value = channel.value
                else:
                    card.add("x-somnet-channel").value = f"{channel.kind}: {channel.value}"
                if hours is not None and not hours.always:
                    card.add("x-somnet-hours").value = (
                        f"{channel.kind} {channel.value}: {hours} "
                        f"({directory.agency_timezone(agency)})"
                    )
            for language in contact.languages:  # one tag a LANG (RFC 6350 6.4.4), best first
                card.add("lang").value = language
            card.add("uid").value = f"urn:somnet:{contact.id}"
            if contact.sensitivity == "restricted":
                # vCard 3.0 access classification (RFC 2426 3.7.1): not for passing on.
                card.add("class").value = "CONFIDENTIAL"
            note = f"somnet contact {contact.id} of agency {agency.id} ({agency.state})."
            if contact.illustrative:
                note += " ILLUSTRATIVE: made-up details, never dial or write to them."
            card.add("note").value = note
            cards.append(_fold(card.serialize()))
    return "".join(cards)


def _fold(card: str) -> str:
    """``card`` with its lines folded at 75 octets (RFC 6350 3.2), a character never split.

    vobject folds a line by its length in characters, so a name in a wide script (Bengali,
    Chinese: three octets a character) stays on one line of up to three times the limit."""
    folded = []
    for line in card.replace("\r\n ", "").split("\r\n")[:-1]:
        pieces, piece, octets = [], "", 0
        for character in line:
            size = len(character.encode("utf-8"))
            if octets + size > 75:
                pieces.append(piece)
                piece, octets = "", 1  # a folded line starts with a space
            piece += character
            octets += size
        pieces.append(piece)
        folded.append("\r\n ".join(pieces))
    return "".join(line + "\r\n" for line in folded)
