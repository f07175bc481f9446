"""The type checker's settings say what they mean.

`make lint` runs mypy over the package; the pure modules get every check of ``mypy --strict``
through an override that spells the flags out (``strict = true`` there would turn strict mode
on everywhere). These tests keep that list true: a flag mypy adds to ``--strict``, a pure
module renamed away (mypy does not say when a listed module is missing), or a pure module
that starts talking to a database would otherwise go unnoticed.
"""

import ast
import importlib.util
import tomllib
from pathlib import Path
from typing import Any

from mypy.main import define_options

ROOT = Path(__file__).resolve().parent.parent
IO_PACKAGES = {
    "aiosqlite",
    "asyncpg",
    "httpx",
    "pandas",
    "socket",
    "sqlite3",
    "starlette",
    "tortoise",
    "urllib",
    "uvicorn",
}
"""What a pure module must not import: databases, the network, the web framework, frames."""


def _mypy_config() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]


def _strict_override() -> dict[str, Any]:
    [override] = [o for o in _mypy_config()["overrides"] if o.get("disallow_any_generics")]
    return override


def _imported_packages(module: str) -> set[str]:
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.partition(".")[0])
    return found


def test_the_pure_modules_get_every_check_of_mypy_strict() -> None:
    settings = {**_mypy_config(), **_strict_override()}
    _, _, strict_assignments = define_options()
    missing = {flag: value for flag, value in strict_assignments if settings.get(flag) != value}
    assert missing == {}


def test_every_module_named_for_strict_checks_exists() -> None:
    modules = _strict_override()["module"]
    assert "canteen.money" in modules and "canteen.policies.engine" in modules
    assert [m for m in modules if importlib.util.find_spec(m) is None] == []


def test_the_strictly_checked_modules_do_no_io() -> None:
    impure = {
        module: sorted(_imported_packages(module) & IO_PACKAGES)
        for module in _strict_override()["module"]
    }
    assert {module: found for module, found in impure.items() if found} == {}
