from starlette.responses import Response

from canteen.auth import service
from canteen.auth.schemas import TokenOut, TokenRequest, UserIn, UserOut
from canteen.errors import InvalidCredentials, TooManyAttempts, UsernameTaken
from canteen.http.endpoint import Call, Endpoint, bearer_token


async def create_token(call: Call) -> TokenOut:
    body: TokenRequest = call.body
    issued = await service.issue_token(
        body.username, body.password, call.settings.token_ttl_seconds
    )
    return TokenOut(
        access_token=issued.access_token, role=issued.role, expires_at=issued.expires_at
    )


async def revoke_token(call: Call) -> Response:
    await service.revoke_token(bearer_token(call.request))
    return Response(status_code=204)


async def create_user(call: Call) -> UserOut:
    body: UserIn = call.body
    user = await service.create_user(call.actor, **body.model_dump())
    return UserOut(id=user.id, username=user.username, role=user.role, canteen_id=user.canteen_id)  # type: ignore[attr-defined]


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
]
