"""Valid resident ID numbers and other test data, made the way the real ones are."""

import threading
from datetime import date, timedelta

from canteen.diners.resident_id import check_char

PROVINCES = (
    *range(11, 16),
    *range(21, 24),
    *range(31, 38),
    *range(41, 47),
    *range(50, 55),
    *range(61, 66),
)
"""The 31 mainland province-level codes of GB/T 2260, the first two digits of every address."""


def _regions() -> tuple[str, ...]:
    """Address codes shaped as GB/T 2260's (province, prefecture 01-09, county 01-19).

    440106 is left out: it is the region of numbers asked for by sequence code, so a number a
    test spells out never meets a generated one.
    """
    codes = (
        f"{province:02d}{prefecture:02d}{county:02d}"
        for province in PROVINCES
        for prefecture in range(1, 10)
        for county in range(1, 20)
    )
    return tuple(code for code in codes if code != "440106")


class ResidentIds:
    """Hands out resident ID numbers that never repeat, however many are asked for.

    A number is unique by (region, birth date, sequence code). For each birth date the
    sequence code runs 001..999 and then the region moves on, so a history of any length
    enrols each resident once (a sequence code that wrapped made hypothesis see the same
    number enrolled twice and call its data generation inconsistent). A
    caller that fixes the birth date (the diner's age matters to the test) gets
    ``len(regions) * 999`` numbers for it, and a clear error rather than a repeat beyond
    that. Without a birth date, numbers start at ``first_birth`` and move one day earlier
    each time a date is used up, never earlier than ``oldest_birth`` (a plausible elder).
    """

    SEQUENCE_CODES = 999

    def __init__(
        self,
        regions: tuple[str, ...],
        first_birth: date = date(1945, 1, 1),
        oldest_birth: date = date(1926, 1, 1),
    ) -> None:
        self.regions = regions
        self.first_birth, self.oldest_birth = first_birth, oldest_birth
        self.issued: dict[str, int] = {}
        self.default_birth = first_birth
        self.lock = threading.Lock()  # the ledger model draws from a thread of its own

    @property
    def per_birth_date(self) -> int:
        return len(self.regions) * self.SEQUENCE_CODES

    def next(self, birth: str | None = None) -> str:
        """The next unused number, born on ``birth`` (YYYYMMDD) if given."""
        with self.lock:
            birth = birth or self._default_birth()
            n = self.issued.get(birth, 0)
            if n >= self.per_birth_date:
                raise ValueError(f"all {self.per_birth_date} numbers born {birth} are used")
            self.issued[birth] = n + 1
        region, sequence = divmod(n, self.SEQUENCE_CODES)
        return number(self.regions[region], birth, sequence + 1)

    def _default_birth(self) -> str:
        while self.issued.get(f"{self.default_birth:%Y%m%d}", 0) >= self.per_birth_date:
            if self.default_birth <= self.oldest_birth:
                raise ValueError(f"every birth date back to {self.oldest_birth} is used")
            self.default_birth -= timedelta(days=1)
        return f"{self.default_birth:%Y%m%d}"


def number(region: str, birth: str, sequence: int) -> str:
    """The 18-character number of these parts, with its GB 11643 check character."""
    first17 = f"{region}{birth}{sequence:03d}"
    return first17 + check_char(first17)


_resident_ids = ResidentIds(_regions())


def id_number(birth: str | None = None, region: str = "440106", seq: int | None = None) -> str:
    """A valid 18-character number never handed out before in this process (default birth
    date 1 January 1945); with ``seq`` exactly the number of these parts (odd: male, even:
    female), for a test that spells it out.
    """
    if seq is not None:
        return number(region, birth or "19450101", seq)
    return _resident_ids.next(birth)
