"""What the staff API's own routes answer: who is signed in."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from chalicelib.admin.model import Action, Role
from chalicelib.core.edge import Reply


class MembershipReply(Reply):
    role: Role
    house: str | None = Field(description="a house role's house")
    cluster: str | None = Field(description="a cluster admin's cluster")


class MeReply(Reply):
    """Who is signed in, and the houses each kind of work reaches."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "username": "an.peeters",
                    "memberships": [{"role": "box_office", "house": "ntgent", "cluster": None}],
                    "houses": {
                        "programme": [],
                        "sales": ["ntgent"],
                        "reports": ["ntgent"],
                        "audience": [],
                        "scan": ["ntgent"],
                    },
                }
            ]
        }
    )

    username: str
    memberships: list[MembershipReply]
    houses: dict[Action, list[str]] = Field(description="per kind of work, the houses it reaches")
