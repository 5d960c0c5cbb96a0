"""The vocabularies' codes in words: roles, actions, statuses, kinds. In English a code is shown
as it is (``maritime-law-enforcement``, ``in-force``); the catalogs give each one its words.

JSON keeps the codes; text output shows :func:`term` of them.
"""

from __future__ import annotations

from somnet._i18n import Message, _

# Translators: the codes of the directory's vocabularies, shown as they are in English. Give
# the words an officer uses (docs/glossary.md), in lower case unless a name requires capitals.
_TERMS: dict[tuple[str, str], Message] = {
    # Agency roles (docs/data.md).
    ("role", "sar"): _("sar"),
    ("role", "maritime-law-enforcement"): _("maritime-law-enforcement"),
    ("role", "som-art8-authority"): _("som-art8-authority"),
    ("role", "ship-registry"): _("ship-registry"),
    ("role", "migration"): _("migration"),
    ("role", "refugee-status"): _("refugee-status"),
    ("role", "child-protection"): _("child-protection"),
    ("role", "anti-trafficking"): _("anti-trafficking"),
    ("role", "prosecution"): _("prosecution"),
    ("role", "anti-corruption"): _("anti-corruption"),
    ("role", "mla-central-authority"): _("mla-central-authority"),
    ("role", "foreign-affairs"): _("foreign-affairs"),
    ("role", "consular"): _("consular"),
    ("role", "protection-partner"): _("protection-partner"),
    ("role", "migration-partner"): _("migration-partner"),
    ("role", "regional-coordination"): _("regional-coordination"),
    # What a step asks of the authority.
    ("action", "request"): _("request"),
    ("action", "notify"): _("notify"),
    ("action", "inform"): _("inform"),
    # Agreements.
    ("agreement-status", "in-force"): _("in-force"),
    ("agreement-status", "signed"): _("signed"),
    ("agreement-status", "uncertain"): _("uncertain"),
    ("agreement-status", "terminated"): _("terminated"),
    ("agreement-status", "not yet in force"): _("not yet in force"),
    ("agreement-status", "also in force"): _("also in force"),
    ("agreement-kind", "repatriation"): _("repatriation"),
    ("agreement-kind", "interdiction"): _("interdiction"),
    ("agreement-kind", "shiprider"): _("shiprider"),
    ("agreement-kind", "sar"): _("sar"),
    ("agreement-kind", "mou"): _("mou"),
    ("agreement-kind", "multilateral"): _("multilateral"),
    ("boarding", "pre-authorised"): _("pre-authorised"),
    ("boarding", "expedited"): _("expedited"),
    # Consular missions.
    ("mission", "embassy"): _("embassy"),
    ("mission", "consulate"): _("consulate"),
    ("mission", "honorary"): _("honorary"),
    ("mission", "concurrent"): _("concurrent"),
    ("mission", "office"): _("office"),
    ("mission", "none"): _("none"),
    # Contacts and channels.
    ("contact", "person"): _("person"),
    ("contact", "desk"): _("desk"),
    ("contact", "duty"): _("duty"),
    ("channel", "phone"): _("phone"),
    ("channel", "mobile"): _("mobile"),
    ("channel", "email"): _("email"),
    ("channel", "fax"): _("fax"),
    ("channel", "vhf"): _("vhf"),
    ("channel", "hf"): _("hf"),
    ("channel", "satphone"): _("satphone"),
    ("channel", "secure-message"): _("secure-message"),
    ("channel", "web"): _("web"),
    # Records: what `directory stale` lists.
    ("record", "state"): _("state"),
    ("record", "maritime-claims"): _("maritime-claims"),
    ("record", "som-protocol"): _("som-protocol"),
    ("record", "refugee-convention"): _("refugee-convention"),
    ("record", "refugee-protocol"): _("refugee-protocol"),
    ("record", "unclos"): _("unclos"),
    ("record", "crc"): _("crc"),
    ("record", "mandatory-notification"): _("mandatory-notification"),
    ("record", "agency"): _("agency"),
    ("record", "contact"): _("contact"),
    ("record", "agreement"): _("agreement"),
    ("record", "consular"): _("consular"),
    ("record", "sar-region"): _("sar-region"),
    # Where an interception happens (the zone codes an interception is given in).
    ("zone", "internal"): _("internal"),
    ("zone", "territorial"): _("territorial"),
    ("zone", "archipelagic"): _("archipelagic"),
    ("zone", "contiguous"): _("contiguous"),
    ("zone", "eez"): _("eez"),
    ("zone", "high-seas"): _("high-seas"),
    # Certainty of a fact.
    ("certainty", "confirmed"): _("confirmed"),
    ("certainty", "uncertain"): _("uncertain"),
    ("party", "yes"): _("yes"),
    ("party", "no"): _("no"),
    ("party", "uncertain"): _("uncertain"),
}


def term(vocabulary: str, code: str) -> Message:
    """A vocabulary's code in words (in English, the code itself).

    Args:
        vocabulary: ``role``, ``action``, ``agreement-status``, ``agreement-kind``,
            ``boarding``, ``mission``, ``contact``, ``channel``, ``record``, ``zone``,
            ``certainty`` or ``party``.
        code: the code.

    Returns:
        The words, as a message; a code the vocabulary does not know, as it is.
    """
    from somnet._numbers import check_text

    check_text(vocabulary, field="vocabulary")
    check_text(code, field="code")  # a list of codes would fail as unhashable
    found = _TERMS.get((vocabulary, code))
    return found if found is not None else Message.make(code, literal=True)


def role_name(role: str) -> Message:
    """An agency role in words (see :func:`term`)."""
    from somnet._numbers import check_text

    return term("role", check_text(role, field="role"))
