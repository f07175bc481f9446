"""Valid resident ID numbers and other test data, made the way the real ones are."""

import itertools

from canteen.diners.resident_id import check_char

_sequence = itertools.count(1)


def id_number(birth: str = "19450101", region: str = "440106", seq: int | None = None) -> str:
    """A valid 18-character number; a fresh sequence code each call (odd: male, even: female)."""
    code = f"{(seq if seq is not None else next(_sequence)) % 1000:03d}"
    first17 = region + birth + code
    return first17 + check_char(first17)
