"""Meal cards over HTTP: issue, revoke, read, and the QR code and printable card as files."""

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from canteen.cards import printing, qr, service
from canteen.cards.models import Card
from canteen.cards.schemas import CardIssuedOut, CardOut, RevokeIn
from canteen.errors import CardRevoked, DinerInactive, NotFound
from canteen.http.endpoint import Call, Endpoint
from canteen.schemas import ListOf, ListQuery

NO_STORE = {"Cache-Control": "no-store"}
"""A QR code is the card itself: whoever holds a copy can eat on the diner's account."""


def card_out(card: Card) -> CardOut:
    return CardOut(
        card_id=card.id,
        serial=card.serial,
        diner_id=card.diner_id,  # type: ignore[attr-defined]
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
