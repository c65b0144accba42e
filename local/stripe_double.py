"""A local HTTP double of the part of the Stripe API that a Checkout-Sessions payment flow uses.

Podium's Stripe adapter talks to Stripe through the official `stripe` library. Pointing that
library at this server (``stripe.StripeClient(key, base_addresses={"api": double.base_url})``,
or ``stripe.api_base = double.base_url``) runs the whole flow with no network and no Stripe
account: create a Checkout Session, pay / decline / expire it on a hosted test page, receive
signed webhooks, refund.

It speaks Stripe's wire format so that the library parses everything as it would in
production: form-encoded requests in bracket notation (``line_items[0][price_data][currency]``),
JSON objects carrying ``"object"``, ``{"error": {...}}`` bodies with Stripe's status codes and
error types, ``Idempotency-Key`` replay, and ``Stripe-Signature`` headers that
``stripe.Webhook.construct_event`` accepts.

Endpoints:
    POST /v1/checkout/sessions                  GET  /v1/checkout/sessions/{id}
    GET  /v1/checkout/sessions/{id}/line_items  POST /v1/checkout/sessions/{id}/expire
    GET  /v1/payment_intents/{id}               GET  /v1/charges/{id}
    POST /v1/refunds                            GET  /v1/refunds/{id}
    GET|POST /pay/{session_id}                  the hosted test checkout page
    /_double/...                                the control API over HTTP (see `_control`)

Deliberately not modelled: modes other than ``payment``, prices/products/customers by id,
discounts, taxes, shipping, embedded UI modes, list endpoints other than line items, and
Stripe's days-long webhook retry schedule (here: a few quick retries).

Run it for a demo: ``python -m local.stripe_double --port 12111 --webhook-url http://...``
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import heapq
import hmac
import html
import itertools
import json
import re
import secrets
import string
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, Protocol, cast
from urllib.parse import parse_qsl, urlsplit

JSON = dict[str, Any]


class _Headers(Protocol):
    """A request's headers, looked up by name without regard to case (http.server's)."""

    def get(self, name: str, /) -> str | None: ...


# The API version stripe 16.1.0 pins. Events carry the version of the webhook endpoint.
API_VERSION = "2026-10-28.endive"
DEFAULT_WEBHOOK_SECRET = "whsec_test_double"

# Stripe: "It can be anywhere from 30 minutes to 24 hours after Checkout Session creation."
SESSION_MIN_LIFETIME = 30 * 60
SESSION_MAX_LIFETIME = 24 * 60 * 60

SUPPORTED_PAYMENT_METHODS = ("card", "bancontact")
_LOCALES = (  # as the stripe library types `locale`
    "auto bg cs da de el en en-GB es es-419 et fi fil fr fr-CA hi-IN hr hu id it ja ko lt lv "
    "ms mt nb nl pl pt pt-BR ro ru sk sl sv th tr vi zh zh-HK zh-TW"
)
STRIPE_LOCALES = frozenset(_LOCALES.split())
# Stripe refuses charges below a per-currency minimum; these are the ones Podium could meet.
MINIMUM_CHARGE = {"eur": 50, "usd": 50, "gbp": 30, "chf": 50}
_ZERO_DECIMAL = "bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf"
ZERO_DECIMAL_CURRENCIES = frozenset(_ZERO_DECIMAL.split())
REFUND_REASONS = ("duplicate", "fraudulent", "requested_by_customer")

# Parameters the double models.
_SESSION_PARAMS = frozenset(
    {
        "allowed_payment_method_types",
        "cancel_url",
        "client_reference_id",
        "customer",
        "customer_email",
        "expand",
        "expires_at",
        "line_items",
        "locale",
        "metadata",
        "mode",
        "payment_intent_data",
        "payment_method_types",
        "submit_type",
        "success_url",
        "ui_mode",
    }
)
# Valid Stripe parameters the double accepts but does not model: refusing them would make a
# correct adapter call fail here and nowhere else.
_SESSION_PARAMS_IGNORED = frozenset(
    {
        "adaptive_pricing",
        "after_expiration",
        "allow_promotion_codes",
        "automatic_tax",
        "billing_address_collection",
        "branding_settings",
        "consent_collection",
        "currency",
        "custom_fields",
        "custom_text",
        "customer_account",
        "customer_creation",
        "customer_update",
        "discounts",
        "excluded_payment_method_types",
        "integration_identifier",
        "invoice_creation",
        "managed_payments",
        "name_collection",
        "optional_items",
        "origin_context",
        "payment_method_collection",
        "payment_method_configuration",
        "payment_method_data",
        "payment_method_options",
        "permissions",
        "phone_number_collection",
        "redirect_on_completion",
        "return_url",
        "saved_payment_method_options",
        "setup_intent_data",
        "shipping_address_collection",
        "shipping_options",
        "subscription_data",
        "tax_id_collection",
        "wallet_options",
    }
)
_LINE_ITEM_PARAMS = frozenset(
    {"adjustable_quantity", "metadata", "price", "price_data", "quantity", "tax_rates"}
)
_PRICE_DATA_PARAMS = frozenset(
    {
        "currency",
        "product",
        "product_data",
        "recurring",
        "tax_behavior",
        "unit_amount",
        "unit_amount_decimal",
    }
)
_PRODUCT_DATA_PARAMS = frozenset(
    {"description", "images", "metadata", "name", "tax_code", "tax_details", "unit_label"}
)
_INTENT_DATA_PARAMS = frozenset(
    {
        "application_fee_amount",
        "capture_method",
        "description",
        "metadata",
        "on_behalf_of",
        "receipt_email",
        "setup_future_usage",
        "shipping",
        "statement_descriptor",
        "statement_descriptor_suffix",
        "transfer_data",
        "transfer_group",
    }
)
_REFUND_PARAMS = frozenset(
    {
        "amount",
        "charge",
        "currency",
        "customer",
        "expand",
        "instructions_email",
        "metadata",
        "origin",
        "payment_intent",
        "reason",
        "refund_application_fee",
        "reverse_transfer",
    }
)

_ALNUM = string.ascii_letters + string.digits


def _new_id(prefix: str, length: int = 24) -> str:
    return prefix + "".join(secrets.choice(_ALNUM) for _ in range(length))


# --------------------------------------------------------------------------------------------
# Errors


class StripeDoubleError(Exception):
    """A Stripe-style API error, served as ``{"error": {...}}`` with its HTTP status.

    The control API raises it too, so a test that drives the double wrongly (paying an expired
    session, say) gets the same kind of message an API caller would."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type_: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_
        self.code = code
        self.param = param

    def body(self) -> JSON:
        error: JSON = {
            "type": self.type,
            "code": self.code,
            "message": self.message,
            "param": self.param,
        }
        if self.code:
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        return {"error": error}


def _missing(param: str) -> StripeDoubleError:
    return StripeDoubleError(
        400, f"Missing required param: {param}.", code="parameter_missing", param=param
    )


def _unknown(param: str) -> StripeDoubleError:
    return StripeDoubleError(
        400, f"Received unknown parameter: {param}", code="parameter_unknown", param=param
    )


def _no_such(kind: str, object_id: str, param: str, status: int = 404) -> StripeDoubleError:
    # 404 when the id is in the URL, 400 when it is a parameter of the request: as Stripe does.
    return StripeDoubleError(
        status, f"No such {kind}: '{object_id}'", code="resource_missing", param=param
    )


# --------------------------------------------------------------------------------------------
# Decoding Stripe's form encoding

_KEY_RE = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_BRACKET_RE = re.compile(r"\[([^\[\]]*)\]")


def decode_params(pairs: Iterable[tuple[str, str]]) -> JSON:
    """Bracket notation to nested dicts and lists, as Stripe reads it.

    ``line_items[0][price_data][currency]=eur`` → ``{"line_items": [{"price_data": {...}}]}``.
    The stripe library indexes arrays (``expand[0]=``); ``expand[]=`` from curl works too."""
    root: JSON = {}
    for key, value in pairs:
        match = _KEY_RE.match(key)
        if not match:
            raise StripeDoubleError(400, f"Invalid parameter name: {key}", param=key)
        parts = [match.group(1), *_BRACKET_RE.findall(match.group(2))]
        node = root
        for depth, part in enumerate(parts):
            name = part if part else str(len(node))  # `[]` appends
            if depth == len(parts) - 1:
                if isinstance(node.get(name), dict):
                    raise StripeDoubleError(
                        400, f"Invalid parameter: {key} is an object", param=key
                    )
                node[name] = value
            else:
                child = node.setdefault(name, {})
                if not isinstance(child, dict):
                    raise StripeDoubleError(400, f"Invalid parameter: {key}", param=key)
                node = child
    return _listify(root)


def _listify(node: Any, is_metadata: bool = False) -> Any:
    """Dicts keyed 0, 1, 2... become lists; metadata keys stay keys even when numeric."""
    if not isinstance(node, dict):
        return node
    out = {key: _listify(value, key == "metadata") for key, value in node.items()}
    if out and not is_metadata and all(key.isdigit() for key in out):
        return [out[key] for key in sorted(out, key=int)]
    return out


def _check_known(params: Mapping[str, Any], allowed: Iterable[str], prefix: str = "") -> None:
    allowed = set(allowed)
    for key in params:
        if key not in allowed:
            raise _unknown(f"{prefix}[{key}]" if prefix else key)


def _string(value: Any, param: str, max_length: int = 5000) -> str:
    if not isinstance(value, str):
        raise StripeDoubleError(400, f"Invalid string: {value!r}", param=param)
    if len(value) > max_length:
        raise StripeDoubleError(
            400,
            f"Invalid string: must be at most {max_length} characters, got {len(value)}.",
            param=param,
        )
    return value


def _integer(value: Any, param: str, minimum: int | None = None) -> int:
    if not isinstance(value, str) or not re.fullmatch(r"-?\d+", value):
        raise StripeDoubleError(
            400, f"Invalid integer: {value}", code="parameter_invalid_integer", param=param
        )
    number = int(value)
    if minimum is not None and number < minimum:
        raise StripeDoubleError(
            400, f"This value must be greater than or equal to {minimum}.", param=param
        )
    return number


def _string_list(value: Any, param: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise StripeDoubleError(400, "Invalid array", param=param)
    return value


def _metadata(value: Any, param: str = "metadata") -> dict[str, str]:
    """Stripe's metadata rules: at most 50 keys, keys up to 40 and values up to 500 characters;
    an empty value unsets a key and ``metadata=`` unsets all."""
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise StripeDoubleError(400, "Invalid object", param=param)
    if len(value) > 50:
        raise StripeDoubleError(400, "Metadata can have up to 50 keys.", param=param)
    result: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(item, str):
            raise StripeDoubleError(
                400, "Invalid metadata value: must be a string", param=f"{param}[{key}]"
            )
        if len(key) > 40:
            raise StripeDoubleError(
                400, f"Metadata keys can have up to 40 characters: {key}", param=f"{param}[{key}]"
            )
        if len(item) > 500:
            raise StripeDoubleError(
                400,
                f"Metadata values can have up to 500 characters, but you passed in a value "
                f"that is {len(item)} characters.",
                param=f"{param}[{key}]",
            )
        if item != "":
            result[key] = item
    return result


def _url(value: Any, param: str) -> str:
    url = _string(value, param, max_length=5000)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StripeDoubleError(400, "Not a valid URL", code="url_invalid", param=param)
    return url


def _expand_list(params: Mapping[str, Any]) -> list[str]:
    value = params.get("expand")
    if value is None:
        return []
    return _string_list(value, "expand")


# --------------------------------------------------------------------------------------------
# Money formatting (the hosted page and Stripe's refund message)


def format_amount_nl(amount: int, currency: str) -> str:
    """``2500, "eur"`` → ``"€ 25,00"``: how a Belgian or Dutch page shows a price."""
    if currency in ZERO_DECIMAL_CURRENCIES:
        number = f"{amount:,}".replace(",", ".")
    else:
        major, minor = divmod(amount, 100)
        number = f"{major:,}".replace(",", ".") + f",{minor:02d}"
    return f"€ {number}" if currency == "eur" else f"{number} {currency.upper()}"


def _format_amount_en(amount: int, currency: str) -> str:
    symbol = {"eur": "€", "usd": "$", "gbp": "£"}.get(currency, currency.upper() + " ")
    if currency in ZERO_DECIMAL_CURRENCIES:
        return f"{symbol}{amount}"
    return f"{symbol}{amount / 100:.2f}"


# --------------------------------------------------------------------------------------------
# Webhook delivery


@dataclass(order=True)
class _Job:
    due: float  # time.monotonic()
    seq: int  # FIFO among jobs due at the same moment
    event_id: str = field(compare=False)
    event_type: str = field(compare=False)
    payload: bytes = field(compare=False)
    url: str = field(compare=False)
    attempt: int = field(compare=False, default=1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # Stripe does not follow redirects from a webhook endpoint: a 3xx is a failed delivery.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _WebhookQueue:
    """Delivers events on one background thread, so a slow receiver never blocks the page or
    the API, and events go out in the order they were queued (which makes a reversed release
    deterministic). A failed attempt is rescheduled rather than retried in place, so other
    events keep flowing meanwhile, as they do at Stripe."""

    def __init__(
        self, sign: Callable[[bytes], str], retry_delays: Sequence[float], timeout: float
    ) -> None:
        self._sign = sign
        self._retry_delays = tuple(retry_delays)
        self._timeout = timeout
        self._cond = threading.Condition()
        self._heap: list[_Job] = []
        self._held: list[_Job] | None = None
        self._seq = itertools.count()
        self._in_flight = 0
        self._attempts: list[JSON] = []
        self._stopping = False
        self._thread: threading.Thread | None = None
        # No proxies from the environment, no redirects: straight to the receiver.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)

    def start(self) -> None:
        self._stopping = False
        self._thread = threading.Thread(
            target=self._run, name="stripe-double-webhooks", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=self._timeout + 1)
            self._thread = None

    def submit(self, event_id: str, event_type: str, payload: bytes, url: str) -> None:
        with self._cond:
            job = _Job(time.monotonic(), next(self._seq), event_id, event_type, payload, url)
            if self._held is not None:
                self._held.append(job)
            else:
                heapq.heappush(self._heap, job)
                self._cond.notify_all()

    def hold(self) -> None:
        with self._cond:
            if self._held is None:
                self._held = []

    def release(self, order: Literal["forward", "reverse"] = "reverse") -> int:
        with self._cond:
            jobs, self._held = self._held or [], None
            if order == "reverse":
                jobs.reverse()
            now = time.monotonic()
            for job in jobs:
                job.due, job.seq = now, next(self._seq)
                heapq.heappush(self._heap, job)
            self._cond.notify_all()
            return len(jobs)

    def attempts(self) -> list[JSON]:
        with self._cond:
            return [dict(attempt) for attempt in self._attempts]

    def drain(self, timeout: float) -> bool:
        """Wait until nothing is queued or being sent (held events do not count)."""
        with self._cond:
            return self._cond.wait_for(
                lambda: not self._heap and self._in_flight == 0, timeout=timeout
            )

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stopping:
                    now = time.monotonic()
                    if self._heap and self._heap[0].due <= now:
                        break
                    self._cond.wait(self._heap[0].due - now if self._heap else None)
                if self._stopping:
                    return
                job = heapq.heappop(self._heap)
                self._in_flight += 1
            status, error = self._send(job)
            with self._cond:
                self._attempts.append(
                    {
                        "event_id": job.event_id,
                        "event_type": job.event_type,
                        "url": job.url,
                        "attempt": job.attempt,
                        "status": status,
                        "error": error,
                        "at": time.time(),
                    }
                )
                succeeded = status is not None and 200 <= status < 300
                if not succeeded and job.attempt <= len(self._retry_delays):
                    job.due = time.monotonic() + self._retry_delays[job.attempt - 1]
                    job.seq, job.attempt = next(self._seq), job.attempt + 1
                    heapq.heappush(self._heap, job)
                self._in_flight -= 1
                self._cond.notify_all()

    def _send(self, job: _Job) -> tuple[int | None, str | None]:
        request = urllib.request.Request(
            job.url,
            data=job.payload,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                "Stripe-Signature": self._sign(job.payload),
            },
        )
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                response.read()
                return response.status, None
        except urllib.error.HTTPError as exc:
            return exc.code, None
        except OSError as exc:  # refused, reset, timed out: Stripe retries these as well
            return None, str(exc)


# --------------------------------------------------------------------------------------------
# The double


@dataclass
class _Session:
    obj: JSON  # the checkout.session exactly as served
    line_items: list[JSON]  # not part of the object: Stripe serves them expanded or listed
    intent_data: JSON  # payment_intent_data, applied when the PaymentIntent is made
    method: str | None = None  # how the customer paid, once they did


@dataclass
class _Fault:
    path_prefix: str
    status: int
    remaining: int


@dataclass(frozen=True)
class _StoredResponse:
    fingerprint: tuple[tuple[str, str], ...]
    status: int
    body: bytes


@dataclass
class _Response:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def _json_response(status: int, obj: Any, headers: dict[str, str] | None = None) -> _Response:
    # Stripe pretty-prints its JSON; nothing depends on that, but it makes logs readable.
    return _Response(status, json.dumps(obj, indent=2).encode(), headers=headers or {})


_Handler = Callable[..., JSON]


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # not socketserver's 5: many checkouts start at once in a peak
    double: StripeDouble  # set by StripeDouble.start, read by the request handler


class StripeDouble:
    """A Stripe API double on a local port. State lives in memory behind one lock: the HTTP
    server is threaded and tests call the control methods from their own thread."""

    def __init__(
        self,
        webhook_url: str | None = None,
        webhook_secret: str = DEFAULT_WEBHOOK_SECRET,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        retry_delays: Sequence[float] = (0.05, 0.2, 0.5),
        delivery_timeout: float = 5.0,
        enabled_events: Iterable[str] | None = None,
    ) -> None:
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        # Like a Stripe webhook endpoint's `enabled_events`; None sends every type.
        self.enabled_events = frozenset(enabled_events) if enabled_events is not None else None
        self._address = (host, port)
        self._lock = threading.RLock()
        self._clock: Callable[[], float] = time.time
        self._clock_offset = 0.0  # for /_double/clock, the HTTP way to move time
        self._sessions: dict[str, _Session] = {}
        self._objects: dict[str, JSON] = {}  # payment intents, charges, refunds by id
        self._events: list[JSON] = []
        self._payloads: dict[str, bytes] = {}  # event id -> the exact bytes sent (redelivery)
        self._idempotency: dict[tuple[str, str], _StoredResponse] = {}
        self._faults: list[_Fault] = []
        self._request: JSON | None = None  # the API request being handled, for event.request
        self._webhooks = _WebhookQueue(self._signature_header, retry_delays, delivery_timeout)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle ---------------------------------------------------------------------------

    def start(self) -> StripeDouble:
        server = _Server(self._address, _RequestHandler)
        server.daemon_threads = True
        server.double = self
        self._server = server
        self._webhooks.start()
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},  # stop() waits at most this long
            name="stripe-double-http",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._webhooks.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> StripeDouble:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("StripeDouble is not started")
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)  # an AF_INET server: (host, port)
        return f"http://{host}:{port}"

    # ---- control API -------------------------------------------------------------------------

    def pay(self, session_id: str, method: str = "card") -> JSON:
        """The customer pays. Card: the session completes paid. Bancontact (asynchronous here):
        the session completes unpaid and the PaymentIntent is processing until
        `settle_async`."""
        with self._lock:
            self._sweep_expired()
            record = self._open_session(session_id, "paid")
            if method not in record.obj["payment_method_types"]:
                raise StripeDoubleError(
                    400, f"This Checkout Session does not offer {method!r}.", param="method"
                )
            intent = self._intent_for(record)
            intent.update(
                payment_method=_new_id("pm_"),
                payment_method_types=[method],
                last_payment_error=None,
            )
            record.method = method
            if method == "card":
                self._succeed_intent(record, intent)
                payment_status = "paid"
            else:
                intent["status"] = "processing"
                payment_status = "unpaid"
            record.obj.update(
                status="complete",
                payment_status=payment_status,
                url=None,  # Stripe clears the URL once the session is no longer open
                customer_details=self._customer_details(record),
            )
            self._emit("checkout.session.completed", record.obj)
            return copy.deepcopy(record.obj)

    def decline(self, session_id: str) -> JSON:
        """The card is declined: the session stays open for another try. Since API 2022-08-01
        the PaymentIntent is made at the first confirmation, so it exists from now on."""
        with self._lock:
            self._sweep_expired()
            record = self._open_session(session_id, "paid")
            if "card" not in record.obj["payment_method_types"]:
                raise StripeDoubleError(400, "This Checkout Session does not offer 'card'.")
            intent = self._intent_for(record)
            intent.update(
                status="requires_payment_method",
                payment_method=None,
                payment_method_types=["card"],
                last_payment_error={
                    "type": "card_error",
                    "code": "card_declined",
                    "decline_code": "generic_decline",
                    "message": "Your card was declined.",
                    "payment_method": {"type": "card"},
                },
            )
            self._emit("payment_intent.payment_failed", intent)
            return copy.deepcopy(record.obj)

    def expire(self, session_id: str) -> JSON:
        with self._lock:
            self._sweep_expired()
            record = self._open_session(session_id, "expired")
            self._expire(record)
            return copy.deepcopy(record.obj)

    def settle_async(self, session_id: str, succeeded: bool) -> JSON:
        """The delayed outcome of an asynchronous (Bancontact) payment."""
        with self._lock:
            record = self._session(session_id)
            intent_id = record.obj["payment_intent"]
            intent = self._objects.get(intent_id) if intent_id else None
            if intent is None or intent["status"] != "processing":
                raise StripeDoubleError(
                    400,
                    f"Checkout Session {session_id} has no asynchronous payment in progress.",
                )
            if succeeded:
                self._succeed_intent(record, intent)
                record.obj["payment_status"] = "paid"
                self._emit("checkout.session.async_payment_succeeded", record.obj)
            else:
                intent.update(
                    status="requires_payment_method",
                    payment_method=None,
                    last_payment_error={
                        "type": "invalid_request_error",
                        "code": "payment_intent_payment_attempt_failed",
                        "message": "The payment failed.",
                        "payment_method": {"type": record.method},
                    },
                )
                self._emit("checkout.session.async_payment_failed", record.obj)
            return copy.deepcopy(record.obj)

    def events(self, type: str | None = None) -> list[JSON]:
        """Every event created, oldest first, delivered or not."""
        with self._lock:
            return [copy.deepcopy(e) for e in self._events if type is None or e["type"] == type]

    def deliveries(self) -> list[JSON]:
        """Every delivery attempt: event_id, event_type, url, attempt, status (None when the
        connection failed), error, at."""
        return self._webhooks.attempts()

    def redeliver(self, event_id: str) -> None:
        """Send an event again, byte for byte: Stripe delivers at least once."""
        with self._lock:
            payload = self._payloads.get(event_id)
            if payload is None:
                raise _no_such("event", event_id, "id")
            if self.webhook_url is None:
                raise StripeDoubleError(400, "No webhook_url is configured.")
            event_type = json.loads(payload)["type"]
            self._webhooks.submit(event_id, event_type, payload, self.webhook_url)

    def hold_deliveries(self) -> None:
        """Queue events without sending them until `release_deliveries`."""
        self._webhooks.hold()

    def release_deliveries(self, order: Literal["forward", "reverse"] = "reverse") -> int:
        """Send the held events, by default newest first; returns how many."""
        if order not in ("forward", "reverse"):
            raise ValueError(f"order must be 'forward' or 'reverse', not {order!r}")
        return self._webhooks.release(order)

    def drain(self, timeout: float = 5.0) -> bool:
        """Wait until every queued delivery (retries included) is done; False on timeout."""
        return self._webhooks.drain(timeout)

    def set_clock(self, clock: Callable[[], float] | None) -> None:
        """Replace the clock (seconds since the epoch) used for `created`, `expires_at` and
        expiry; None restores the real one. Expired sessions are swept on the next call."""
        with self._lock:
            self._clock = clock or time.time
            self._clock_offset = 0.0

    def tick(self) -> None:
        """Expire the sessions that are past `expires_at` by the current clock now, rather than
        on the next request (Stripe does so within minutes, on its own)."""
        with self._lock:
            self._sweep_expired()

    def fail_next(self, path_prefix: str, status: int = 500, times: int = 1) -> None:
        """The next `times` requests whose path starts with `path_prefix` (e.g.
        "/v1/checkout/sessions") answer a Stripe error with `status` and store nothing."""
        with self._lock:
            self._faults.append(_Fault(path_prefix, status, times))

    # ---- HTTP entry point ----------------------------------------------------------------------

    def _route(
        self, method: str, path: str, query: str, body: bytes, headers: _Headers
    ) -> _Response:
        if path.startswith("/_double/"):
            return self._control(method, path, query, body)
        fault = self._take_fault(path)
        if fault is not None:
            return _json_response(fault.status, self._fault_error(fault.status).body())
        if path.startswith("/v1/"):
            return self._api(method, path, query, body, headers)
        if path.startswith("/pay/") and method in ("GET", "POST"):
            return self._page(method, path.removeprefix("/pay/"), body)
        return _Response(404, b"Not found", content_type="text/plain; charset=utf-8")

    def _take_fault(self, path: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if path.startswith(fault.path_prefix) and fault.remaining > 0:
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    @staticmethod
    def _fault_error(status: int) -> StripeDoubleError:
        if status == 429:
            return StripeDoubleError(
                429,
                "Too many requests hit the API too quickly.",
                code="rate_limit",
            )
        return StripeDoubleError(
            status,
            "An unknown error occurred (injected by the Stripe double).",
            type_="api_error",
        )

    # ---- API ---------------------------------------------------------------------------------

    _ROUTES: tuple[tuple[str, re.Pattern[str], str], ...] = (
        ("POST", re.compile(r"/v1/checkout/sessions"), "_create_session"),
        ("GET", re.compile(r"/v1/checkout/sessions/(?P<id>[^/]+)"), "_retrieve_session"),
        ("GET", re.compile(r"/v1/checkout/sessions/(?P<id>[^/]+)/line_items"), "_line_items"),
        ("POST", re.compile(r"/v1/checkout/sessions/(?P<id>[^/]+)/expire"), "_expire_api"),
        ("GET", re.compile(r"/v1/payment_intents/(?P<id>[^/]+)"), "_retrieve_intent"),
        ("GET", re.compile(r"/v1/charges/(?P<id>[^/]+)"), "_retrieve_charge"),
        ("POST", re.compile(r"/v1/refunds"), "_create_refund"),
        ("GET", re.compile(r"/v1/refunds/(?P<id>[^/]+)"), "_retrieve_refund"),
    )

    def _api(self, method: str, path: str, query: str, body: bytes, headers: _Headers) -> _Response:
        request_id = _new_id("req_", 14)
        key = headers.get("Idempotency-Key")
        out_headers = {
            "Request-Id": request_id,
            "Stripe-Version": headers.get("Stripe-Version") or API_VERSION,
        }
        if key and method == "POST":
            out_headers["Idempotency-Key"] = key
        try:
            self._authenticate(headers.get("Authorization"))
            raw = body.decode("utf-8") if method == "POST" else query
            pairs = sorted(parse_qsl(raw, keep_blank_values=True))
            params = decode_params(pairs)
            handler, object_id = self._resolve(method, path)
        except (StripeDoubleError, UnicodeDecodeError) as exc:
            error = (
                exc
                if isinstance(exc, StripeDoubleError)
                else StripeDoubleError(400, "Invalid UTF-8")
            )
            return _json_response(error.status, error.body(), out_headers)

        with self._lock:  # one request at a time: idempotency and state stay consistent
            scope = (path, key) if key and method == "POST" else None
            stored = self._idempotency.get(scope) if scope else None
            if stored is not None:
                if stored.fingerprint != tuple(pairs):
                    error = StripeDoubleError(
                        400,
                        "Keys for idempotent requests can only be used with the same parameters "
                        f"they were first used with. Try using a key other than '{key}' if you "
                        "meant to execute a different request.",
                        type_="idempotency_error",
                    )
                    return _json_response(400, error.body(), out_headers)
                return _Response(
                    stored.status,
                    stored.body,
                    headers={**out_headers, "Idempotent-Replayed": "true"},
                )
            self._sweep_expired()
            self._request = {"id": request_id, "idempotency_key": key}
            try:
                args = (params, object_id) if object_id is not None else (params,)
                response = _json_response(200, handler(*args), out_headers)
            except StripeDoubleError as exc:
                response = _json_response(exc.status, exc.body(), out_headers)
            finally:
                self._request = None
            # Only results are replayed: a request that failed validation may be retried with
            # the same key once fixed (Stripe saves no result when the endpoint did not run).
            if scope is not None and response.status == 200:
                self._idempotency[scope] = _StoredResponse(tuple(pairs), 200, response.body)
            return response

    def _authenticate(self, authorization: str | None) -> None:
        api_key = None
        if authorization:
            scheme, _, credentials = authorization.partition(" ")
            if scheme.lower() == "bearer":
                api_key = credentials.strip()
            elif scheme.lower() == "basic":  # curl -u sk_test_...:
                try:
                    api_key = base64.b64decode(credentials).decode().partition(":")[0]
                except ValueError:
                    api_key = None
        if not api_key:
            raise StripeDoubleError(
                401,
                "You did not provide an API key. You need to provide your API key in the "
                "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                "YOUR_SECRET_KEY').",
            )
        if not api_key.startswith("sk_test_"):
            masked = api_key[:8] + "*" * max(len(api_key) - 12, 0) + api_key[-4:]
            raise StripeDoubleError(
                401,
                f"Invalid API Key provided: {masked}. The Stripe double only accepts "
                "secret test-mode keys (sk_test_...).",
            )

    def _resolve(self, method: str, path: str) -> tuple[_Handler, str | None]:
        for route_method, pattern, name in self._ROUTES:
            match = pattern.fullmatch(path)
            if match and route_method == method:
                return getattr(self, name), match.groupdict().get("id")
        raise StripeDoubleError(
            404,
            f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs "
            "or we can help at https://support.stripe.com/.",
        )

    # ---- checkout sessions -----------------------------------------------------------------

    def _create_session(self, params: JSON) -> JSON:
        _check_known(params, _SESSION_PARAMS | _SESSION_PARAMS_IGNORED)
        mode = params.get("mode")
        if mode is None:
            raise _missing("mode")
        if mode != "payment":
            raise StripeDoubleError(
                400, f"The Stripe double implements mode=payment only, not {mode!r}.", param="mode"
            )
        ui_mode = params.get("ui_mode", "hosted_page")
        if ui_mode not in ("hosted", "hosted_page"):
            raise StripeDoubleError(
                400,
                f"The Stripe double implements the hosted page only, not {ui_mode!r}.",
                param="ui_mode",
            )
        if "customer" in params:  # there are no customers here to refer to
            raise _no_such("customer", str(params["customer"]), "customer", status=400)

        line_items = self._parse_line_items(params.get("line_items"))
        currencies = {item["currency"] for item in line_items}
        if len(currencies) > 1:
            raise StripeDoubleError(
                400, "All line items must use the same currency.", param="line_items"
            )
        currency = currencies.pop()
        amount_total = sum(item["amount_total"] for item in line_items)
        minimum = MINIMUM_CHARGE.get(currency)
        if minimum is not None and amount_total < minimum:
            raise StripeDoubleError(
                400,
                "The Checkout Session's total amount due must add up to at least "
                f"{_format_amount_en(minimum, currency)} {currency}",
                param="line_items",
            )

        methods = self._parse_payment_methods(params, currency)
        now = self._now()
        expires_at = now + SESSION_MAX_LIFETIME
        if "expires_at" in params:
            expires_at = _integer(params["expires_at"], "expires_at")
            if expires_at - now < SESSION_MIN_LIFETIME:
                raise StripeDoubleError(
                    400,
                    "The `expires_at` timestamp must be at least 30 minutes from Checkout "
                    f"Session creation (now {now}, got {expires_at}).",
                    param="expires_at",
                )
            if expires_at - now > SESSION_MAX_LIFETIME:
                raise StripeDoubleError(
                    400,
                    "The `expires_at` timestamp must be less than 24 hours from Checkout "
                    f"Session creation (now {now}, got {expires_at}).",
                    param="expires_at",
                )

        email = params.get("customer_email")
        if email is not None:
            email = _string(email, "customer_email", max_length=512)
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
                raise StripeDoubleError(
                    400,
                    f"Invalid email address: {email}",
                    code="email_invalid",
                    param="customer_email",
                )
        client_reference_id = params.get("client_reference_id")
        if client_reference_id is not None:
            client_reference_id = _string(client_reference_id, "client_reference_id", 200)
        locale = params.get("locale")
        if locale is not None and locale not in STRIPE_LOCALES:
            raise StripeDoubleError(
                400,
                f"Invalid locale: must be one of {', '.join(sorted(STRIPE_LOCALES))}",
                param="locale",
            )
        success_url = params.get("success_url")
        if success_url is not None:
            success_url = _url(success_url, "success_url")
        cancel_url = params.get("cancel_url")
        if cancel_url is not None:
            cancel_url = _url(cancel_url, "cancel_url")
        intent_data = self._parse_intent_data(params.get("payment_intent_data"))

        session_id = _new_id("cs_test_", 58)
        session = {
            "id": session_id,
            "object": "checkout.session",
            "after_expiration": None,
            "allow_promotion_codes": None,
            "allowed_payment_method_types": methods,
            "amount_subtotal": amount_total,
            "amount_total": amount_total,
            "automatic_tax": {"enabled": False, "liability": None, "status": None},
            "billing_address_collection": None,
            "cancel_url": cancel_url,
            "client_reference_id": client_reference_id,
            "client_secret": None,
            "created": now,
            "currency": currency,
            "custom_fields": [],
            "customer": None,
            "customer_creation": "if_required",
            "customer_details": None,
            "customer_email": email,
            "discounts": [],
            "expires_at": expires_at,
            "invoice": None,
            "livemode": False,
            "locale": locale,
            "metadata": _metadata(params.get("metadata")),
            "mode": "payment",
            "payment_intent": None,  # made when the customer confirms (API >= 2022-08-01)
            "payment_link": None,
            "payment_method_collection": "if_required",
            "payment_method_options": {},
            "payment_method_types": methods,
            "payment_status": "unpaid",
            "phone_number_collection": {"enabled": False},
            "recovered_from": None,
            "setup_intent": None,
            "shipping_address_collection": None,
            "shipping_cost": None,
            "shipping_options": [],
            "status": "open",
            "submit_type": params.get("submit_type"),
            "subscription": None,
            "success_url": success_url,
            "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
            "ui_mode": "hosted_page",
            "url": f"{self.base_url}/pay/{session_id}",
        }
        self._sessions[session_id] = _Session(session, line_items, intent_data)
        return self._render(session, params)

    def _parse_line_items(self, value: Any) -> list[JSON]:
        if value is None:
            raise _missing("line_items")
        if not isinstance(value, list) or not value:
            raise StripeDoubleError(400, "Invalid array", param="line_items")
        if len(value) > 100:
            raise StripeDoubleError(
                400, "A Checkout Session can have at most 100 line items.", param="line_items"
            )
        items = []
        for index, raw in enumerate(value):
            prefix = f"line_items[{index}]"
            if not isinstance(raw, dict):
                raise StripeDoubleError(400, "Invalid object", param=prefix)
            _check_known(raw, _LINE_ITEM_PARAMS, prefix)
            if "price" in raw:  # there are no Price objects here to refer to
                raise _no_such("price", str(raw["price"]), f"{prefix}[price]", status=400)
            data = raw.get("price_data")
            if data is None:
                raise StripeDoubleError(
                    400,
                    f"You must specify either `price` or `price_data` in `{prefix}`.",
                    code="parameter_missing",
                    param=f"{prefix}[price_data]",
                )
            if not isinstance(data, dict):
                raise StripeDoubleError(400, "Invalid object", param=f"{prefix}[price_data]")
            data_prefix = f"{prefix}[price_data]"
            _check_known(data, _PRICE_DATA_PARAMS, data_prefix)
            if "recurring" in data:
                raise StripeDoubleError(
                    400,
                    "You specified `payment` mode but passed a recurring price.",
                    param=f"{data_prefix}[recurring]",
                )
            currency = data.get("currency")
            if currency is None:
                raise _missing(f"{data_prefix}[currency]")
            currency = _string(currency, f"{data_prefix}[currency]").lower()
            if not re.fullmatch(r"[a-z]{3}", currency):
                raise StripeDoubleError(
                    400, f"Invalid currency: {currency}", param=f"{data_prefix}[currency]"
                )
            if "unit_amount" in data:
                unit_amount = _integer(data["unit_amount"], f"{data_prefix}[unit_amount]", 0)
            elif "unit_amount_decimal" in data:
                unit_amount = _integer(
                    data["unit_amount_decimal"], f"{data_prefix}[unit_amount_decimal]", 0
                )
            else:
                raise _missing(f"{data_prefix}[unit_amount]")
            if "product" in data:
                raise _no_such("product", str(data["product"]), f"{data_prefix}[product]", 400)
            product = data.get("product_data")
            if product is None:
                raise _missing(f"{data_prefix}[product_data]")
            if not isinstance(product, dict):
                raise StripeDoubleError(400, "Invalid object", param=f"{data_prefix}[product_data]")
            _check_known(product, _PRODUCT_DATA_PARAMS, f"{data_prefix}[product_data]")
            if not product.get("name"):
                raise _missing(f"{data_prefix}[product_data][name]")
            name = _string(product["name"], f"{data_prefix}[product_data][name]", 250)
            if "quantity" not in raw:
                raise _missing(f"{prefix}[quantity]")
            quantity = _integer(raw["quantity"], f"{prefix}[quantity]", 1)
            amount = unit_amount * quantity
            items.append(
                {
                    "id": _new_id("li_"),
                    "object": "item",
                    "amount_discount": 0,
                    "amount_subtotal": amount,
                    "amount_tax": 0,
                    "amount_total": amount,
                    "currency": currency,
                    "description": name,
                    "metadata": _metadata(raw.get("metadata"), f"{prefix}[metadata]"),
                    "price": {
                        "id": _new_id("price_"),
                        "object": "price",
                        "active": False,  # price_data makes a one-off, inactive Price
                        "billing_scheme": "per_unit",
                        "created": self._now(),
                        "currency": currency,
                        "livemode": False,
                        "lookup_key": None,
                        "metadata": {},
                        "nickname": None,
                        "product": _new_id("prod_", 14),
                        "recurring": None,
                        "tax_behavior": data.get("tax_behavior", "unspecified"),
                        "type": "one_time",
                        "unit_amount": unit_amount,
                        "unit_amount_decimal": str(unit_amount),
                    },
                    "quantity": quantity,
                }
            )
        return items

    @staticmethod
    def _parse_payment_methods(params: JSON, currency: str) -> list[str]:
        # The brief's and older API versions' `payment_method_types`; stripe 16 types the same
        # thing as `allowed_payment_method_types`. Either is accepted, not both.
        names = [n for n in ("payment_method_types", "allowed_payment_method_types") if n in params]
        if len(names) > 1:
            raise StripeDoubleError(
                400,
                "You may only specify one of these parameters: payment_method_types, "
                "allowed_payment_method_types.",
                param=names[1],
            )
        if not names:
            return ["card"]
        methods = _string_list(params[names[0]], names[0])
        if not methods:
            raise StripeDoubleError(400, "Invalid array", param=names[0])
        for index, method in enumerate(methods):
            if method not in SUPPORTED_PAYMENT_METHODS:
                raise StripeDoubleError(
                    400,
                    f"The payment method type {method!r} is not implemented by the Stripe "
                    f"double (supported: {', '.join(SUPPORTED_PAYMENT_METHODS)}).",
                    param=f"{names[0]}[{index}]",
                )
        if "bancontact" in methods and currency != "eur":
            raise StripeDoubleError(
                400,
                f"The payment method `bancontact` only supports the currency eur, not {currency}.",
                param=names[0],
            )
        return list(dict.fromkeys(methods))

    @staticmethod
    def _parse_intent_data(value: Any) -> JSON:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise StripeDoubleError(400, "Invalid object", param="payment_intent_data")
        _check_known(value, _INTENT_DATA_PARAMS, "payment_intent_data")
        if value.get("capture_method", "automatic") not in ("automatic", "automatic_async"):
            raise StripeDoubleError(
                400,
                "The Stripe double implements automatic capture only.",
                param="payment_intent_data[capture_method]",
            )
        return {
            "metadata": _metadata(value.get("metadata"), "payment_intent_data[metadata]"),
            "description": value.get("description"),
            "receipt_email": value.get("receipt_email"),
        }

    def _retrieve_session(self, params: JSON, session_id: str) -> JSON:
        _check_known(params, {"expand"})
        return self._render(self._session(session_id).obj, params)

    def _line_items(self, params: JSON, session_id: str) -> JSON:
        _check_known(params, {"ending_before", "expand", "limit", "starting_after"})
        items = self._session(session_id).line_items
        limit = _integer(params.get("limit", "10"), "limit", 1)
        if limit > 100:
            raise StripeDoubleError(
                400, "This value must be less than or equal to 100.", param="limit"
            )
        ids = [item["id"] for item in items]
        start, end = 0, len(items)
        if "starting_after" in params:
            if params["starting_after"] not in ids:
                raise _no_such("line_item", str(params["starting_after"]), "starting_after", 400)
            start = ids.index(params["starting_after"]) + 1
        if "ending_before" in params:
            if params["ending_before"] not in ids:
                raise _no_such("line_item", str(params["ending_before"]), "ending_before", 400)
            end = ids.index(params["ending_before"])
            start = max(start, end - limit)
        page = items[start:end][:limit]
        return {
            "object": "list",
            "data": copy.deepcopy(page),
            "has_more": start + len(page) < end,
            "url": f"/v1/checkout/sessions/{session_id}/line_items",
        }

    def _expire_api(self, params: JSON, session_id: str) -> JSON:
        _check_known(params, {"expand"})
        record = self._session(session_id)
        if record.obj["status"] != "open":
            raise StripeDoubleError(
                400,
                "Only Checkout Sessions with a status of `open` can be expired. This Checkout "
                f"Session has a status of `{record.obj['status']}`.",
            )
        self._expire(record)
        return self._render(record.obj, params)

    # ---- payment intents, charges, refunds -------------------------------------------------

    def _retrieve_intent(self, params: JSON, intent_id: str) -> JSON:
        _check_known(params, {"client_secret", "expand"})
        return self._render(self._object(intent_id, "pi_", "payment_intent", "intent"), params)

    def _retrieve_charge(self, params: JSON, charge_id: str) -> JSON:
        _check_known(params, {"expand"})
        return self._render(self._object(charge_id, "ch_", "charge", "charge"), params)

    def _retrieve_refund(self, params: JSON, refund_id: str) -> JSON:
        _check_known(params, {"expand"})
        return self._render(self._object(refund_id, "re_", "refund", "refund"), params)

    def _create_refund(self, params: JSON) -> JSON:
        _check_known(params, _REFUND_PARAMS)
        intent_id, charge_id = params.get("payment_intent"), params.get("charge")
        if intent_id is None and charge_id is None:
            raise StripeDoubleError(
                400,
                "One of the following params should be provided for this request: "
                "payment_intent or charge.",
                code="parameter_missing",
            )
        charge: JSON | None
        if intent_id is not None:
            intent = self._objects.get(str(intent_id))
            if intent is None or not str(intent_id).startswith("pi_"):
                raise _no_such("payment_intent", str(intent_id), "payment_intent", status=400)
            if intent["latest_charge"] is None or intent["status"] != "succeeded":
                raise StripeDoubleError(
                    400,
                    f"This PaymentIntent ({intent_id}) does not have a successful charge to "
                    "refund.",
                    param="payment_intent",
                )
            charge = self._objects[intent["latest_charge"]]
            if charge_id is not None and charge_id != charge["id"]:
                raise StripeDoubleError(
                    400, f"Charge {charge_id} does not belong to {intent_id}.", param="charge"
                )
        else:
            charge = self._objects.get(str(charge_id))
            if charge is None or not str(charge_id).startswith("ch_"):
                raise _no_such("charge", str(charge_id), "charge", status=400)

        remaining = charge["amount"] - charge["amount_refunded"]
        if remaining == 0:
            raise StripeDoubleError(
                400,
                f"Charge {charge['id']} has already been refunded.",
                code="charge_already_refunded",
            )
        amount = remaining
        if "amount" in params:
            amount = _integer(params["amount"], "amount", 1)
            if amount > remaining:
                currency = charge["currency"]
                raise StripeDoubleError(
                    400,
                    f"Refund amount ({_format_amount_en(amount, currency)}) is greater than "
                    f"unrefunded amount on charge ({_format_amount_en(remaining, currency)})",
                    param="amount",
                )
        reason = params.get("reason")
        if reason is not None and reason not in REFUND_REASONS:
            raise StripeDoubleError(
                400,
                f"Invalid reason: must be one of {', '.join(REFUND_REASONS)}",
                param="reason",
            )

        refund = {
            "id": _new_id("re_"),
            "object": "refund",
            "amount": amount,
            "balance_transaction": None,
            "charge": charge["id"],
            "created": self._now(),
            "currency": charge["currency"],
            "destination_details": None,
            "metadata": _metadata(params.get("metadata")),
            "payment_intent": charge["payment_intent"],
            "reason": reason,
            "receipt_number": None,
            "source_transfer_reversal": None,
            "status": "succeeded",
            "transfer_reversal": None,
        }
        self._objects[refund["id"]] = refund
        previous = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        self._emit("refund.created", refund)
        self._emit("charge.refunded", charge, previous_attributes=previous)
        return self._render(refund, params)

    # ---- state helpers (callers hold the lock) -----------------------------------------------

    def _now(self) -> int:
        return int(self._clock())

    def _session(self, session_id: str) -> _Session:
        record = self._sessions.get(session_id)
        if record is None:
            raise _no_such("checkout.session", session_id, "session")
        return record

    def _open_session(self, session_id: str, action: str) -> _Session:
        record = self._session(session_id)
        if record.obj["status"] != "open":
            raise StripeDoubleError(
                400,
                f"Checkout Session {session_id} is {record.obj['status']}: it can no longer be "
                f"{action}.",
            )
        return record

    def _object(self, object_id: str, prefix: str, kind: str, param: str) -> JSON:
        obj = self._objects.get(object_id)
        if obj is None or not object_id.startswith(prefix):
            raise _no_such(kind, object_id, param)
        return obj

    def _lookup(self, object_id: str) -> JSON | None:
        record = self._sessions.get(object_id)
        return record.obj if record is not None else self._objects.get(object_id)

    def _intent_for(self, record: _Session) -> JSON:
        """The session's PaymentIntent, made on the first payment attempt."""
        if record.obj["payment_intent"]:
            return self._objects[record.obj["payment_intent"]]
        intent_id = _new_id("pi_")
        session = record.obj
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": session["amount_total"],
            "amount_capturable": 0,
            "amount_received": 0,
            "canceled_at": None,
            "cancellation_reason": None,
            "capture_method": "automatic_async",
            "client_secret": f"{intent_id}_secret_{_new_id('', 25)}",
            "confirmation_method": "automatic",
            "created": self._now(),
            "currency": session["currency"],
            "customer": None,
            "description": record.intent_data.get("description"),
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            # Checkout copies payment_intent_data.metadata, not the session's own metadata.
            "metadata": dict(record.intent_data.get("metadata", {})),
            "next_action": None,
            "payment_method": None,
            "payment_method_types": list(session["payment_method_types"]),
            "processing": None,
            "receipt_email": record.intent_data.get("receipt_email"),
            "status": "requires_payment_method",
        }
        self._objects[intent_id] = intent
        session["payment_intent"] = intent_id
        return intent

    def _succeed_intent(self, record: _Session, intent: JSON) -> None:
        method = record.method or "card"
        details: JSON
        if method == "card":
            details = {
                "type": "card",
                "card": {
                    "brand": "visa",
                    "country": "BE",
                    "exp_month": 12,
                    "exp_year": time.gmtime(self._now()).tm_year + 3,
                    "funding": "credit",
                    "last4": "4242",
                },
            }
        else:
            details = {
                "type": "bancontact",
                "bancontact": {
                    "bank_code": "VAPE",
                    "bank_name": "VAN DE PUT & CO",
                    "bic": "VAPEBE22",
                    "iban_last4": "7061",
                    "preferred_language": "nl",
                    "verified_name": "Jenny Rosen",
                },
            }
        charge = {
            "id": _new_id("ch_"),
            "object": "charge",
            "amount": intent["amount"],
            "amount_captured": intent["amount"],
            "amount_refunded": 0,
            "balance_transaction": _new_id("txn_"),
            "billing_details": {
                "address": None,
                "email": record.obj["customer_email"],
                "name": None,
                "phone": None,
            },
            "captured": True,
            "created": self._now(),
            "currency": intent["currency"],
            "customer": None,
            "description": intent["description"],
            "disputed": False,
            "failure_code": None,
            "failure_message": None,
            "livemode": False,
            "metadata": dict(intent["metadata"]),
            "outcome": {
                "network_status": "approved_by_network",
                "reason": None,
                "risk_level": "normal",
                "seller_message": "Payment complete.",
                "type": "authorized",
            },
            "paid": True,
            "payment_intent": intent["id"],
            "payment_method": intent["payment_method"],
            "payment_method_details": details,
            "receipt_email": intent["receipt_email"],
            "receipt_url": None,
            "refunded": False,
            "status": "succeeded",
        }
        self._objects[charge["id"]] = charge
        intent.update(
            status="succeeded",
            amount_received=intent["amount"],
            latest_charge=charge["id"],
            last_payment_error=None,
        )

    def _customer_details(self, record: _Session) -> JSON:
        return {
            "address": None,
            "email": record.obj["customer_email"] or "customer@example.test",
            "name": None,
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        }

    def _expire(self, record: _Session) -> None:
        record.obj.update(status="expired", url=None)
        intent_id = record.obj["payment_intent"]
        if intent_id and self._objects[intent_id]["status"] != "succeeded":
            # Expiring a session cancels the PaymentIntent a declined attempt left behind.
            self._objects[intent_id].update(
                status="canceled", canceled_at=self._now(), cancellation_reason="abandoned"
            )
        self._emit("checkout.session.expired", record.obj)

    def _sweep_expired(self) -> None:
        now = self._now()
        for record in self._sessions.values():
            if record.obj["status"] == "open" and record.obj["expires_at"] <= now:
                self._expire(record)

    def _render(self, obj: JSON, params: Mapping[str, Any]) -> JSON:
        """A copy of `obj` with the `expand` paths replaced by the objects they name."""
        out = copy.deepcopy(obj)
        for index, path in enumerate(_expand_list(params)):
            parts = path.split(".")
            if len(parts) > 4:
                raise StripeDoubleError(
                    400,
                    f"You cannot expand more than 4 levels of a property ({path}).",
                    param=f"expand[{index}]",
                )
            self._expand(out, parts, path, f"expand[{index}]")
        return out

    def _expand(self, node: JSON, parts: list[str], path: str, param: str) -> None:
        head, rest = parts[0], parts[1:]
        if head == "line_items" and node.get("object") == "checkout.session":
            node[head] = self._line_items({}, node["id"])
        elif head not in node:
            raise StripeDoubleError(400, f"This property cannot be expanded ({path}).", param=param)
        elif isinstance(node[head], str) and (target := self._lookup(node[head])) is not None:
            node[head] = copy.deepcopy(target)
        elif node[head] is None:
            return  # Stripe expands a null reference to null
        elif not isinstance(node[head], dict):
            raise StripeDoubleError(400, f"This property cannot be expanded ({path}).", param=param)
        if rest:
            self._expand(node[head], rest, path, param)

    def _emit(self, event_type: str, obj: JSON, previous_attributes: JSON | None = None) -> JSON:
        url = self.webhook_url
        deliver = url is not None and (
            self.enabled_events is None or event_type in self.enabled_events
        )
        data: JSON = {"object": copy.deepcopy(obj)}  # a snapshot, as Stripe's events are
        if previous_attributes is not None:
            data["previous_attributes"] = previous_attributes
        event: JSON = {
            "id": _new_id("evt_"),
            "object": "event",
            "api_version": API_VERSION,
            "created": self._now(),
            "data": data,
            "livemode": False,
            "pending_webhooks": 1 if deliver else 0,
            "request": dict(self._request or {"id": None, "idempotency_key": None}),
            "type": event_type,
        }
        self._events.append(event)
        payload = json.dumps(event, indent=2).encode()
        self._payloads[event["id"]] = payload
        if deliver:
            assert url is not None
            self._webhooks.submit(event["id"], event_type, payload, url)
        return event

    def _signature_header(self, payload: bytes) -> str:
        # Wall-clock time even under a fake clock: the receiver checks it against its own
        # clock (stripe.Webhook's tolerance is 300 s).
        timestamp = int(time.time())
        signed = f"{timestamp}.".encode() + payload
        digest = hmac.new(self.webhook_secret.encode(), signed, hashlib.sha256).hexdigest()
        return f"t={timestamp},v1={digest}"

    # ---- hosted checkout page ----------------------------------------------------------------

    def _page(self, method: str, session_id: str, body: bytes) -> _Response:
        with self._lock:
            self._sweep_expired()
            record = self._sessions.get(session_id)
            if record is None:
                return _page_response(
                    404,
                    _page_html(
                        "Onbekende betaling / Unknown payment",
                        "<p>Deze "
                        'betaallink bestaat niet. / <span lang="en">This payment '
                        "link does not exist.</span></p>",
                    ),
                )
            snapshot = copy.deepcopy(record.obj), copy.deepcopy(record.line_items)
        if method == "GET":
            return _page_response(200, _checkout_html(*snapshot))

        action = dict(parse_qsl(body.decode("utf-8", "replace"))).get("action")
        try:
            if action == "pay":
                return self._after_payment(self.pay(session_id, "card"))
            if action in ("bancontact_ok", "bancontact_fail"):
                self.pay(session_id, "bancontact")
                session = self.settle_async(session_id, succeeded=action == "bancontact_ok")
                return self._after_payment(session)
            if action == "decline":
                session = self.decline(session_id)
                message = (
                    "Uw kaart werd geweigerd. Probeer opnieuw. / "
                    '<span lang="en">Your card was declined. Please try again.</span>'
                )
                return _page_response(200, _checkout_html(session, snapshot[1], message))
            if action == "expire":
                session = self.expire(session_id)
                if session["cancel_url"]:
                    return _redirect(session["cancel_url"])
                return _page_response(200, _checkout_html(session, snapshot[1]))
        except StripeDoubleError as exc:
            with self._lock:
                session = copy.deepcopy(self._session(session_id).obj)
            return _page_response(409, _checkout_html(session, snapshot[1], html.escape(str(exc))))
        return _page_response(400, _page_html("Onbekende actie / Unknown action", ""))

    @staticmethod
    def _after_payment(session: JSON) -> _Response:
        if session["success_url"]:
            # Stripe substitutes the literal template only, and only in success_url.
            return _redirect(session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"]))
        return _page_response(200, _checkout_html(session, []))

    # ---- control API over HTTP -----------------------------------------------------------------

    def _control(self, method: str, path: str, query: str, body: bytes) -> _Response:
        """The control methods over HTTP, for a demo without Python access:

        POST /_double/sessions/{id}/pay (method=card|bancontact)   .../decline   .../expire
        POST /_double/sessions/{id}/settle (succeeded=true|false)
        GET  /_double/events          GET /_double/deliveries
        POST /_double/events/{id}/redeliver
        POST /_double/deliveries/hold     POST /_double/deliveries/release (order=reverse)
        POST /_double/fail_next (path_prefix, status=500, times=1)
        POST /_double/clock (advance=seconds | reset=1)
        POST /_double/webhook_url (url=..., empty to stop delivering)
        """
        params = dict(parse_qsl(query)) | dict(parse_qsl(body.decode("utf-8", "replace")))
        try:
            result = self._control_call(method, path, params)
        except StripeDoubleError as exc:
            return _json_response(exc.status, exc.body())
        except (ValueError, KeyError) as exc:
            return _json_response(400, StripeDoubleError(400, str(exc)).body())
        if result is None:
            return _json_response(
                404, StripeDoubleError(404, f"No control route {method} {path}").body()
            )
        return _json_response(200, result)

    def _control_call(self, method: str, path: str, params: dict[str, str]) -> Any:
        truthy = ("1", "true", "yes")
        if method == "GET" and path == "/_double/events":
            return {"object": "list", "data": self.events(params.get("type"))}
        if method == "GET" and path == "/_double/deliveries":
            return {"object": "list", "data": self.deliveries()}
        if method != "POST":
            return None
        match = re.fullmatch(r"/_double/sessions/([^/]+)/(pay|decline|expire|settle)", path)
        if match:
            session_id, action = match.groups()
            if action == "pay":
                return self.pay(session_id, params.get("method", "card"))
            if action == "decline":
                return self.decline(session_id)
            if action == "expire":
                return self.expire(session_id)
            return self.settle_async(session_id, params.get("succeeded", "true").lower() in truthy)
        match = re.fullmatch(r"/_double/events/([^/]+)/redeliver", path)
        if match:
            self.redeliver(match.group(1))
            return {"redelivered": match.group(1)}
        if path == "/_double/deliveries/hold":
            self.hold_deliveries()
            return {"held": True}
        if path == "/_double/deliveries/release":
            order = params.get("order", "reverse")
            # release_deliveries checks the order itself (a 400 otherwise)
            return {"released": self.release_deliveries(order)}  # type: ignore[arg-type]
        if path == "/_double/fail_next":
            self.fail_next(
                params["path_prefix"], int(params.get("status", 500)), int(params.get("times", 1))
            )
            return {"path_prefix": params["path_prefix"]}
        if path == "/_double/clock":
            with self._lock:
                offset = 0.0 if params.get("reset") else self._clock_offset
                offset += float(params.get("advance", 0))
                self.set_clock(lambda: time.time() + offset)
                self._clock_offset = offset
                self._sweep_expired()
                return {"now": self._now(), "offset": offset}
        if path == "/_double/webhook_url":
            self.webhook_url = params.get("url") or None
            return {"webhook_url": self.webhook_url}
        return None


# --------------------------------------------------------------------------------------------
# HTML


def _redirect(location: str) -> _Response:
    return _Response(303, b"", content_type="text/plain", headers={"Location": location})


def _page_response(status: int, page: str) -> _Response:
    return _Response(status, page.encode(), content_type="text/html; charset=utf-8")


def _page_html(title: str, content: str) -> str:
    return f"""<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} - Stripe test double</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem;
       color: #1a1a1a; line-height: 1.5; }}
table {{ border-collapse: collapse; width: 100%; margin: 1rem 0; }}
th, td {{ text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #ccc; }}
td.amount, th.amount {{ text-align: right; }}
button {{ font-size: 1rem; padding: .6rem 1rem; margin: .25rem .25rem .25rem 0; }}
button:focus-visible, a:focus-visible {{ outline: 3px solid #1a56db; outline-offset: 2px; }}
fieldset {{ border: 1px solid #ccc; margin: 1rem 0; }}
.notice {{ background: #fff4e5; border-left: 4px solid #b45309; padding: .5rem 1rem; }}
.test {{ font-size: .875rem; color: #555; }}
</style>
</head>
<body>
<main>
{content}
</main>
</body>
</html>
"""


_STATUS_TEXT = {
    "complete": 'Deze betaling is afgerond. / <span lang="en">This payment is complete.</span>',
    "expired": 'Deze betaling is verlopen. / <span lang="en">This payment has expired.</span>',
}


def _checkout_html(session: JSON, line_items: list[JSON], message: str | None = None) -> str:
    """The hosted test page: the amount, the order and the outcomes a test or demo can pick."""
    total = format_amount_nl(session["amount_total"], session["currency"])
    rows = "\n".join(
        '<tr><td>{}</td><td>{}</td><td class="amount">{}</td></tr>'.format(
            html.escape(item["description"]),
            item["quantity"],
            format_amount_nl(item["amount_total"], item["currency"]),
        )
        for item in line_items
    )
    parts = [
        '<p class="test">Stripe test double: geen echte betaling. / '
        '<span lang="en">No real payment.</span></p>',
        f'<h1>Te betalen / <span lang="en">Amount due</span>: {html.escape(total)}</h1>',
    ]
    if rows:
        parts.append(
            '<table>\n<caption>Bestelling / <span lang="en">Order</span></caption>\n'
            '<thead><tr><th scope="col">Omschrijving / <span lang="en">Item</span></th>'
            '<th scope="col">Aantal / <span lang="en">Qty</span></th>'
            '<th scope="col" class="amount">Bedrag / <span lang="en">Amount</span></th>'
            f"</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>"
        )
    if session.get("customer_email"):
        parts.append(f"<p>E-mail: {html.escape(session['customer_email'])}</p>")
    if message:
        parts.append(f'<div class="notice" role="alert"><p>{message}</p></div>')
    if session["status"] == "open":
        action = html.escape(f"/pay/{session['id']}")
        bancontact = ""
        if "bancontact" in session["payment_method_types"]:
            bancontact = (
                "<fieldset><legend>Bancontact (asynchroon / "
                '<span lang="en">asynchronous</span>)</legend>\n'
                '<button type="submit" name="action" value="bancontact_ok">Bancontact OK</button>\n'
                '<button type="submit" name="action" value="bancontact_fail">'
                'Bancontact mislukt / <span lang="en">failed</span></button>\n'
                "</fieldset>\n"
            )
        card = ""
        if "card" in session["payment_method_types"]:
            card = (
                '<fieldset><legend>Kaart / <span lang="en">Card</span></legend>\n'
                '<button type="submit" name="action" value="pay">Betalen / '
                '<span lang="en">Pay</span></button>\n'
                '<button type="submit" name="action" value="decline">Weigeren / '
                '<span lang="en">Decline</span></button>\n'
                "</fieldset>\n"
            )
        parts.append(
            f'<form method="post" action="{action}">\n{card}{bancontact}'
            '<button type="submit" name="action" value="expire">Laten verlopen / '
            '<span lang="en">Let it expire</span></button>\n</form>'
        )
        if session["cancel_url"]:
            parts.append(
                f'<p><a href="{html.escape(session["cancel_url"])}">Terug naar de winkel / '
                '<span lang="en">Back to the shop</span></a></p>'
            )
    else:
        parts.append(f"<p>{_STATUS_TEXT.get(session['status'], '')}</p>")
    return _page_html(f"Betalen / Pay {total}", "\n".join(parts))


# --------------------------------------------------------------------------------------------
# HTTP plumbing


class _RequestHandler(BaseHTTPRequestHandler):
    server_version = "StripeDouble/1.0"

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        double = cast(_Server, self.server).double
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            response = double._route(method, split.path, split.query, body, self.headers)
        except Exception as exc:  # a bug in the double must still answer like Stripe's 500
            error = StripeDoubleError(
                500, f"Stripe double internal error: {exc!r}", type_="api_error"
            )
            response = _json_response(500, error.body())
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests stay quiet; the control API's events/deliveries are the record


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the local Stripe double.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--webhook-url", default=None)
    parser.add_argument("--webhook-secret", default=DEFAULT_WEBHOOK_SECRET)
    args = parser.parse_args(argv)
    double = StripeDouble(args.webhook_url, args.webhook_secret, args.host, args.port).start()
    print(f"Stripe double on {double.base_url} (webhooks to {args.webhook_url})", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        double.stop()


if __name__ == "__main__":
    main()
