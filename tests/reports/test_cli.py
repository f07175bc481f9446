"""``canteen report claims|sustainability`` and ``canteen finance add`` on the October data."""

import asyncio
import json
import os
import sys

import openpyxl

from tests.cli_runner import canteen_in_process


def canteen_cli(database_url: str, *args: str) -> tuple[int, str, str]:
    """``canteen <args>``, run in this process (``tests/cli_runner.py``)."""
    ran = canteen_in_process(database_url, *args)
    return ran.code, ran.out, ran.err


async def canteen_process(database_url: str, *args: str) -> tuple[int, str, str]:
    """``canteen <args>`` in a process of its own, its stderr a real pipe."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "canteen.cli", *args,
        env={**os.environ, "CANTEEN_DATABASE_URL": database_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()


async def test_report_claims_writes_json_csv_and_xlsx(oct_2025, database_url, tmp_path):
    out_dir = tmp_path / "out"
    code, out, err = await canteen_process(
        database_url, "report", "claims", "--month", "2025-10", "--out", str(out_dir)
    )
    assert code == 0, err
    assert err == ""  # no progress bar in a pipe
    assert "2025-10: 3 subsidised meals, ¥18.00" in out
    assert "by funder: district ¥11.00, operator ¥3.00, street ¥4.00" in out
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == [
        "subsidy-claims-2025-10-diners.csv",
        "subsidy-claims-2025-10.csv",
        "subsidy-claims-2025-10.json",
        "subsidy-claims-2025-10.xlsx",
    ]
    document = json.loads((out_dir / "subsidy-claims-2025-10.json").read_text(encoding="utf-8"))
    assert document["totals"]["subsidy_fen"] == 1800 and len(document["diners"]) == 7
    book = openpyxl.load_workbook(out_dir / "subsidy-claims-2025-10.xlsx")
    assert len(book.sheetnames) == 3


async def test_report_sustainability_for_one_canteen(oct_2025, database_url, tmp_path):
    s = oct_2025
    code, out, err = canteen_cli(
        database_url, "report", "sustainability", "--from", "2025-10-01", "--to", "2025-10-31",
        "--canteen", str(s.canteen_b), "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 0, err
    assert "2025-10-01 to 2025-10-31: 1 meals, revenue ¥17.00, cost ¥0.00" in out
    name = f"sustainability-2025-10-01-2025-10-31-canteen-{s.canteen_b}"
    report = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
    assert report["subsidy_fen"] == 500 and report["canteen_id"] == s.canteen_b
    assert (tmp_path / f"{name}.csv").read_text(encoding="utf-8-sig").count("\n") == 32
    assert openpyxl.load_workbook(tmp_path / f"{name}.xlsx").sheetnames[0] == "汇总"


async def test_finance_add_records_in_yuan(oct_2025, database_url):
    s = oct_2025
    cid = str(s.canteen_b)
    code, out, err = canteen_cli(
        database_url, "finance", "add", "--canteen", cid, "--date", "2025-10-31",
        "--kind", "cost", "--category", "utilities", "--amount", "1234.50", "--note", "十月电费",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith(f"recorded cost utilities ¥1234.50 for canteen {cid} on 2025-10-31")
    listed = (await s.admin.get(f"/canteens/{cid}/finance")).json()["items"]
    assert [(e["amount_fen"], e["note"], e["created_by"]) for e in listed] == [
        (123_450, "十月电费", None)
    ]
    code, _, err = canteen_cli(
        database_url, "finance", "add", "--canteen", cid, "--date", "2025-10-31",
        "--kind", "grant", "--category", "rent", "--amount", "12.345",
    )  # fmt: skip
    assert code == 2 and "not an amount of yuan" in err
    code, _, err = canteen_cli(
        database_url, "finance", "add", "--canteen", cid, "--date", "2025-10-31",
        "--kind", "grant", "--category", "rent", "--amount", "12",
    )  # fmt: skip
    assert code == 2 and "category" in err
