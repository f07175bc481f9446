"""A funder's monthly claim: draft, submit (freeze), approve, mark paid; and what is owed.

The figures come from the daily roll-up (``claim_day``), which the sale's and the void's
transactions keep equal to the live meals' subsidy lines. A draft's figures are live; the
submission freezes them (the month's roll-up rows are locked first, so a concurrent void lands
either before the freeze or, after it, as an adjustment). A meal of a frozen month voided later
raises a ``ClaimAdjustment`` (``rollup.record_void``), and the funder's next claim covering that
canteen carries it when it is submitted: a frozen claim never changes silently.

No meal's subsidy is in two live claims: a draft first writes its (month, funder) row of
``claim_period`` and only then looks for the claims already covering its canteens, so of two
drafts whose canteens overlap the second waits for the first and sees its claim (409
``claim_exists``); a submission carries only the adjustments no other claim carries yet.

The money received is an append-only list of ``ClaimPayment`` entries: an amount other than the
claimed one must be confirmed (409 ``amount_mismatch`` otherwise) and stays visible as a short or
over payment; a wrong entry is undone by a reversing entry, which returns the claim to
``approved`` to await the right amount.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from canteen import clock, periods, rawsql
from canteen.audit import service as audit
from canteen.canteens.models import Canteen
from canteen.claims.models import (
    ALL_CANTEENS,
    FROZEN,
    Claim,
    ClaimAdjustment,
    ClaimDay,
    ClaimPayment,
    ClaimPeriod,
)
from canteen.columns import values_of
from canteen.config import get_settings
from canteen.errors import (
    AmountMismatch,
    ClaimExists,
    ClaimStatusConflict,
    InvalidAmount,
    InvalidInput,
    MonthNotOver,
    NotFound,
)
from canteen.pagination import Page, after_cursor, page_of
from canteen.policies.schema import FUNDERS
from canteen.roles import Actor, Role, require
from reports import claims as claims_report
from reports import loaders
from reports.loaders import Span

CLAIMANT_FUNDERS = tuple(f for f in FUNDERS if f != "operator")
"""Funders a claim can be sent to: the operator's own discount is nobody's debt."""
MAX_PAID_FEN = 10**12


@dataclass
class Figures:
    """A claim's amounts: frozen ones, or (for a draft) the live ones."""

    meals: int
    subsidy_fen: int
    rows: list[dict[str, Any]]
    adjustments: list[ClaimAdjustment]

    @property
    def adjustment_fen(self) -> int:
        return sum(a.amount_fen for a in self.adjustments)

    @property
    def claimed_fen(self) -> int:
        return self.subsidy_fen + self.adjustment_fen


@dataclass
class ClaimView:
    claim: Claim
    figures: Figures
    late_voids: list[ClaimAdjustment] = field(default_factory=list)
    """Adjustments raised against this (frozen) claim by later voids, carried or not yet."""
    payments: list[ClaimPayment] = field(default_factory=list)
    """Every payment entry and reversal recorded for it, oldest first."""

    @property
    def paid_difference_fen(self) -> int | None:
        """Paid less claimed, in fen (negative: paid short); None until paid."""
        c = self.claim
        if c.paid_amount_fen is None or c.claimed_fen is None:
            return None
        return c.paid_amount_fen - c.claimed_fen


@dataclass(frozen=True)
class Standing:
    """What one funder owes the operator, has paid, and how long it is taking."""

    funder: str
    claims_open: int
    owed_fen: int
    """Claimed by submitted or approved claims not yet paid."""
    paid_fen: int
    short_paid_fen: int
    """Claimed less paid, over the paid claims (a funder may pay less than claimed)."""
    pending_adjustment_fen: int
    """Withdrawn by late voids of claimed months, not yet carried by a later claim."""
    days_outstanding: int | None
    """Days since the oldest unpaid claim was submitted; None when nothing is unpaid."""
    oldest_unpaid_month: str | None
    average_days_to_pay: int | None
    """Over the paid claims: from submission to the day the money arrived."""


# --- Reading ---------------------------------------------------------------------------------


def _today() -> date:
    return clock.today(get_settings().tz)


def _in_reach(actor: Actor, claim: Claim | None, claim_id: int) -> Claim:
    """A claim the actor may see: a manager only those of their own canteen (else 404)."""
    if claim is None or (actor.role == Role.MANAGER and claim.canteen_id != actor.canteen_id):
        raise NotFound(f"No claim {claim_id}.")
    return claim


async def _live_rows(claim: Claim) -> tuple[int, int, list[dict[str, Any]]]:
    """The month's roll-up for this funder and scope: meals, fen and rows by canteen and rule.

    Computed by the month's report's own function (``reports.claims.funder_claim``) over the
    same roll-up rows, so a claim and the month's report agree to the fen by construction.
    """
    start, end = periods.month_span(claim.month)
    days = await loaders.claim_days(Span(start, end, claim.canteen_id))
    found = claims_report.funder_claim(days, claim.funder)
    return found.meals, found.subsidy_fen, found.rows


async def _lock_month(claim: Claim) -> None:
    """Lock the roll-up rows a submission freezes (PostgreSQL; SQLite runs one writer anyway)."""
    conn = ClaimDay._meta.db
    if rawsql.dialect(conn) != "postgres":
        return
    start, end = periods.month_span(claim.month)
    sql = (
        'SELECT "id" FROM "claim_day" WHERE "funder" = :funder'
        ' AND "local_date" >= :start AND "local_date" <= :end'
    )
    params: dict[str, Any] = {"funder": claim.funder, "start": start, "end": end}
    if claim.canteen_id is not None:
        sql += ' AND "canteen_id" = :canteen'
        params["canteen"] = claim.canteen_id
    # In the order a void updates a day's rows (funder, rule, pays, byte by byte): a void
    # holding one of them while waiting for another cannot be waiting for this submission.
    order = ' ORDER BY "canteen_id", "local_date", "funder" COLLATE "C", "rule" COLLATE "C",'
    await rawsql.fetch(conn, sql + order + ' "pays" COLLATE "C" FOR UPDATE', params)


def _eligible(claim: Claim) -> Any:
    """The pending adjustments this claim would carry: same funder, an earlier claimed month,
    a meal at a canteen it covers."""
    query = ClaimAdjustment.filter(
        claim_id=None, funder=claim.funder, source_claim__month__lt=claim.month
    )
    if claim.canteen_id is not None:
        query = query.filter(meal__canteen_id=claim.canteen_id)
    return query


async def _figures(claim: Claim) -> Figures:
    if claim.status in FROZEN:
        carried = (
            await ClaimAdjustment.filter(claim_id=claim.id).order_by("id").select_related("meal")
        )
        return Figures(claim.meals or 0, claim.subsidy_fen or 0, claim.rows or [], carried)
    meals, subsidy_fen, rows = await _live_rows(claim)
    pending = await _eligible(claim).select_related("meal").order_by("id")
    return Figures(meals, subsidy_fen, rows, pending)


async def _view(claim: Claim) -> ClaimView:
    late = (
        await ClaimAdjustment.filter(source_claim_id=claim.id).order_by("id").select_related("meal")
    )
    payments = await ClaimPayment.filter(claim_id=claim.id).order_by("id")
    return ClaimView(claim, await _figures(claim), late, payments)


async def get(actor: Actor, claim_id: int) -> ClaimView:
    require(actor, "claims.read")
    return await _view(_in_reach(actor, await Claim.get_or_none(id=claim_id), claim_id))


async def canteen_names() -> dict[int, str]:
    """Every canteen's name by id, for a claim's download."""
    return dict(await Canteen.all().values_list("id", "name"))


async def rule_labels() -> dict[str, str]:
    """Each rule code's label (the latest policy's wording), for a claim's download."""
    return await loaders.rule_labels()


async def list_claims(
    actor: Actor,
    *,
    month: str | None,
    funder: str | None,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> Page[Claim]:
    """Claims newest first; a manager sees those of their own canteen only."""
    require(actor, "claims.read")
    query = Claim.all()
    if actor.role == Role.MANAGER:
        query = query.filter(canteen_id=actor.canteen_id)
    if month:
        query = query.filter(month=month)
    if funder:
        query = query.filter(funder=funder)
    if status:
        query = query.filter(status=status)
    return await page_of(after_cursor(query, cursor), limit)


async def views(claims: list[Claim]) -> list[ClaimView]:
    """Each claim with its figures (a page holds at most a few hundred)."""
    return [await _view(claim) for claim in claims]


# --- The lifecycle ---------------------------------------------------------------------------


def _check_month(month: str) -> str:
    try:
        periods.parse_month(month)
    except ValueError as exc:
        raise InvalidInput.on("month", "YYYY-MM") from exc
    if month >= periods.month_of(_today()):
        raise MonthNotOver.on("month", f"{month} is not over yet; claim it from next month on")
    return month


_TAKE_PERIOD = (
    'INSERT INTO "claim_period" ("month", "funder", "last_drafted_at")'
    " VALUES (:month, :funder, :at)"
    ' ON CONFLICT ("month", "funder") DO UPDATE SET "last_drafted_at" = excluded."last_drafted_at"'
)


async def _take_period(month: str, funder: str) -> None:
    """Write the (month, funder) row first: the draft holds it until it commits.

    Reading the claims first and then inserting is not safe on PostgreSQL: two drafts, of
    every canteen and of one, both found no claim and both were created (26 races of 40).
    Written first, the row makes a second draft of the period wait for the first to commit
    (PostgreSQL's row lock; SQLite's write lock), and it then reads the first one's claim.
    """
    params = {"month": month, "funder": funder, "at": clock.now()}
    await rawsql.execute(ClaimPeriod._meta.db, _TAKE_PERIOD, params)


async def draft(actor: Actor, *, month: str, funder: str, canteen_id: int | None) -> Claim:
    """Open a claim for one funder's share of a finished month, for one canteen or all."""
    require(actor, "claims.draft")
    _check_month(month)
    if funder not in CLAIMANT_FUNDERS:
        raise InvalidInput.on("funder", f"one of {', '.join(CLAIMANT_FUNDERS)}")
    if canteen_id is not None and not await Canteen.exists(id=canteen_id):
        raise InvalidInput.on("canteen_id", "no such canteen")
    scope = ALL_CANTEENS if canteen_id is None else str(canteen_id)
    try:
        async with in_transaction():
            await _take_period(month, funder)
            existing = await values_of(Claim.filter(month=month, funder=funder), "scope")
            if (
                ALL_CANTEENS in existing
                or scope in existing
                or (scope == ALL_CANTEENS and existing)
            ):
                raise ClaimExists(f"{funder}'s claim for {month} already covers these canteens.")
            claim = await Claim.create(
                month=month,
                funder=funder,
                canteen_id=canteen_id,
                scope=scope,
                status="draft",
                created_at=clock.now(),
                created_by_id=actor.recorded_user_id,
            )
            await audit.record(actor, "claim.draft", claim, after={"month": month, "scope": scope})
    except IntegrityError as exc:
        raise ClaimExists(f"{funder}'s claim for {month} already exists.") from exc
    return claim


async def _locked(claim_id: int, status: str) -> Claim:
    claim = await Claim.select_for_update().get_or_none(id=claim_id)
    if claim is None:
        raise NotFound(f"No claim {claim_id}.")
    if claim.status != status:
        raise ClaimStatusConflict(f"Claim {claim_id} is {claim.status}, not {status}.")
    return claim


async def submit(actor: Actor, claim_id: int) -> Claim:
    """Freeze the claim's figures and carry the pending adjustments it covers."""
    require(actor, "claims.submit")
    async with in_transaction():
        claim = await _locked(claim_id, "draft")
        await _lock_month(claim)
        meals, subsidy_fen, rows = await _live_rows(claim)
        carried = await values_of(_eligible(claim), "id")
        if carried:
            # Only those still pending: a claim of another month submitted meanwhile may have
            # carried some (PostgreSQL re-checks the condition after waiting for its lock).
            await ClaimAdjustment.filter(id__in=carried, claim_id=None).update(claim_id=claim.id)
        adjustment_fen = sum(
            await values_of(ClaimAdjustment.filter(claim_id=claim.id), "amount_fen")
        )
        frozen = {
            "status": "submitted",
            "meals": meals,
            "subsidy_fen": subsidy_fen,
            "adjustment_fen": adjustment_fen,
            "claimed_fen": subsidy_fen + adjustment_fen,
            "rows": rows,
            "submitted_at": clock.now(),
            "submitted_by_id": actor.recorded_user_id,
        }
        await Claim.filter(id=claim.id).update(**frozen)
        after = {k: frozen[k] for k in ("meals", "subsidy_fen", "adjustment_fen", "claimed_fen")}
        await audit.record(actor, "claim.submit", claim, after=after)
    return await Claim.get(id=claim_id)


async def approve(actor: Actor, claim_id: int) -> Claim:
    require(actor, "claims.approve")
    async with in_transaction():
        claim = await _locked(claim_id, "submitted")
        now = clock.now()
        await Claim.filter(id=claim.id).update(
            status="approved", approved_at=now, approved_by_id=actor.recorded_user_id
        )
        await audit.record(actor, "claim.approve", claim, after={"status": "approved"})
    return await Claim.get(id=claim_id)


async def mark_paid(
    actor: Actor, claim_id: int, *, amount_fen: int, paid_on: date, confirm: bool = False
) -> Claim:
    """Record the money received for an approved claim: how much, and on which day.

    An amount other than the claimed one is refused (409 ``amount_mismatch``, with both
    figures) unless ``confirm``: a typo must not pass for a funder's short payment. Either way
    the payment is an entry of its own, with the amount claimed beside it.
    """
    require(actor, "claims.mark_paid")
    if not 0 <= amount_fen <= MAX_PAID_FEN:
        raise InvalidAmount.on("amount_fen", f"must be 0 to {MAX_PAID_FEN} fen")
    async with in_transaction():
        claim = await _locked(claim_id, "approved")
        submitted_on = claim.submitted_at.astimezone(get_settings().tz).date()  # type: ignore[union-attr]
        if not submitted_on <= paid_on <= _today():
            raise InvalidInput.on("paid_on", f"between the submission ({submitted_on}) and today")
        claimed_fen = claim.claimed_fen or 0
        differs = amount_fen != claimed_fen
        if differs and not confirm:
            raise AmountMismatch(
                f"Claim {claim_id} asked for {claimed_fen} fen, not {amount_fen}; "
                'send "confirm": true to record a short or over payment.',
                claimed_fen=claimed_fen,
                amount_fen=amount_fen,
                difference_fen=amount_fen - claimed_fen,
            )
        recorded_by = actor.recorded_user_id
        payment = await ClaimPayment.create(
            claim_id=claim.id,
            kind="payment",
            amount_fen=amount_fen,
            claimed_fen=claimed_fen,
            paid_on=paid_on,
            confirmed=differs,
            recorded_at=clock.now(),
            recorded_by_id=recorded_by,
        )
        paid = {"paid_amount_fen": amount_fen, "paid_on": paid_on}
        await Claim.filter(id=claim.id).update(
            status="paid", paid_recorded_by_id=recorded_by, **paid
        )
        after = {
            "payment_id": payment.id,
            "paid_amount_fen": amount_fen,
            "paid_on": paid_on.isoformat(),
            "difference_fen": amount_fen - claimed_fen,
        }
        await audit.record(actor, "claim.paid", claim, after=after)
    return await Claim.get(id=claim_id)


async def reverse_payment(actor: Actor, claim_id: int, payment_id: int, *, reason: str) -> Claim:
    """Undo a wrongly recorded payment with a reversing entry; the claim is approved again.

    Nothing is edited: the payment stays, a new entry of the opposite amount names it, and the
    audit log keeps who did it and why. The right amount is then recorded as a new payment.
    """
    require(actor, "claims.mark_paid")
    async with in_transaction():
        claim = await _locked(claim_id, "paid")
        payment = await ClaimPayment.get_or_none(id=payment_id, claim_id=claim_id, kind="payment")
        if payment is None:
            raise NotFound(f"Claim {claim_id} has no payment {payment_id}.")
        if await ClaimPayment.exists(reverses_id=payment.id):
            raise ClaimStatusConflict(f"Payment {payment_id} was already reversed.")
        reversal = await ClaimPayment.create(
            claim_id=claim.id,
            kind="reversal",
            amount_fen=-payment.amount_fen,
            claimed_fen=claim.claimed_fen or 0,
            paid_on=payment.paid_on,
            reverses_id=payment.id,
            reason=reason,
            recorded_at=clock.now(),
            recorded_by_id=actor.recorded_user_id,
        )
        await Claim.filter(id=claim.id).update(
            status="approved", paid_amount_fen=None, paid_on=None, paid_recorded_by_id=None
        )
        before: dict[str, Any] = {"status": "paid", "paid_amount_fen": payment.amount_fen}
        before["paid_on"] = payment.paid_on.isoformat()
        after = {"status": "approved", "reversal_id": reversal.id, "reason": reason}
        await audit.record(actor, "claim.payment_reversed", claim, before=before, after=after)
    return await Claim.get(id=claim_id)


# --- What each funder owes -------------------------------------------------------------------


async def outstanding(actor: Actor) -> list[Standing]:
    """Per funder: owed, paid, short-paid, pending adjustments and days outstanding."""
    require(actor, "claims.read")
    claims = Claim.filter(status__in=FROZEN)
    pending = ClaimAdjustment.filter(claim_id=None)
    if actor.role == Role.MANAGER:
        claims = claims.filter(canteen_id=actor.canteen_id)
        pending = pending.filter(source_claim__canteen_id=actor.canteen_id)
    tz, today = get_settings().tz, _today()
    by_funder: dict[str, list[Claim]] = defaultdict(list)
    for claim in await claims.order_by("month"):
        by_funder[claim.funder].append(claim)
    pending_fen: dict[str, int] = defaultdict(int)
    for funder, amount in await pending.values_list("funder", "amount_fen"):
        pending_fen[funder] += amount
    standings = []
    for funder in sorted(set(by_funder) | set(pending_fen)):
        found = by_funder.get(funder, [])
        unpaid = [c for c in found if c.status != "paid"]
        paid = [c for c in found if c.status == "paid"]
        submitted = {c.id: c.submitted_at.astimezone(tz).date() for c in found}  # type: ignore[union-attr]
        waits = [(c.paid_on - submitted[c.id]).days for c in paid]  # type: ignore[operator]
        standings.append(
            Standing(
                funder=funder,
                claims_open=len(unpaid),
                owed_fen=sum(c.claimed_fen or 0 for c in unpaid),
                paid_fen=sum(c.paid_amount_fen or 0 for c in paid),
                short_paid_fen=sum((c.claimed_fen or 0) - (c.paid_amount_fen or 0) for c in paid),
                pending_adjustment_fen=pending_fen.get(funder, 0),
                days_outstanding=max((today - submitted[c.id]).days for c in unpaid)
                if unpaid
                else None,
                oldest_unpaid_month=unpaid[0].month if unpaid else None,
                average_days_to_pay=sum(waits) // len(waits) if waits else None,
            )
        )
    return standings
