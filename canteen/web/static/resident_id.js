/* PRC resident identity numbers (GB 11643-1999), checked in the browser as they are typed:
 * a copy of canteen/diners/resident_id.py's rules, so the enrolment form can say "the check
 * digit does not match" or "born 1949-12-31, 76 years old" before anything is sent. The server
 * checks again; tests/web/test_resident_id_js.py runs both on the same numbers (hypothesis
 * makes most of them) and fails on any difference.
 *
 * The checks run in the server's order, and a refusal names the same reason:
 * "shape" (not 17 digits and a digit or X), "date" (no such day), "range" (born before 1890
 * or after today), "check" (the ISO 7064 MOD 11-2 check character differs). Pure. */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = "10X98765432";
export const EARLIEST_BIRTH = "1890-01-01";
/** The characters Python's str.split() drops (str.isspace()): not quite JavaScript's \s. */
const SPACES = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;

/** The ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function checkChar(first17) {
  let total = 0;
  for (let i = 0; i < 17; i += 1) total += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[total % 11];
}

/** As typed, the way the server reads it: spaces dropped, a lower-case x made upper. */
export function normalise(text) {
  return String(text).replace(SPACES, "").toUpperCase();
}

function daysIn(year, month) {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** "YYYY-MM-DD" from the 8 digits of a birth date, or null when there is no such day. */
export function birthDateOf(digits8) {
  const year = Number(digits8.slice(0, 4));
  const month = Number(digits8.slice(4, 6));
  const day = Number(digits8.slice(6, 8));
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  return `${digits8.slice(0, 4)}-${digits8.slice(4, 6)}-${digits8.slice(6, 8)}`;
}

/** Whole years completed on ``on`` (both "YYYY-MM-DD"); a birthday counts from its day. */
export function ageOn(birth, on) {
  const had = on.slice(5) >= birth.slice(5);
  return Number(on.slice(0, 4)) - Number(birth.slice(0, 4)) - (had ? 0 : 1);
}

/**
 * ``parse("11010519491231002X", "2026-06-01")`` ->
 * ``{ok: true, number, birthDate: "1949-12-31", gender: "female", age: 76}``, or
 * ``{ok: false, reason: "shape" | "date" | "range" | "check"}``.
 */
export function parse(text, today) {
  const number = normalise(text);
  if (!/^[0-9]{17}[0-9X]$/.test(number)) return { ok: false, reason: "shape" };
  const birthDate = birthDateOf(number.slice(6, 14));
  if (birthDate === null) return { ok: false, reason: "date" };
  if (birthDate < EARLIEST_BIRTH || birthDate > today) return { ok: false, reason: "range" };
  if (checkChar(number.slice(0, 17)) !== number[17]) return { ok: false, reason: "check" };
  const gender = Number(number[16]) % 2 ? "male" : "female";
  return { ok: true, number, birthDate, gender, age: ageOn(birthDate, today) };
}
