"""Cursors: opaque to the client, exact for the server, refused when forged or mangled."""

import base64
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canteen.errors import InvalidInput
from canteen.pagination import MAX_ID, _decode, _encode

ids = st.integers(min_value=0, max_value=MAX_ID)


def assert_refused(cursor: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        _decode(cursor)
    assert caught.value.status == 422
    assert caught.value.code == "validation_error"
    assert caught.value.errors[0].field == "cursor"


def b64(text: bytes) -> str:
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


@given(ids)
def test_a_cursor_decodes_to_the_id_it_was_made_from(last_id: int) -> None:
    assert _decode(_encode(last_id)) == last_id


@given(ids)
def test_a_cursor_is_safe_in_a_query_string(last_id: int) -> None:
    assert re.fullmatch(r"[A-Za-z0-9_-]+", _encode(last_id))


@given(ids, ids)
def test_different_ids_give_different_cursors(a: int, b: int) -> None:
    assert (_encode(a) == _encode(b)) == (a == b)


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "!!!",
        "abc",
        "12",
        "é",
        b64(b"id:"),
        b64(b"id:-1"),
        b64(b"id:1.5"),
        b64(b"id: 5"),
        b64(b"id:5 "),
        b64(b"xx:5"),
        b64(b"ID:5"),
        b64(b"5"),
        b64(b"\xff\xfe"),
        b64("id:²".encode()),
        b64(b"id:" + b"9" * 5000),
    ],
)
def test_garbage_cursors_are_refused_as_invalid_input(cursor: str) -> None:
    assert_refused(cursor)


@given(st.text())
def test_any_text_is_either_a_cursor_or_refused(cursor: str) -> None:
    try:
        value = _decode(cursor)
    except InvalidInput as exc:
        assert exc.errors[0].field == "cursor"
    else:
        assert value >= 0


@given(st.binary())
def test_any_encoded_bytes_are_either_a_cursor_or_refused(raw: bytes) -> None:
    try:
        value = _decode(b64(raw))
    except InvalidInput as exc:
        assert exc.errors[0].field == "cursor"
    else:
        assert value >= 0
        assert raw.startswith(b"id:")


def test_a_cursor_beyond_any_id_is_refused():
    with pytest.raises(InvalidInput):
        _decode(_encode(MAX_ID + 1))
