"""Policies kept as files (JSON or TOML), as the office drafts them and ``docs/policies/`` has them.

A file holds the policy's fields at its top level. It may also hold ``examples``: sample meals
with the lines the policy must give them, which the loader leaves out and the tests price.
"""

import json
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from canteen.errors import FieldError, InvalidInput
from canteen.policies.schema import PolicyDocument, problems


def read(path: Path) -> dict[str, Any]:
    """The file's raw content; TOML when the name ends in ``.toml``, JSON otherwise."""
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise InvalidInput.on(
            "file", f"{path.name} is not valid {path.suffix[1:] or 'JSON'}: {exc}"
        ) from exc
    if not isinstance(data, dict):
        raise InvalidInput.on("file", f"{path.name} must hold an object at the top level")
    return data


def _named(data: dict[str, Any], loc: tuple[Any, ...], message: str) -> FieldError:
    """A field error that names the rule by its code, not only its position."""
    field = ".".join(str(part) for part in loc) or "policy"
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = data.get("rules")
        rule = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
        if isinstance(rule, dict) and isinstance(rule.get("code"), str):
            message = f"rule {rule['code']!r}: {message}"
    return FieldError(field, message)


def parse(data: dict[str, Any]) -> PolicyDocument:
    """A checked policy from raw data, or ``InvalidInput`` listing every problem by field."""
    fields = {key: value for key, value in data.items() if key != "examples"}
    try:
        policy = PolicyDocument.model_validate(fields)
    except ValidationError as exc:
        errors = [_named(fields, err["loc"], err["msg"]) for err in exc.errors(include_url=False)]
        raise InvalidInput("The policy is not well-formed.", errors=errors) from exc
    found = problems(policy)
    if found:
        raise InvalidInput("The policy has problems.", errors=found)
    return policy
