"""Who really does the work: the people behind each role for one client, and the role that
covers for a role nobody holds.

Without a `team` fact, a role has a person once the business reaches the role's
`dedicated_from` team size (or its industry's, from `by_industry`), and one more person per
`PEOPLE_STEP` people beyond that;
below it, its work falls to its `covered_by` role, and so on down to the role every
business has. With `team`, the mapping is the whole staffing: roles it does not list have
nobody. Each person gives `plan_share` of their working time to plan work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.core.records import record
from generator.kb.model import Role

DEFAULT_SHARE = 0.5  # half of a working day for plan work; the rest runs the business
PEOPLE_STEP = 40  # beyond its first person, a role gains one person per this many staff


@record
class Staffing:
    people: Mapping[str, int]  # role -> people doing its work (staffed roles only)
    owner: Mapping[str, str]  # KB role -> the role that really does its work
    share: float  # share of each person's working day given to plan work

    def capacity(self, role: str) -> float:
        """Person-days of plan work per working day for `role` (a real owner)."""
        return self.people.get(role, 0) * self.share


def staffing(roles: Sequence[Role], facts: Mapping[str, object]) -> Staffing:
    """The people behind each role and who covers for whom; a `team` with nobody in it must be
    refused before this (the facts check does)."""
    people = _given(roles, facts) if any(k.startswith("team.") for k in facts) else _derived(roles, facts)
    fallback = max(people, key=people.__getitem__)  # the most people; the first such role, as `people` is in role order
    covers = {r.id: r.covered_by for r in roles}
    owner = {role: role if role in people else _cover(covers, role, people, fallback) for role in covers}
    share = facts.get("plan_share", DEFAULT_SHARE)
    return Staffing(people, owner, float(share) if isinstance(share, int | float) else DEFAULT_SHARE)


def _given(roles: Sequence[Role], facts: Mapping[str, object]) -> dict[str, int]:
    people = {}
    for role in roles:
        count = facts.get(f"team.{role.id}", 0)
        if isinstance(count, int) and count > 0:
            people[role.id] = count
    return people


def _derived(roles: Sequence[Role], facts: Mapping[str, object]) -> dict[str, int]:
    size = facts.get("team_size", 1)
    size = size if isinstance(size, int) and size > 0 else 1
    industry = facts.get("industry")
    people = {}
    for role in roles:
        start = role.staffed_from(industry)
        if size >= start:
            people[role.id] = 1 + (size - start) // PEOPLE_STEP
    return people or {roles[0].id: 1}


def _cover(covers: Mapping[str, str | None], role: str, people: Mapping[str, int], fallback: str) -> str:
    """The first role on `role`'s covered_by chain that has people, else `fallback`."""
    seen: set[str] = set()
    current: str | None = role
    while current is not None and current not in seen:
        if people.get(current, 0) > 0:
            return current
        seen.add(current)
        current = covers.get(current)
    return fallback
