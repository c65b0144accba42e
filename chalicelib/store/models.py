"""pynamodb models of the single table.

One base model carries the keys and indexes; each entity is a subclass told apart by the
`kind` discriminator, so a query returns typed objects. Index attributes are only set on the
items an index should hold (sparse indexes): seat inventory (later) carries none of them and so
costs no index writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from pynamodb.attributes import (
    Attribute,
    BinaryAttribute,
    BooleanAttribute,
    DiscriminatorAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)
from pynamodb.constants import MAP, NUMBER, STRING
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.aws import MAX_CONNECTIONS
from chalicelib.core.config import settings


class LocalizedAttribute(Attribute[dict[str, str]]):
    """{"nl": ..., "fr": ..., "en": ...} as a native DynamoDB map of strings."""

    attr_type = MAP

    def serialize(self, value: dict[str, str]) -> dict[str, Any]:
        return {lang: {STRING: text} for lang, text in value.items()}

    def deserialize(self, value: dict[str, Any]) -> dict[str, str]:
        return {lang: text[STRING] for lang, text in value.items()}


class CentsByZoneAttribute(Attribute[dict[str, int]]):
    """Price zone id → price in euro cents, as a native DynamoDB map of numbers."""

    attr_type = MAP

    def serialize(self, value: dict[str, int]) -> dict[str, Any]:
        return {zone: {NUMBER: str(int(cents))} for zone, cents in value.items()}

    def deserialize(self, value: dict[str, Any]) -> dict[str, int]:
        return {zone: int(cents[NUMBER]) for zone, cents in value.items()}


class TypedMap(MapAttribute[str, Any]):
    """A map attribute with named fields, built with keywords."""

    if TYPE_CHECKING:  # pynamodb's own constructor is untyped; this one is only its signature

        def __init__(self, **attributes: Any) -> None: ...


def string_list(*, null: bool | None = None, default: Any = None) -> ListAttribute[str]:
    """A list of strings. pynamodb types `ListAttribute(of=UnicodeAttribute)` as a list of
    UnicodeAttribute (pynamodb/PynamoDB#1246); its values are str."""
    strings = ListAttribute(of=UnicodeAttribute, null=null, default=default)
    return cast("ListAttribute[str]", strings)


class Gsi1(GlobalSecondaryIndex["PodiumItem"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class Gsi2(GlobalSecondaryIndex["PodiumItem"]):
    class Meta:
        index_name = "gsi2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class Gsi3(GlobalSecondaryIndex["PodiumItem"]):
    class Meta:
        index_name = "gsi3"
        projection = AllProjection()

    gsi3pk = UnicodeAttribute(hash_key=True)
    gsi3sk = UnicodeAttribute(range_key=True)


class Lookup(GlobalSecondaryIndex["PodiumItem"]):
    class Meta:
        index_name = "lookup"
        projection = AllProjection()

    lookup = UnicodeAttribute(hash_key=True)


class PodiumItem(Model):
    class Meta:
        table_name = settings().table_name
        region = settings().region
        max_pool_connections = MAX_CONNECTIONS  # chalicelib/core/aws.py says why

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    gsi3pk = UnicodeAttribute(null=True)
    gsi3sk = UnicodeAttribute(null=True)
    lookup = UnicodeAttribute(null=True)
    # DynamoDB's TTL only collects garbage (it may take days): no read or condition relies on it.
    expires = TTLAttribute(null=True)

    gsi1 = Gsi1()
    gsi2 = Gsi2()
    gsi3 = Gsi3()
    by_lookup = Lookup()


class ClusterItem(PodiumItem, discriminator="cluster"):
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    region = UnicodeAttribute()
    description = LocalizedAttribute()


class HouseItem(PodiumItem, discriminator="house"):
    id = UnicodeAttribute()
    house = UnicodeAttribute()  # the tenant; equals id for the house itself
    cluster = UnicodeAttribute()
    name = UnicodeAttribute()
    type = UnicodeAttribute()
    city = UnicodeAttribute()
    website = UnicodeAttribute(null=True)
    description = LocalizedAttribute()
    service_fee_cents = NumberAttribute(default=100)


class VenueItem(PodiumItem, discriminator="venue"):
    id = UnicodeAttribute()
    house = UnicodeAttribute()
    name = UnicodeAttribute()
    address = UnicodeAttribute()
    city = UnicodeAttribute()
    accessibility = LocalizedAttribute()


class PriceZoneAttribute(TypedMap):
    id = UnicodeAttribute()
    name = LocalizedAttribute()
    rank = NumberAttribute()
    color = UnicodeAttribute()


class HallItem(PodiumItem, discriminator="hall"):
    id = UnicodeAttribute()
    house = UnicodeAttribute()
    venue = UnicodeAttribute()
    name = UnicodeAttribute()
    layout = UnicodeAttribute()  # seated | standing | mixed
    capacity = NumberAttribute()
    seat_map = UnicodeAttribute(null=True)  # reference to the seat map document
    price_zones = ListAttribute(of=PriceZoneAttribute)


class ImageAttribute(TypedMap):
    url = UnicodeAttribute()
    alt = LocalizedAttribute()


class ProductionItem(PodiumItem, discriminator="production"):
    id = UnicodeAttribute()
    house = UnicodeAttribute()
    title = LocalizedAttribute()
    description = LocalizedAttribute()
    genre = UnicodeAttribute()
    languages = string_list()
    duration_minutes = NumberAttribute()
    age_advice = NumberAttribute(null=True)
    images = ListAttribute(of=ImageAttribute)


class TariffConditionsAttribute(TypedMap):
    max_per_order = NumberAttribute(null=True)
    proof_required = BooleanAttribute(default=False)
    min_age = NumberAttribute(null=True)
    max_age = NumberAttribute(null=True)


class TariffAttribute(TypedMap):
    id = UnicodeAttribute()
    name = LocalizedAttribute()
    prices = CentsByZoneAttribute()
    conditions = TariffConditionsAttribute()


class PerformanceItem(PodiumItem, discriminator="performance"):
    id = UnicodeAttribute()
    house = UnicodeAttribute()
    cluster = UnicodeAttribute()
    production = UnicodeAttribute()
    hall = UnicodeAttribute()
    venue = UnicodeAttribute()
    starts_at = UnicodeAttribute()
    ends_at = UnicodeAttribute()
    sales_opens_at = UnicodeAttribute()
    sales_closes_at = UnicodeAttribute()
    status = UnicodeAttribute()
    tariffs = ListAttribute(of=TariffAttribute)
    # Copied from the production so a listing renders and filters from the index alone.
    title = LocalizedAttribute()
    genre = UnicodeAttribute()
    image = ImageAttribute(null=True)
    hold_minutes = NumberAttribute(default=15)
    max_seats_per_hold = NumberAttribute(default=10)
    max_holds_per_client = NumberAttribute(default=3)


# --- inventory -------------------------------------------------------------------------------
# Times that conditions compare are integer epoch milliseconds: exact, and comparable in a
# DynamoDB condition expression.


class SeatMapItem(PodiumItem, discriminator="seat_map"):
    id = UnicodeAttribute()
    house = UnicodeAttribute()
    hall = UnicodeAttribute()
    document = BinaryAttribute(legacy_encoding=False)  # zlib-compressed JSON


class SeatItem(PodiumItem, discriminator="seat"):
    """A seat of one performance that is not free. No item: the seat is free."""

    performance = UnicodeAttribute()
    house = UnicodeAttribute()
    seat = UnicodeAttribute()
    state = UnicodeAttribute()  # held | sold | blocked
    hold = UnicodeAttribute(null=True)
    held_until = NumberAttribute(null=True)
    reason = UnicodeAttribute(null=True)  # why a seat is blocked
    blocked_at = NumberAttribute(null=True)  # when (epoch ms)


class GaShardItem(PodiumItem, discriminator="ga_shard"):
    performance = UnicodeAttribute()
    house = UnicodeAttribute()
    pool = UnicodeAttribute()
    shard = NumberAttribute()
    taken = NumberAttribute(default=0)  # held (expired leases included until reclaimed) + sold
    sold = NumberAttribute(default=0)


class GaLeaseItem(PodiumItem, discriminator="ga_lease"):
    """A hold's places in one shard, in the shard's partition so a read sees both."""

    performance = UnicodeAttribute()
    house = UnicodeAttribute()
    hold = UnicodeAttribute()
    quantity = NumberAttribute()
    held_until = NumberAttribute()


class ClientSlotItem(PodiumItem, discriminator="client_slot"):
    """One of the N concurrent holds a client may have on a performance."""

    performance = UnicodeAttribute()
    house = UnicodeAttribute()
    hold = UnicodeAttribute()
    held_until = NumberAttribute()


class GaAllocationAttribute(TypedMap):
    pool = UnicodeAttribute()
    shard = NumberAttribute()
    quantity = NumberAttribute()


class HoldItem(PodiumItem, discriminator="hold"):
    id = UnicodeAttribute()
    performance = UnicodeAttribute()
    house = UnicodeAttribute()
    client = UnicodeAttribute()
    seats = string_list()
    ga = ListAttribute(of=GaAllocationAttribute)
    client_slot = NumberAttribute()
    created_at = NumberAttribute()
    held_until = NumberAttribute()
    token_digest = UnicodeAttribute()
    state = UnicodeAttribute()
    extended = BooleanAttribute(default=False)
    # During an on-sale: "<identity>#<slot>" of each identity slot the hold takes.
    identity_slots = string_list(default=list)
    # Of a sold hold, places given back one by one (exchanged tickets): the release keys done,
    # and the seats and shard places given back (see DynamoInventoryStore.give_back).
    released = UnicodeSetAttribute(null=True)
    released_seats = UnicodeSetAttribute(null=True)
    released_ga = ListAttribute(of=GaAllocationAttribute, null=True)


# --- orders ------------------------------------------------------------------------------------


class OrderLineAttribute(TypedMap):
    place = UnicodeAttribute()
    label = UnicodeAttribute()
    zone = UnicodeAttribute()
    tariff = UnicodeAttribute()
    tariff_name = UnicodeAttribute()
    price_cents = NumberAttribute()
    fee_cents = NumberAttribute()


class ExchangeAttribute(TypedMap):
    order = UnicodeAttribute()
    tickets = string_list()
    moved_cents = NumberAttribute()
    refund_cents = NumberAttribute()
    at = NumberAttribute()
    by = UnicodeAttribute()


class StatusChangeAttribute(TypedMap):
    at = NumberAttribute()
    status = UnicodeAttribute()
    by = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)


class OrderItem(PodiumItem, discriminator="order"):
    """pk ORDER#<id>; gsi2 lists a house's orders by date (staff)."""

    id = UnicodeAttribute()
    house = UnicodeAttribute()
    performance = UnicodeAttribute()
    hold = UnicodeAttribute()
    lines = ListAttribute(of=OrderLineAttribute)
    customer_name = UnicodeAttribute()
    customer_email = UnicodeAttribute()
    customer_phone = UnicodeAttribute(null=True)
    language = UnicodeAttribute()
    newsletter_house = BooleanAttribute(default=False)
    newsletter_cluster = BooleanAttribute(default=False)
    status = UnicodeAttribute()
    created_at = NumberAttribute()
    pay_before = NumberAttribute()
    token_digest = UnicodeAttribute()
    payment_session = UnicodeAttribute(null=True)
    payment_url = UnicodeAttribute(null=True)
    payment_intent = UnicodeAttribute(null=True)
    task_token = UnicodeAttribute(null=True)  # the saga waits on it for the payment
    tickets = string_list(default=list)
    refunded_cents = NumberAttribute(default=0)
    mailed = BooleanAttribute(default=False)
    search = UnicodeAttribute(null=True)  # folded name and e-mail, for staff search
    channel = UnicodeAttribute(null=True)  # web (absent) | box_office
    payment_method = UnicodeAttribute(null=True)
    sold_by = UnicodeAttribute(null=True)
    comp_reason = UnicodeAttribute(null=True)
    cancelled_at = NumberAttribute(null=True)
    cancelled_by = UnicodeAttribute(null=True)
    cancel_reason = UnicodeAttribute(null=True)
    cancel_refund_cents = NumberAttribute(null=True)  # a staff cancel's refund, fixed first
    cancel_refund_total = NumberAttribute(null=True)  # refunded_cents once that cancel is done
    history = ListAttribute(of=StatusChangeAttribute, null=True)
    exchanged_from = UnicodeAttribute(null=True)
    exchanged_to = UnicodeAttribute(null=True)
    exchanges = ListAttribute(of=ExchangeAttribute, null=True)  # tickets moved to other orders
    replaces = string_list(null=True)  # exchanged_from's tickets
    exchange_paid_cents = NumberAttribute(null=True)  # the difference paid at the desk


class OrderOfHoldItem(PodiumItem, discriminator="order_of_hold"):
    """pk HOLD#<hold>, sk ORDER: at most one order per hold, by a conditional put."""

    order = UnicodeAttribute()
    house = UnicodeAttribute()


class TicketItem(PodiumItem, discriminator="ticket"):
    """pk ORDER#<order>, sk TICKET#<n>: beside its order, read with it in one query."""

    id = UnicodeAttribute()
    house = UnicodeAttribute()
    performance = UnicodeAttribute()
    order = UnicodeAttribute()
    place = UnicodeAttribute()
    label = UnicodeAttribute()
    tariff_name = UnicodeAttribute()
    price_cents = NumberAttribute()
    holder = UnicodeAttribute()
    qr = UnicodeAttribute()
    voided_at = NumberAttribute(null=True)  # its order was cancelled: the door refuses it
    exchanged_to = UnicodeAttribute(null=True)  # the order it moved to (claimed, then voided)


# --- waiting rooms -----------------------------------------------------------------------------


class WaitingRoomItem(PodiumItem, discriminator="waiting_room"):
    """pk ROOM#<id>, sk ROOM: the configuration, and the draw's outcome once drawn."""

    id = UnicodeAttribute()
    house = UnicodeAttribute()
    performances = string_list()
    opens_at = NumberAttribute()  # epoch ms
    closes_at = NumberAttribute()
    admit_per_minute = NumberAttribute()
    session_minutes = NumberAttribute()
    claim_minutes = NumberAttribute()
    max_holds_per_identity = NumberAttribute()
    max_seats_per_identity = NumberAttribute()
    drawing_until = NumberAttribute(null=True)  # a drawer's lease
    drawn_at = NumberAttribute(null=True)
    pre_count = NumberAttribute(null=True)


class RoomCounterItem(PodiumItem, discriminator="room_counter"):
    """pk ROOM#<id>, sk COUNTER: the last sequence number given to a post-opening arrival."""

    house = UnicodeAttribute()
    seq = NumberAttribute(default=0)


class PlaceItem(PodiumItem, discriminator="place"):
    """pk ROOM#<id>#P#<shard>, sk T#<ticket>."""

    room = UnicodeAttribute()
    house = UnicodeAttribute()
    ticket = UnicodeAttribute()
    client = UnicodeAttribute()
    email = UnicodeAttribute(null=True)
    arrived_at = NumberAttribute()
    phase = UnicodeAttribute()
    draw_key = NumberAttribute(null=True)
    seq = NumberAttribute(null=True)
    position = NumberAttribute(null=True)


class ClaimItem(PodiumItem, discriminator="place_claim"):
    """pk ROOM#<id>#P#<shard>, sk T#<ticket>#CLAIM: the one session of an admitted place."""

    room = UnicodeAttribute()
    house = UnicodeAttribute()
    client = UnicodeAttribute()
    claimed_at = NumberAttribute()


class ShardClosedItem(PodiumItem, discriminator="place_shard_closed"):
    """pk ROOM#<id>#P#<shard>, sk CLOSED: written by the draw before it reads the shard."""

    room = UnicodeAttribute()
    house = UnicodeAttribute()


class RoomGateItem(PodiumItem, discriminator="room_gate"):
    """pk ONSALE#<performance>, sk ROOM#<room>: this room gates the performance's holds."""

    room = UnicodeAttribute()
    house = UnicodeAttribute()
    performance = UnicodeAttribute()
    opens_at = NumberAttribute()
    closes_at = NumberAttribute()


class IdentitySlotItem(PodiumItem, discriminator="identity_slot"):
    """pk IDENTITY#<performance>#<identity>, sk SLOT#<n>: one active hold of an identity during
    an on-sale, with its seat count, so that one transaction can check the identity's total."""

    performance = UnicodeAttribute()
    house = UnicodeAttribute()
    hold = UnicodeAttribute()
    seats = NumberAttribute()
    held_until = NumberAttribute()


# --- door scanning -----------------------------------------------------------------------------


class DoorTicketItem(PodiumItem, discriminator="door_ticket"):
    """pk DOOR#<performance>, sk TICKET#<ticket>: a ticket at the door. Its check-in is written
    on condition that it has neither a check-in nor a revocation, so one scan wins, and a
    revocation (written on the same item) can never slip between a check and a write. Revoked,
    it joins gsi1 `DOOR#<performance>#REVOKED`, the scanners' revocation list."""

    house = UnicodeAttribute()
    performance = UnicodeAttribute()
    ticket = UnicodeAttribute()
    seat = UnicodeAttribute(null=True)
    checked_in_at = NumberAttribute(null=True)  # epoch ms, the scanner's clock
    received_at = NumberAttribute(null=True)  # epoch ms, ours
    scanner = UnicodeAttribute(null=True)
    nonce = UnicodeAttribute(null=True)
    revoked_at = NumberAttribute(null=True)
    revoked_reason = UnicodeAttribute(null=True)


class ScanNonceItem(PodiumItem, discriminator="scan_nonce"):
    """pk DOOR#<performance>, sk NONCE#<nonce>: an uploaded scan and the verdict it got, so
    that uploading it again answers the same and writes nothing new."""

    house = UnicodeAttribute()
    performance = UnicodeAttribute()
    scanner = UnicodeAttribute()
    fingerprint = UnicodeAttribute()
    verdict = UnicodeAttribute()
    ticket = UnicodeAttribute(null=True)
    seat = UnicodeAttribute(null=True)
    first_scanned_at = NumberAttribute(null=True)
    first_scanner = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    ticket_performance = UnicodeAttribute(null=True)
    received_at = NumberAttribute()


def share_one_connection() -> None:
    """Every entity lives in one table and shares the base class's connection (one botocore
    client and its pool, not one per entity class). pynamodb caches a model's connection on the
    class that first makes one, and a class without its own uses its base class's: so the base
    makes its connection first. Nothing is sent; the botocore client is made by the first
    request, at the endpoint of that moment."""
    PodiumItem.get_operation_kwargs_from_class(hash_key="", range_key="")


share_one_connection()
