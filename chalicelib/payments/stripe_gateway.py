"""The Stripe adapter: Checkout Sessions (card and Bancontact), refunds. Every call that
creates something carries an idempotency key derived from the order, so a retried Lambda
or Step Functions task never charges or refunds twice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.payments.model import CheckoutRequest, CheckoutSession

if TYPE_CHECKING:
    from stripe.params.checkout import SessionCreateParams

_LOCALES = {"nl": "nl", "fr": "fr", "en": "en"}


class StripeGateway:
    def __init__(self, api_key: str, api_base: str | None = None) -> None:
        import stripe  # costs ~0.3 s of cold start: only functions that pay import it

        self.client = stripe.StripeClient(
            api_key,
            # None: Stripe itself; the local stack's Stripe double otherwise.
            base_addresses={"api": api_base} if api_base else None,
            max_network_retries=2,
        )

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        params: SessionCreateParams = {
            "mode": "payment",
            # Not in stripe 16's types (API 2026-10-28.endive lists allowed_payment_method_types
            # instead); sent as before, the local double reads it. To check against Stripe.
            "payment_method_types": ["card", "bancontact"],  # type: ignore[typeddict-unknown-key]
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": "eur",
                        "unit_amount": request.amount_cents,
                        "product_data": {"name": request.description},
                    },
                }
            ],
            "customer_email": request.email,
            "client_reference_id": request.order_id,
            "metadata": {"order_id": request.order_id},
            "payment_intent_data": {"metadata": {"order_id": request.order_id}},
            "locale": _LOCALES.get(request.language, "auto"),
            "expires_at": int(request.expires_at.timestamp()),
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
        }
        session = self.client.v1.checkout.sessions.create(
            params=params, options={"idempotency_key": f"checkout-{request.order_id}"}
        )
        return _session(session)

    def get_checkout(self, session_id: str) -> CheckoutSession:
        session = self.client.v1.checkout.sessions.retrieve(
            session_id, params={"expand": ["payment_intent"]}
        )
        return _session(session)

    def expire_checkout(self, session_id: str) -> CheckoutSession:
        import stripe

        try:
            return _session(self.client.v1.checkout.sessions.expire(session_id))
        except stripe.InvalidRequestError:
            # Already complete or expired: what it is now is the answer.
            return self.get_checkout(session_id)

    def refund(self, payment_intent: str, amount_cents: int, reason_key: str) -> str:
        refund = self.client.v1.refunds.create(
            params={
                "payment_intent": payment_intent,
                "amount": amount_cents,
                "metadata": {"reason": reason_key},
            },
            options={"idempotency_key": f"refund-{reason_key}"},
        )
        return str(refund.id)

    def refunded(self, payment_intent: str) -> tuple[str | None, int]:
        """Whose payment it is (the order id we put in its metadata) and how much of it has
        been refunded so far, by us or from Stripe's dashboard."""
        intent = self.client.v1.payment_intents.retrieve(
            payment_intent, params={"expand": ["latest_charge"]}
        )
        charge = intent.latest_charge
        refunded = int(charge.amount_refunded or 0) if charge and not isinstance(charge, str) else 0
        return _order_of(intent), refunded


# A completed session whose PaymentIntent is back to these did not get its money.
_FAILED_INTENT = {"requires_payment_method", "canceled"}


def _order_of(obj: Any) -> str | None:
    metadata = obj.metadata.to_dict() if obj.metadata else {}
    return metadata.get("order_id")


def _session(session: Any) -> CheckoutSession:
    intent = session.payment_intent
    failed = (
        session.status == "complete"
        and session.payment_status == "unpaid"
        and not isinstance(intent, str)
        and intent is not None
        and intent.status in _FAILED_INTENT
    )
    return CheckoutSession(
        id=session.id,
        url=session.url,
        status=session.status,
        payment_status=session.payment_status,
        amount_total=int(session.amount_total or 0),
        order_id=_order_of(session) or session.client_reference_id,
        payment_intent=intent if isinstance(intent, str) or intent is None else intent.id,
        payment_failed=failed,
    )
