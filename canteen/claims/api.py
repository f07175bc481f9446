from dataclasses import asdict

from canteen import clock
from canteen.claims import service
from canteen.claims.models import ClaimAdjustment
from canteen.claims.schemas import (
    AdjustmentOut,
    ClaimIn,
    ClaimOut,
    ClaimQuery,
    ClaimRowOut,
    OutstandingOut,
    PaidIn,
    StandingOut,
)
from canteen.errors import ClaimExists, ClaimStatusConflict, InvalidAmount, MonthNotOver, NotFound
from canteen.http.endpoint import Call, Endpoint
from canteen.schemas import ListOf


def _adjustment(a: ClaimAdjustment) -> AdjustmentOut:
    return AdjustmentOut(
        id=a.id,
        meal_id=a.meal_id,  # type: ignore[attr-defined]
        source_claim_id=a.source_claim_id,  # type: ignore[attr-defined]
        claim_id=a.claim_id,  # type: ignore[attr-defined]
        funder=a.funder,
        rule=a.rule,
        pays=a.pays,
        amount_fen=a.amount_fen,
        reason=a.reason,
        at=a.created_at,
    )


def claim_out(view: service.ClaimView) -> ClaimOut:
    c, f = view.claim, view.figures
    return ClaimOut(
        id=c.id,
        month=c.month,
        funder=c.funder,
        canteen_id=c.canteen_id,  # type: ignore[attr-defined]
        status=c.status,  # type: ignore[arg-type]
        live=c.status == "draft",
        meals=f.meals,
        subsidy_fen=f.subsidy_fen,
        adjustment_fen=f.adjustment_fen,
        claimed_fen=f.claimed_fen,
        rows=[ClaimRowOut(**row) for row in f.rows],
        adjustments=[_adjustment(a) for a in f.adjustments],
        late_voids=[_adjustment(a) for a in view.late_voids],
        created_at=c.created_at,
        submitted_at=c.submitted_at,
        submitted_by=c.submitted_by_id,  # type: ignore[attr-defined]
        approved_at=c.approved_at,
        approved_by=c.approved_by_id,  # type: ignore[attr-defined]
        paid_amount_fen=c.paid_amount_fen,
        paid_on=c.paid_on,
    )


async def _out(call: Call, claim_id: int) -> ClaimOut:
    return claim_out(await service.get(call.actor, claim_id))


async def draft(call: Call) -> ClaimOut:
    body: ClaimIn = call.body
    claim = await service.draft(
        call.actor, month=body.month, funder=body.funder, canteen_id=body.canteen_id
    )
    return await _out(call, claim.id)


async def submit(call: Call) -> ClaimOut:
    return await _out(call, (await service.submit(call.actor, call.path("claim_id"))).id)


async def approve(call: Call) -> ClaimOut:
    return await _out(call, (await service.approve(call.actor, call.path("claim_id"))).id)


async def mark_paid(call: Call) -> ClaimOut:
    body: PaidIn = call.body
    claim = await service.mark_paid(
        call.actor, call.path("claim_id"), amount_fen=body.amount_fen, paid_on=body.paid_on
    )
    return await _out(call, claim.id)


async def get_claim(call: Call) -> ClaimOut:
    return await _out(call, call.path("claim_id"))


async def list_claims(call: Call) -> ListOf[ClaimOut]:
    q: ClaimQuery = call.query
    page = await service.list_claims(
        call.actor, month=q.month, funder=q.funder, status=q.status, limit=q.limit, cursor=q.cursor
    )
    views = await service.views(page.items)
    return ListOf[ClaimOut](items=[claim_out(v) for v in views], next_cursor=page.next_cursor)


async def outstanding(call: Call) -> OutstandingOut:
    standings = await service.outstanding(call.actor)
    return OutstandingOut(
        as_of=clock.today(call.settings.tz),
        funders=[StandingOut(**asdict(s)) for s in standings],
        owed_fen=sum(s.owed_fen for s in standings),
        paid_fen=sum(s.paid_fen for s in standings),
    )


_CHANGE_ERRORS = (NotFound, ClaimStatusConflict)

ENDPOINTS = [
    Endpoint(
        "POST",
        "/claims",
        draft,
        "Draft a funder's claim for a finished month (one canteen or all)",
        action="claims.draft",
        body=ClaimIn,
        response=ClaimOut,
        status=201,
        errors=(ClaimExists, MonthNotOver),
    ),
    Endpoint(
        "GET",
        "/claims",
        list_claims,
        "Claims, newest first, with their figures",
        action="claims.read",
        query=ClaimQuery,
        response=ListOf[ClaimOut],
    ),
    Endpoint(
        "GET",
        "/claims/outstanding",
        outstanding,
        "Per funder: owed, paid and days outstanding",
        action="claims.read",
        response=OutstandingOut,
    ),
    Endpoint(
        "GET",
        "/claims/{claim_id:int}",
        get_claim,
        "One claim with its rows and adjustments",
        action="claims.read",
        response=ClaimOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "POST",
        "/claims/{claim_id:int}/submit",
        submit,
        "Submit a draft claim: its figures are frozen",
        action="claims.submit",
        response=ClaimOut,
        errors=_CHANGE_ERRORS,
    ),
    Endpoint(
        "POST",
        "/claims/{claim_id:int}/approve",
        approve,
        "The funder approved a submitted claim",
        action="claims.approve",
        response=ClaimOut,
        errors=_CHANGE_ERRORS,
    ),
    Endpoint(
        "POST",
        "/claims/{claim_id:int}/paid",
        mark_paid,
        "Record the amount and day an approved claim was paid",
        action="claims.mark_paid",
        body=PaidIn,
        response=ClaimOut,
        errors=(*_CHANGE_ERRORS, InvalidAmount),
    ),
]
