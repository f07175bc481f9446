import datetime as dt

from pydantic import BaseModel

from canteen import clock
from canteen.errors import EffectiveFromInPast, NoPolicy, NotFound, PolicyExists
from canteen.http.endpoint import Call, Endpoint
from canteen.policies import service
from canteen.policies.models import Policy
from canteen.policies.schema import PolicyDocument
from canteen.schemas import Day, ListOf, ListQuery


class PolicyOut(PolicyDocument):
    id: int
    created_at: dt.datetime
    in_force: bool
    """The policy pricing today's meals."""


class CurrentQuery(BaseModel):
    date: Day | None = None


async def _in_force_id(call: Call) -> int | None:
    try:
        return (await service.in_force_on(clock.today(call.settings.tz))).id
    except NoPolicy:
        return None


def policy_out(policy: Policy, in_force_id: int | None) -> PolicyOut:
    return PolicyOut(
        id=policy.id,
        created_at=policy.created_at,
        in_force=policy.id == in_force_id,
        **service.document(policy).model_dump(),
    )


async def create_policy(call: Call) -> PolicyOut:
    body: PolicyDocument = call.body
    policy = await service.create(call.actor, body.model_dump(mode="json"))
    return policy_out(policy, await _in_force_id(call))


async def list_policies(call: Call) -> ListOf[PolicyOut]:
    page = await service.list_policies(call.actor, call.query.limit, call.query.cursor)
    in_force_id = await _in_force_id(call)
    return ListOf[PolicyOut](
        items=[policy_out(p, in_force_id) for p in page.items], next_cursor=page.next_cursor
    )


async def get_policy(call: Call) -> PolicyOut:
    policy = await service.get(call.actor, call.path("policy_id"))
    return policy_out(policy, await _in_force_id(call))


async def current_policy(call: Call) -> PolicyOut:
    policy = await service.current(call.actor, call.query.date)
    return policy_out(policy, await _in_force_id(call))


ENDPOINTS = [
    Endpoint(
        "POST",
        "/policies",
        create_policy,
        "Adopt a subsidy policy version (immutable once in force)",
        action="policies.create",
        body=PolicyDocument,
        response=PolicyOut,
        status=201,
        errors=(EffectiveFromInPast, PolicyExists),
    ),
    Endpoint(
        "GET",
        "/policies",
        list_policies,
        "Every policy version, newest first",
        action="policies.read",
        query=ListQuery,
        response=ListOf[PolicyOut],
    ),
    Endpoint(
        "GET",
        "/policies/current",
        current_policy,
        "The policy in force on a date (default today)",
        action="policies.read",
        query=CurrentQuery,
        response=PolicyOut,
        errors=(NoPolicy,),
    ),
    Endpoint(
        "GET",
        "/policies/{policy_id:int}",
        get_policy,
        "One policy version",
        action="policies.read",
        response=PolicyOut,
        errors=(NotFound,),
    ),
]
