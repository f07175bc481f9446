from starlette.responses import Response

from canteen.auth import service
from canteen.auth.models import User
from canteen.auth.schemas import (
    PasswordIn,
    TokenOut,
    TokenRequest,
    UserIn,
    UserListed,
    UserOut,
    UserPatch,
    UserQuery,
)
from canteen.errors import (
    InvalidCredentials,
    LastActiveAdmin,
    NotFound,
    TooManyAttempts,
    UsernameTaken,
)
from canteen.http.endpoint import Call, Endpoint, bearer_token
from canteen.http.session import client_address
from canteen.schemas import ListOf


async def create_token(call: Call) -> TokenOut:
    body: TokenRequest = call.body
    issued = await service.issue_token(
        body.username,
        body.password,
        call.settings.token_ttl_seconds,
        client_address(call.request),
    )
    return TokenOut(
        access_token=issued.access_token, role=issued.role, expires_at=issued.expires_at
    )


async def revoke_token(call: Call) -> Response:
    await service.revoke_token(bearer_token(call.request))
    return Response(status_code=204)


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        role=user.role,  # type: ignore[arg-type]
        canteen_id=user.canteen_id,
        active=user.active,
    )


async def create_user(call: Call) -> UserOut:
    body: UserIn = call.body
    return user_out(await service.create_user(call.actor, **body.model_dump()))


def user_listed(user: User) -> UserListed:
    return UserListed(
        **user_out(user).model_dump(), display_name=user.display_name, created_at=user.created_at
    )


async def change_user(call: Call) -> UserListed:
    body: UserPatch = call.body
    changes = body.model_dump(exclude_unset=True)
    return user_listed(await service.change_user(call.actor, call.path("user_id"), changes))


async def list_users(call: Call) -> ListOf[UserListed]:
    q: UserQuery = call.query
    page = await service.list_users(
        call.actor,
        role=q.role,
        canteen_id=q.canteen_id,
        active=q.active,
        q=q.q,
        limit=q.limit,
        cursor=q.cursor,
    )
    items = [user_listed(user) for user in page.items]
    return ListOf[UserListed](items=items, next_cursor=page.next_cursor)


async def disable_user(call: Call) -> UserOut:
    return user_out(await service.disable_user(call.actor, call.path("user_id")))


async def enable_user(call: Call) -> UserOut:
    return user_out(await service.enable_user(call.actor, call.path("user_id")))


async def reset_password(call: Call) -> UserOut:
    body: PasswordIn = call.body
    return user_out(await service.reset_password(call.actor, call.path("user_id"), body.password))


ENDPOINTS = [
    Endpoint(
        "POST",
        "/auth/token",
        create_token,
        "Log in: trade a username and password for a bearer token",
        action=None,
        body=TokenRequest,
        response=TokenOut,
        errors=(InvalidCredentials, TooManyAttempts),
    ),
    Endpoint(
        "POST",
        "/auth/logout",
        revoke_token,
        "Log out: the bearer token stops working",
        action="auth.logout",
        status=204,
    ),
    Endpoint(
        "POST",
        "/users",
        create_user,
        "Add a user (admin)",
        action="users.create",
        body=UserIn,
        response=UserOut,
        status=201,
        errors=(UsernameTaken,),
    ),
    Endpoint(
        "GET",
        "/users",
        list_users,
        "Users, newest first, by role, canteen, active or part of the username (admin)",
        action="users.read",
        query=UserQuery,
        response=ListOf[UserListed],
    ),
    Endpoint(
        "PATCH",
        "/users/{user_id:int}",
        change_user,
        "Change a user's role, canteen, display name or phone; a new role or canteen ends their"
        " tokens and sessions (admin)",
        action="users.manage",
        body=UserPatch,
        response=UserListed,
        errors=(NotFound, LastActiveAdmin),
    ),
    Endpoint(
        "POST",
        "/users/{user_id:int}/disable",
        disable_user,
        "Disable a user: no more logins; their tokens and sessions end at once (admin)",
        action="users.manage",
        response=UserOut,
        errors=(NotFound, LastActiveAdmin),
    ),
    Endpoint(
        "POST",
        "/users/{user_id:int}/enable",
        enable_user,
        "Enable a disabled user again (admin)",
        action="users.manage",
        response=UserOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "POST",
        "/users/{user_id:int}/password",
        reset_password,
        "Reset a user's password: their tokens and sessions end, guess counters clear (admin)",
        action="users.manage",
        body=PasswordIn,
        response=UserOut,
        errors=(NotFound,),
    ),
]
