"""``make run`` installs only ``requirements.lock``: every package the service imports must be
in it (httpx, used by the SMS and WeChat channels, was once only a test tool, and ``make run``
on a fresh machine then ended in ModuleNotFoundError)."""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OWN = {"canteen", "reports", "migrations"}


def _imported_top_level_names() -> set[str]:
    names: set[str] = set()
    for folder in ("canteen", "reports"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names.add(node.module.split(".")[0])
    return names - OWN - set(sys.stdlib_module_names)


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_package_the_service_imports_is_in_the_runtime_lock():
    locked = {
        _normalised(m.group(1))
        for m in re.finditer(
            r"^([A-Za-z0-9_.-]+)==", (ROOT / "requirements.lock").read_text(), re.M
        )
    }
    owners = packages_distributions()
    missing = {}
    for module in _imported_top_level_names():
        dists = owners.get(module, [module])
        if not any(_normalised(d) in locked for d in dists):
            missing[module] = dists
    assert missing == {}
