"""Orders: from a hold to a priced order, paid through Stripe, ending in tickets or nothing."""
