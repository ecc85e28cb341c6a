"""The simulated partners' profiles: the one table of them (what each one does, how the simulator
plays it: :mod:`llm20q.eval.partners`).

Kept apart from the simulator so that the command line takes its choices from this table and
``--help`` stays instant (the simulator imports numpy, the planner's store and WordNet).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    """How one kind of partner answers: P(yes) to the handshake and flip rates by kind."""

    name: str
    handshake_yes: float
    alphabetical: float
    spelling: float
    bank: float
    description: str


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("alpha", 1.0, 0.0, 0.0, 0.0, "speaks the protocol, exact"),
        Profile(
            "llm-like", 0.0, 0.30, 0.30, 0.15, "no to the handshake; bank 15%, spelling 30% flipped"
        ),
        Profile(
            "false-alpha",
            1.0,
            0.35,
            0.30,
            0.15,
            "yes to the handshake; alphabetical 35%, other spelling 30%, bank 15% flipped",
        ),
        Profile("random", 0.5, 0.5, 0.5, 0.5, "coin flips"),
    )
}


def profile(name: str) -> Profile:
    """The profile called ``name``; a clear error for an unknown one."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(
            f"unknown partner profile {name!r}: choose one of {', '.join(PROFILES)}"
        ) from None


def partner_names(names: Sequence[str] | None = None) -> list[str]:
    """Validated profile names (every profile when ``names`` is empty)."""
    return [profile(n).name for n in names] if names else list(PROFILES)
