"""The pages' words: one table from the core and each area's module."""

import pytest

from canteen.web import i18n


def test_a_key_two_areas_define_stops_the_start():
    with pytest.raises(ValueError, match="order_title"):
        i18n._merged({"order_title": ("订餐", "Orders")}, {"order_title": ("预订", "Order")})
