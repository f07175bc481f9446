"""Password hashing with Argon2id (OWASP's minimum parameters: 19 MiB, 2 passes).

Hashing takes ~20 ms of CPU, so the service calls these from a worker thread, never on the
event loop that serves the lunch queue.
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_LENGTH = 8

_UNKNOWN_USER_HASH = _hasher.hash("a password no account has")
"""Verified against when the username is unknown, so both cases take the same time."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; ``None`` (no such user) costs the same and is False."""
    checked = _UNKNOWN_USER_HASH if password_hash is None else password_hash
    try:
        _hasher.verify(checked, password)  # True, or raises
    except (VerificationError, InvalidHashError):
        return False
    return password_hash is not None
