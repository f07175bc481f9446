from datetime import datetime

from pydantic import BaseModel, Field

from canteen.auth.roles import Role
from canteen.schemas import Id, Name, RequestModel


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


class UserOut(BaseModel):
    id: int
    username: str
    role: Role
    canteen_id: int | None
