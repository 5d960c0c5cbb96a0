"""The consular posts that serve a nationality's nationals in a place, as routing finds them and
``somnet consular`` shows them: each channel with its mission as an agency view (docs/json.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from somnet._codes import state_code
from somnet._exceptions import InterceptionError
from somnet._i18n import _
from somnet.directory.views import AgencyView, agency_view
from somnet.routing.resolve import consular_channels

if TYPE_CHECKING:
    from somnet.directory.lookup import Directory


@attrs.frozen
class ConsularPostView:
    """A consular channel found for nationals of ``nationality`` in ``receiving``, with its
    mission; ``notes`` first says how it was found (through a sovereign, say). When no
    channel found has a mission (a proven "none"), ``foreign_ministry`` is the nationality's
    foreign ministry, which takes notice through diplomatic channels (None when the directory
    holds none, and whenever a post serves)."""

    nationality: str
    receiving: str
    type: str
    status: str
    mission: AgencyView | None
    notes: tuple[str, ...]
    foreign_ministry: AgencyView | None = None


def consular_posts(
    directory: Directory, nationality: str, receiving: str
) -> tuple[ConsularPostView, ...]:
    """The consular posts serving ``nationality``'s nationals in ``receiving``, as routing
    finds them (a territory's people through its sovereign's posts; a territory with no record
    of its own through the posts accredited to its sovereign).

    Args:
        nationality, receiving: ISO 3166-1 alpha-2 codes, in any case.

    Raises:
        UnknownCodeError: a code is not ISO 3166-1 alpha-2 (field ``nationality`` or
            ``receiving``).
        InterceptionError: ``receiving`` is the nationals' own state (itself, its sovereign or
            another territory of its sovereign: Caymanians in the United Kingdom or in the Turks
            and Caicos), where there is no consular access to look for (field ``receiving``);
            or ``nationality`` is ``stateless``: no state's consul protects people who have no
            nationality, or ``unknown``: no post is found for a nationality not known (field
            ``nationality``).
    """
    from somnet._given import a_directory

    a_directory(directory)
    if isinstance(nationality, str) and nationality.strip().lower() == "stateless":
        raise InterceptionError(
            _(
                "stateless persons have no consul: no state's consular posts protect them; "
                "UNHCR's mandate covers them, and a contact plan with stateless persons aboard "
                "names its office"
            ),
            field="nationality",
            value=nationality,
        )
    if isinstance(nationality, str) and nationality.strip().lower() == "unknown":
        # The contact plan's word for people whose nationality is not known yet: no post can
        # be looked up for them, and a code suggested for the word would name a state nobody
        # named.
        raise InterceptionError(
            _(
                "a consular post serves the nationals of one state: establish their "
                "nationality, then give its code"
            ),
            field="nationality",
            value=nationality,
        )
    nationality = state_code(nationality, field="nationality", preferred=directory.states)
    receiving = state_code(receiving, field="receiving", preferred=directory.states)
    if directory.same_state(nationality, receiving):
        sovereign = directory.sovereign_of(receiving)
        if nationality == receiving:
            reason = _(
                "{code} nationals in their own state need no consular access; give another state"
            ).format(code=nationality)
        else:
            reason = _(
                "{code} nationals in {receiving} are in their own state ({sovereign}) and need no "
                "consular access; give another state"
            ).format(code=nationality, receiving=receiving, sovereign=sovereign)
        raise InterceptionError(reason, field="receiving", value=receiving)
    channels, inferred, cautions = consular_channels(directory, nationality, receiving)
    missions = [directory.agency(c.mission) if c.mission else None for c in channels]
    # Where no post serves (every channel a "none"), notice goes through diplomatic channels.
    ministry = directory.foreign_ministry(nationality) if not any(missions) else None
    posts = []
    for channel, post in zip(channels, missions, strict=True):
        posts.append(
            ConsularPostView(
                nationality=channel.nationality,
                receiving=receiving,
                type=channel.type,
                status=channel.status,
                mission=agency_view(directory, post) if post else None,
                notes=(*inferred, *cautions, *channel.notes),
                foreign_ministry=agency_view(directory, ministry) if ministry else None,
            )
        )
    return tuple(posts)
