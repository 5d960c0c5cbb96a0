"""Legal rules applied to cases their authors did not picture: the acting state is the people's
own, or the flag state, or in a third state's waters; trafficking and children with a return
considered; stateless people; deaths with asylum claimed; landings in territories the refugee
instruments may not reach. On the fixture directory of tests/routing_fixture.py, and on the
shipped directory where a case needs its records."""

from __future__ import annotations

from typing import Any

import pytest

from somnet import Directory, load_directory
from tests.routing_fixture import plan, steps, write_routing_directory


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    folder = write_routing_directory(tmp_path_factory.mktemp("routing-odd"))
    return load_directory(base=folder, use_env=False)


@pytest.fixture(scope="module")
def shipped() -> Directory:
    return load_directory(use_env=False)


def asylum_warnings(result: dict[str, Any]) -> list[str]:
    """The plan's warnings about asylum seekers landed in their own country."""
    return [w for w in result["warnings"] if "asylum" in w.lower()]


# 1. The acting state is the people's own, outside its waters ---------------------------------


@pytest.mark.parametrize(
    ("acting", "facts"),
    [
        ("CU", {"stateless": True, "zone": "high-seas", "disembark": "CU"}),
        ("HT", {"stateless": True, "zone": "high-seas", "disembark": "HT"}),
        ("CU", {"stateless": True, "zone": "eez", "coastal": "BS", "disembark": "CU"}),
        ("CU", {"flag": "CU", "zone": "contiguous", "coastal": "CU"}),
    ],
    ids=["Cuba, high seas", "Haiti, high seas", "Cuba, Bahamian EEZ", "Cuba, own contiguous"],
)
def test_a_state_holding_its_own_nationals_at_sea_is_not_the_one_to_screen_them(
    directory: Directory, acting: str, facts: dict[str, Any]
) -> None:
    """Cuba's coast guard stops Cubans on the high seas (or in a Bahamian EEZ, or in its own
    contiguous zone) and would land them in Cuba; one claims asylum. The plan warned
    "Refoulement: ... screen everyone first ... land in CU only those found to have no
    protection need": the state the protection is claimed against was told to screen the
    claims, as if it were a country of refuge. Outside its waters they have left their
    country, so they may be refugees (1951 Convention art. 1A(2)), and the claim is against
    the state that holds them: it must not decide the claims alone, every claim goes to UNHCR
    too, its other authorities are told nothing of them, and only those found, with UNHCR,
    to have no protection need are landed there: interception must not deny access to
    protection nor return those who need it to where they are threatened (UNHCR ExCom
    Conclusion No. 97 (LIV), 2003, (a)(iv)). Holding its own nationals back restricts their
    right to leave their own country (ICCPR art. 12(2), (3))."""
    result = plan(directory, acting=acting, nationalities=[acting], conditions=["asylum"], **facts)
    [warning] = asylum_warnings(result)
    assert not warning.startswith("Refoulement")
    assert "screen everyone first" not in warning
    assert f"nationals of {acting} " in warning
    assert "they have left their country and may be refugees (1951 Convention art. 1A(2))" in (
        warning
    )
    assert f"the protection they claim is against {acting} itself" in warning
    assert "must not decide the claims alone" in warning and "refer every claim to UNHCR" in (
        warning
    )
    assert "tell its other authorities nothing of who claimed asylum" in warning
    assert "Conclusion No. 97 (LIV)" in warning
    assert f"land in {acting} only those found, with UNHCR, to have no protection need" in (warning)
    assert "ICCPR art. 12(3)" in warning and "(art. 12(2))" in warning
    # The screening steps go to the acting state and UNHCR, now, and warn it off deciding
    # alone, as before.
    referrals = steps(result, "protection-referral")
    assert {(s["state"], s["role"], s["action"], s["deferred"]) for s in referrals} == {
        (acting, "refugee-status", "request", False),
        (acting, "protection-partner", "request", False),
    }
    [refugee_status] = [s for s in referrals if s["role"] == "refugee-status"]
    assert any("must not decide it alone" in w for w in refugee_status["warnings"])


def test_foreigners_held_with_the_acting_states_nationals_are_landed_as_in_a_country_of_refuge(
    directory: Directory,
) -> None:
    """Cuba's coast guard stops Cubans and Haitians in a Bahamian EEZ, asylum claimed, return
    considered, and lands them in Cuba. The warning speaks of the Cubans alone (Cuba is the
    Haitians' country of refuge, not the state they flee); the Haitians' return to Haiti waits
    for their claims, and Cuba's own step for it warns that nobody is returned before them."""
    result = plan(
        directory, stateless=True, zone="eez", coastal="BS", acting="CU", disembark="CU",
        nationalities=["CU", "HT"], conditions=["asylum"], return_considered=True,
    )  # fmt: skip
    [warning] = asylum_warnings(result)
    assert "nationals of CU (Cuba), the state that holds them" in warning
    assert "HT" not in warning
    returns = steps(result, "repatriation")
    assert {(s["state"], s["nationality"], s["deferred"]) for s in returns} == {
        ("CU", "HT", False),
        ("HT", "HT", True),
    }
    [now] = [s for s in returns if not s["deferred"]]
    assert any("no return before the claim is decided" in w for w in now["warnings"])


def test_a_state_landing_its_own_nationals_in_a_third_state_waits_for_their_claims(
    directory: Directory,
) -> None:
    """Cuba's coast guard lands Cubans who claim asylum in The Bahamas, return considered: the
    Bahamas is their country of refuge and screens them (R9), nobody is warned of a landing at
    home, and their return to Cuba, the acting state itself, waits for the claims (R13)."""
    result = plan(
        directory, stateless=True, zone="high-seas", acting="CU", disembark="BS",
        nationalities=["CU"], conditions=["asylum"], return_considered=True,
    )  # fmt: skip
    assert asylum_warnings(result) == []
    assert {s["state"] for s in steps(result, "protection-referral")} == {"BS"}
    returns = steps(result, "repatriation")
    assert {(s["state"], s["deferred"]) for s in returns} == {("BS", False), ("CU", True)}
