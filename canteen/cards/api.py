"""Meal cards over HTTP: issue, revoke, read, and the QR code and printable card as files."""

import asyncio
import base64
import json
import logging
from collections.abc import AsyncIterator

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response, StreamingResponse

from canteen.cards import batch, printing, qr, service
from canteen.cards.models import Card
from canteen.cards.schemas import CardIssuedOut, CardOut, PrintBatchIn, PrintProgressOut, RevokeIn
from canteen.errors import CanteenError, CardRevoked, DinerInactive, NotFound
from canteen.http.endpoint import Call, Endpoint
from canteen.schemas import ListOf, ListQuery

log = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store"}
"""A QR code is the card itself: whoever holds a copy can eat on the diner's account."""
NDJSON = "application/x-ndjson"
PDF_CHUNK = 3 * 64 * 1024
"""Read and encoded a piece at a time (a multiple of 3 bytes: the base64 pieces join up)."""


def card_out(card: Card) -> CardOut:
    return CardOut(
        card_id=card.id,
        serial=card.serial,
        diner_id=card.diner_id,
        issued_at=card.issued_at,
        revoked_at=card.revoked_at,
        revoke_reason=card.revoke_reason,  # type: ignore[arg-type]
    )


async def issue_card(call: Call) -> CardIssuedOut:
    card = await service.issue(call.actor, call.path("diner_id"))
    return CardIssuedOut(
        card_id=card.id,
        serial=card.serial,
        qr_payload=service.payload_of(card),
        qr_url=service.url_of(card),
        issued_at=card.issued_at,
    )


async def revoke_card(call: Call) -> CardOut:
    body: RevokeIn = call.body
    return card_out(await service.revoke(call.actor, call.path("card_id"), body.reason))


async def get_card(call: Call) -> CardOut:
    return card_out(await service.get(call.actor, call.path("card_id")))


async def diner_cards(call: Call) -> ListOf[CardOut]:
    q: ListQuery = call.query
    page = await service.list_for_diner(call.actor, call.path("diner_id"), q.limit, q.cursor)
    return ListOf[CardOut](items=[card_out(c) for c in page.items], next_cursor=page.next_cursor)


async def card_qr_png(call: Call) -> Response:
    card = await service.get_live(call.actor, call.path("card_id"))
    image = await run_in_threadpool(qr.png, service.payload_of(card))
    return Response(image, media_type="image/png", headers=NO_STORE)


async def card_qr_svg(call: Call) -> Response:
    card = await service.get_live(call.actor, call.path("card_id"))
    image = await run_in_threadpool(qr.svg, service.payload_of(card))
    return Response(image, media_type="image/svg+xml", headers=NO_STORE)


async def print_card(call: Call) -> Response:
    face = await service.face_of(call.actor, call.path("diner_id"), call.path("card_id"))
    document = await run_in_threadpool(printing.pdf_bytes, [face])
    disposition = f'inline; filename="card-{face.serial}.pdf"'
    return Response(
        document,
        media_type="application/pdf",
        headers={**NO_STORE, "Content-Disposition": disposition},
    )


async def print_cards(call: Call) -> Response:
    """A batch of cards as a stream of progress lines ending with the PDF; a refusal (nothing
    matches, no Chinese font) comes before the first line, as a problem like any other."""
    body: PrintBatchIn = call.body
    faces = await service.printable(
        call.actor, diner_ids=body.diner_ids, canteen_id=body.canteen_id
    )
    events = batch.print_batch(faces)
    first = await anext(events)
    return StreamingResponse(_progress_lines(first, events), media_type=NDJSON, headers=NO_STORE)


def _line(model: PrintProgressOut | dict) -> bytes:
    data = model.model_dump(exclude_none=True) if isinstance(model, PrintProgressOut) else model
    return json.dumps(data).encode() + b"\n"


async def _progress_lines(
    first: batch.Drawn | batch.Printed, events: AsyncIterator[batch.Drawn | batch.Printed]
) -> AsyncIterator[bytes]:
    try:
        yield _line(PrintProgressOut(done=first.done, total=first.total))  # type: ignore[union-attr]
        async for event in events:
            if isinstance(event, batch.Drawn):
                yield _line(PrintProgressOut(done=event.done, total=event.total))
                continue
            head = _line(PrintProgressOut(done=event.cards, total=event.cards, pages=event.pages))
            yield head[:-2] + b', "pdf_base64": "'
            with event.path.open("rb") as pdf:
                while piece := await asyncio.to_thread(pdf.read, PDF_CHUNK):
                    yield base64.b64encode(piece)
            yield b'"}\n'
    except CanteenError as exc:
        yield _line({"error": {"code": exc.code, "detail": exc.detail}})
    except Exception:
        log.exception("printing a batch of cards failed midway")
        yield _line({"error": {"code": "internal_error", "detail": "Printing failed."}})
    finally:
        await events.aclose()  # type: ignore[attr-defined]


ENDPOINTS = [
    Endpoint(
        "POST",
        "/diners/{diner_id:int}/cards",
        issue_card,
        "Issue a meal card (revokes the diner's previous card)",
        action="cards.issue",
        response=CardIssuedOut,
        status=201,
        errors=(NotFound, DinerInactive),
    ),
    Endpoint(
        "GET",
        "/diners/{diner_id:int}/cards",
        diner_cards,
        "A diner's cards, newest first",
        action="cards.read",
        query=ListQuery,
        response=ListOf[CardOut],
        errors=(NotFound,),
    ),
    Endpoint(
        "GET",
        "/diners/{diner_id:int}/cards/{card_id:int}/print",
        print_card,
        "The diner's live card as a printable A4 PDF (application/pdf)",
        action="cards.print",
        errors=(NotFound, CardRevoked, printing.CjkFontMissing),
        files=("application/pdf",),
    ),
    Endpoint(
        "POST",
        "/cards/print",
        print_cards,
        "Print many live cards, 10 to an A4 page: progress lines (application/x-ndjson), "
        "then the PDF in base64",
        action="cards.print",
        body=PrintBatchIn,
        response=PrintProgressOut,
        errors=(NotFound, batch.NothingToPrint, printing.CjkFontMissing),
        files=(NDJSON,),
    ),
    Endpoint(
        "GET",
        "/cards/{card_id:int}",
        get_card,
        "One card, live or revoked",
        action="cards.read",
        response=CardOut,
        errors=(NotFound,),
    ),
    Endpoint(
        "POST",
        "/cards/{card_id:int}/revoke",
        revoke_card,
        "Revoke a card (lost, damaged, withdrawn, other); it stops working at once",
        action="cards.revoke",
        body=RevokeIn,
        response=CardOut,
        errors=(NotFound, CardRevoked),
    ),
    Endpoint(
        "GET",
        "/cards/{card_id:int}/qr.png",
        card_qr_png,
        "The live card's QR code as a PNG (image/png, 28 mm at 300 dpi)",
        action="cards.print",
        errors=(NotFound, CardRevoked),
        files=("image/png",),
    ),
    Endpoint(
        "GET",
        "/cards/{card_id:int}/qr.svg",
        card_qr_svg,
        "The live card's QR code as an SVG (image/svg+xml, 29.7 mm)",
        action="cards.print",
        errors=(NotFound, CardRevoked),
        files=("image/svg+xml",),
    ),
]
