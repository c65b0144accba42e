"""A small on-sale peak through the real path (bench/onsale.py with a few hundred buyers): the
waiting room over HTTP and SQS, the consumer, the draw, admission, holds with the admission
token, orders paid on the Stripe double and the saga. No seat is sold twice or beyond the
hall, every buyer gets a final answer, and admission after opening follows arrival."""

from __future__ import annotations

import pytest

from bench.onsale import Settings, simulate

pytestmark = pytest.mark.stack


def test_a_small_on_sale_sells_every_seat_once_and_answers_everyone() -> None:
    result = simulate(
        Settings(buyers=150, seats=40, before=3, tail=6, rate=1200, give_up=0.1, deadline=240)
    )
    assert result["simulation_errors"] == []
    assert result["failures"] == []
    assert result["oversold"] == 0
    assert result["double_sold"] == 0
    assert result["answered"] == 1.0, result["outcomes"]
    assert 0 < result["sold"] <= result["capacity"]
    assert result["outcomes"].get("gave_up", 0) > 0, "abandoned places did not stall admission"
    assert result["outcomes"].get("sold_out", 0) > 0, "the late were told it is sold out"
    assert result["fairness_after_opening"] is not None
    assert result["fairness_after_opening"] > 0.9, "first come, first served after opening"
