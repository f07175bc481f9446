from dataclasses import asdict
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from canteen import clock
from canteen.claims import detail, service
from canteen.claims.models import ClaimAdjustment, ClaimPayment
from canteen.claims.schemas import (
    AdjustmentOut,
    ClaimIn,
    ClaimOut,
    ClaimQuery,
    ClaimRowOut,
    ExportQuery,
    OutstandingOut,
    PaidIn,
    PaymentOut,
    ReverseIn,
    StandingOut,
)
from canteen.errors import (
    AmountMismatch,
    ClaimExists,
    ClaimStatusConflict,
    InvalidAmount,
    InvalidInput,
    MonthNotOver,
    NotFound,
)
from canteen.http.endpoint import Call, Endpoint
from canteen.schemas import ListOf
from canteen.web import i18n
from reports import export, filing, pdf

FILE_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": export.XLSX_TYPE, "pdf": pdf.PDF_TYPE}


def _adjustment(a: ClaimAdjustment) -> AdjustmentOut:
    return AdjustmentOut(
        id=a.id,
        meal_id=a.meal_id,
        source_claim_id=a.source_claim_id,
        claim_id=a.claim_id,
        funder=a.funder,
        rule=a.rule,
        pays=a.pays,
        amount_fen=a.amount_fen,
        reason=a.reason,
        at=a.created_at,
        canteen_id=a.meal.canteen_id,
        local_date=a.meal.local_date,
        void_reason=a.meal.void_reason,
    )


def _payments(entries: list[ClaimPayment]) -> list[PaymentOut]:
    reversed_by = {e.reverses_id: e.id for e in entries if e.kind == "reversal"}
    return [
        PaymentOut(
            id=e.id,
            kind=e.kind,  # type: ignore[arg-type]
            amount_fen=e.amount_fen,
            claimed_fen=e.claimed_fen,
            difference_fen=e.amount_fen - e.claimed_fen if e.kind == "payment" else 0,
            confirmed=e.confirmed,
            paid_on=e.paid_on,
            reverses=e.reverses_id,
            reversed_by=reversed_by.get(e.id),
            reason=e.reason,
            recorded_at=e.recorded_at,
            recorded_by=e.recorded_by_id,
        )
        for e in entries
    ]


def claim_out(view: service.ClaimView) -> ClaimOut:
    c, f = view.claim, view.figures
    return ClaimOut(
        id=c.id,
        month=c.month,
        funder=c.funder,
        canteen_id=c.canteen_id,
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
        submitted_by=c.submitted_by_id,
        approved_at=c.approved_at,
        approved_by=c.approved_by_id,
        paid_amount_fen=c.paid_amount_fen,
        paid_on=c.paid_on,
        paid_difference_fen=view.paid_difference_fen,
        payments=_payments(view.payments),
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
        call.actor,
        call.path("claim_id"),
        amount_fen=body.amount_fen,
        paid_on=body.paid_on,
        confirm=body.confirm,
    )
    return await _out(call, claim.id)


async def reverse_payment(call: Call) -> ClaimOut:
    body: ReverseIn = call.body
    claim = await service.reverse_payment(
        call.actor, call.path("claim_id"), call.path("payment_id"), reason=body.reason
    )
    return await _out(call, claim.id)


async def get_claim(call: Call) -> ClaimOut:
    return await _out(call, call.path("claim_id"))


def _local_times(claim: ClaimOut, call: Call) -> dict[str, Any]:
    """The claim as JSON, its moments in the canteen's time zone (as the clerk lived them)."""
    tz = call.settings.tz

    def local(moment: datetime | None) -> str | None:
        return moment.astimezone(tz).isoformat() if moment else None

    found = claim.model_dump(mode="json")
    found["submitted_at"] = local(claim.submitted_at)
    for key, adjustments in (("adjustments", claim.adjustments), ("late_voids", claim.late_voids)):
        for out, adjustment in zip(found[key], adjustments, strict=True):
            out["at"] = local(adjustment.at)
    return found


async def export_claim(call: Call) -> Response:
    """The claim as a file: the paper to file (xlsx, pdf) or its rows (csv), or its rows per
    diner (csv, and the xlsx's second sheet); its figures as submitted, and the voids since
    listed apart, each with its meal and its void."""
    q: ExportQuery = call.query
    if q.part == "diners" and q.format != "csv":
        raise InvalidInput.on("part", "diners comes as csv (the xlsx has them as a sheet)")
    view = await service.get(call.actor, call.path("claim_id"))
    claim = _local_times(claim_out(view), call)
    names, labels = await service.canteen_names(), await service.rule_labels()
    scope = f"-canteen-{claim['canteen_id']}" if claim["canteen_id"] else ""
    name = f"claim-{claim['month']}-{claim['funder']}{scope}"
    t = i18n.paper_words(call.request, picture=q.format == "pdf")
    today = clock.today(call.settings.tz)
    content: bytes | str
    if q.format == "pdf":
        paper = filing.claim_paper(claim, names, labels, t, today)
        content = await run_in_threadpool(pdf.filing_pdf, paper, t)
    elif q.format == "csv" and q.part == "claim":
        content = export.one_claim_csv(claim, names, labels, t)
    else:
        diners = await detail.diners(call.actor, view)
        if q.format == "xlsx":
            content = await run_in_threadpool(
                export.one_claim_xlsx, claim, diners, names, labels, t, today
            )
        else:
            content = export.one_claim_diners_csv(diners, names, labels, t)
            name += "-diners"
    disposition = {"Content-Disposition": f'attachment; filename="{name}.{q.format}"'}
    return Response(
        content,
        media_type=FILE_TYPES[q.format],
        headers={**disposition, "Cache-Control": "no-store"},
    )


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
        "GET",
        "/claims/{claim_id:int}/export",
        export_claim,
        "One claim as a file: the paper to file (xlsx, pdf: title block, the amount in figures "
        "and capitals, lines to sign; the xlsx also its rows per diner) or its rows (csv; "
        "part=diners: per diner); as submitted, the adjustments it carries, and each meal "
        "voided since its submission with its void",
        action="claims.read",
        query=ExportQuery,
        errors=(NotFound, InvalidInput),
        files=("text/csv", export.XLSX_TYPE, pdf.PDF_TYPE),
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
        "Record the amount and day an approved claim was paid (another amount than the "
        'claimed one needs "confirm": true)',
        action="claims.mark_paid",
        body=PaidIn,
        response=ClaimOut,
        errors=(*_CHANGE_ERRORS, InvalidAmount, AmountMismatch),
    ),
    Endpoint(
        "POST",
        "/claims/{claim_id:int}/payments/{payment_id:int}/reverse",
        reverse_payment,
        "Undo a wrongly recorded payment by a reversing entry; the claim is approved again",
        action="claims.mark_paid",
        body=ReverseIn,
        response=ClaimOut,
        errors=_CHANGE_ERRORS,
    ),
]
