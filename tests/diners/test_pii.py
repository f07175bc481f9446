"""Resident ID numbers at rest: AES-256-GCM cipher text and a keyed digest."""

import base64
import re

import pytest
from cryptography.exceptions import InvalidTag
from hypothesis import given
from hypothesis import strategies as st

from canteen.config import Settings, derive_key, load_settings
from canteen.diners import pii

NUMBER = "11010519491231002X"


def settings(secret: str = "a secret for these tests") -> Settings:
    return load_settings({"CANTEEN_SECRET_KEY": secret})


ENCRYPT_KEY = derive_key(pii.ENCRYPT_PURPOSE, settings())
DIGEST_KEY = derive_key(pii.DIGEST_PURPOSE, settings())
OTHER_ENCRYPT_KEY = derive_key(pii.ENCRYPT_PURPOSE, settings("another secret"))
OTHER_DIGEST_KEY = derive_key(pii.DIGEST_PURPOSE, settings("another secret"))


# --- Keys -------------------------------------------------------------------------------------


def test_derived_keys_are_32_bytes_and_stable() -> None:
    assert len(ENCRYPT_KEY) == 32
    assert derive_key(pii.ENCRYPT_PURPOSE, settings()) == ENCRYPT_KEY


def test_each_purpose_gets_its_own_key() -> None:
    assert ENCRYPT_KEY != DIGEST_KEY
    assert derive_key("something/else/v1", settings()) not in {ENCRYPT_KEY, DIGEST_KEY}


def test_each_secret_gives_different_keys() -> None:
    assert ENCRYPT_KEY != OTHER_ENCRYPT_KEY
    assert DIGEST_KEY != OTHER_DIGEST_KEY


# --- Encryption -------------------------------------------------------------------------------


@given(st.text(min_size=18, max_size=18), st.integers(min_value=1, max_value=2**31 - 1))
def test_encrypt_then_decrypt_gives_back_the_number(number: str, diner_id: int) -> None:
    cipher = pii.encrypt(number, ENCRYPT_KEY, 1, diner_id)
    assert cipher.startswith("v1.")
    assert pii.decrypt(cipher, ENCRYPT_KEY, diner_id) == number


def test_the_cipher_text_does_not_show_the_number() -> None:
    cipher = pii.encrypt(NUMBER, ENCRYPT_KEY, 1, 7)
    assert NUMBER not in cipher
    assert NUMBER[-4:] not in base64.b64decode(cipher[3:]).decode("latin-1")


def test_two_encryptions_of_one_number_differ_but_their_digests_are_equal() -> None:
    first, second = pii.encrypt(NUMBER, ENCRYPT_KEY, 1, 7), pii.encrypt(NUMBER, ENCRYPT_KEY, 1, 7)
    assert first != second
    assert pii.decrypt(first, ENCRYPT_KEY, 7) == pii.decrypt(second, ENCRYPT_KEY, 7) == NUMBER
    assert pii.digest(NUMBER, DIGEST_KEY) == pii.digest(NUMBER, DIGEST_KEY)


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_a_cipher_text_moved_to_another_row_fails_to_decrypt(row: int, other: int) -> None:
    cipher = pii.encrypt(NUMBER, ENCRYPT_KEY, 1, row)
    if other != row:
        with pytest.raises(InvalidTag):
            pii.decrypt(cipher, ENCRYPT_KEY, other)


@given(st.data())
def test_a_flipped_byte_anywhere_fails_to_decrypt(data: st.DataObject) -> None:
    raw = bytearray(base64.b64decode(pii.encrypt(NUMBER, ENCRYPT_KEY, 1, 7)[3:]))
    index = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    bit = data.draw(st.integers(min_value=0, max_value=7))
    raw[index] ^= 1 << bit
    with pytest.raises(InvalidTag):
        pii.decrypt("v1." + base64.b64encode(bytes(raw)).decode(), ENCRYPT_KEY, 7)


def test_a_different_key_fails_to_decrypt() -> None:
    cipher = pii.encrypt(NUMBER, ENCRYPT_KEY, 1, 7)
    with pytest.raises(InvalidTag):
        pii.decrypt(cipher, OTHER_ENCRYPT_KEY, 7)
    with pytest.raises(InvalidTag):
        pii.decrypt(cipher, DIGEST_KEY, 7)


def test_the_tag_names_the_key_version() -> None:
    assert pii.version_of(pii.encrypt(NUMBER, ENCRYPT_KEY, 12, 7)) == 12


@pytest.mark.parametrize("version", ["v0", "V1", "", "v", "vx", "1"])
def test_an_unknown_version_prefix_is_refused(version: str) -> None:
    payload = pii.encrypt(NUMBER, ENCRYPT_KEY, 1, 7).partition(".")[2]
    with pytest.raises(ValueError, match="unknown cipher version"):
        pii.decrypt(f"{version}.{payload}", ENCRYPT_KEY, 7)


def test_cipher_text_without_a_version_is_refused() -> None:
    payload = pii.encrypt(NUMBER, ENCRYPT_KEY, 1, 7).partition(".")[2]
    with pytest.raises(ValueError, match="unknown cipher version"):
        pii.decrypt(payload, ENCRYPT_KEY, 7)


def test_a_wrapped_key_opens_only_as_its_own_version() -> None:
    wrapped = pii.wrap(OTHER_ENCRYPT_KEY, ENCRYPT_KEY, 2)
    assert pii.unwrap(wrapped, ENCRYPT_KEY, 2) == OTHER_ENCRYPT_KEY
    with pytest.raises(InvalidTag):
        pii.unwrap(wrapped, ENCRYPT_KEY, 3)


# --- Digest -----------------------------------------------------------------------------------


def test_the_digest_is_hex_sha256_sized() -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", pii.digest(NUMBER, DIGEST_KEY))


def test_the_digest_depends_on_the_key() -> None:
    assert pii.digest(NUMBER, DIGEST_KEY) != pii.digest(NUMBER, OTHER_DIGEST_KEY)


def test_the_digest_tells_numbers_apart() -> None:
    assert pii.digest(NUMBER, DIGEST_KEY) != pii.digest("440304198001010017", DIGEST_KEY)


def test_the_last_four_digest_is_keyed_and_ignores_the_case_of_x() -> None:
    key = derive_key(pii.LAST4_PURPOSE, settings())
    assert pii.last4_digest("002x", key) == pii.last4_digest("002X", key)
    assert pii.last4_digest("002X", key) != pii.last4_digest("002X", DIGEST_KEY)
    assert pii.last4_digest("002X", key) != pii.last4_digest("0021", key)
