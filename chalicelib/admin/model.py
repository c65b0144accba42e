"""Who a staff member is and what they may do: roles per house (or per cluster, for a cluster
admin), read from the Cognito groups in their token. Plain Python: no JWT, no AWS.

A group names one membership: `house:<house>:<role>` or `cluster:<cluster>:cluster_admin`. A
person can be in several (box office at one house, marketing at another). What a route may
touch is always derived from these, never from the path or the body.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    CLUSTER_ADMIN = "cluster_admin"  # every house of one cluster
    HOUSE_ADMIN = "house_admin"
    BOX_OFFICE = "box_office"
    MARKETING = "marketing"  # reads the audience (CRM), sells nothing
    SCANNER = "scanner"  # door scanning only
    PARTNER = "partner"  # resellers (later issues)


class Action(StrEnum):
    """What a route does, as the roles see it."""

    PROGRAMME = "programme"  # venues, halls, seat maps, productions, performances, on-sales
    SALES = "sales"  # orders, refunds, exchanges, the desk, comps
    REPORTS = "reports"
    AUDIENCE = "audience"  # CRM reads
    SCAN = "scan"


ALLOWED: dict[Action, frozenset[Role]] = {
    Action.PROGRAMME: frozenset({Role.CLUSTER_ADMIN, Role.HOUSE_ADMIN}),
    Action.SALES: frozenset({Role.CLUSTER_ADMIN, Role.HOUSE_ADMIN, Role.BOX_OFFICE}),
    Action.REPORTS: frozenset(
        {Role.CLUSTER_ADMIN, Role.HOUSE_ADMIN, Role.BOX_OFFICE, Role.MARKETING}
    ),
    Action.AUDIENCE: frozenset({Role.CLUSTER_ADMIN, Role.HOUSE_ADMIN, Role.MARKETING}),
    Action.SCAN: frozenset({Role.CLUSTER_ADMIN, Role.HOUSE_ADMIN, Role.BOX_OFFICE, Role.SCANNER}),
}


@dataclass(frozen=True)
class Membership:
    role: Role
    house: str | None = None  # a house role
    cluster: str | None = None  # a cluster admin

    @property
    def group(self) -> str:
        if self.cluster is not None:
            return f"cluster:{self.cluster}:{self.role}"
        return f"house:{self.house}:{self.role}"


def parse_group(group: str) -> Membership | None:
    """A Cognito group name as a membership; None for groups that are not ours."""
    scope, _, rest = group.partition(":")
    ident, _, role_name = rest.partition(":")
    if not ident or role_name not in Role.__members__.values():
        return None
    role = Role(role_name)
    if scope == "house" and role is not Role.CLUSTER_ADMIN:
        return Membership(role, house=ident)
    if scope == "cluster" and role is Role.CLUSTER_ADMIN:
        return Membership(role, cluster=ident)
    return None


@dataclass(frozen=True)
class Staff:
    subject: str  # the user pool's stable user id
    username: str
    memberships: tuple[Membership, ...]

    @classmethod
    def from_groups(cls, subject: str, username: str, groups: Iterable[str]) -> Staff:
        parsed = (parse_group(group) for group in groups)
        return cls(subject, username, tuple(sorted({m for m in parsed if m}, key=_order)))

    @property
    def clusters(self) -> frozenset[str]:
        return frozenset(m.cluster for m in self.memberships if m.cluster is not None)

    def houses_for(
        self, action: Action, cluster_houses: Mapping[str, Iterable[str]]
    ) -> frozenset[str]:
        """The houses this person may do `action` for. `cluster_houses` lists the houses of
        each of their clusters (a cluster admin's houses are the cluster's, as it is now)."""
        allowed = ALLOWED[action]
        houses: set[str] = set()
        for membership in self.memberships:
            if membership.role not in allowed:
                continue
            if membership.cluster is not None:
                houses |= set(cluster_houses.get(membership.cluster, ()))
            elif membership.house is not None:
                houses.add(membership.house)
        return frozenset(houses)


def _order(membership: Membership) -> tuple[str, str]:
    return (membership.group, membership.role.value)
