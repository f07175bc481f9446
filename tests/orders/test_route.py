"""The walking order of a delivery run, read from the diners' addresses (pure, property-tested)."""

import itertools
import random
import time
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from canteen.orders.route import place_of, round_order

STREETS = ("长山花园", "北京街幸福里", "越秀区中山路", "东风小区2期", "东风小区10期")


@st.composite
def doors(draw: st.DrawFn) -> tuple[str, tuple[str, int, int, int, int]]:
    """An address written one of the ways people write them, and the door it names."""
    street = draw(st.sampled_from(STREETS))
    building = draw(st.integers(1, 40))
    unit = draw(st.integers(0, 6))  # 0: not written
    floor = draw(st.integers(1, 33))
    room = floor * 100 + draw(st.integers(1, 8))
    marker = draw(st.sampled_from(("栋", "号楼", "幢", "座", "号")))
    floor_text = draw(st.sampled_from(("", f"{floor}层", f"{floor}楼")))
    room_mark = draw(st.sampled_from(("", "室", "房", "户")))
    space = draw(st.sampled_from(("", " ")))
    parts = [street, f"{building}{marker}", f"{unit}单元" if unit else "", floor_text]
    address = space.join(p for p in parts if p) + f"{space}{room}{room_mark}"
    if draw(st.booleans()):
        address = unicodedata.normalize("NFKC", address).translate(
            {ord(d): ord(d) + 0xFEE0 for d in "0123456789"}  # full-width digits, as some type
        )
    return address, (street, building, unit, floor, room)


@given(doors())
def test_an_address_names_its_building_unit_floor_and_room(door):
    address, (_, building, unit, floor, room) = door
    place = place_of(address)
    assert (place.building, place.unit, place.floor, place.room) == (building, unit, floor, room)


@given(st.lists(doors(), max_size=60), st.randoms())
def test_a_round_visits_every_stop_once_street_by_street_and_up_each_building(stops, rnd):
    addresses = {stop_id: address for stop_id, (address, _) in enumerate(stops, start=1)}
    round_ = round_order(addresses)
    assert sorted(round_) == sorted(addresses)
    doors_in_round = [stops[i - 1][1] for i in round_]
    streets = [street for street, *_ in doors_in_round]
    finished: set[str] = set()
    for before, after in itertools.pairwise(streets):
        if before != after:
            finished.add(before)
            assert after not in finished, "a street is visited twice"
    for (s1, b1, u1, f1, _), (s2, b2, u2, f2, _) in itertools.pairwise(doors_in_round):
        if (s1, b1, u1) == (s2, b2, u2):
            assert f1 <= f2, "a floor is climbed down within one stairwell"
    shuffled = list(addresses.items())
    rnd.shuffle(shuffled)
    assert round_order(dict(shuffled)) == round_, "the same stops make the same round"


def test_numbers_in_a_street_compare_as_numbers_and_unnumbered_doors_come_last():
    addresses = {
        1: "东风小区10期1栋101",
        2: "东风小区2期1栋101",
        3: "东风小区2期",
        4: "东风小区2期3栋",
        5: "",
        6: " ",
    }
    assert round_order(addresses) == [2, 4, 3, 1, 5, 6]


def test_a_run_of_200_stops_is_put_in_order_in_about_2_ms():
    """Measured on the shared 2-core machine: 200 stops in 1.5 to 2.5 ms (the issue asks for
    under a second). Printed, not asserted: a timing assertion fails on a busy machine."""
    rnd = random.Random(15)
    addresses = {
        i: f"{rnd.choice(STREETS)}{rnd.randint(1, 40)}栋{rnd.randint(1, 6)}单元"
        f"{rnd.randint(1, 33)}0{rnd.randint(1, 8)}室"
        for i in range(1, 201)
    }
    started = time.perf_counter()
    round_ = round_order(addresses)
    print(f"200 stops ordered in {(time.perf_counter() - started) * 1000:.2f} ms")
    assert len(round_) == 200
