"""Bearer tokens: 256 random bits handed to the client, only their SHA-256 kept on our side."""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database stores and looks up; a leaked copy of the table logs no one in."""
    return hashlib.sha256(token.encode()).hexdigest()
