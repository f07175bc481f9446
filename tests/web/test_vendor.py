"""The vendored scripts are the releases their table names, byte for byte."""

import hashlib
import re
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "canteen" / "web" / "static" / "vendor"


def test_each_vendored_file_has_the_hash_its_table_records():
    table = (VENDOR / "README.md").read_text()
    rows = re.findall(r"^\| `([^`]+)` \|.*sha256 `([0-9a-f]{64})`", table, flags=re.MULTILINE)
    assert rows, "the table names no file"
    for name, digest in rows:
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    scripts = {p.name for p in VENDOR.glob("*.js")}
    assert scripts == {name for name, _ in rows}, "a vendored script the table does not name"
