"""Key builders: the only place that knows how keys are spelled.

Every item a house owns lives under `HOUSE#<house>`; a store method that reads house data takes
the house id and builds the key itself, so another house's items are not reachable through it.
"""

from __future__ import annotations

import re

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def is_valid_id(value: str) -> bool:
    return bool(ID_PATTERN.match(value))


def cluster_pk(cluster_id: str) -> str:
    return f"CLUSTER#{cluster_id}"


def house_pk(house_id: str) -> str:
    return f"HOUSE#{house_id}"


CLUSTER_SK = "CLUSTER"
HOUSE_SK = "HOUSE"
ALL_CLUSTERS = "CLUSTERS"


def venue_sk(venue_id: str) -> str:
    return f"VENUE#{venue_id}"


def hall_sk(hall_id: str) -> str:
    return f"HALL#{hall_id}"


def production_sk(production_id: str) -> str:
    return f"PRODUCTION#{production_id}"


def performance_sk(performance_id: str) -> str:
    return f"PERFORMANCE#{performance_id}"


def cluster_houses(cluster_id: str) -> str:
    return f"CLUSTER#{cluster_id}#HOUSES"


def cluster_timeline(cluster_id: str) -> str:
    return f"CLUSTER#{cluster_id}#PERFORMANCES"


def house_timeline(house_id: str) -> str:
    return f"HOUSE#{house_id}#PERFORMANCES"


def house_programme(house_id: str) -> str:
    """gsi3, staff only: every performance of a house (drafts, cancelled and past ones too),
    sorted by `timeline_sk`. No public read queries gsi3, so a draft never leaks through it."""
    return f"HOUSE#{house_id}#PROGRAMME"


def performance_lookup(performance_id: str) -> str:
    return f"PERFORMANCE#{performance_id}"


def timeline_sk(starts_at_iso: str, performance_id: str) -> str:
    """Sorts by start time, then id, so equal start times still page deterministically."""
    return f"{starts_at_iso}#{performance_id}"


def timeline_bounds(after: str | None, until_iso: str) -> tuple[str, str]:
    """Inclusive key range for a timeline query from a lower bound (an instant or a cursor)
    to the last performance starting at `until_iso`; '~' sorts after every id character."""
    return (after or ""), f"{until_iso}~"


# --- inventory: one partition family per performance, apart from the catalogue ---------------


def seat_map_sk(seat_map_id: str) -> str:
    return f"SEATMAP#{seat_map_id}"


def seats_pk(performance_id: str, section: str) -> str:
    """Seats are partitioned per section: a hall's hot sections do not share a partition."""
    return f"SEATS#{performance_id}#{section}"


def seat_sk(seat_id: str) -> str:
    return f"SEAT#{seat_id}"


def ga_pk(performance_id: str, pool: str, shard: int) -> str:
    return f"GA#{performance_id}#{pool}#{shard}"


GA_SHARD_SK = "SHARD"


def lease_sk(hold_id: str) -> str:
    return f"LEASE#{hold_id}"


def client_pk(performance_id: str, client_digest: str) -> str:
    return f"CLIENT#{performance_id}#{client_digest}"


def slot_sk(slot: int) -> str:
    return f"SLOT#{slot}"


def hold_pk(hold_id: str) -> str:
    return f"HOLD#{hold_id}"


HOLD_SK = "HOLD"


# --- orders ------------------------------------------------------------------------------------


def order_pk(order_id: str) -> str:
    return f"ORDER#{order_id}"


ORDER_SK = "ORDER"
ORDER_OF_HOLD_SK = "ORDER"


def ticket_sk(index: int) -> str:
    return f"TICKET#{index:03d}"


def house_orders(house_id: str) -> str:
    return f"HOUSE#{house_id}#ORDERS"


# --- waiting rooms -----------------------------------------------------------------------------
# A room's id is global (its join URL names only the room); every item still carries its house.
# Places are spread over PLACE_SHARDS partitions by their ticket, so that an on-sale burst does
# not land on one partition; a place and its claim share a partition and one Query reads both.

PLACE_SHARDS = 16


def room_pk(room_id: str) -> str:
    return f"ROOM#{room_id}"


ROOM_SK = "ROOM"
ROOM_COUNTER_SK = "COUNTER"
UNDRAWN_ROOMS = "ROOMS#UNDRAWN"  # gsi1: rooms still to be drawn, for the scheduled draw


def place_pk(room_id: str, shard: int) -> str:
    return f"ROOM#{room_id}#P#{shard}"


def place_sk(ticket: str) -> str:
    return f"T#{ticket}"


def claim_sk(ticket: str) -> str:
    return f"T#{ticket}#CLAIM"


PLACE_PREFIX = "T#"
SHARD_CLOSED_SK = "CLOSED"  # the draw's mark: no pre-opening place enters this shard any more


def room_gate_pk(performance_id: str) -> str:
    """Which rooms gate the holds of a performance."""
    return f"ONSALE#{performance_id}"


def room_gate_sk(room_id: str) -> str:
    return f"ROOM#{room_id}"


def identity_pk(performance_id: str, identity: str) -> str:
    """The on-sale limits' slots of one identity ("c:<client digest>" or "e:<email digest>")."""
    return f"IDENTITY#{performance_id}#{identity}"


def place_shard(ticket: str) -> int:
    """A ticket's partition: stable, and even because tickets are random."""
    import zlib

    return zlib.crc32(ticket.encode()) % PLACE_SHARDS


# --- door scanning -------------------------------------------------------------------------------
# One partition per performance: each ticket's door item (its check-in and its revocation) and
# each uploaded scan's nonce. The service finds the performance's house before it reads here.


def door_pk(performance_id: str) -> str:
    return f"DOOR#{performance_id}"


def door_ticket_sk(ticket_id: str) -> str:
    return f"TICKET#{ticket_id}"


def scan_nonce_sk(nonce: str) -> str:
    return f"NONCE#{nonce}"


def door_revoked(performance_id: str) -> str:
    """gsi1: the revoked tickets of a performance (a sparse index: only revoked door items)."""
    return f"DOOR#{performance_id}#REVOKED"
