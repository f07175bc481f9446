"""Users and logging in: create a user, trade a password for a bearer token, check a token."""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from canteen import clock, rawsql
from canteen.audit import service as audit
from canteen.auth import throttle
from canteen.auth.models import AuthToken, LoginThrottle, User
from canteen.auth.passwords import MIN_LENGTH, hash_password, verify_password
from canteen.auth.tokens import new_token, token_digest
from canteen.canteens.models import Canteen
from canteen.errors import (
    InvalidCredentials,
    InvalidInput,
    LastActiveAdmin,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
    UsernameTaken,
)
from canteen.pagination import Page, after_cursor, page_of
from canteen.roles import SYSTEM, USER_ROLES, Actor, Role, require

USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.@-]{2,63}$")
CANTEEN_ROLES = (Role.MANAGER, Role.CASHIER)


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    role: Role
    expires_at: datetime


def actor_of(user: User) -> Actor:
    return Actor(user.id, user.username, Role(user.role), user.canteen_id)


async def create_user(
    actor: Actor,
    *,
    username: str,
    password: str,
    role: str,
    canteen_id: int | None = None,
    display_name: str = "",
    phone: str = "",
) -> User:
    """Add a user; the command line adds the first admin as ``SYSTEM``."""
    require(actor, "users.create")
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise InvalidInput.on("username", "3-64 characters: letters, digits, _ . @ -")
    if username == SYSTEM.username:
        # The audit log shows the system's entries under this name: no user may pass for it.
        raise UsernameTaken(f"The username {username!r} is the system's.")
    if len(password) < MIN_LENGTH:
        raise InvalidInput.on("password", f"at least {MIN_LENGTH} characters")
    await _check_place(role, canteen_id)
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


async def _check_place(role: str, canteen_id: int | None) -> None:
    """A role a user may hold, with the canteen it needs: a manager or cashier works for one
    canteen, every other role for none."""
    if role not in USER_ROLES:
        raise InvalidInput.on("role", f"one of {', '.join(USER_ROLES)}")
    if role in CANTEEN_ROLES:
        if canteen_id is None:
            raise InvalidInput.on("canteen_id", f"required for a {role}")
        if not await Canteen.exists(id=canteen_id):
            raise InvalidInput.on("canteen_id", "no such canteen")
    elif canteen_id is not None:
        raise InvalidInput.on("canteen_id", "only a manager or cashier belongs to a canteen")


@dataclass(frozen=True)
class _Counter:
    """One throttle counter a login must pass: its row's key, its rule, the account if any."""

    key: str
    rule: throttle.Rule
    user_id: int | None


def _counters(username: str, user_id: int | None, client: str) -> tuple[_Counter, ...]:
    """The address's counter, then the username's from that address (always in this order,
    so two logins lock the same rows in the same order and never deadlock)."""

    def key(*parts: str) -> str:
        return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

    return (
        _Counter(key("client", client), throttle.PER_CLIENT, None),
        _Counter(key("user", username, "client", client), throttle.PER_USER_AND_CLIENT, user_id),
    )


def _tries(row: LoginThrottle) -> throttle.Tries:
    return throttle.Tries(row.failures, row.locked_until, row.last_try_at)


async def _locked_rows(counters: tuple[_Counter, ...]) -> list[LoginThrottle]:
    """The counters' rows, created when missing, locked until the transaction ends."""
    await LoginThrottle.bulk_create(
        [LoginThrottle(key=c.key, user_id=c.user_id) for c in counters], ignore_conflicts=True
    )
    return [await LoginThrottle.filter(key=c.key).select_for_update().get() for c in counters]


async def _store(row: LoginThrottle, tries: throttle.Tries) -> None:
    row.failures, row.locked_until, row.last_try_at = (
        tries.failures,
        tries.locked_until,
        tries.last_try_at,
    )
    await row.save(update_fields=["failures", "locked_until", "last_try_at"])


async def _take_try(counters: tuple[_Counter, ...]) -> None:
    """Grant one try on every counter, counted as failed, or on none (``TooManyAttempts``).

    One short transaction with the rows locked (PostgreSQL; SQLite has one writer), before the
    password hash runs: guesses sent at once queue here, and once the last free try is
    granted the next finds the wait already set. This holds across server processes.
    """
    now = clock.now()
    async with in_transaction():
        rows = await _locked_rows(counters)
        pairs = list(zip(counters, rows, strict=True))
        taken = [throttle.take(counter.rule, _tries(row), now) for counter, row in pairs]
        waits = [throttle.seconds_to_wait(_tries(row), now) for row in rows]
        if any(t is None for t in taken):
            raise TooManyAttempts(retry_after=max(waits))  # rolls back: nothing counted
        for row, tries in zip(rows, taken, strict=True):
            assert tries is not None
            await _store(row, tries)


async def _give_back_try(counters: tuple[_Counter, ...]) -> None:
    """After a success: the address gets its try back, the username's count starts again."""
    client = counters[0]
    async with in_transaction():
        client_row, user_row = await _locked_rows(counters)
        await _store(client_row, throttle.give_back(client.rule, _tries(client_row)))
        await _store(user_row, throttle.forgive(_tries(user_row)))


async def issue_token(
    username: str, password: str, ttl_seconds: int, client: str = "unknown"
) -> IssuedToken:
    """Trade a username and password for a bearer token; slows down repeated guessing.

    ``client`` is the caller's address. The throttle grants the try before the password hash
    runs (``canteen.auth.throttle``); a disabled user's right password fails like a wrong one.
    """
    username = username.strip().lower()[:64]
    # A name no account may have is never looked up: it could not match, and odd text (a NUL)
    # must not reach the database.
    user = await User.get_or_none(username=username) if USERNAME.match(username) else None
    counters = _counters(username, user.id if user else None, client[:64])
    await _take_try(counters)
    usable = user if user is not None and user.active else None
    known_hash = usable.password_hash if usable else None
    ok = await run_in_threadpool(verify_password, known_hash, password)
    if not ok or usable is None:
        raise InvalidCredentials()
    await _give_back_try(counters)
    token = new_token()
    now = clock.now()
    expires_at = now + timedelta(seconds=ttl_seconds)
    await AuthToken.create(
        user=usable, token_hash=token_digest(token), created_at=now, expires_at=expires_at
    )
    return IssuedToken(token, Role(usable.role), expires_at)


_ACTOR_SQL = """
SELECT "user"."id", "user"."username", "user"."role", "user"."canteen_id"
  FROM "auth_token" JOIN "user" ON "user"."id" = "auth_token"."user_id"
 WHERE "auth_token"."token_hash" = :digest AND "auth_token"."revoked_at" IS NULL
   AND "auth_token"."expires_at" > :now AND "user"."active"
"""


async def authenticate(token: str) -> Actor:
    """The actor behind a bearer token; unknown, expired or revoked tokens are all refused.

    Every request asks this, so it is one hand-written statement for the four columns an
    actor needs (through the ORM, the token and its user cost more CPU than the sale's SQL).
    """
    params = {"digest": token_digest(token), "now": clock.now()}
    rows = await rawsql.fetch(AuthToken._meta.db, _ACTOR_SQL, params)
    if not rows:
        raise Unauthenticated("The token is missing, expired or revoked; log in again.")
    user_id, username, role, canteen_id = rows[0]
    return Actor(int(user_id), str(username), Role(role), canteen_id)


async def revoke_token(token: str) -> None:
    """Log out: the token stops working at once."""
    await AuthToken.filter(token_hash=token_digest(token), revoked_at=None).update(
        revoked_at=clock.now()
    )


# --- Managing users (admin, and the command line with actor None) ---------------------------


async def get_user(user_id: int) -> User:
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise NotFound(f"No user {user_id}.")
    return user


async def find_user(username: str) -> User:
    """A user by username, as the command line names them."""
    name = username.strip().lower()
    user = await User.get_or_none(username=name) if USERNAME.match(name) else None
    if user is None:
        raise NotFound(f"No user {username!r}.")
    return user


async def list_users(
    actor: Actor,
    *,
    role: str | None = None,
    canteen_id: int | None = None,
    active: bool | None = None,
    q: str | None = None,
    limit: int,
    cursor: str | None = None,
) -> Page[User]:
    """Users, newest first, narrowed by role, canteen, active or part of the username."""
    require(actor, "users.read")
    query = User.all()
    if role is not None:
        query = query.filter(role=role)
    if canteen_id is not None:
        query = query.filter(canteen_id=canteen_id)
    if active is not None:
        query = query.filter(active=active)
    if q:
        query = query.filter(username__icontains=q.strip().lower())
    return await page_of(after_cursor(query, cursor), limit)


async def _revoke_all_tokens(user_id: int) -> int:
    """End every token and page session of a user at once; how many were live."""
    return await AuthToken.filter(user_id=user_id, revoked_at=None).update(revoked_at=clock.now())


async def _active_admins_locked() -> list[User]:
    """Every active admin, locked in id order until the transaction ends: two admins disabling
    or demoting each other at once cannot both succeed (the second finds itself the last) nor
    deadlock."""
    return await User.filter(role=Role.ADMIN, active=True).select_for_update().order_by("id")


async def _lock_for_disabling(user: User) -> User | None:
    """The user's row, locked, while still active (None once disabled); disabling an admin
    locks every active admin first."""
    if user.role == Role.ADMIN:
        admins = await _active_admins_locked()
        if user.id not in {admin.id for admin in admins}:
            return None
        if len(admins) == 1:
            raise LastActiveAdmin("Add or enable another admin before disabling this one.")
        return user
    return await User.filter(id=user.id, active=True).select_for_update().first()


async def disable_user(actor: Actor, user_id: int) -> User:
    """The user can no longer log in; their tokens and sessions stop working at once. Audited.

    Disabling a disabled user changes nothing and records nothing.
    """
    require(actor, "users.manage")
    user = await get_user(user_id)
    async with in_transaction():
        if await _lock_for_disabling(user) is None:
            user.active = False
            return user
        await User.filter(id=user.id).update(active=False)
        revoked = await _revoke_all_tokens(user.id)
        after = {"active": False, "tokens_revoked": revoked}
        await audit.record(actor, "user.disable", user, before={"active": True}, after=after)
    user.active = False
    return user


async def enable_user(actor: Actor, user_id: int) -> User:
    """A disabled user may log in again (with the password they had, or one reset). Audited."""
    require(actor, "users.manage")
    user = await get_user(user_id)
    async with in_transaction():
        if await User.filter(id=user.id, active=False).update(active=True):
            await audit.record(
                actor, "user.enable", user, before={"active": False}, after={"active": True}
            )
    user.active = True
    return user


async def reset_password(actor: Actor, user_id: int, password: str) -> User:
    """Set a new password: every token and session of the user ends, and the counters of
    guesses at the account are cleared. Audited, without the password or its hash."""
    require(actor, "users.manage")
    if len(password) < MIN_LENGTH:
        raise InvalidInput.on("password", f"at least {MIN_LENGTH} characters")
    user = await get_user(user_id)
    password_hash = await run_in_threadpool(hash_password, password)
    async with in_transaction():
        await User.filter(id=user.id).update(password_hash=password_hash)
        revoked = await _revoke_all_tokens(user.id)
        await LoginThrottle.filter(user_id=user.id).delete()
        await audit.record(actor, "user.password_reset", user, after={"tokens_revoked": revoked})
    return user


PLACE = ("role", "canteen_id")
"""What decides what a user may do and where: changing either ends their tokens and sessions."""


async def change_user(actor: Actor, user_id: int, changes: dict[str, Any]) -> User:
    """Change a user's role, canteen, display name or phone (``changes`` holds those given).

    The rules are those of adding a user: a manager or cashier needs a canteen; a role without
    one loses the canteen it had (naming one is refused); ``system`` is no user's role. The last
    active admin cannot stop being one. A new role or canteen is a new set of permissions, so
    every token and page session of the user ends at once. Audited with before and after;
    changing nothing records nothing.
    """
    require(actor, "users.manage")
    user = await get_user(user_id)
    async with in_transaction():
        admins = await _active_admins_locked() if user.role == Role.ADMIN else []
        user = await User.filter(id=user_id).select_for_update().get()
        role = changes.get("role", user.role)
        keeps = user.canteen_id if role in CANTEEN_ROLES else None
        canteen_id = changes.get("canteen_id", keeps)
        await _check_place(role, canteen_id)
        demoted = user.active and user.role == Role.ADMIN and role != Role.ADMIN
        if demoted and len(admins or await _active_admins_locked()) == 1:
            raise LastActiveAdmin("Add or enable another admin before demoting this one.")
        wanted = {**changes, "role": role, "canteen_id": canteen_id}
        before = {key: getattr(user, key) for key in wanted if getattr(user, key) != wanted[key]}
        if not before:
            return user
        after = {key: wanted[key] for key in before}
        await User.filter(id=user.id).update(**after)
        if before.keys() & set(PLACE):
            after["tokens_revoked"] = await _revoke_all_tokens(user.id)
        await audit.record(actor, "user.update", user, before=before, after=after)
    return await get_user(user_id)
