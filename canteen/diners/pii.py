"""Keeping resident ID numbers (PIPL): AES-256-GCM at rest, bound to the diner's row. Pure.

A cipher text reads ``v<N>.<base64(nonce | sealed)>``: ``N`` is the version of the key in the
key ring (``canteen.diners.keys``) that sealed it, so keys can rotate while every row stays
readable. The associated data is the diner's id: a cipher text copied onto another diner's
row fails to open there, so a write to the database cannot give one elder another's number.

Two keyed hashes (HMAC-SHA256) stand where look-ups need them, and unlike plain hashes cannot
be reversed by trying every plausible number without the key: the whole number's finds a
second enrolment of the same person, the last four's finds a diner by what they say at the
counter (and checks the elder's answer without decrypting anything).
"""

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ENCRYPT_PURPOSE = "diner-id/encrypt/v1"
"""Key version 1, derived from the secret key (rows written before the key ring read with it)."""
WRAP_PURPOSE = "diner-id/wrap/v1"
"""The key that seals the ring's random versions (2, 3, ...) in the database."""
DIGEST_PURPOSE = "diner-id/digest/v1"
LAST4_PURPOSE = "diner-id/last4/v1"
_NONCE = 12


def _row_data(diner_id: int) -> bytes:
    return f"diner:{diner_id}:id_number".encode()


def encrypt(number: str, key: bytes, version: int, diner_id: int) -> str:
    """Seal ``number`` for diner ``diner_id`` under key ``version``."""
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(key).encrypt(nonce, number.encode(), _row_data(diner_id))
    return f"v{version}." + base64.b64encode(nonce + sealed).decode()


def version_of(cipher: str) -> int:
    """The key version a cipher text names; ``ValueError`` for anything else."""
    tag, dot, _ = cipher.partition(".")
    if not dot or tag[:1] != "v" or not tag[1:].isdigit() or tag[1:2] == "0":
        raise ValueError(f"unknown cipher version {tag!r}")
    return int(tag[1:])


def decrypt(cipher: str, key: bytes, diner_id: int) -> str:
    """Open a cipher text of diner ``diner_id``; ``InvalidTag`` if it was sealed for another
    row, under another key, or altered."""
    version_of(cipher)
    raw = base64.b64decode(cipher.partition(".")[2])
    return AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], _row_data(diner_id)).decode()


def wrap(key: bytes, wrapping_key: bytes, version: int) -> str:
    """Seal a ring key for storage; bound to its version, so versions cannot be swapped."""
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(wrapping_key).encrypt(nonce, key, f"id-number-key:{version}".encode())
    return base64.b64encode(nonce + sealed).decode()


def unwrap(wrapped: str, wrapping_key: bytes, version: int) -> bytes:
    raw = base64.b64decode(wrapped)
    return AESGCM(wrapping_key).decrypt(
        raw[:_NONCE], raw[_NONCE:], f"id-number-key:{version}".encode()
    )


def digest(number: str, key: bytes) -> str:
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


def last4_digest(last4: str, key: bytes) -> str:
    """The keyed hash of the last four characters (upper-case ``X``), kept for the search."""
    return hmac.new(key, last4.upper().encode(), hashlib.sha256).hexdigest()
