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


@given(st.text(min_size=18, max_size=18))
def test_encrypt_then_decrypt_gives_back_the_number(number: str) -> None:
    cipher = pii.encrypt(number, ENCRYPT_KEY)
    assert cipher.startswith("v1.")
    assert pii.decrypt(cipher, ENCRYPT_KEY) == number


def test_the_cipher_text_does_not_show_the_number() -> None:
    cipher = pii.encrypt(NUMBER, ENCRYPT_KEY)
    assert NUMBER not in cipher
    assert NUMBER[-4:] not in base64.b64decode(cipher[3:]).decode("latin-1")


def test_two_encryptions_of_one_number_differ_but_their_digests_are_equal() -> None:
    first, second = pii.encrypt(NUMBER, ENCRYPT_KEY), pii.encrypt(NUMBER, ENCRYPT_KEY)
    assert first != second
    assert pii.decrypt(first, ENCRYPT_KEY) == pii.decrypt(second, ENCRYPT_KEY) == NUMBER
    assert pii.digest(NUMBER, DIGEST_KEY) == pii.digest(NUMBER, DIGEST_KEY)


@given(st.data())
def test_a_flipped_byte_anywhere_fails_to_decrypt(data: st.DataObject) -> None:
    raw = bytearray(base64.b64decode(pii.encrypt(NUMBER, ENCRYPT_KEY)[3:]))
    index = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    bit = data.draw(st.integers(min_value=0, max_value=7))
    raw[index] ^= 1 << bit
    with pytest.raises(InvalidTag):
        pii.decrypt("v1." + base64.b64encode(bytes(raw)).decode(), ENCRYPT_KEY)


def test_a_different_key_fails_to_decrypt() -> None:
    cipher = pii.encrypt(NUMBER, ENCRYPT_KEY)
    with pytest.raises(InvalidTag):
        pii.decrypt(cipher, OTHER_ENCRYPT_KEY)
    with pytest.raises(InvalidTag):
        pii.decrypt(cipher, DIGEST_KEY)


@pytest.mark.parametrize("version", ["v2", "v0", "V1", ""])
def test_an_unknown_version_prefix_is_refused(version: str) -> None:
    payload = pii.encrypt(NUMBER, ENCRYPT_KEY).partition(".")[2]
    with pytest.raises(ValueError, match="unknown cipher version"):
        pii.decrypt(f"{version}.{payload}", ENCRYPT_KEY)


def test_cipher_text_without_a_version_is_refused() -> None:
    payload = pii.encrypt(NUMBER, ENCRYPT_KEY).partition(".")[2]
    with pytest.raises(ValueError, match="unknown cipher version"):
        pii.decrypt(payload, ENCRYPT_KEY)


# --- Digest -----------------------------------------------------------------------------------


def test_the_digest_is_hex_sha256_sized() -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", pii.digest(NUMBER, DIGEST_KEY))


def test_the_digest_depends_on_the_key() -> None:
    assert pii.digest(NUMBER, DIGEST_KEY) != pii.digest(NUMBER, OTHER_DIGEST_KEY)


def test_the_digest_tells_numbers_apart() -> None:
    assert pii.digest(NUMBER, DIGEST_KEY) != pii.digest("440304198001010017", DIGEST_KEY)
