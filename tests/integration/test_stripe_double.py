"""The Stripe double, driven by the official `stripe` library exactly as Podium's adapter is.

stripe 16's `StripeClient(key, base_addresses={"api": url})` merges the given bases over
Stripe's defaults and prefixes every v1 path with the "api" one, so `double.base_url` (no
trailing slash, no /v1) is all it needs. Webhooks go to a tiny receiver here and are checked
with `stripe.Webhook.construct_event`, as the app's webhook handler does."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

import pytest
import stripe

from local.stripe_double import DEFAULT_WEBHOOK_SECRET, StripeDouble, StripeDoubleError

SECRET = DEFAULT_WEBHOOK_SECRET


# ---- helpers ---------------------------------------------------------------------------------


class WebhookReceiver:
    """Records every POST; answers the queued statuses first, then 200."""

    def __init__(self) -> None:
        self.received: list[tuple[str, bytes]] = []  # (Stripe-Signature, body)
        self.statuses: list[int] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver._lock:
                    receiver.received.append((self.headers["Stripe-Signature"], body))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/webhooks/stripe"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def events(self, count: int, timeout: float = 3.0) -> list[stripe.Event]:
        """Wait for `count` deliveries and verify each one as the app would."""
        wait_until(lambda: len(self.received) >= count, timeout)
        with self._lock:
            received = list(self.received)
        return [stripe.Webhook.construct_event(body, sig, SECRET) for sig, body in received]


def wait_until(predicate: Callable[[], bool], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # let the test see the 303 itself


_no_redirect = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def http(
    method: str, url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """A plain HTTP call (a browser posting the hosted page's form, or curl), no redirects."""
    body = urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with _no_redirect.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def session_params(**overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "mode": "payment",
        "payment_method_types": ["card", "bancontact"],
        "line_items": [
            {
                "quantity": 2,
                "price_data": {
                    "currency": "eur",
                    "unit_amount": 1250,
                    "product_data": {"name": "Hamlet <Rang 1>"},
                },
            }
        ],
        "customer_email": "an@example.be",
        "client_reference_id": "ord_1",
        "metadata": {"order_id": "ord_1"},
        "payment_intent_data": {"metadata": {"order_id": "ord_1"}},
        "locale": "nl",
        "expires_at": int(time.time()) + 3600,
        "success_url": "https://shop.test/ok?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://shop.test/cancel",
    }
    params.update(overrides)
    return params


# ---- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver()
    yield server
    server.stop()


@pytest.fixture
def double(receiver: WebhookReceiver) -> Iterator[StripeDouble]:
    with StripeDouble(webhook_url=receiver.url, retry_delays=(0.01, 0.02, 0.04)) as server:
        yield server


@pytest.fixture
def client(double: StripeDouble) -> stripe.StripeClient:
    return stripe.StripeClient(
        "sk_test_double", base_addresses={"api": double.base_url}, max_network_retries=0
    )


@pytest.fixture
def session(client: stripe.StripeClient) -> stripe.checkout.Session:
    return client.v1.checkout.sessions.create(params=session_params())


# ---- checkout sessions -----------------------------------------------------------------------


def test_create_and_retrieve_a_session(
    client: stripe.StripeClient, double: StripeDouble, session: stripe.checkout.Session
) -> None:
    assert isinstance(session, stripe.checkout.Session)
    assert session.id.startswith("cs_test_")
    assert session.url == f"{double.base_url}/pay/{session.id}"
    assert (session.status, session.payment_status) == ("open", "unpaid")
    assert (session.amount_total, session.currency) == (2500, "eur")
    assert session.metadata["order_id"] == "ord_1"
    assert session.client_reference_id == "ord_1"
    assert session.payment_intent is None
    assert session.payment_method_types == ["card", "bancontact"]

    again = client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["payment_intent", "line_items"]}
    )
    assert again.id == session.id
    assert again.expires_at == session.expires_at
    assert again.payment_intent is None
    item = again.line_items.data[0]
    assert (item.description, item.quantity, item.amount_total) == ("Hamlet <Rang 1>", 2, 2500)
    listed = client.v1.checkout.sessions.line_items.list(session.id)
    assert [li.id for li in listed.data] == [item.id]


def test_idempotency_key_replays_and_rejects_other_parameters(
    client: stripe.StripeClient,
) -> None:
    params = session_params()
    first = client.v1.checkout.sessions.create(params=params, options={"idempotency_key": "k1"})
    again = client.v1.checkout.sessions.create(params=params, options={"idempotency_key": "k1"})
    assert again.id == first.id
    assert again.last_response.headers["Idempotent-Replayed"] == "true"

    with pytest.raises(stripe.IdempotencyError) as caught:
        client.v1.checkout.sessions.create(
            params=session_params(client_reference_id="ord_2"), options={"idempotency_key": "k1"}
        )
    assert caught.value.http_status == 400
    assert caught.value.error.type == "idempotency_error"

    # Keys are scoped per endpoint: the same key on refunds is a separate request.
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.refunds.create(
            params={"payment_intent": "pi_missing"}, options={"idempotency_key": "k1"}
        )


def test_expires_at_must_be_30_minutes_to_24_hours_away(
    client: stripe.StripeClient, double: StripeDouble
) -> None:
    now = 1_900_000_000
    double.set_clock(lambda: now)
    for bad in (now + 29 * 60, now + 24 * 3600 + 1):
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.checkout.sessions.create(params=session_params(expires_at=bad))
        assert caught.value.param == "expires_at"
        assert "expires_at" in caught.value.user_message
    for good in (now + 30 * 60, now + 24 * 3600):
        assert client.v1.checkout.sessions.create(params=session_params(expires_at=good))


def test_session_expires_by_the_fake_clock(
    client: stripe.StripeClient, double: StripeDouble, receiver: WebhookReceiver
) -> None:
    now = [1_900_000_000.0]
    double.set_clock(lambda: now[0])
    created = client.v1.checkout.sessions.create(
        params=session_params(expires_at=int(now[0]) + 1800)
    )
    now[0] += 1800
    expired = client.v1.checkout.sessions.retrieve(created.id)
    assert (expired.status, expired.url) == ("expired", None)
    [event] = receiver.events(1)
    assert event.type == "checkout.session.expired"
    assert event.created == int(now[0])


@pytest.mark.parametrize(
    ("overrides", "param", "code"),
    [
        ({"surprise": "1"}, "surprise", "parameter_unknown"),
        ({"line_items": None}, "line_items", "parameter_missing"),
        ({"mode": None}, "mode", "parameter_missing"),
        ({"customer_email": "not-an-email"}, "customer_email", "email_invalid"),
        ({"success_url": "shop.test/ok"}, "success_url", "url_invalid"),
        ({"locale": "xx"}, "locale", None),
    ],
)
def test_invalid_session_parameters_are_refused_like_stripe(
    client: stripe.StripeClient, overrides: dict[str, Any], param: str, code: str | None
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.checkout.sessions.create(params=session_params(**overrides))
    assert caught.value.http_status == 400
    assert (caught.value.param, caught.value.code) == (param, code)


def test_bancontact_needs_euros(client: stripe.StripeClient) -> None:
    items = [
        {
            "quantity": 1,
            "price_data": {
                "currency": "usd",
                "unit_amount": 900,
                "product_data": {"name": "Ticket"},
            },
        }
    ]
    with pytest.raises(stripe.InvalidRequestError, match="bancontact"):
        client.v1.checkout.sessions.create(params=session_params(line_items=items))


# ---- the hosted page -------------------------------------------------------------------------


def test_pay_by_card_on_the_hosted_page(
    client: stripe.StripeClient, session: stripe.checkout.Session, receiver: WebhookReceiver
) -> None:
    status, _, body = http("GET", session.url)
    page = body.decode()
    assert status == 200
    assert '<html lang="nl">' in page
    assert "<h1>" in page and "€ 25,00" in page
    assert "Hamlet &lt;Rang 1&gt;" in page
    for action in ("pay", "decline", "expire", "bancontact_ok", "bancontact_fail"):
        assert f'value="{action}"' in page

    status, headers, _ = http("POST", session.url, {"action": "pay"})
    assert status == 303
    assert headers["Location"] == f"https://shop.test/ok?session={session.id}"

    paid = client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["payment_intent"]})
    assert (paid.status, paid.payment_status, paid.url) == ("complete", "paid", None)
    intent = paid.payment_intent
    assert isinstance(intent, stripe.PaymentIntent) and intent.id.startswith("pi_")
    assert (intent.status, intent.amount, intent.amount_received) == ("succeeded", 2500, 2500)
    assert intent.metadata["order_id"] == "ord_1"  # from payment_intent_data, as Stripe does
    assert intent.latest_charge.startswith("ch_")
    assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"

    [event] = receiver.events(1)
    assert event.type == "checkout.session.completed"
    assert event.id.startswith("evt_") and event.livemode is False
    assert isinstance(event.data.object, stripe.checkout.Session)
    assert event.data.object.id == session.id
    assert event.data.object.payment_status == "paid"


def test_webhook_signature_is_stripes(
    double: StripeDouble, session: stripe.checkout.Session, receiver: WebhookReceiver
) -> None:
    double.pay(session.id)
    receiver.events(1)
    signature, body = receiver.received[0]
    assert signature.startswith("t=") and ",v1=" in signature
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body, signature, "whsec_someone_else")
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body + b" ", signature, SECRET)


def test_decline_keeps_the_session_open(
    client: stripe.StripeClient, session: stripe.checkout.Session, receiver: WebhookReceiver
) -> None:
    status, _, body = http("POST", session.url, {"action": "decline"})
    assert status == 200
    assert 'role="alert"' in body.decode() and "geweigerd" in body.decode()

    after = client.v1.checkout.sessions.retrieve(session.id)
    assert (after.status, after.payment_status) == ("open", "unpaid")
    declined = client.v1.payment_intents.retrieve(after.payment_intent)
    assert declined.status == "requires_payment_method"
    assert declined.last_payment_error.code == "card_declined"
    [event] = receiver.events(1)
    assert event.type == "payment_intent.payment_failed"

    with pytest.raises(stripe.InvalidRequestError, match="successful charge"):
        client.v1.refunds.create(params={"payment_intent": declined.id})

    # A second try succeeds, on the same PaymentIntent.
    assert http("POST", session.url, {"action": "pay"})[0] == 303
    assert client.v1.payment_intents.retrieve(declined.id).status == "succeeded"


def test_expire_on_the_page_and_through_the_api(
    client: stripe.StripeClient, session: stripe.checkout.Session, receiver: WebhookReceiver
) -> None:
    status, headers, _ = http("POST", session.url, {"action": "expire"})
    assert (status, headers["Location"]) == (303, "https://shop.test/cancel")
    assert client.v1.checkout.sessions.retrieve(session.id).status == "expired"
    [event] = receiver.events(1)
    assert event.type == "checkout.session.expired"

    assert http("POST", session.url, {"action": "pay"})[0] == 409  # too late
    with pytest.raises(stripe.InvalidRequestError, match="status of `expired`"):
        client.v1.checkout.sessions.expire(session.id)

    other = client.v1.checkout.sessions.create(params=session_params())
    assert client.v1.checkout.sessions.expire(other.id).status == "expired"


@pytest.mark.parametrize(
    ("action", "event_type", "payment_status", "intent_status"),
    [
        ("bancontact_ok", "checkout.session.async_payment_succeeded", "paid", "succeeded"),
        (
            "bancontact_fail",
            "checkout.session.async_payment_failed",
            "unpaid",
            "requires_payment_method",
        ),
    ],
)
def test_bancontact_settles_asynchronously(
    client: stripe.StripeClient,
    session: stripe.checkout.Session,
    receiver: WebhookReceiver,
    action: str,
    event_type: str,
    payment_status: str,
    intent_status: str,
) -> None:
    status, headers, _ = http("POST", session.url, {"action": action})
    assert status == 303 and session.id in headers["Location"]

    completed, settled = receiver.events(2)
    assert completed.type == "checkout.session.completed"
    assert (completed.data.object.status, completed.data.object.payment_status) == (
        "complete",
        "unpaid",
    )
    assert settled.type == event_type
    assert settled.data.object.payment_status == payment_status
    after = client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["payment_intent"]})
    assert (after.status, after.payment_status) == ("complete", payment_status)
    assert after.payment_intent.status == intent_status


def test_bancontact_through_the_control_api(
    client: stripe.StripeClient, double: StripeDouble, session: stripe.checkout.Session
) -> None:
    double.pay(session.id, method="bancontact")
    intent = client.v1.payment_intents.retrieve(
        client.v1.checkout.sessions.retrieve(session.id).payment_intent
    )
    assert intent.status == "processing"
    double.settle_async(session.id, succeeded=True)
    assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"
    with pytest.raises(StripeDoubleError):
        double.settle_async(session.id, succeeded=True)  # nothing pending any more


# ---- refunds ---------------------------------------------------------------------------------


def test_partial_and_full_refunds(
    client: stripe.StripeClient,
    double: StripeDouble,
    session: stripe.checkout.Session,
    receiver: WebhookReceiver,
) -> None:
    double.pay(session.id)
    intent_id = client.v1.checkout.sessions.retrieve(session.id).payment_intent

    partial = client.v1.refunds.create(
        params={
            "payment_intent": intent_id,
            "amount": 1000,
            "metadata": {"reason": "seat"},
            "reason": "requested_by_customer",
        }
    )
    assert partial.id.startswith("re_")
    assert (partial.status, partial.amount, partial.payment_intent) == (
        "succeeded",
        1000,
        intent_id,
    )
    assert partial.metadata["reason"] == "seat"
    assert client.v1.refunds.retrieve(partial.id).amount == 1000

    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.create(params={"payment_intent": intent_id, "amount": 1501})
    assert caught.value.param == "amount"
    assert "greater than unrefunded amount" in caught.value.user_message

    rest = client.v1.refunds.create(params={"payment_intent": intent_id})  # the remainder
    assert rest.amount == 1500
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.create(params={"payment_intent": intent_id, "amount": 1})
    assert caught.value.code == "charge_already_refunded"

    charge = client.v1.charges.retrieve(rest.charge)
    assert (charge.amount_refunded, charge.refunded) == (2500, True)
    events = receiver.events(5)
    types = [event.type for event in events]
    assert types == [
        "checkout.session.completed",
        "refund.created",
        "charge.refunded",
        "refund.created",
        "charge.refunded",
    ]
    first_charge_event = events[2]
    assert isinstance(first_charge_event.data.object, stripe.Charge)
    assert first_charge_event.data.object.amount_refunded == 1000
    assert first_charge_event.data.previous_attributes["amount_refunded"] == 0


# ---- errors ----------------------------------------------------------------------------------


def test_unknown_ids_are_resource_missing(client: stripe.StripeClient) -> None:
    calls: list[Callable[[], object]] = [
        lambda: client.v1.checkout.sessions.retrieve("cs_test_nope"),
        lambda: client.v1.checkout.sessions.expire("cs_test_nope"),
        lambda: client.v1.payment_intents.retrieve("pi_nope"),
        lambda: client.v1.refunds.retrieve("re_nope"),
    ]
    for call in calls:
        with pytest.raises(stripe.InvalidRequestError) as caught:
            call()
        assert (caught.value.http_status, caught.value.code) == (404, "resource_missing")

    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.create(params={"payment_intent": "pi_nope"})
    assert (caught.value.http_status, caught.value.param) == (400, "payment_intent")


def test_api_key_must_be_a_test_secret_key(double: StripeDouble) -> None:
    live = stripe.StripeClient("sk_live_123456789", base_addresses={"api": double.base_url})
    with pytest.raises(stripe.AuthenticationError):
        live.v1.checkout.sessions.retrieve("cs_test_x")

    status, _, body = http("GET", f"{double.base_url}/v1/checkout/sessions/cs_test_x")
    assert status == 401
    assert json.loads(body)["error"]["type"] == "invalid_request_error"


def test_fail_next_answers_a_stripe_500(client: stripe.StripeClient, double: StripeDouble) -> None:
    double.fail_next("/v1/checkout/sessions", status=500, times=1)
    with pytest.raises(stripe.APIError) as caught:
        client.v1.checkout.sessions.create(params=session_params())
    assert caught.value.http_status == 500
    assert caught.value.error.type == "api_error"
    assert client.v1.checkout.sessions.create(params=session_params()).status == "open"

    double.fail_next("/v1/refunds", status=429)
    with pytest.raises(stripe.RateLimitError):
        client.v1.refunds.create(params={"payment_intent": "pi_x"})


def test_library_retries_recover_from_injected_500s(
    double: StripeDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stripe._http_client import HTTPClient

    monkeypatch.setattr(HTTPClient, "_sleep_time_seconds", lambda self, retries: 0.0)
    retrying = stripe.StripeClient(
        "sk_test_double", base_addresses={"api": double.base_url}, max_network_retries=2
    )
    double.fail_next("/v1/checkout/sessions", times=2)
    created = retrying.v1.checkout.sessions.create(
        params=session_params(), options={"idempotency_key": "order-7"}
    )
    # The retries carried the same key; a later replay finds the one session they made.
    replay = retrying.v1.checkout.sessions.create(
        params=session_params(expires_at=created.expires_at), options={"idempotency_key": "order-7"}
    )
    assert replay.id == created.id


# ---- webhook delivery ------------------------------------------------------------------------


def test_failed_deliveries_are_retried_and_recorded(
    double: StripeDouble, session: stripe.checkout.Session, receiver: WebhookReceiver
) -> None:
    receiver.statuses = [500, 503]
    double.pay(session.id)
    events = receiver.events(3)
    assert len({event.id for event in events}) == 1
    assert double.drain()
    attempts = double.deliveries()
    assert [(a["attempt"], a["status"]) for a in attempts] == [(1, 500), (2, 503), (3, 200)]
    assert all(a["event_type"] == "checkout.session.completed" for a in attempts)


def test_unreachable_receiver_is_retried_then_given_up() -> None:
    with StripeDouble(webhook_url="http://127.0.0.1:9/nowhere", retry_delays=(0.01, 0.01)) as d:
        client = stripe.StripeClient("sk_test_x", base_addresses={"api": d.base_url})
        created = client.v1.checkout.sessions.create(params=session_params())
        d.expire(created.id)
        assert d.drain()
        attempts = d.deliveries()
        assert [a["attempt"] for a in attempts] == [1, 2, 3]
        assert all(a["status"] is None and a["error"] for a in attempts)


def test_redelivery_sends_the_same_event_again(
    double: StripeDouble, session: stripe.checkout.Session, receiver: WebhookReceiver
) -> None:
    double.pay(session.id)
    [first] = receiver.events(1)
    double.redeliver(first.id)
    second = receiver.events(2)[1]
    assert second.id == first.id
    assert receiver.received[0][1] == receiver.received[1][1]
    assert [e["id"] for e in double.events()] == [first.id]


def test_held_deliveries_can_arrive_out_of_order(
    double: StripeDouble, session: stripe.checkout.Session, receiver: WebhookReceiver
) -> None:
    double.hold_deliveries()
    double.pay(session.id, method="bancontact")
    double.settle_async(session.id, succeeded=True)
    assert double.drain() and receiver.received == []

    assert double.release_deliveries(order="reverse") == 2
    late, early = receiver.events(2)
    assert late.type == "checkout.session.async_payment_succeeded"
    assert early.type == "checkout.session.completed"
    # Each event is a snapshot of when it happened, whenever it arrives.
    assert early.data.object.payment_status == "unpaid"


def test_enabled_events_filters_what_is_sent(receiver: WebhookReceiver) -> None:
    only = ["checkout.session.completed"]
    with StripeDouble(webhook_url=receiver.url, enabled_events=only) as d:
        client = stripe.StripeClient("sk_test_x", base_addresses={"api": d.base_url})
        created = client.v1.checkout.sessions.create(params=session_params())
        d.decline(created.id)
        d.pay(created.id)
        assert d.drain()
        assert [e.type for e in receiver.events(1)] == ["checkout.session.completed"]
        assert len(d.events()) == 2


# ---- other ways in ---------------------------------------------------------------------------


def test_control_api_over_http(
    client: stripe.StripeClient, double: StripeDouble, session: stripe.checkout.Session
) -> None:
    base = f"{double.base_url}/_double"
    status, _, body = http("POST", f"{base}/sessions/{session.id}/pay", {"method": "bancontact"})
    assert status == 200 and json.loads(body)["payment_status"] == "unpaid"
    status, _, body = http("POST", f"{base}/sessions/{session.id}/settle", {"succeeded": "false"})
    assert status == 200
    status, _, body = http("GET", f"{base}/events")
    assert [e["type"] for e in json.loads(body)["data"]] == [
        "checkout.session.completed",
        "checkout.session.async_payment_failed",
    ]
    assert http("POST", f"{base}/sessions/cs_test_nope/pay")[0] == 404

    other = client.v1.checkout.sessions.create(params=session_params())
    status, _, body = http("POST", f"{base}/clock", {"advance": str(25 * 3600)})
    assert status == 200
    assert client.v1.checkout.sessions.retrieve(other.id).status == "expired"

    http("POST", f"{base}/fail_next", {"path_prefix": "/v1/payment_intents", "status": "503"})
    with pytest.raises(stripe.APIError):
        client.v1.payment_intents.retrieve("pi_x")


def test_curl_style_requests(double: StripeDouble, session: stripe.checkout.Session) -> None:
    auth = {"Authorization": "Bearer sk_test_curl"}
    url = f"{double.base_url}/v1/checkout/sessions/{session.id}?expand[]=line_items"
    status, headers, body = http("GET", url, headers=auth)
    assert status == 200 and headers["Request-Id"].startswith("req_")
    assert json.loads(body)["line_items"]["object"] == "list"
    status, _, body = http("GET", f"{double.base_url}/v1/customers", headers=auth)
    assert status == 404 and "Unrecognized request URL" in json.loads(body)["error"]["message"]


def test_global_api_base_works_too(double: StripeDouble, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stripe, "api_base", double.base_url)
    monkeypatch.setattr(stripe, "api_key", "sk_test_global")
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    created = stripe.checkout.Session.create(**session_params())
    assert stripe.checkout.Session.retrieve(created.id).amount_total == 2500
