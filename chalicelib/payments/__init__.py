"""Payments: a port the checkout talks to, and its one real adapter, Stripe."""
