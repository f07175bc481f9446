"""The QR codes: the fast matrix is the qrcode package's own code, module for module."""

import io
import random
import string
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

from canteen.cards import qr, token

KEY = b"qr-test-key-32-bytes-long-enough"


def packages_own(payload: str) -> np.ndarray:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return np.array(code.get_matrix(), dtype=bool)


def payloads() -> list[str]:
    rng = random.Random(7)
    ids = [1, 5, 35, 36, 1295, 1296, 2**31 - 1, *rng.sample(range(1, 2**31), 300)]
    texts = [
        "".join(rng.choices(string.ascii_letters + string.digits + " .:/-", k=rng.randint(1, 400)))
        for _ in range(150)
    ]
    return [token.encode(i, KEY) for i in ids] + texts


def test_the_matrix_is_the_packages_code_with_the_packages_mask_choice():
    """Card payloads (version 2) and longer texts up to version 13 (with version information)."""
    versions = set()
    for payload in payloads():
        mine = qr.matrix(payload)
        assert np.array_equal(mine, packages_own(payload)), payload
        versions.add((mine.shape[0] - 17) // 4)
    assert {2, 7} <= versions and max(versions) >= 10


def test_a_card_payload_makes_a_version_2_code():
    assert qr.matrix(token.encode(2**31 - 1, KEY)).shape == (25, 25)


def modules_in(image: Image.Image, module_px: int, border: int = qr.BORDER) -> np.ndarray:
    """Read a QR image back: the colour at each module's centre (True is dark)."""
    grey = np.array(image.convert("L"))
    n = image.width // module_px - 2 * border
    centres = (np.arange(n) + border) * module_px + module_px // 2
    return grey[np.ix_(centres, centres)] < 128


@pytest.mark.parametrize("module_px", [1, 11])
def test_the_card_image_shows_that_matrix_with_a_quiet_zone(module_px):
    payload = token.encode(77, KEY)
    image = qr.image(payload, module_px)
    assert image.size == ((25 + 8) * module_px,) * 2
    assert np.array_equal(modules_in(image, module_px), qr.matrix(payload))
    quiet = np.array(image.convert("L"))[: 4 * module_px]
    assert quiet.min() == 255


def test_the_png_is_a_300_dpi_image_of_the_code():
    payload = token.encode(77, KEY)
    data = qr.png(payload)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    assert image.size == (330, 330)
    assert round(image.info["dpi"][0]) == 300
    assert np.array_equal(modules_in(image, qr.PNG_BOX), packages_own(payload))


def test_the_svg_is_a_29_7_mm_document():
    root = ET.fromstring(qr.svg(token.encode(77, KEY)))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("width") == root.get("height") == "29.7mm"
