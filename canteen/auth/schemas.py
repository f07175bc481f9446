from datetime import datetime

from pydantic import BaseModel, Field

from canteen.roles import Role
from canteen.schemas import Id, ListQuery, Name, PatchModel, RequestModel


class TokenRequest(RequestModel):
    username: str = Field(max_length=200)
    password: str = Field(max_length=200)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - a token type, not a secret
    role: Role
    expires_at: datetime


class UserIn(RequestModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=200)
    role: str
    canteen_id: Id | None = None
    display_name: Name = Field("", max_length=100)
    phone: str = Field("", max_length=32)


class UserPatch(PatchModel):
    """A user's new role, canteen, display name or phone; a field left out keeps its value."""

    clearable = frozenset({"canteen_id"})
    """``null`` takes the user off their canteen (only a role without one may be without it)."""

    role: str | None = None
    """A new role: a manager or cashier needs a canteen (the one they had, or ``canteen_id``);
    any other role loses the canteen it had."""
    canteen_id: Id | None = None
    display_name: Name | None = Field(None, max_length=100)
    phone: str | None = Field(None, max_length=32)


class UserOut(BaseModel):
    id: int
    username: str
    role: Role
    canteen_id: int | None
    active: bool
    """False once disabled: the user cannot log in, and their tokens and sessions are revoked."""


class UserListed(UserOut):
    display_name: str
    created_at: datetime


class UserQuery(ListQuery):
    role: Role | None = None
    canteen_id: Id | None = None
    active: bool | None = None
    q: str | None = Field(None, max_length=64)
    """Part of the username."""


class PasswordIn(RequestModel):
    password: str = Field(max_length=200)
    """The new password, at least 8 characters; every token and session of the user ends."""
