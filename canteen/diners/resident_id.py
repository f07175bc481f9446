"""PRC resident identity numbers (GB 11643-1999): parse, check, mask. Pure, no I/O.

An 18-character number is: 6 digits of the issuing area, the birth date as YYYYMMDD, a
3-digit sequence (odd for men, even for women) and a check character computed with
ISO 7064 MOD 11-2 over the first 17 (``X`` stands for 10).

>>> rid = parse("11010519491231002X")
>>> rid.birth_date, rid.gender, rid.masked
(datetime.date(1949, 12, 31), 'female', '**************002X')
"""

from dataclasses import dataclass
from datetime import date

from canteen.errors import InvalidIdNumber

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH = date(1890, 1, 1)

# Why a number is refused, in the order the checks run. The enrolment page checks a number as
# it is typed with a copy of these rules in JavaScript (``web/static/resident_id.js``), which
# names the same four reasons; a test runs both on the same numbers.
WRONG_SHAPE = "must be 18 characters: 17 digits and a digit or X"
NOT_A_DATE = "the birth date in it is not a real date"
DATE_OUT_OF_RANGE = "the birth date in it is out of range"
WRONG_CHECK_DIGIT = "the check digit does not match (a digit may be mistyped)"


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    gender: str
    """``male`` or ``female``, from the parity of the sequence code."""

    @property
    def region_code(self) -> str:
        return self.number[:6]

    @property
    def last4(self) -> str:
        return self.number[-4:]

    @property
    def masked(self) -> str:
        """The only form that leaves the server (to the office alone): the last 4 kept."""
        return mask(self.number)


def check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def mask(number: str) -> str:
    """Every character but the last 4 starred. The first 6 (the area) are starred too: beside
    a birth date they would leave only the 3-digit sequence to guess, the check digit known."""
    return "*" * (len(number) - 4) + number[-4:]


def _invalid(message: str) -> InvalidIdNumber:
    return InvalidIdNumber.on("id_number", message)


def parse(text: str, today: date | None = None) -> ResidentId:
    """Validate and decompose a number; raises ``InvalidIdNumber`` saying what is wrong.

    Spaces are ignored and a lower-case ``x`` accepted, as people type them.
    """
    number = "".join(text.split()).upper()
    if (
        len(number) != 18
        or not number.isascii()
        or not number[:17].isdigit()
        or number[17] not in "0123456789X"
    ):
        raise _invalid(WRONG_SHAPE)
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise _invalid(NOT_A_DATE) from exc
    if birth < EARLIEST_BIRTH or (today is not None and birth > today):
        raise _invalid(DATE_OUT_OF_RANGE)
    if check_char(number[:17]) != number[17]:
        raise _invalid(WRONG_CHECK_DIGIT)
    gender = "male" if int(number[16]) % 2 else "female"
    return ResidentId(number, birth, gender)


def age_on(birth_date: date, on: date) -> int:
    """Whole years completed on ``on`` (a birthday counts from its day; 29 Feb from 1 Mar)."""
    had_birthday = (on.month, on.day) >= (birth_date.month, birth_date.day)
    return on.year - birth_date.year - (0 if had_birthday else 1)
