"""What an elder must not, or cannot, eat: the diet flags the counter warns on. Pure, no I/O.

A flag is either one of a fixed vocabulary (``diabetic``, ``low_salt`` ...), which a menu's
dish tags and a policy rule can match, or an allergy written as people say it: ``allergy:``
followed by free text in Chinese or English (``allergy:花生``, ``allergy:shellfish``). The
free text is shown to a cashier in a queue, so it is short, on one line, and holds no
control or formatting character (a right-to-left override could make ``花生`` read as
something else).

>>> check("allergy: 花生 ")
'allergy:花生'
>>> check("low_salt")
'low_salt'
"""

import unicodedata

from canteen.errors import InvalidInput

FLAGS = ("diabetic", "low_salt", "low_fat", "soft_food", "vegetarian", "halal")
"""The fixed vocabulary, in the order forms list them."""
ALLERGY = "allergy:"
MAX_ALLERGY_CHARS = 20
"""Enough for 花生、芝麻、海鲜 or "shellfish"; a sentence belongs in a note, not on the counter."""
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Control, format (bidi overrides, zero-width), surrogate, private-use, unassigned, and line
or paragraph separators: none is text a person typed to be read."""


def _refused(flag: str, why: str) -> InvalidInput:
    return InvalidInput.on("dietary", f"{flag!r}: {why}")


def allergen(flag: str) -> str | None:
    """What an ``allergy:`` flag names, or None for a flag of the vocabulary."""
    return flag.removeprefix(ALLERGY) if flag.startswith(ALLERGY) else None


def check(flag: str) -> str:
    """The flag as stored (an allergy's text trimmed and NFC-normalised), or ``InvalidInput``."""
    if flag in FLAGS:
        return flag
    if not flag.startswith(ALLERGY):
        known = ", ".join(FLAGS)
        raise _refused(flag, f"one of {known}, or {ALLERGY} and what the elder is allergic to")
    text = unicodedata.normalize("NFC", flag.removeprefix(ALLERGY)).strip()
    if not text:
        raise _refused(flag, "say what the elder is allergic to after 'allergy:'")
    if len(text) > MAX_ALLERGY_CHARS:
        raise _refused(flag, f"an allergy is at most {MAX_ALLERGY_CHARS} characters")
    if any(unicodedata.category(char) in _REFUSED_CATEGORIES for char in text):
        raise _refused(flag, "control and formatting characters are not allowed")
    return ALLERGY + text


def check_all(flags: list[str]) -> list[str]:
    """Every flag checked, each once, sorted (the vocabulary's before the allergies)."""
    return sorted({check(flag) for flag in flags}, key=lambda f: (f.startswith(ALLERGY), f))
