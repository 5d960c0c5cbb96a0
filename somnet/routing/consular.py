"""The consular posts that serve a nationality's nationals in a place, as routing finds them and
``somnet consular`` shows them: each channel with its mission as an agency view (docs/json.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from somnet.directory.views import AgencyView, agency_view
from somnet.routing.resolve import consular_channels

if TYPE_CHECKING:
    from somnet.directory.lookup import Directory


@attrs.frozen
class ConsularPostView:
    """A consular channel found for nationals of ``nationality`` in ``receiving``, with its
    mission; ``notes`` first says how it was found (through a sovereign, say)."""

    nationality: str
    receiving: str
    type: str
    status: str
    mission: AgencyView | None
    notes: tuple[str, ...]


def consular_posts(
    directory: Directory, nationality: str, receiving: str
) -> tuple[ConsularPostView, ...]:
    """The consular posts serving ``nationality``'s nationals in ``receiving``, as routing
    finds them (a territory's people through its sovereign's posts; a territory with no record
    of its own through the posts accredited to its sovereign)."""
    channels, inferred, cautions = consular_channels(directory, nationality, receiving)
    posts = []
    for channel in channels:
        post = directory.agency(channel.mission) if channel.mission else None
        posts.append(
            ConsularPostView(
                nationality=channel.nationality,
                receiving=receiving,
                type=channel.type,
                status=channel.status,
                mission=agency_view(directory, post) if post else None,
                notes=(*inferred, *cautions, *channel.notes),
            )
        )
    return tuple(posts)
