"""Users and logging in: create a user, trade a password for a bearer token, check a token."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.concurrency import run_in_threadpool
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from canteen import clock
from canteen.audit import service as audit
from canteen.auth.models import AuthToken, LoginThrottle, User
from canteen.auth.passwords import MIN_LENGTH, hash_password, verify_password
from canteen.auth.roles import Actor, Role, require
from canteen.auth.tokens import new_token, token_digest
from canteen.canteens.models import Canteen
from canteen.errors import (
    InvalidCredentials,
    InvalidInput,
    TooManyAttempts,
    Unauthenticated,
    UsernameTaken,
)

USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.@-]{2,63}$")
FREE_FAILURES = 5
"""Failed logins allowed in a row before each further try must wait."""
FIRST_LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 15 * 60
CANTEEN_ROLES = (Role.MANAGER, Role.CASHIER)


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    role: Role
    expires_at: datetime


def actor_of(user: User) -> Actor:
    return Actor(user.id, user.username, Role(user.role), user.canteen_id)  # type: ignore[attr-defined]


async def create_user(
    actor: Actor | None,
    *,
    username: str,
    password: str,
    role: str,
    canteen_id: int | None = None,
    display_name: str = "",
    phone: str = "",
) -> User:
    """Add a user; ``actor`` is None when the command line does it (the first admin)."""
    if actor is not None:
        require(actor, "users.create")
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise InvalidInput.on("username", "3-64 characters: letters, digits, _ . @ -")
    if len(password) < MIN_LENGTH:
        raise InvalidInput.on("password", f"at least {MIN_LENGTH} characters")
    if role not in Role.__members__.values():
        raise InvalidInput.on("role", f"one of {', '.join(Role)}")
    if role in CANTEEN_ROLES:
        if canteen_id is None:
            raise InvalidInput.on("canteen_id", f"required for a {role}")
        if not await Canteen.exists(id=canteen_id):
            raise InvalidInput.on("canteen_id", "no such canteen")
    elif canteen_id is not None:
        raise InvalidInput.on("canteen_id", "only a manager or cashier belongs to a canteen")
    password_hash = await run_in_threadpool(hash_password, password)
    try:
        async with in_transaction():
            user = await User.create(
                username=username,
                password_hash=password_hash,
                role=role,
                canteen_id=canteen_id,
                display_name=display_name,
                phone=phone,
                created_at=clock.now(),
            )
            after = {"username": username, "role": role, "canteen_id": canteen_id}
            await audit.record(actor, "user.create", user, after=after)
    except IntegrityError as exc:
        raise UsernameTaken(f"The username {username!r} is taken.") from exc
    return user


async def _check_not_locked(username: str) -> None:
    throttle = await LoginThrottle.get_or_none(username=username)
    if throttle and throttle.locked_until and throttle.locked_until > clock.now():
        wait = (throttle.locked_until - clock.now()).total_seconds()
        raise TooManyAttempts(retry_after=max(1, int(wait + 0.999)))


async def _count_failure(username: str) -> None:
    """One more failure; from the sixth in a row on, each doubles the wait (30 s .. 15 min)."""
    async with in_transaction():
        await LoginThrottle.get_or_create(username=username)
        await LoginThrottle.filter(username=username).update(failures=F("failures") + 1)
        throttle = await LoginThrottle.get(username=username)
        over = throttle.failures - FREE_FAILURES
        if over > 0:
            seconds = min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** min(over - 1, 10))
            throttle.locked_until = clock.now() + timedelta(seconds=seconds)
            await throttle.save(update_fields=["locked_until"])


async def issue_token(username: str, password: str, ttl_seconds: int) -> IssuedToken:
    """Trade a username and password for a bearer token; slows down repeated guessing."""
    username = username.strip().lower()[:64]
    await _check_not_locked(username)
    user = await User.get_or_none(username=username, active=True)
    ok = await run_in_threadpool(verify_password, user.password_hash if user else None, password)
    if not ok or user is None:
        await _count_failure(username)
        raise InvalidCredentials()
    await LoginThrottle.filter(username=username).delete()
    token = new_token()
    now = clock.now()
    expires_at = now + timedelta(seconds=ttl_seconds)
    await AuthToken.create(
        user=user, token_hash=token_digest(token), created_at=now, expires_at=expires_at
    )
    return IssuedToken(token, Role(user.role), expires_at)


async def authenticate(token: str) -> Actor:
    """The actor behind a bearer token; unknown, expired or revoked tokens are all refused."""
    found = (
        await AuthToken.filter(
            token_hash=token_digest(token), revoked_at=None, expires_at__gt=clock.now()
        )
        .select_related("user")
        .first()
    )
    if found is None or not found.user.active:
        raise Unauthenticated("The token is missing, expired or revoked; log in again.")
    return actor_of(found.user)


async def revoke_token(token: str) -> None:
    """Log out: the token stops working at once."""
    await AuthToken.filter(token_hash=token_digest(token), revoked_at=None).update(
        revoked_at=clock.now()
    )
