"""A batch of cards printed by the server, telling how far it has got as it goes.

A district's batch runs to thousands of cards and takes seconds to minutes to draw
(``printing.write_pdf``), so the office's page shows a progress bar rather than a frozen
button. The drawing runs in a thread (it is CPU-bound, and in worker processes where there are
CPUs to spare); each page it finishes is handed to the event loop as a ``Drawn`` and the
caller relays it. Nothing is kept between requests: the PDF lives in a private temporary
directory for as long as the caller iterates, so any server process can run a batch and
none has to find another's (several processes serve PostgreSQL).

A caller that stops listening (the office closed the page) stops the drawing at its next
page, and the files go with it: every QR code in them works as the card.
"""

import asyncio
import shutil
import tempfile
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from canteen.cards import printing
from canteen.errors import CanteenError


class NothingToPrint(CanteenError):
    """Raised when no live card of a living diner matches what was asked to print."""

    status = 422
    code = "nothing_to_print"
    title = "No live cards match"


@dataclass(frozen=True)
class Drawn:
    """``done`` of ``total`` cards are drawn."""

    done: int
    total: int


@dataclass(frozen=True)
class Printed:
    """The finished PDF, readable until the caller asks the batch for more."""

    path: Path
    pages: int
    cards: int


class _Stopped(Exception):
    """Raised in the drawing thread when nobody is listening any more."""


async def print_batch(faces: Sequence[printing.CardFace]) -> AsyncIterator[Drawn | Printed]:
    """``Drawn(0, n)`` at once, a ``Drawn`` after each page, then one ``Printed``.

    Fails before the first item when the Chinese font is missing (``CjkFontMissing``).
    """
    if not faces:
        raise NothingToPrint("No live card of a living diner matches; nothing was printed.")
    printing.find_fonts()
    loop = asyncio.get_running_loop()
    news: asyncio.Queue[Drawn | None] = asyncio.Queue()
    stop = threading.Event()
    folder = Path(tempfile.mkdtemp(prefix="canteen-cards-"))
    path = folder / "cards.pdf"

    def progress(done: int, total: int) -> None:
        if stop.is_set():
            raise _Stopped
        loop.call_soon_threadsafe(news.put_nowait, Drawn(done, total))

    def draw() -> int:
        try:
            return printing.write_pdf(faces, path, progress=progress)
        finally:
            loop.call_soon_threadsafe(news.put_nowait, None)  # the end, whichever it was

    drawing = loop.run_in_executor(None, draw)
    try:
        yield Drawn(0, len(faces))
        while (drawn := await news.get()) is not None:
            yield drawn
        pages = await drawing  # raises what the drawing raised
        yield Printed(path, pages, len(faces))
    finally:
        stop.set()
        drawing.add_done_callback(_removing(folder))


def _removing(folder: Path) -> Callable[[asyncio.Future[int]], None]:
    """Once the drawing thread is over: its outcome taken (a stopped batch's ``_Stopped`` is
    expected, not worth a log line) and its files deleted."""

    def remove(drawing: asyncio.Future[int]) -> None:
        if not drawing.cancelled():
            drawing.exception()
        shutil.rmtree(folder, ignore_errors=True)

    return remove
