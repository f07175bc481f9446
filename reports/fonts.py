"""A font that draws Chinese, for the charts and the claim's PDF (matplotlib).

matplotlib's own font (DejaVu Sans) has no Chinese glyphs: a chart titled 各出资方应付补贴 comes
out as empty boxes. :func:`cjk_family` finds a CJK font on the system (Noto Sans CJK, installed
by ``make browser`` as ``fonts-noto-cjk``; or another common one), registering its files with
matplotlib's font manager when its cache was built before the font was installed, and
:func:`families` puts it behind DejaVu Sans, so Latin text and digits keep their usual look and
each Chinese character falls back to the CJK font.

Without any CJK font the charts and the PDF are drawn in English (:func:`language`), and the
server logs once what to install: a picture in the wrong language, never one of empty boxes.
"""

import functools
import logging

from matplotlib import font_manager

log = logging.getLogger(__name__)

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)
"""In order of preference: simplified-Chinese faces first (a TTC's SC face, not its JP one)."""
_FILE_HINTS = ("cjk", "wqy", "sourcehan", "notosanssc", "msyh", "simhei", "pingfang")
BASE = "DejaVu Sans"


@functools.cache
def cjk_family() -> str | None:
    """The first of :data:`CJK_FAMILIES` installed here, or None (logged once)."""
    known = {f.name for f in font_manager.fontManager.ttflist}
    if not known.intersection(CJK_FAMILIES):
        for path in font_manager.findSystemFonts():
            if any(hint in path.lower().replace("-", "") for hint in _FILE_HINTS):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # a broken file: try the next
                    continue
        known = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in known:
            return family
    log.warning(
        "No Chinese font found (install fonts-noto-cjk, e.g. with `make browser`): "
        "charts and claim PDFs are drawn in English."
    )
    return None


def families() -> list[str]:
    """The font family list for a text: DejaVu Sans, then the CJK font for what it lacks."""
    found = cjk_family()
    return [BASE, found] if found else [BASE]


def language(asked: str) -> str:
    """The language a picture can be drawn in: the one asked for, or English without a CJK
    font (Chinese would come out as empty boxes)."""
    return asked if asked == "en" or cjk_family() else "en"
