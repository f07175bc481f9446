"""Password hashes (Argon2id) and bearer tokens."""

import re

import pytest

from canteen.auth import passwords
from canteen.auth.passwords import hash_password, verify_password
from canteen.auth.tokens import new_token, token_digest
from tests.conftest import PRODUCTION_HASHER

PASSWORD = "correct horse battery"
HASH = hash_password(PASSWORD)
UNKNOWN_USER_PASSWORD = "a password no account has"
"""The password behind the hash checked for unknown users; it must never log anyone in."""


@pytest.fixture(autouse=True)
def production_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Here the hash is what is tested: the production hasher, not the suite's quick one."""
    monkeypatch.setattr(passwords, "_hasher", PRODUCTION_HASHER)


def test_the_hash_costs_what_owasp_asks_at_least() -> None:
    """Argon2id, 19 MiB, 2 passes, 1 lane (OWASP's minimum), for new hashes and for the one
    checked against when the username is unknown, so both cases take the same time."""
    owasp = "$argon2id$v=19$m=19456,t=2,p=1$"
    assert HASH.startswith(owasp)
    assert hash_password(PASSWORD).startswith(owasp)
    assert passwords._UNKNOWN_USER_HASH.startswith(owasp)


def test_the_right_password_verifies() -> None:
    assert verify_password(HASH, PASSWORD) is True


@pytest.mark.parametrize(
    "wrong", ["", "correct horse batter", "Correct horse battery", PASSWORD + " "]
)
def test_a_wrong_password_does_not(wrong: str) -> None:
    assert verify_password(HASH, wrong) is False


def test_the_hash_is_argon2id_and_salted() -> None:
    assert HASH.startswith("$argon2id$")
    assert PASSWORD not in HASH
    again = hash_password(PASSWORD)
    assert again != HASH
    assert verify_password(again, PASSWORD) is True


@pytest.mark.parametrize("password", [PASSWORD, UNKNOWN_USER_PASSWORD, ""])
def test_an_unknown_user_never_verifies(password: str) -> None:
    assert verify_password(None, password) is False


@pytest.mark.parametrize(
    "garbage",
    ["garbage", "", "$argon2id$v=19$m=19456,t=2,p=1$not-base64$nope", HASH[:-10], PASSWORD],
    ids=["word", "empty", "bad-base64", "truncated-hash", "the-password-itself"],
)
@pytest.mark.parametrize("password", [PASSWORD, UNKNOWN_USER_PASSWORD])
def test_a_garbage_hash_never_verifies(garbage: str, password: str) -> None:
    assert verify_password(garbage, password) is False


def test_tokens_are_distinct_and_url_safe() -> None:
    tokens = [new_token() for _ in range(200)]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", token), token


def test_token_digest_is_64_hex_chars_and_deterministic() -> None:
    token = new_token()
    digest = token_digest(token)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert token_digest(token) == digest
    assert digest != token
    assert token_digest(new_token()) != digest


def test_token_digest_is_sha256() -> None:
    assert token_digest("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
