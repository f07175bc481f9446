"""Users, their bearer tokens, and the counters of password guesses that slow guessing down."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.canteens.models import Canteen


class User(Model):
    """Someone who logs in: admin, civil-affairs staff, canteen manager, cashier or family."""

    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=64, unique=True)
    """Stored lower-cased, so "Wang" and "wang" are one user."""
    password_hash = fields.CharField(max_length=255)
    role = fields.CharField(max_length=16)
    canteen: fields.ForeignKeyNullableRelation["Canteen"] = fields.ForeignKeyField(
        "models.Canteen", related_name="staff", null=True, on_delete=fields.RESTRICT
    )
    """The one canteen a manager or cashier works for; empty for every other role."""
    canteen_id: int | None
    display_name = fields.CharField(max_length=100, default="")
    phone = fields.CharField(max_length=32, default="")
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "user"


class AuthToken(Model):
    """A bearer token; only its SHA-256 is stored, so a copy of the database logs no one in."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="tokens", on_delete=fields.RESTRICT
    )
    user_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "auth_token"


class LoginThrottle(Model):
    """One counter of password guesses (``canteen.auth.throttle``): a client address's, or a
    username's from one address.

    ``key`` is a digest of what is counted, so any text typed as a username fits it.
    """

    key = fields.CharField(max_length=64, primary_key=True)
    user: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="login_throttles", null=True, on_delete=fields.CASCADE
    )
    """The account guessed at, when it exists: a password reset clears its counters."""
    user_id: int | None
    failures = fields.IntField(default=0)
    """Tries counted as failed, the ones still being checked included."""
    locked_until = fields.DatetimeField(null=True)
    last_try_at = fields.DatetimeField(null=True)

    class Meta:
        table = "login_throttle"
