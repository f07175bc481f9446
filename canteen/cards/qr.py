"""QR codes of card payloads: a PNG and an SVG for the API, a fast matrix for printing. Pure.

Every code uses error correction level M (15 % of it may be smudged or scratched away) and
the standard quiet zone of 4 modules. A card payload (under 30 characters, QR alphanumeric
mode) makes a version 2 code: 25 x 25 modules.

Why ``matrix`` does not simply ask the ``qrcode`` package: to pick the mask (the pattern
XOR-ed over the data so that the code has no large blank areas or finder look-alikes) the
package builds the code eight times in pure Python and scores each, about 4 ms a code,
three quarters of the time it takes to print a card. Here the code is built once, with
mask 0. The seven others differ from it by a pattern that depends only on the version and
the mask (the mask on the data modules, the format bits), never on the data: those
differences are taken once per version from the package itself, and the eight candidates
are scored together with numpy, the way ``qrcode.util.lost_point`` scores them. The result
is the package's own code, module for module (a test compares them), in about a quarter of
the time.
"""

import io
from functools import lru_cache

import numpy as np
import qrcode
import qrcode.image.svg
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

BORDER = 4
"""Light modules around the code, as the QR standard asks; scanners need them."""
PNG_BOX = 10
"""Pixels per module in the PNG: a version 2 code is 330 px, 28 mm when printed at 300 dpi."""
PNG_DPI = 300
SVG_BOX = 9
"""The SVG's module is 0.9 mm (the package counts 10 per mm): 29.7 mm with the quiet zone."""
MASKS = 8
FINDER_LIKE = np.array(
    [[1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1]], dtype=bool
)
"""Dark-light-dark(3)-light-dark with 4 light modules on one side: looks like a finder."""

Matrix = NDArray[np.bool_]


def _code(
    payload: str, box_size: int, border: int, mask: int | None = None, version: int | None = None
) -> qrcode.QRCode:
    """The code of ``payload``; the smallest version that fits, and the package's best mask,
    unless given."""
    code = qrcode.QRCode(
        version=version,
        error_correction=ERROR_CORRECT_M,
        box_size=box_size,
        border=border,
        mask_pattern=mask,
    )
    code.add_data(payload)
    code.make(fit=version is None)
    return code


def png(payload: str) -> bytes:
    """A black-and-white PNG that says it is 300 dpi, so it prints 28 mm wide."""
    buffer = io.BytesIO()
    _code(payload, PNG_BOX, border=BORDER).make_image().save(
        buffer, format="PNG", dpi=(PNG_DPI, PNG_DPI)
    )
    return buffer.getvalue()


def svg(payload: str) -> bytes:
    """A standalone SVG document: one path, sized in millimetres."""
    code = _code(payload, SVG_BOX, border=BORDER)
    document: bytes = code.make_image(image_factory=qrcode.image.svg.SvgPathImage).to_string(
        encoding="UTF-8"
    )
    return document


def image(payload: str, module_px: int) -> Image.Image:
    """The code with its quiet zone as a bilevel image, ``module_px`` pixels a module."""
    return image_of(matrix(payload), module_px)


def image_of(modules: Matrix, module_px: int) -> Image.Image:
    """``modules`` (a ``matrix``) with its quiet zone as a bilevel image."""
    light = ~np.pad(modules, BORDER)
    small = Image.fromarray(light.astype(np.uint8) * 255).convert("1", dither=Image.Dither.NONE)
    side = small.width * module_px
    return small.resize((side, side), Image.Resampling.NEAREST)


def matrix(payload: str) -> Matrix:
    """The modules (True is dark), without quiet zone, masked as the ``qrcode`` package would."""
    version, as_mask_0 = _built(payload, mask=0)
    candidates = as_mask_0[None] ^ _mask_changes(version)
    penalties = _penalties(candidates & ~_format_area(version))
    return candidates[int(np.argmin(penalties))]  # the first of equals, as the package picks


def _built(payload: str, mask: int, version: int | None = None) -> tuple[int, Matrix]:
    code = _code(payload, 1, border=0, mask=mask, version=version)
    return code.version, np.array(code.get_matrix(), dtype=bool)


@lru_cache(maxsize=40)
def _mask_changes(version: int) -> Matrix:
    """For each mask, what changes from mask 0: the same for any data of this version."""
    built = np.stack([_built("0", mask, version)[1] for mask in range(MASKS)])
    changes = built ^ built[0]
    changes.flags.writeable = False
    return changes


@lru_cache(maxsize=40)
def _format_area(version: int) -> Matrix:
    """Format (and version) information and the dark module (ISO/IEC 18004, 7.9 and 7.10).

    ``qrcode`` scores a mask with these left light, so they are cleared before scoring too.
    """
    n = 4 * version + 17
    area = np.zeros((n, n), dtype=bool)
    area[8, [0, 1, 2, 3, 4, 5, 7, 8]] = True
    area[[0, 1, 2, 3, 4, 5, 7], 8] = True
    area[8, n - 8 :] = True
    area[n - 8 :, 8] = True  # the last seven and the dark module above them
    if version >= 7:
        area[:6, n - 11 : n - 8] = True
        area[n - 11 : n - 8, :6] = True
    area.flags.writeable = False
    return area


def _penalties(stack: Matrix) -> NDArray[np.int64]:
    """ISO/IEC 18004 7.8.3 for each code in ``stack`` (masks, n, n), exactly as
    ``qrcode.util.lost_point`` counts it."""
    columns = stack.transpose(0, 2, 1)
    return (
        _runs(stack)
        + _runs(columns)
        + _blocks(stack)
        + _finder_like(stack)
        + _finder_like(columns)
        + _balance(stack)
    )


def _runs(stack: Matrix) -> NDArray[np.int64]:
    """Rows of five or more modules of one colour: 3, and 1 more for each module beyond five."""
    codes, n, _ = stack.shape
    edges = np.ones((codes * n, n + 1), dtype=bool)
    rows = stack.reshape(codes * n, n)
    edges[:, 1:-1] = rows[:, 1:] != rows[:, :-1]
    starts = np.flatnonzero(edges)
    lengths = np.diff(starts)  # from one row's end to the next row's start is 1: never counted
    long = lengths >= 5
    code_of_run = starts[:-1][long] // ((n + 1) * n)
    return np.bincount(code_of_run, weights=lengths[long] - 2, minlength=codes).astype(np.int64)


def _blocks(stack: Matrix) -> NDArray[np.int64]:
    """3 for each 2 x 2 block of one colour (blocks may overlap)."""
    corner = stack[:, :-1, :-1]
    same = (
        (corner == stack[:, :-1, 1:]) & (corner == stack[:, 1:, :-1]) & (corner == stack[:, 1:, 1:])
    )
    return 3 * same.sum(axis=(1, 2))


def _finder_like(stack: Matrix) -> NDArray[np.int64]:
    """40 for each 1:1:3:1:1 pattern with four light modules before or after it, in rows."""
    windows = sliding_window_view(stack, FINDER_LIKE.shape[1], axis=2)
    matches = (windows[..., None, :] == FINDER_LIKE).all(axis=-1).any(axis=-1)
    return 40 * matches.sum(axis=(1, 2))


def _balance(stack: Matrix) -> NDArray[np.int64]:
    """10 for each full 5 % by which the share of dark modules strays from half."""
    n = stack.shape[1]
    dark = stack.sum(axis=(1, 2))
    return (np.abs(dark * 100 / (n * n) - 50) // 5).astype(np.int64) * 10
