"""The order a deliverer walks a run in: street by street, building by building, floor by floor.

Pure, no I/O. No map is available offline, so the round is read from the addresses themselves,
as a deliverer reads them: a Chinese address names its road or estate, then a building (``3栋``,
``5号楼``, ``12号`` on a road), a unit (``2单元``), a floor (``4层``) and a room (``502室``,
whose hundreds are the floor). The steps:

1. Normalise the text (NFKC: full-width digits ``３`` become ``3``) and drop the spaces.
2. Find the building: the first number marked as one (号楼, 栋, 幢, 座), else the first house
   number on a road (号, 弄). The street is everything before it.
3. Find the unit (单元), the floor (层, or 楼 after the building) and the room (室, 房, 户, or
   a bare number at the end); a floor not written is the room's hundreds.
4. Sort by street (numbers inside it compared as numbers), building, unit, floor, room. Ties
   keep the stop's id order, so the same stops always come out in the same round. An address with no
   building number is a street of its own, after the numbered doors of a street it begins
   with; a diner with no address written comes last.

A run of 200 stops is put in order in about a millisecond (``tests/orders/test_route.py``).
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

_BUILDING = re.compile(r"(\d+)(?:号楼|栋|幢|座)")
_HOUSE = re.compile(r"(\d+)(?:号|弄)")
_UNIT = re.compile(r"(\d+)单元")
_FLOOR = re.compile(r"(\d+)(?:层|楼)")
_ROOM = re.compile(r"(\d+)(?:室|房|户)?$")
_DIGITS = re.compile(r"(\d+)")
UNKNOWN = 10**9
"""Where a part that is not written sorts: after every written one."""


@dataclass(frozen=True, order=True)
class Place:
    """Where a door is, as far as the address tells: the parts a round is sorted by."""

    unwritten: bool
    """No address at all: the end of the round, where the deliverer phones ahead."""
    street: tuple[tuple[int, str], ...]
    """The street's text cut into runs of digits (compared as numbers) and other text."""
    building: int
    unit: int
    floor: int
    room: int
    text: str


def _natural(text: str) -> tuple[tuple[int, str], ...]:
    """``幸福里2期`` before ``幸福里10期``: digits compare as numbers, the rest as text."""
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part)
        for part in _DIGITS.split(text)
        if part != ""
    )


def _number(pattern: re.Pattern[str], text: str) -> int | None:
    found = pattern.search(text)
    return int(found.group(1)) if found else None


def place_of(address: str) -> Place:
    """The parts of ``address`` a round is sorted by.

    >>> p = place_of("北京街 长山花园3栋2单元502室")
    >>> (p.building, p.unit, p.floor, p.room)
    (3, 2, 5, 502)
    """
    text = "".join(unicodedata.normalize("NFKC", address).split())
    found = _BUILDING.search(text) or _HOUSE.search(text)
    if found is None:
        return Place(not text, _natural(text), UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, text)
    street, rest = text[: found.start()], text[found.end() :]
    unit = _number(_UNIT, rest)
    if unit is not None:
        rest = _UNIT.sub("", rest, count=1)
    floor = _number(_FLOOR, rest)
    if floor is not None:
        rest = _FLOOR.sub("", rest, count=1)
    room = _number(_ROOM, rest)
    if floor is None:
        floor = room // 100 if room is not None and room >= 100 else 0
    return Place(
        False,
        _natural(street),
        int(found.group(1)),
        unit if unit is not None else 0,
        floor,
        room if room is not None else 0,
        text,
    )


def round_order(addresses: Mapping[int, str]) -> list[int]:
    """The ids of ``addresses`` (stop or order id -> the diner's address) in walking order."""
    return sorted(addresses, key=lambda key: (place_of(addresses[key]), key))
