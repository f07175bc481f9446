"""The words of each page area, one module per area (``STRINGS``: key -> (中文, English)).

``canteen.web.i18n`` merges them into its one table and refuses a key defined twice, so an area
can grow its words without touching the others'. To add an area: a module here with its
``STRINGS``, and one line in ``AREAS``.
"""

from canteen.web.words import (
    deliver,
    found,
    kitchen,
    nav,
    notify,
    offline,
    ordering,
    points,
    watch,
)

AREAS: tuple[dict[str, tuple[str, str]], ...] = (
    ordering.STRINGS,
    deliver.STRINGS,
    found.STRINGS,
    points.STRINGS,
    notify.STRINGS,
    kitchen.STRINGS,
    offline.STRINGS,
    watch.STRINGS,
    nav.STRINGS,
)
