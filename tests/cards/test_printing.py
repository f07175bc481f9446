"""Printed cards: ten ID-1 cards to an A4 page, Chinese text, the right QR code, many at once."""

import asyncio
import io
import math
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import ImageFont, PdfParser

from canteen import db
from canteen.canteens import service as canteens
from canteen.cards import printing, qr, service, token
from canteen.cards.printing import CardFace
from canteen.config import get_settings
from canteen.diners import service as diners
from canteen.roles import SYSTEM
from tests.cli_runner import Ran, canteen_in_process
from tests.conftest import make_user
from tests.factories import id_number

KEY = b"printing-test-key-32-bytes-long!"
NAMES = ("陈建国", "黄秀英", "欧阳德明", "李桂兰", "梁淑芬")


def faces(count: int) -> list[CardFace]:
    return [
        CardFace(
            i,
            "北京街长者饭堂" if i % 2 else service.GENERIC_TITLE,
            NAMES[i % len(NAMES)],
            f"MC{i:06d}-1",
            token.encode(i, KEY),
            token.url_of(token.encode(i, KEY), "http://127.0.0.1:8000"),
        )
        for i in range(1, count + 1)
    ]


def pages_in(document: Path | bytes) -> int:
    """Pages in the PDF, as Pillow's PDF parser reads them (after every incremental update)."""
    data = document if isinstance(document, bytes) else document.read_bytes()
    return len(PdfParser.PdfParser(buf=data).pages)


def qr_on(card, text: str) -> np.ndarray:
    """The QR code of ``text`` printed on a card image, read back module by module."""
    modules = len(qr.matrix(text))
    module_px = printing.qr_module_px(qr.matrix(text))
    side = (modules + 2 * qr.BORDER) * module_px
    left, top = printing.CARD_PX[0] - side - printing.mm(1), printing.mm(11.5)
    grey = np.array(card.convert("L"))[top : top + side, left : left + side]
    centres = (np.arange(modules) + qr.BORDER) * module_px + module_px // 2
    return grey[np.ix_(centres, centres)] < 128


@pytest.mark.parametrize("count", [1, 9, 10, 11, 23])
def test_ten_cards_go_on_each_a4_page(tmp_path, count):
    out = tmp_path / "cards.pdf"
    assert printing.write_pdf(faces(count), out, workers=1) == math.ceil(count / 10)
    assert pages_in(out) == math.ceil(count / 10)
    assert out.read_bytes().startswith(b"%PDF")


def test_many_pages_drawn_in_worker_processes(tmp_path):
    out = tmp_path / "cards.pdf"
    seen = []
    assert (
        printing.write_pdf(faces(95), out, workers=2, progress=lambda d, t: seen.append((d, t)))
        == 10
    )
    assert pages_in(out) == 10
    assert seen == [(min(10 * page, 95), 95) for page in range(1, 11)]


def test_the_file_is_private_and_never_left_half_written(tmp_path):
    out = tmp_path / "cards.pdf"
    printing.write_pdf(faces(3), out, workers=1)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600, "every QR code in it works as the card"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cards.pdf"]
    with pytest.raises(ValueError):
        printing.write_pdf([], tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists()


def test_one_card_in_memory_is_an_a4_pdf():
    document = printing.pdf_bytes(faces(1))
    assert document.startswith(b"%PDF") and pages_in(document) == 1


def test_a_card_is_id_1_size_at_300_dpi_with_the_cards_qr_code():
    face = faces(5)[4]
    card = printing.render_card(face, printing.find_fonts())
    assert card.size == (1011, 638) and card.mode == "1"
    assert (85.6 - 0.1) <= card.width / 300 * 25.4 <= (85.6 + 0.1)
    assert np.array_equal(qr_on(card, face.url), qr.matrix(face.url))


def test_a_long_name_is_shrunk_and_leaves_the_qr_code_whole():
    face = CardFace(
        1,
        "南华西街长者饭堂" * 3,
        "阿依古丽·买买提江·艾买提" * 2,
        "MC000001-1",
        token.encode(1, KEY),
        token.url_of(token.encode(1, KEY), "https://canteen.example.org"),
    )
    card = printing.render_card(face, printing.find_fonts())
    assert np.array_equal(qr_on(card, face.url), qr.matrix(face.url))


def test_chinese_is_drawn_with_a_chinese_font():
    fonts = printing.find_fonts()
    assert (
        ImageFont.truetype(fonts.regular.path, 40, index=fonts.regular.index).getname()[0]
        == "Noto Sans CJK SC"
    )
    font = ImageFont.truetype(fonts.bold.path, 60, index=fonts.bold.index)
    missing_glyph = font.getmask("\U0010fffd").getbbox()
    for char in "长者助餐卡就餐时请出示此卡遗失请联系食堂走失请扫码联系家人":
        assert font.getmask(char).getbbox() != missing_glyph, char


def test_without_a_chinese_font_the_error_says_what_to_install(
    monkeypatch, tmp_path, fresh_font_lookup
):
    monkeypatch.setattr(printing, "_fc_match", lambda bold: None)
    monkeypatch.setattr(printing, "FONT_DIRS", (str(tmp_path),))
    with pytest.raises(printing.CjkFontMissing) as caught:
        printing.write_pdf(faces(1), tmp_path / "x.pdf")
    assert "apt-get install fonts-noto-cjk" in caught.value.detail
    assert not (tmp_path / "x.pdf").exists()


def test_fonts_are_found_without_fc_match_too(monkeypatch, fresh_font_lookup):
    monkeypatch.setattr(printing, "_fc_match", lambda bold: None)
    fonts = printing.find_fonts()
    assert "NotoSansCJK-Bold" in fonts.bold.path and fonts.regular.index == fonts.bold.index


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_redraws_one_line_on_a_terminal():
    terminal = Terminal()
    bar = printing.ProgressBar(terminal, width=10)
    bar(500, 1000)
    bar(1000, 1000)
    assert terminal.getvalue() == "\r[#####-----]  500/1000 cards\r[##########] 1000/1000 cards\n"
    log = io.StringIO()
    printing.ProgressBar(log)(1, 2)
    assert log.getvalue() == ""


# --- What gets printed, from the database ------------------------------------------------


async def enrol(name: str, canteen_id: int | None) -> int:
    diner = await diners.enrol(SYSTEM, name=name, id_number=id_number(), home_canteen_id=canteen_id)
    return diner.id


async def sample(admin) -> dict[str, int]:
    """Two canteens' diners, one without a home canteen, one deceased, one with a revoked card."""
    made = {}
    for name in ("东", "西"):
        canteen = await canteens.create_canteen(
            SYSTEM,
            name=f"{name}街长者饭堂",
            address="",
            district="",
            street="",
            timezone=None,
            default_timezone="Asia/Shanghai",
        )
        made[name] = canteen.id
    made["west_diner"] = await enrol("王西", made["西"])
    made["east_diner"] = await enrol("陈东", made["东"])
    made["homeless"] = await enrol("李无", None)
    made["deceased"] = await enrol("周故", made["东"])
    made["revoked"] = await enrol("吴废", made["东"])
    for key in ("west_diner", "east_diner", "homeless", "deceased", "revoked"):
        await service.issue(admin, made[key])
    await service.issue(admin, made["east_diner"])  # re-issued: only the new card prints
    await diners.update(admin, made["deceased"], {"status": "deceased"})
    revoked = await service.list_for_diner(admin, made["revoked"], 1, None)
    await service.revoke(admin, revoked.items[0].id, "lost")
    return made


async def test_printable_cards_are_the_live_cards_of_living_diners_by_canteen(database):
    admin = await make_user("admin")
    made = await sample(admin)
    everyone = await service.printable(admin)
    assert [(f.diner_id, f.title, f.serial[-2:]) for f in everyone] == [
        (made["east_diner"], "东街长者饭堂", "-2"),
        (made["west_diner"], "西街长者饭堂", "-1"),
        (made["homeless"], "长者助餐卡", "-1"),
    ]
    for face in everyone:
        _, diner = await service.resolve(face.payload)
        assert diner.id == face.diner_id and diner.name == face.name
        assert face.url == f"{get_settings().public_url}/q/{face.payload}"
        assert "走失请扫码联系家人" in printing.HELP_LINES
        _, by_url = await service.resolve(face.url)  # a counter scanner reading a printed card
        assert by_url.id == face.diner_id
    east = await service.printable(SYSTEM, canteen_id=made["东"])
    assert [f.diner_id for f in east] == [made["east_diner"]]
    chosen = await service.printable(SYSTEM, diner_ids=[made["homeless"], made["revoked"]])
    assert [f.diner_id for f in chosen] == [made["homeless"]]


def run_canteen(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CANTEEN_DATABASE_URL": f"sqlite://{tmp_path}/cli.sqlite3"}
    command = [str(Path(sys.executable).parent / "canteen"), *args]
    return subprocess.run(
        command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )


def canteen_here(tmp_path: Path, *args: str) -> Ran:
    """The same command run in this process (``tests/cli_runner.py``), in ``tmp_path``."""
    return canteen_in_process(f"sqlite://{tmp_path}/cli.sqlite3", *args, cwd=tmp_path)


def test_the_command_prints_live_cards_to_a_pdf(tmp_path, sqlite_template):
    """The first run is the console script in a process of its own; the rest run in process."""
    url = f"sqlite://{tmp_path}/cli.sqlite3"
    shutil.copy(sqlite_template, tmp_path / "cli.sqlite3")  # migrated once per session

    async def prepare() -> dict[str, int]:
        async with db.database(url, pool_size=1):
            return await sample(await make_user("admin"))

    made = asyncio.run(prepare())
    done = run_canteen(tmp_path, "cards", "print", "--out", "all.pdf")
    assert done.returncode == 0, done.stderr
    assert "3 cards on 1 A4 page in all.pdf" in done.stdout
    assert pages_in(tmp_path / "all.pdf") == 1

    ran = canteen_here(
        tmp_path, "cards", "print", "--canteen", str(made["西"]), "--out", "west.pdf"
    )
    assert ran.code == 0 and "1 card on 1 A4 page" in ran.out

    ran = canteen_here(
        tmp_path, "cards", "print", "--diner", str(made["revoked"]), "--out", "none.pdf"
    )
    assert ran.code == 1 and str(made["revoked"]) in ran.err
    assert "nothing printed" in ran.err and not (tmp_path / "none.pdf").exists()

    ran = canteen_here(tmp_path, "cards", "print", "--canteen", "999", "--out", "x.pdf")
    assert ran.code == 2 and "not_found" in ran.err
