"""A card's URL form (``qr_url``, on printed cards): any URL form of a valid payload names the
same card as the payload itself, at the counter too; junk URLs get today's one error."""

import string
import uuid

from hypothesis import given
from hypothesis import strategies as st

from canteen.cards import token
from canteen.config import get_settings
from tests.cards.test_token import KEY, refused
from tests.checkout.conftest import open_counter

hosts = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\.[a-z]{2,6}){0,3}", fullmatch=True)
paths = st.lists(st.from_regex(r"[A-Za-z0-9_.~-]{1,12}", fullmatch=True), max_size=3)


@st.composite
def url_forms(draw, payload: str) -> str:
    """``http(s)://host[:port][/path]/q/<payload>`` in any case a scanner or camera gives."""
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "Https"]))
    port = draw(st.one_of(st.just(""), st.integers(1, 65535).map(lambda p: f":{p}")))
    path = "".join("/" + part for part in draw(paths))
    q = draw(st.sampled_from(["q", "Q"]))
    text = f"{scheme}://{draw(hosts)}{port}{path}/{q}/" + draw(
        st.sampled_from([payload, payload.lower()])
    )
    return draw(st.sampled_from([text, text + "\r\n", " " + text]))


@given(st.integers(min_value=1, max_value=2**31 - 1), st.data())
def test_any_url_form_of_a_valid_payload_names_the_same_card(card_id, data):
    payload = token.encode(card_id, KEY)
    url = data.draw(url_forms(payload))
    assert token.decode(url, KEY) == card_id
    assert token.decode(token.url_of(payload, "https://canteen.example.org/"), KEY) == card_id


@given(st.integers(min_value=1, max_value=2**31 - 1), st.data())
def test_a_url_form_of_an_altered_payload_is_refused_like_the_payload(card_id, data):
    payload = token.encode(card_id, KEY)
    at = data.draw(st.integers(0, len(payload) - 1))
    char = data.draw(st.sampled_from(token.QR_ALPHANUMERIC.replace(" ", "")))
    altered = payload[:at] + char + payload[at + 1 :]
    if altered.upper() == payload:
        return
    assert refused(data.draw(url_forms(altered)))


@given(
    st.integers(min_value=1, max_value=2**31 - 1),
    st.sampled_from(
        [
            "ftp://x.org/q/{p}",  # not http(s)
            "https:///q/{p}",  # no host
            "https://x.org/q/{p}?from=wechat",  # a query
            "https://x.org/q/{p}#top",  # a fragment
            "https://x.org/q/{p}/more",  # more path after the payload
            "https://x.org/p/{p}",  # not /q/
            "https://x.org/q/",  # no payload
            "https://x.org/q/{p} https://x.org/q/{p}",  # two
            "https://x.org/" + "a/" * 150 + "q/{p}",  # longer than any card field
        ]
    ),
)
def test_junk_urls_get_the_same_error_as_any_other_text(card_id, junk):
    assert refused(junk.format(p=token.encode(card_id, KEY)))


@given(st.text(alphabet=string.printable, max_size=60))
def test_arbitrary_urls_are_refused(tail):
    assert refused("https://canteen.example.org/q/" + tail)


async def test_the_api_gives_the_url_form_beside_the_payload(admin):
    body = {"name": "李桂兰", "id_number": "110101194501010019"}
    diner = (await admin.post("/diners", body)).json()
    issued = (await admin.post(f"/diners/{diner['id']}/cards")).json()
    public = get_settings().public_url
    assert issued["qr_url"] == f"{public}/q/{issued['qr_payload']}"


async def test_the_counter_takes_the_url_form_for_a_quote_and_a_sale(admin, as_role):
    counter = await open_counter(admin, as_role)
    url = f"https://canteen.example.org/q/{counter.card}"
    quote = await counter.cashier.post("/checkout/quote", counter.order(card=url))
    assert quote.status_code == 200, quote.text
    assert quote.json()["diner"]["id"] == counter.diner_id
    sale = await counter.cashier.post(
        "/meals", counter.order(card=url), headers={"Idempotency-Key": str(uuid.uuid4())}
    )
    assert sale.status_code == 201, sale.text
    assert sale.json()["diner"]["id"] == counter.diner_id
    for junk in (url + "?x=1", "https://canteen.example.org/q/", url[:-1]):
        r = await counter.cashier.post("/checkout/quote", counter.order(card=junk))
        assert (r.status_code, r.json()["code"]) == (422, "card_invalid"), junk
        assert r.json()["errors"] == [
            {"field": "card", "message": "not a meal card issued by this service"}
        ]
