"""Putting subsidy policies in force and finding the one that prices a meal."""

from datetime import date, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from canteen import clock
from canteen.audit import service as audit
from canteen.auth.roles import Actor, require
from canteen.config import get_settings
from canteen.errors import EffectiveFromInPast, NoPolicy, NotFound, PolicyExists
from canteen.pagination import Page, after_cursor, page_of
from canteen.policies import files
from canteen.policies.models import Policy
from canteen.policies.schema import PolicyDocument


async def create(actor: Actor | None, data: dict[str, Any]) -> Policy:
    """Store a new policy version; it starts today at the earliest, and never changes after.

    Only the command line (``actor`` None) may date a policy in the past: that is how a
    district's existing scheme is brought in when the system is first set up.
    """
    if actor is not None:
        require(actor, "policies.create")
    document = files.parse(data)
    today = clock.today(get_settings().tz)
    if actor is not None and document.effective_from < today:
        raise EffectiveFromInPast.on("effective_from", f"must be today ({today}) or later")
    try:
        async with in_transaction():
            policy = await Policy.create(
                name=document.name,
                effective_from=document.effective_from,
                document=document.model_dump(mode="json"),
                created_at=clock.now(),
                created_by_id=actor.user_id if actor else None,
            )
            await audit.record(actor, "policy.create", policy, after=policy.document)
    except IntegrityError as exc:
        raise PolicyExists(f"A policy already starts on {document.effective_from}.") from exc
    return policy


async def get(actor: Actor, policy_id: int) -> Policy:
    require(actor, "policies.read")
    policy = await Policy.get_or_none(id=policy_id)
    if policy is None:
        raise NotFound(f"No policy {policy_id}.")
    return policy


async def list_policies(actor: Actor, limit: int, cursor: str | None) -> Page[Policy]:
    require(actor, "policies.read")
    return await page_of(after_cursor(Policy.all(), cursor), limit)


async def in_force_on(on: date) -> Policy:
    """The policy with the latest ``effective_from`` on or before ``on`` (a local date)."""
    policy = await Policy.filter(effective_from__lte=on).order_by("-effective_from").first()
    if policy is None:
        raise NoPolicy(f"No subsidy policy is in force on {on}.")
    return policy


async def current(actor: Actor, on: date | None) -> Policy:
    require(actor, "policies.read")
    return await in_force_on(on or clock.today(get_settings().tz))


_parsed: dict[tuple[int, datetime], PolicyDocument] = {}


def document(policy: Policy) -> PolicyDocument:
    """The engine's view of a stored policy, parsed once per version (versions never change)."""
    key = (policy.id, policy.created_at)
    if key not in _parsed:
        _parsed[key] = PolicyDocument.model_validate(policy.document)
    return _parsed[key]
