"""Printing meal cards: A4 sheets of wallet-size cards, as PDF.

A card is ID-1 size (85.6 x 54 mm, a bank card's), drawn at 300 dpi in black and white:
the QR code and the text stay sharp on any office laser printer, and a bilevel page
compresses to a few dozen kilobytes (CCITT G4). Ten cards go on an A4 sheet, 2 across and
5 down, each with a hairline to cut along, so a district office prints its elders' cards on
plain paper (or on 10-up card sheets) and laminates them.

Each card shows, for an elder who may see poorly: the canteen's name (or the generic
``长者助餐卡``), their name in large type, large help text (走失请扫码联系家人 among it), the
serial to read out on the phone, and the QR code (3 cm with its quiet zone) of the card's URL
form (``qr_url``): a passer-by's phone camera opens the found-elder page, and the counter's
scanner reads it as the card.

Drawing is CPU-bound (a card takes about 3 ms, half of it the QR code: see ``qr.matrix``;
Pillow then spends some 20-40 ms compressing each page), so on a machine with several CPUs
the pages are drawn in worker processes while this one writes the PDF. Nothing here touches
the database. Chinese needs a CJK font: Noto Sans CJK,
found with ``fc-match`` or in the usual directories (``apt-get install fonts-noto-cjk``).
"""

import io
import os
import shutil
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import TextIO

from PIL import Image, ImageDraw, ImageFont

from canteen.cards import qr
from canteen.errors import CanteenError

DPI = 300
CARD_MM = (85.6, 53.98)
"""ISO/IEC 7810 ID-1, the size of a bank card: it fits the wallet and the card holder."""
COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS
QR_SIDE_MM = 31.2
"""The printed code with its quiet zone: the modules are as large as fit (a version 4 code,
the URL form of a card at a short address, gets 0.76 mm modules, easy for a counter scanner)."""
HELP_LINES = ("就餐时请出示此卡", "走失请扫码联系家人", "遗失请联系食堂")
PDF_TITLE = "长者助餐卡"
SAVE_BATCH = 8
"""Pages handed to Pillow's PDF writer at once: bounds memory (8.7 MB per page image)."""
POOL_MIN_PAGES = 3
"""Below this, starting processes costs more than it saves."""

WHITE, BLACK = 1, 0

FONT_DIRS = (
    "/usr/share/fonts/opentype/noto",  # Debian, Ubuntu: fonts-noto-cjk
    "/usr/share/fonts/noto-cjk",  # Arch
    "/usr/share/fonts/google-noto-cjk",  # Fedora
    "/usr/share/fonts/opentype/noto-cjk",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "~/Library/Fonts",  # macOS, installed by hand or with Homebrew
)
FONT_FILES = {
    False: ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf"),
    True: ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf", "NotoSansSC-Bold.otf"),
}
FAMILY = "Noto Sans CJK SC"
"""The Simplified Chinese face: a ``.ttc`` holds the Japanese, Korean and both Chinese ones."""


class CjkFontMissing(CanteenError):
    """Raised when no Chinese font is installed: the cards would print as empty boxes."""

    code = "cjk_font_missing"
    title = "No Chinese font installed for printing"


@dataclass(frozen=True)
class CardFace:
    """What one printed card shows. ``payload`` is the QR text, a bearer credential."""

    diner_id: int
    title: str
    """The diner's home canteen, or the generic 长者助餐卡."""
    name: str
    serial: str
    payload: str
    url: str
    """The QR code's text: the payload's URL form (``<public url>/q/<payload>``)."""


@dataclass(frozen=True)
class FontFace:
    path: str
    index: int


@dataclass(frozen=True)
class Fonts:
    regular: FontFace
    bold: FontFace


def mm(length: float) -> int:
    """Pixels at 300 dpi."""
    return round(length * DPI / 25.4)


CARD_PX = (mm(CARD_MM[0]), mm(CARD_MM[1]))
PAGE_PX = (mm(210), mm(297))
COLUMN_GAP, ROW_GAP = mm(8), mm(1.75)
"""Room to cut between cards; the sheet's margins are what is left, centred."""


# --- Fonts ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def find_fonts() -> Fonts:
    """Noto Sans CJK SC, regular and bold (bold falls back to regular); else ``CjkFontMissing``.

    Found once per process; a failure is not remembered, so installing the font is enough.
    """
    regular = _find_face(bold=False)
    if regular is None:
        raise CjkFontMissing(
            f"No Chinese font ({FAMILY}) was found, by fc-match or in {', '.join(FONT_DIRS)}. "
            "Install it (Debian, Ubuntu: apt-get install fonts-noto-cjk; Fedora: dnf install "
            "google-noto-sans-cjk-fonts) and print again."
        )
    return Fonts(regular=regular, bold=_find_face(bold=True) or regular)


def _find_face(bold: bool) -> FontFace | None:
    return _fc_match(bold) or _search_dirs(bold)


def _fc_match(bold: bool) -> FontFace | None:
    """What fontconfig picks, if it is really Noto CJK (it always answers with *some* font)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    pattern = FAMILY + (":style=Bold" if bold else ":style=Regular")
    try:
        done = subprocess.run(  # noqa: S603 (a fixed pattern, no user input)
            [fc_match, "-f", "%{file}:%{index}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = done.stdout.rpartition(":")
    if done.returncode != 0 or not path or not index.isdigit():
        return None
    face = FontFace(path, int(index))
    return face if _family(face) == FAMILY else None


def _search_dirs(bold: bool) -> FontFace | None:
    for directory in FONT_DIRS:
        for name in FONT_FILES[bold]:
            path = Path(directory).expanduser() / name
            if path.is_file():
                face = _sc_face_in(str(path))
                if face is not None:
                    return face
    return None


def _sc_face_in(path: str) -> FontFace | None:
    """The Simplified Chinese face of a font collection (or the font itself, for an .otf)."""
    for index in range(16):  # Noto's collections hold 10 faces
        if _family(FontFace(path, index)) in (FAMILY, "Noto Sans SC"):
            return FontFace(path, index)
    return None


def _family(face: FontFace) -> str | None:
    try:
        return ImageFont.truetype(face.path, 12, index=face.index).getname()[0]
    except OSError:
        return None


@lru_cache(maxsize=64)
def _font(face: FontFace, size: int) -> ImageFont.FreeTypeFont:
    """Cached per process: loading a 20 MB collection per card would dominate."""
    return ImageFont.truetype(
        face.path, size, index=face.index, layout_engine=ImageFont.Layout.BASIC
    )


def _fitting(face: FontFace, text: str, size: int, width: int) -> ImageFont.FreeTypeFont:
    """The largest font up to ``size`` in which ``text`` fits ``width`` pixels."""
    font = _font(face, size)
    length = font.getlength(text)
    if length > width:
        font = _font(face, max(int(size * width / length), 8))
    return font


# --- A card, a page ------------------------------------------------------------------------


def render_card(face: CardFace, fonts: Fonts) -> Image.Image:
    """One card, black on white, 1011 x 638 pixels."""
    card = _blank_card(face.title, fonts).copy()
    draw = ImageDraw.Draw(card)
    modules = qr.matrix(face.url)
    code = qr.image_of(modules, qr_module_px(modules))
    code_left = CARD_PX[0] - code.width - mm(1)
    card.paste(code, (code_left, mm(11.5)))
    serial = f"卡号 {face.serial}"
    serial_font = _fitting(fonts.regular, serial, mm(3.4), code.width - mm(5))
    serial_at = (code_left + code.width // 2, mm(47))
    draw.text(serial_at, serial, font=serial_font, fill=BLACK, anchor="ms")
    name_font = _fitting(fonts.bold, face.name, mm(10.5), code_left - mm(6))
    draw.text((mm(5), mm(27)), face.name, font=name_font, fill=BLACK, anchor="ls")
    return card


def qr_module_px(modules: qr.Matrix) -> int:
    """Pixels a module, so that the code with its quiet zone fits ``QR_SIDE_MM``."""
    return mm(QR_SIDE_MM) // (len(modules) + 2 * qr.BORDER)


@lru_cache(maxsize=32)
def _blank_card(title: str, fonts: Fonts) -> Image.Image:
    """What every card of one canteen shares: outline, title band and help text."""
    card = Image.new("1", CARD_PX, WHITE)
    draw = ImageDraw.Draw(card)
    radius, band = mm(3.18), mm(10)
    draw.rounded_rectangle((0, 0, CARD_PX[0] - 1, CARD_PX[1] - 1), radius, outline=BLACK, width=2)
    draw.rounded_rectangle(
        (0, 0, CARD_PX[0] - 1, band), radius, fill=BLACK, corners=(True, True, False, False)
    )
    label = "助餐卡" if title != PDF_TITLE else ""
    label_font = _font(fonts.regular, mm(4.2))
    label_width = int(label_font.getlength(label)) if label else 0
    title_font = _fitting(fonts.bold, title, mm(5.6), CARD_PX[0] - label_width - mm(12))
    draw.text((mm(4), band // 2), title, font=title_font, fill=WHITE, anchor="lm")
    if label:
        draw.text((CARD_PX[0] - mm(4), band // 2), label, font=label_font, fill=WHITE, anchor="rm")
    help_font = _font(fonts.regular, mm(4.3))
    draw.line((mm(5), mm(31), mm(50), mm(31)), fill=BLACK, width=2)
    for line, baseline in zip(HELP_LINES, (mm(37.5), mm(43.5), mm(49.5)), strict=True):
        draw.text((mm(5), baseline), line, font=help_font, fill=BLACK, anchor="ls")
    return card


def render_page(faces: Sequence[CardFace], fonts: Fonts) -> Image.Image:
    """An A4 sheet (2480 x 3508 pixels) with up to ten cards, filled row by row."""
    if len(faces) > PER_PAGE:
        raise ValueError(f"a page holds {PER_PAGE} cards, not {len(faces)}")
    page = Image.new("1", PAGE_PX, WHITE)
    left = (PAGE_PX[0] - COLUMNS * CARD_PX[0] - (COLUMNS - 1) * COLUMN_GAP) // 2
    top = (PAGE_PX[1] - ROWS * CARD_PX[1] - (ROWS - 1) * ROW_GAP) // 2
    for slot, face in enumerate(faces):
        row, column = divmod(slot, COLUMNS)
        x = left + column * (CARD_PX[0] + COLUMN_GAP)
        y = top + row * (CARD_PX[1] + ROW_GAP)
        page.paste(render_card(face, fonts), (x, y))
    return page


# --- PDF -----------------------------------------------------------------------------------

_ONE_THREAD_AT_A_TIME = threading.Lock()
"""The cached fonts share FreeType faces, which one thread at a time may use (the HTTP
endpoint draws in a thread pool)."""

Progress = Callable[[int, int], None]
"""Called with (cards done, cards in all) as pages are drawn."""


def pages_of(faces: Sequence[CardFace]) -> list[Sequence[CardFace]]:
    return [faces[i : i + PER_PAGE] for i in range(0, len(faces), PER_PAGE)]


def pdf_bytes(faces: Sequence[CardFace]) -> bytes:
    """A small PDF in memory (one card, a few pages), drawn in this process."""
    if not faces:
        raise ValueError("no cards to print")
    fonts = find_fonts()
    with _ONE_THREAD_AT_A_TIME:
        first, *rest = [render_page(page, fonts) for page in pages_of(faces)]
    buffer = io.BytesIO()
    first.save(buffer, "PDF", save_all=True, append_images=rest, resolution=DPI, title=PDF_TITLE)
    return buffer.getvalue()


def write_pdf(
    faces: Sequence[CardFace],
    path: Path,
    *,
    progress: Progress | None = None,
    workers: int | None = None,
) -> int:
    """Write every card to ``path``, ten to a page; returns the number of pages.

    Pages are drawn by ``workers`` processes (default: one per CPU but one, which is left
    to this process for writing) and written a few at a time, so memory stays flat however
    many cards there are. The file appears complete or not at all, readable only by its
    owner: every QR code in it works as the card.
    """
    if not faces:
        raise ValueError("no cards to print")
    fonts = find_fonts()
    pages = pages_of(faces)
    partial = path.with_name(path.name + ".part")
    done = written = 0
    batch: list[Image.Image] = []
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)
    try:
        for page, image in zip(pages, _drawn(pages, fonts, workers), strict=True):
            batch.append(image)
            done += len(page)
            if progress is not None:
                progress(done, len(faces))
            if len(batch) == SAVE_BATCH or done == len(faces):
                _save(batch, partial, append=written > 0)
                written, batch = written + len(batch), []
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return len(pages)


def _save(images: list[Image.Image], path: Path, append: bool) -> None:
    """Pillow's PDF writer: each page one bilevel image at 300 dpi (CCITT G4 inside).

    After the first batch the pages are appended (a PDF incremental update), so no more
    than one batch of page images is ever held.
    """
    first, *rest = images
    first.save(
        path,
        "PDF",
        save_all=True,
        append_images=rest,
        append=append,
        resolution=DPI,
        title=PDF_TITLE,
    )
    for image in images:
        # Saving leaves a reference cycle among the images (through ``encoderinfo``) that
        # the garbage collector may leave for long: let each page's 8.7 MB go now.
        image.close()


def default_workers() -> int:
    """Processes to draw pages in: every CPU this process may use, but one for writing."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(cpus - 1, 1)


def _drawn(
    pages: list[Sequence[CardFace]], fonts: Fonts, workers: int | None
) -> Iterator[Image.Image]:
    """The pages' images in order: drawn here, or in worker processes a few pages ahead."""
    workers = workers or default_workers()
    if workers < 2 or len(pages) < POOL_MIN_PAGES:
        for page in pages:
            with _ONE_THREAD_AT_A_TIME:  # the server prints batches and single cards at once
                image = render_page(page, fonts)
            yield image
        return
    # "spawn": forking a process that runs an event loop and database threads is unsafe.
    with ProcessPoolExecutor(min(workers, len(pages)), mp_context=get_context("spawn")) as pool:
        waiting = iter(pages)
        ahead: deque[Future[bytes]] = deque(
            pool.submit(_page_bits, page, fonts) for page in islice(waiting, 3 * workers)
        )
        while ahead:
            bits = ahead.popleft().result()
            for page in islice(waiting, 1):
                ahead.append(pool.submit(_page_bits, page, fonts))
            yield Image.frombytes("1", PAGE_PX, bits)


def _page_bits(faces: Sequence[CardFace], fonts: Fonts) -> bytes:
    """In a worker: one page, one bit a pixel (1.1 MB to send back rather than 8.7 MB)."""
    return render_page(faces, fonts).tobytes()


# --- The command line's progress bar --------------------------------------------------------


class ProgressBar:
    """``[##########----------]  500/1000 cards`` on standard error, redrawn in place.

    Drawn only on a terminal: in a log file, a line per page would be noise.
    """

    def __init__(self, stream: TextIO = sys.stderr, width: int = 30) -> None:
        self.stream, self.width = stream, width

    def __call__(self, done: int, total: int) -> None:
        if not self.stream.isatty():
            return
        filled = self.width * done // total
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done:>{len(str(total))}}/{total} cards")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()
