"""The one clock of every date check: a date is in the future only once no place on Earth has
reached it, with the skew two honest clocks may have."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def test_a_date_is_in_the_future_only_once_no_place_on_earth_has_reached_it() -> None:
    from datetime import date

    from somnet._clock import latest_date

    # 08:59 UTC on 27 November: 22:59 in Kiritimati (UTC+14), 23:59 with an hour of skew.
    assert latest_date(datetime(2026, 11, 27, 8, 59, tzinfo=UTC)) == date(2026, 11, 27)
    # From 09:00 UTC, the 28th may have begun somewhere (skew included).
    assert latest_date(datetime(2026, 11, 27, 9, 0, tzinfo=UTC)) == date(2026, 11, 28)
    # The zone of the time given does not matter: the same instant is the same date.
    mexico = datetime(2026, 11, 27, 4, 0, tzinfo=UTC).astimezone(ZoneInfo("America/Mexico_City"))
    assert latest_date(mexico) == latest_date(datetime(2026, 11, 27, 4, 0, tzinfo=UTC))
