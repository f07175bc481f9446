"""Keeping resident ID numbers (PIPL): AES-256-GCM at rest, a keyed hash for look-ups. Pure.

The cipher text carries its format version (``v1.``) so the key or algorithm can change later
while old rows stay readable. The keyed hash (HMAC-SHA256) finds duplicates without
decrypting every row, and unlike a plain hash cannot be reversed by trying all ~10^10
plausible numbers without the key.
"""

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_AAD = b"diner.id_number"
ENCRYPT_PURPOSE = "diner-id/encrypt/v1"
DIGEST_PURPOSE = "diner-id/digest/v1"


def encrypt(number: str, key: bytes) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, number.encode(), _AAD)
    return "v1." + base64.b64encode(nonce + sealed).decode()


def decrypt(cipher: str, key: bytes) -> str:
    version, _, payload = cipher.partition(".")
    if version != "v1":
        raise ValueError(f"unknown cipher version {version!r}")
    raw = base64.b64decode(payload)
    return AESGCM(key).decrypt(raw[:12], raw[12:], _AAD).decode()


def digest(number: str, key: bytes) -> str:
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()
