from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from canteen import clock
from canteen.errors import Forbidden, NotFound
from canteen.http.endpoint import Call, Endpoint
from canteen.reporting import service
from canteen.reporting.schemas import (
    ClaimsQuery,
    MisuseOut,
    MisuseQuery,
    SimulateIn,
    SimulationOut,
    SubsidyClaimsOut,
    SustainabilityOut,
    SustainabilityQuery,
)
from canteen.web import i18n
from reports import charts, claims, export

CSV = "text/csv; charset=utf-8"
REPORT_FILES = ("text/csv", export.XLSX_TYPE, "image/png")
"""What ``format=csv|xlsx|png`` answers with, for the OpenAPI document."""
CHARTS = {
    "revenue_cost": charts.revenue_and_cost,
    "per_meal": charts.per_meal,
    "break_even": charts.meals_and_break_even,
}


def _file(content: bytes | str, media_type: str, name: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


async def subsidy_claims(call: Call) -> Any:
    q: ClaimsQuery = call.query
    wants_detail = q.format == "xlsx" or q.detail == "diner"
    found = await service.subsidy_claims(call.actor, q.month, q.canteen_id, detail=wants_detail)
    name = f"subsidy-claims-{q.month}" + (f"-canteen-{q.canteen_id}" if q.canteen_id else "")
    names, t = found.canteen_names, i18n.paper_words(call.request)
    if q.format == "csv":
        if q.detail == "diner":
            text = export.claim_csv(found.report, names, t, found.detail)
            return _file(text, CSV, f"{name}-diners.csv")
        return _file(export.claim_csv(found.report, names, t), CSV, f"{name}.csv")
    if q.format == "xlsx":
        assert found.detail is not None
        today = clock.today(call.settings.tz)
        content = await run_in_threadpool(
            export.claim_xlsx, found.report, found.detail, names, t, today
        )
        return _file(content, export.XLSX_TYPE, f"{name}.xlsx")
    if q.format == "png":
        picture = i18n.paper_words(call.request, picture=True)
        chart = await run_in_threadpool(charts.claim_by_funder, found.report, picture)
        return Response(chart, media_type="image/png")
    diners = claims.detail_records(found.detail) if found.detail is not None else None
    return SubsidyClaimsOut.model_validate({**found.report, "diners": diners})


async def sustainability(call: Call) -> Any:
    q: SustainabilityQuery = call.query
    report = await service.sustainability_report(call.actor, q.from_, q.to, q.canteen_id)
    name = f"sustainability-{q.from_}-{q.to}" + (f"-canteen-{q.canteen_id}" if q.canteen_id else "")
    if q.format == "csv":
        return _file(export.sustainability_csv(report), CSV, f"{name}.csv")
    if q.format == "xlsx":
        names, t = await service.canteen_names(), i18n.paper_words(call.request)
        content = await run_in_threadpool(export.sustainability_xlsx, report, names, t)
        return _file(content, export.XLSX_TYPE, f"{name}.xlsx")
    if q.format == "png":
        picture = i18n.paper_words(call.request, picture=True)
        chart = await run_in_threadpool(CHARTS[q.chart], report, picture)
        return Response(chart, media_type="image/png")
    return SustainabilityOut.model_validate(report)


async def simulate(call: Call) -> SimulationOut:
    body: SimulateIn = call.body
    result = await service.simulate(call.actor, body.policy, body.from_, body.to, body.canteen_id)
    return SimulationOut.model_validate(result)


async def misuse(call: Call) -> MisuseOut:
    q: MisuseQuery = call.query
    found = await service.misuse_signals(
        call.actor, q.from_, q.to, q.canteen_id, window_minutes=q.window_minutes
    )
    return MisuseOut.model_validate(found)


ENDPOINTS = [
    Endpoint(
        "GET",
        "/reports/subsidy-claims",
        subsidy_claims,
        "What each funder owes for a month (json, csv, xlsx with per-diner sheet, png chart)",
        action="reports.claims",
        query=ClaimsQuery,
        response=SubsidyClaimsOut,
        files=REPORT_FILES,
        errors=(NotFound, Forbidden),
    ),
    Endpoint(
        "GET",
        "/reports/sustainability",
        sustainability,
        "Revenue, costs, margin and break-even over a span (json, csv, xlsx, png chart)",
        action="reports.sustainability",
        query=SustainabilityQuery,
        response=SustainabilityOut,
        files=REPORT_FILES,
        errors=(NotFound, Forbidden),
    ),
    Endpoint(
        "GET",
        "/reports/misuse",
        misuse,
        "Signals of possible misuse, each with the meals behind it",
        action="reports.misuse",
        query=MisuseQuery,
        response=MisuseOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "POST",
        "/policies/simulate",
        simulate,
        "Price a past span's meals under a draft policy (not stored): the change per funder, "
        "category and canteen",
        action="policies.simulate",
        body=SimulateIn,
        response=SimulationOut,
        errors=(NotFound,),
    ),
]
