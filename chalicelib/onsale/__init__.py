"""On-sale peaks: the waiting room (SQS), fair admission by a clock, admission tokens."""
