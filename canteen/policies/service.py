"""Putting subsidy policies in force and finding the one that prices a meal."""

import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from canteen import clock
from canteen.audit import service as audit
from canteen.config import get_settings
from canteen.errors import EffectiveFromInPast, NoPolicy, NotFound, PolicyExists
from canteen.pagination import Page, after_cursor, page_of
from canteen.policies import files
from canteen.policies.models import Policy
from canteen.policies.schema import PolicyDocument
from canteen.roles import Actor, may, require


async def create(actor: Actor, data: dict[str, Any]) -> Policy:
    """Store a new policy version; it starts today at the earliest, and never changes after.

    Only the command line (``policies.backdate``: the system) may date a policy in the past:
    that is how a district's existing scheme is brought in when the system is first set up.
    """
    require(actor, "policies.create")
    document = files.parse(data)
    today = clock.today(get_settings().tz)
    if document.effective_from < today and not may(actor, "policies.backdate"):
        raise EffectiveFromInPast.on("effective_from", f"must be today ({today}) or later")
    try:
        async with in_transaction():
            policy = await Policy.create(
                name=document.name,
                effective_from=document.effective_from,
                document=document.model_dump(mode="json"),
                created_at=clock.now(),
                created_by_id=actor.recorded_user_id,
            )
            await audit.record(actor, "policy.create", policy, after=policy.document)
    except IntegrityError as exc:
        raise PolicyExists(f"A policy already starts on {document.effective_from}.") from exc
    _forget_in_force()
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


IN_FORCE_SECONDS = 5.0
"""How long a worker process trusts its answer to "which policy is in force on this day"."""


@dataclass(frozen=True)
class _InForce:
    policy: Policy | None
    read_at: float
    """``time.monotonic()`` when the answer was read."""


_in_force: dict[tuple[object, date], _InForce] = {}
_adoptions = 0
"""Policies adopted by this process: an answer read across an adoption is not kept."""


def _forget_in_force() -> None:
    global _adoptions
    _adoptions += 1
    _in_force.clear()


def _database() -> object:
    """This process's client of the database, beneath any transaction wrapping it (the key
    of the cached answers: a new database is a new client)."""
    client = Policy._meta.db
    while (parent := getattr(client, "_parent", None)) is not None:
        client = parent
    return client


async def in_force_on(on: date) -> Policy:
    """The policy with the latest ``effective_from`` on or before ``on`` (a local date).

    Every quote and every sale asks this, so each worker process keeps the answer per day
    for ``IN_FORCE_SECONDS`` instead of reading the policy (and parsing its JSON) each time.
    Why that is safe:

    1. A stored policy never changes and is never deleted, so an answer for day D goes
       stale only when a policy starting on or before D is adopted later.
    2. This process forgets every answer as soon as it adopts a policy (after the commit),
       and an answer read while an adoption ran is not kept, so here the next quote uses it.
    3. Another worker process (PostgreSQL serves several) learns of it within
       ``IN_FORCE_SECONDS``. That lag is of the kind adoption already has: a policy adopted at
       11:30 "for today" never reprices the meals sold since midnight, so it starts, at each
       till, when the till first sees it; a few seconds later at another worker moves that
       moment and nothing else. Each meal stores the policy that priced it, so a claim is
       explained either way. The command line's policies dated in the past (a district's
       scheme brought in at set-up) are picked up within the same few seconds.
    4. Answers are kept per database connection, so a process that opens another database
       (the test suite, one per test) never sees the previous one's policies.
    """
    key = (_database(), on)
    known = _in_force.get(key)
    if known is None or time.monotonic() - known.read_at > IN_FORCE_SECONDS:
        adoptions = _adoptions
        started = time.monotonic()
        policy = await Policy.filter(effective_from__lte=on).order_by("-effective_from").first()
        known = _InForce(policy, started)
        if adoptions == _adoptions:
            if len(_in_force) > 64:  # days and databases seen; a long-lived server sees few
                _in_force.clear()
            _in_force[key] = known
    if known.policy is None:
        raise NoPolicy(f"No subsidy policy is in force on {on}.")
    return known.policy


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
