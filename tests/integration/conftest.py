"""Fixtures shared by the integration tests."""

from __future__ import annotations

import pytest

from chalicelib.core.clock import FixedClock
from tests import factories as f


@pytest.fixture
def clock() -> FixedClock:
    """The tests' fixed now (tests/factories.py T0), fresh for each test."""
    return FixedClock(f.T0)
