"""The QR payload: short, QR-alphanumeric, and refused unless this service made it, unaltered."""

import contextlib
import random
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canteen.cards import token
from canteen.config import derive_key
from canteen.errors import CardInvalid

KEY = derive_key(token.KEY_PURPOSE)
OTHER_KEY = derive_key("card-mac/v1-other-deployment")
LARGEST_CARD_ID = 2**31 - 1
"""The largest id the card table's INT column holds."""
VARIANT_CHARS = token.QR_ALPHANUMERIC + string.ascii_lowercase


def refused(payload: object, key: bytes = KEY) -> bool:
    try:
        token.decode(payload, key)
    except CardInvalid as exc:
        assert exc.code == "card_invalid" and exc.status == 422
        assert [e.field for e in exc.errors] == ["card"]
        return True
    return False


def single_changes(payload: str):
    """Every text differing from ``payload`` in one position, over the charset and a-z."""
    for i, original in enumerate(payload):
        for char in VARIANT_CHARS:
            if char != original:
                yield payload[:i] + char + payload[i + 1 :], char.upper() == original


@given(st.integers(min_value=1, max_value=2**64))
def test_every_card_id_round_trips(card_id):
    payload = token.encode(card_id, KEY)
    assert token.decode(payload, KEY) == card_id
    assert set(payload) <= set(token.QR_ALPHANUMERIC)
    assert len(payload) <= token.MAX_LENGTH


@pytest.mark.parametrize("card_id", [1, 5, 36, 1_000_000, LARGEST_CARD_ID])
def test_a_payload_is_short_and_made_of_qr_alphanumeric_characters(card_id):
    payload = token.encode(card_id, KEY)
    assert len(payload) <= 29, "a version 2 QR code at level M holds 38 alphanumeric characters"
    assert set(payload) <= set(string.digits + string.ascii_uppercase + ".")
    assert payload.startswith("C1")


def test_the_format_is_the_documented_one():
    assert token.encode(5, KEY).split(".")[0] == "C15"
    assert token.encode(36, KEY).split(".")[0] == "C110"
    assert token.encode(LARGEST_CARD_ID, KEY).split(".")[0] == "C1ZIK0ZJ"
    assert len(token.encode(5, KEY).split(".")[1]) * 5 >= 80, "at least 80 bits of MAC"


def test_a_scanner_s_white_space_and_a_phone_s_lower_case_are_accepted():
    payload = token.encode(123_456, KEY)
    for scanned in (
        payload + "\r\n",
        payload + "\n",
        " " + payload + "\t",
        payload.lower(),
        payload.lower() + "\r\n",
        payload.capitalize(),
    ):
        assert token.decode(scanned, KEY) == 123_456


def test_every_single_character_change_is_refused():
    payload = token.encode(5, KEY)
    checked = 0
    for changed, only_case in single_changes(payload):
        if only_case:
            assert token.decode(changed, KEY) == 5, "lower case is the same payload"
        else:
            assert refused(changed), changed
            checked += 1
    assert checked >= len(payload) * 60


def test_a_long_payload_is_refused_after_every_single_change_too():
    payload = token.encode(LARGEST_CARD_ID, KEY)
    assert all(refused(changed) for changed, only_case in single_changes(payload) if not only_case)


def test_every_truncation_is_refused():
    payload = token.encode(987_654, KEY)
    for cut in range(len(payload)):
        assert refused(payload[:cut]), payload[:cut]
        assert refused(payload[cut + 1 :]), payload[cut + 1 :]


def test_ten_thousand_made_up_payloads_are_refused():
    rng = random.Random(20261123)
    base36, base32 = string.digits + string.ascii_uppercase, string.ascii_uppercase + "234567"
    lookalikes = [
        "C1"
        + "".join(rng.choices(base36, k=rng.randint(1, 6)))
        + "."
        + "".join(rng.choices(base32, k=20))
        for _ in range(4000)
    ]
    over_the_charset = [
        "".join(rng.choices(VARIANT_CHARS, k=rng.randint(0, 130))) for _ in range(3000)
    ]
    any_text = [
        "".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(rng.randint(0, 60)))
        for _ in range(3000)
    ]
    made_up = lookalikes + over_the_charset + any_text
    assert len(made_up) == 10_000
    assert [p for p in made_up if not refused(p)] == []


@given(st.text(max_size=200))
def test_arbitrary_text_is_refused(text):
    assert refused(text)


@pytest.mark.parametrize("not_text", [None, 5, b"C15.AAAA", ["C15"], {"card": "C15"}])
def test_anything_but_text_is_refused(not_text):
    assert refused(not_text)


def test_a_payload_made_with_another_key_is_refused():
    assert token.decode(token.encode(5, OTHER_KEY), OTHER_KEY) == 5
    assert refused(token.encode(5, OTHER_KEY), KEY)
    assert refused(token.encode(5, KEY), OTHER_KEY)


def test_another_card_s_tag_does_not_open_this_card():
    tag_of_6 = token.encode(6, KEY).split(".")[1]
    assert refused("C15." + tag_of_6)


def test_the_payload_of_card_5_never_decodes_to_another_card():
    payload = token.encode(5, KEY)
    variants = [changed for changed, _ in single_changes(payload)]
    variants += [payload[:cut] for cut in range(len(payload))]
    variants += [payload.replace("C15", "C1" + digit) for digit in "0123456789"]
    variants += [
        payload.replace("C15", "C105"),
        payload.replace("C15", "C1+5"),
        payload.replace("C15", "C1 5"),
    ]
    for variant in variants:
        with contextlib.suppress(CardInvalid):
            assert token.decode(variant, KEY) == 5


def test_only_ascii_letters_are_read_case_insensitively():
    """``"ſ".upper() == "S"`` and ``"ı".upper() == "I"``: such look-alikes are not the payload."""
    payload = next(
        p for p in (token.encode(i, KEY) for i in range(1, 1000)) if "S" in p and "I" in p
    )
    assert refused(payload.replace("S", "ſ", 1))
    assert refused(payload.replace("I", "ı", 1))
    assert refused(payload.replace("K", "\u212a", 1)) or "K" not in payload


def test_no_personal_data_fits_in_a_payload():
    """The payload holds only the card id: no name, ID number or birth date could be in it."""
    payload = token.encode(42, KEY)
    assert payload.split(".")[0] == "C1" + "16"  # 42 in base 36, and nothing else
    assert all(ord(c) < 128 for c in payload)


def test_card_ids_start_at_one():
    with pytest.raises(ValueError):
        token.encode(0, KEY)
