"""The composition root: every store, adapter and service of the app, built from one Settings.

This is the one module that names concrete adapters (DynamoDB stores, S3, SQS, SES, Step
Functions, Stripe, the Cognito pool's keys); routes, consumers, the saga's task and the
schedules ask `container()` for what they need, and services see only ports.

Each part is built on first use and then kept for the process (a warm Lambda reuses its
clients and caches). Building is lazy because cold start matters: stripe, fpdf2, segno,
boto3 and pynamodb are imported by the builders, never when this module is imported, so a
function pays only for what it touches.

Tests and the local stack swap the container or single parts of it:

    bootstrap.use(Container(settings(), overrides={"payments": flaky_gateway}))
    ...
    bootstrap.reset()  # the next container() reads the environment again

An override is keyed by the part's method name (see `COMPONENTS`); whatever is built on it
(the checkout on "payments", say) uses the override.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar, cast

from chalicelib.core.config import Settings, settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

    from chalicelib.admin.tokens import StaffTokens
    from chalicelib.catalogue.publisher import AvailabilityPublisher, StaticSink
    from chalicelib.catalogue.service import CatalogueService
    from chalicelib.catalogue.store import DynamoCatalogueStore, RecentPerformances
    from chalicelib.core.clock import Clock
    from chalicelib.core.queue import SqsQueue
    from chalicelib.inventory.service import InventoryService
    from chalicelib.inventory.store import DynamoInventoryStore
    from chalicelib.onsale.gate import RoomGate
    from chalicelib.onsale.queue import SqsArrivalQueue
    from chalicelib.onsale.service import WaitingRoomService
    from chalicelib.onsale.store import DynamoRoomStore, RecentRooms
    from chalicelib.onsale.tokens import Signer
    from chalicelib.orders.service import (
        CheckoutService,
        ConfirmationWriter,
        Mailer,
        TicketFiles,
        TicketIssuer,
        Workflow,
    )
    from chalicelib.orders.store import DynamoOrderStore
    from chalicelib.payments.model import PaymentGateway
    from chalicelib.programme.cancellation import CancellationRefunds
    from chalicelib.programme.service import ProgrammeService
    from chalicelib.sales.service import SalesService
    from chalicelib.scanning.service import ScanningService
    from chalicelib.scanning.store import DynamoDoorStore
    from chalicelib.tickets.signing import Keyring

T = TypeVar("T")

# Powertools keeps each Stripe event id this long: Stripe retries a delivery for 3 days.
STRIPE_EVENTS_SECONDS = 30 * 24 * 3600


def component(build: Callable[[Container], T]) -> Callable[[Container], T]:
    """A part of the container: built once (or taken from the overrides) on first use."""
    name = build.__name__

    @functools.wraps(build)
    def get(self: Container) -> T:
        try:
            return cast(T, self._built[name])
        except KeyError:
            pass
        # Re-entrant: building the checkout builds the inventory on the same thread. The
        # local stack serves requests on threads: two first requests must not build twice.
        with self._lock:
            if name not in self._built:
                self._built[name] = (
                    self._overrides[name] if name in self._overrides else build(self)
                )
            return cast(T, self._built[name])

    # A mark on the function, read by tests to list every part (functions take attributes;
    # mypy does not model that).
    get.is_component = True  # type: ignore[attr-defined]
    return get


class Container:
    def __init__(
        self, config: Settings | None = None, overrides: Mapping[str, object] | None = None
    ) -> None:
        self.settings = config if config is not None else settings()
        self._overrides = dict(overrides or {})
        unknown = set(self._overrides) - COMPONENTS
        if unknown:
            raise ValueError(f"no such part of the container: {sorted(unknown)}")
        self._built: dict[str, object] = {}
        self._lock = threading.RLock()

    def with_overrides(self, **overrides: object) -> Container:
        """A new container on the same settings, with these parts replaced as well."""
        return Container(self.settings, {**self._overrides, **overrides})

    # --- infrastructure -----------------------------------------------------------------

    @component
    def clock(self) -> Clock:
        from chalicelib.core.clock import SystemClock

        return SystemClock()

    @component
    def catalogue_store(self) -> DynamoCatalogueStore:
        from chalicelib.catalogue.store import DynamoCatalogueStore

        return DynamoCatalogueStore()

    @component
    def performances(self) -> RecentPerformances:
        """Performance pages cached per instance, for the hot paths (holds, checkout, door)."""
        from chalicelib.catalogue.store import RecentPerformances

        return RecentPerformances(self.catalogue_store())

    @component
    def inventory_store(self) -> DynamoInventoryStore:
        from chalicelib.inventory.store import DynamoInventoryStore

        return DynamoInventoryStore()

    @component
    def order_store(self) -> DynamoOrderStore:
        from chalicelib.orders.store import DynamoOrderStore

        return DynamoOrderStore()

    @component
    def room_store(self) -> DynamoRoomStore:
        from chalicelib.onsale.store import DynamoRoomStore

        return DynamoRoomStore()

    @component
    def rooms(self) -> RecentRooms:
        from chalicelib.onsale.store import RecentRooms

        return RecentRooms(self.room_store(), self.clock())

    @component
    def door_store(self) -> DynamoDoorStore:
        from chalicelib.scanning.store import DynamoDoorStore

        return DynamoDoorStore()

    @component
    def webshop(self) -> StaticSink:
        """The webshop's bucket: pre-rendered catalogue and availability JSON."""
        from chalicelib.catalogue.publisher import S3StaticSink

        return S3StaticSink(self.settings.webshop_bucket)

    @component
    def arrivals(self) -> SqsArrivalQueue:
        from chalicelib.onsale.queue import SqsArrivalQueue

        return SqsArrivalQueue(self.settings.waiting_room_queue)

    @component
    def refund_queue(self) -> SqsQueue:
        from chalicelib.core.queue import SqsQueue

        return SqsQueue(self.settings.refund_queue)

    @component
    def signer(self) -> Signer:
        from chalicelib.onsale.tokens import Signer

        return Signer(self.settings.secret("admission_token_secret"))

    @component
    def keyring(self) -> Keyring:
        """The houses' ticket keys, for the door (the issuer derives its own)."""
        from chalicelib.tickets.signing import SeededKeyring

        return SeededKeyring(self.settings.secret("ticket_key_secret"))

    @component
    def payments(self) -> PaymentGateway:
        from chalicelib.payments.stripe_gateway import StripeGateway

        return StripeGateway(self.settings.stripe_api_key, self.settings.stripe_api_base or None)

    @component
    def workflow(self) -> Workflow:
        from chalicelib.orders.adapters import StepFunctionsWorkflow

        return StepFunctionsWorkflow(self.settings.required("checkout_state_machine"))

    @component
    def issuer(self) -> TicketIssuer:
        from chalicelib.orders.adapters import SignedTicketIssuer

        return SignedTicketIssuer(self.settings.secret("ticket_key_secret"))

    @component
    def ticket_files(self) -> TicketFiles:
        from chalicelib.orders.adapters import S3TicketFiles

        return S3TicketFiles(self.settings.tickets_bucket)

    @component
    def mailer(self) -> Mailer:
        from chalicelib.orders.adapters import SesMailer

        return SesMailer(self.settings.mail_from)

    @component
    def mails(self) -> ConfirmationWriter:
        from chalicelib.orders.mail import ConfirmationMails

        return ConfirmationMails()

    @component
    def staff_tokens(self) -> StaffTokens:
        from chalicelib.admin.tokens import StaffPool, StaffTokens

        config = self.settings
        if not config.staff_issuer or not config.staff_client_id:
            raise RuntimeError("PODIUM_STAFF_ISSUER and PODIUM_STAFF_CLIENT_ID must be set")
        pool = StaffPool(config.staff_issuer, config.staff_client_id, config.staff_keys_url)
        return StaffTokens(pool)

    @component
    def stripe_events(self) -> tuple[Callable[..., str], IdempotencyConfig]:
        """Stripe delivers at least once: each event id is handled once (Powertools
        idempotency, records in our table under one partition). The route registers the
        Lambda context on the config, so that an in-progress record expires with it."""
        from aws_lambda_powertools.utilities.idempotency import (
            DynamoDBPersistenceLayer,
            IdempotencyConfig,
            idempotent_function,
        )

        from chalicelib.orders.webhooks import handle_stripe_event

        persistence = DynamoDBPersistenceLayer(
            table_name=self.settings.table_name,
            key_attr="pk",
            sort_key_attr="sk",
            static_pk_value="STRIPE_EVENTS",
            expiry_attr="expires",
        )
        config = IdempotencyConfig(
            event_key_jmespath="id",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=STRIPE_EVENTS_SECONDS,
        )

        # Powertools types its decorator loosely (untyped in some releases, typed in others).
        @idempotent_function(  # type: ignore[untyped-decorator,unused-ignore]
            data_keyword_argument="event", persistence_store=persistence, config=config
        )
        def handle(event: dict[str, Any]) -> str:
            return handle_stripe_event(self.checkout(), event)

        return handle, config

    # --- services -------------------------------------------------------------------------

    @component
    def catalogue(self) -> CatalogueService:
        """The catalogue as the public API reads it (no publishing on save)."""
        from chalicelib.catalogue.service import CatalogueService

        return CatalogueService(self.catalogue_store(), self.clock())

    @component
    def publishing_catalogue(self) -> CatalogueService:
        """The catalogue as staff and the seeding change it: every save publishes the
        webshop's JSON and the availability snapshot."""
        from chalicelib.catalogue.publisher import CataloguePublisher
        from chalicelib.catalogue.service import CatalogueService

        catalogue = CatalogueService(self.catalogue_store(), self.clock())
        sink = self.webshop()
        catalogue.listeners.append(
            CataloguePublisher(catalogue, sink, self._availability_of(catalogue))
        )
        return catalogue

    @component
    def availability(self) -> AvailabilityPublisher:
        """Live seat counts per cluster into the webshop's bucket (the schedule's job)."""
        return self._availability_of(self.catalogue())

    def _availability_of(self, catalogue: CatalogueService) -> AvailabilityPublisher:
        from chalicelib.catalogue.publisher import AvailabilityPublisher
        from chalicelib.inventory.availability import AvailabilityService
        from chalicelib.inventory.service import InventoryService
        from chalicelib.inventory.store import DynamoInventoryStore

        # Counted on eventually consistent reads (half the price), on the catalogue's clock.
        store = self.catalogue_store()
        counting = InventoryService(
            DynamoInventoryStore(consistent_reads=False), store, catalogue.clock
        )
        return AvailabilityPublisher(
            AvailabilityService(catalogue, store, counting), self.webshop()
        )

    @component
    def gate(self) -> RoomGate:
        """The waiting rooms' hold gate; the signer is asked for only when a token is read."""
        from chalicelib.onsale.gate import RoomGate

        return RoomGate(self.room_store(), self.rooms(), self.signer)

    @component
    def inventory(self) -> InventoryService:
        from chalicelib.inventory.service import InventoryService

        return InventoryService(
            self.inventory_store(), self.performances(), self.clock(), gate=self.gate()
        )

    @component
    def waiting_room(self) -> WaitingRoomService:
        from chalicelib.onsale.service import WaitingRoomService
        from chalicelib.onsale.soldout import SeatsLeft

        inventory = self.inventory()
        return WaitingRoomService(
            self.room_store(),
            self.rooms(),
            self.arrivals(),
            inventory.catalogue,
            SeatsLeft(inventory),
            self.signer(),
            self.clock(),
        )

    @component
    def checkout(self) -> CheckoutService:
        from chalicelib.orders.service import CheckoutService

        return CheckoutService(
            self.order_store(),
            self.inventory(),
            self.payments(),
            self.workflow(),
            self.clock(),
            public_url=self.settings.public_url,
            token_secret=self.settings.secret("order_token_secret"),
        )

    @component
    def sales(self) -> SalesService:
        from chalicelib.sales.service import SalesService

        return SalesService(
            self.checkout(),
            self.issuer(),
            self.ticket_files(),
            self.mailer(),
            self.mails(),
            self.catalogue_store(),
            self.order_store(),
        )

    @component
    def refunds(self) -> CancellationRefunds:
        """A cancelled performance's refunds: queued by the cancel, run by the consumer."""
        from chalicelib.programme.cancellation import CancellationRefunds

        return CancellationRefunds(self.order_store(), self.refund_queue(), self.sales())

    @component
    def programme(self) -> ProgrammeService:
        from chalicelib.programme.service import ProgrammeService

        return ProgrammeService(
            self.catalogue_store(),
            self.publishing_catalogue(),
            self.inventory_store(),
            self.clock(),
            self.refunds(),
        )

    @component
    def scanning(self) -> ScanningService:
        from chalicelib.scanning.labels import SeatLabels
        from chalicelib.scanning.service import ScanningService

        return ScanningService(
            self.door_store(),
            self.performances(),
            self.keyring(),
            self.clock(),
            labels=SeatLabels(self.inventory_store()),
        )


# Every name an override may take.
COMPONENTS = frozenset(
    name for name, part in vars(Container).items() if getattr(part, "is_component", False)
)

_current: Container | None = None
_swap = threading.Lock()


def container() -> Container:
    """This process's container, made from the environment on first use."""
    global _current
    current = _current
    if current is None:
        with _swap:
            if _current is None:
                _current = Container()
            current = _current
    return current


def use(replacement: Container | None) -> Container | None:
    """Make `replacement` this process's container (None: a new one from the settings on
    next use); returns the one it replaces, so that a test can put it back."""
    global _current
    with _swap:
        previous, _current = _current, replacement
    return previous


def reset() -> None:
    """Forget the container, the settings and the table's connection: the next call reads
    the environment again and builds clients against the endpoints it names now (the local
    stack and tests start and stop AWS stand-ins within one process)."""
    global _current
    import sys

    with _swap:
        _current = None
        settings.cache_clear()
    if "chalicelib.store.models" in sys.modules:  # else nothing connected yet (nor imported)
        from chalicelib.store.db import forget_connections

        forget_connections()


@contextmanager
def overridden(**overrides: object) -> Iterator[Container]:
    """For tests: the current container with these parts replaced, for the block's length."""
    previous = use(container().with_overrides(**overrides))
    try:
        yield container()
    finally:
        use(previous)
