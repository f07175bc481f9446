"""The kitchen's tests run on the orders' canteen: a week's menu, an elder, a family, and the
clock at 08:30 in Shanghai on Tuesday 1 December 2026 (``tests.orders.conftest``)."""

from tests.orders.conftest import ahead, morning

__all__ = ["ahead", "morning"]
