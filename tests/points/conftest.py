"""The delivery rounds of ``tests/orders/test_runs.py`` (three elders with lunch ordered to their
door, a volunteer to walk the run, the canteen's manager), and the clock at 08:30 in Shanghai."""

from tests.orders.conftest import morning
from tests.orders.test_runs import rounds

__all__ = ["morning", "rounds"]
