"""One claim's rows per diner: who ate the meals it claims, and what it asks for each of them.

A submitted claim froze its figures but not its diners: they are read again on each download,
and come out as frozen. Its month's lines are today's live lines plus those its late voids
withdrew (each void after the submission raised an adjustment naming this claim, in the void's
own transaction), read in one statement (``loaders.claim_diner_detail``), so they add up to
the frozen ``subsidy_fen`` to the fen whenever a void commits. The adjustments it carries
follow, per diner. A draft's rows are live, as its figures are.
"""

import asyncio

import pandas as pd

from canteen import periods
from canteen.claims.models import FROZEN
from canteen.claims.service import ClaimView
from canteen.diners import views
from canteen.roles import Actor, require
from reports import claims as claims_report
from reports import loaders
from reports.loaders import Span


async def diners(actor: Actor, view: ClaimView) -> pd.DataFrame:
    """The rows per diner of a claim the actor has read (``service.get``: reach checked), in
    ``reports.claims.CLAIM_DINER_COLUMNS``; the ID number masked, for the office only."""
    require(actor, "claims.read")
    claim = view.claim
    start, end = periods.month_span(claim.month)
    frozen = claim.status in FROZEN
    claimed = await loaders.claim_diner_detail(
        Span(start, end, claim.canteen_id), claim.funder, claim.id if frozen else None
    )
    carried = loaders.frame(
        [
            (a.meal.diner_id, a.meal.canteen_id, a.funder, a.rule, a.pays, -1, a.amount_fen)
            for a in view.figures.adjustments
        ],
        loaders.DINER_DETAIL,
    )
    people = await loaders.diners(masked=views.shown(actor.role, "id_number_masked"))
    section = "submitted" if frozen else "live"
    return await asyncio.to_thread(claims_report.claim_diners, claimed, carried, people, section)
