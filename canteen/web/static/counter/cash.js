/* Cash for a meal: what is due, the cash the cashier counts, the change to hand back. Nothing
 * here sells: the sale goes out with ``payment: "cash"`` like any other, through the queue, and
 * the account is not touched. The same counting serves a cash top-up (topup.js). */
import { fen, yuan } from "/static/page.js";
import { $, S, el, fill, money, tr } from "./render.js";

const NOTES_FEN = [1000, 2000, 5000, 10000]; // the notes an elder most often pays with
const dialog = $("cash-box");
let paid = null; // what to do with the amount received, while the dialog is open

/** The amounts a cashier may tap instead of typing: the exact sum, then notes that cover it. */
export function quickAmounts(dueFen) {
  return [dueFen, ...NOTES_FEN.filter((note) => note > dueFen).slice(0, 3)];
}

/** The cash received as typed, against what is due: ``{received, change}`` or ``{error}``. */
export function counted(text, dueFen) {
  const received = fen(text);
  if (received === null) return { error: S.bad_amount };
  if (received < dueFen) {
    return { error: tr("cash_too_little", { amount: money(dueFen - received) }) };
  }
  return { received, change: received - dueFen };
}

/** An error beside its field (or none), the field marked for screen readers and focused. */
export function fieldError(input, text) {
  const line = $(input.getAttribute("aria-describedby"));
  line.textContent = text || "";
  line.hidden = !text;
  input.setAttribute("aria-invalid", String(Boolean(text)));
  if (text) input.focus();
}

/** The change as the cashier types: shown once the amount covers what is due. */
export function showChange(input, out, dueFen) {
  const count = counted(input.value, dueFen);
  out.textContent = count.error ? "–" : money(count.change);
}

function due() {
  return Number(dialog.dataset.due);
}

/** Ask for the cash of a meal of ``dueFen``; ``onPaid(receivedFen)`` once it covers it. */
export function openCash(dueFen, onPaid) {
  paid = onPaid;
  dialog.dataset.due = dueFen;
  $("cash-due").textContent = money(dueFen);
  fill($("cash-quick"), quickAmounts(dueFen), (amount) => {
    const button = el("button", money(amount), "quick-amount");
    button.type = "button";
    button.dataset.yuan = yuan(amount);
    return button;
  });
  const input = $("cash-received");
  input.value = yuan(dueFen);
  fieldError(input, "");
  showChange(input, $("cash-change"), dueFen);
  dialog.showModal();
  input.focus();
  input.select();
}

function take(event) {
  event.preventDefault();
  const input = $("cash-received");
  const count = counted(input.value, due());
  if (count.error) return fieldError(input, count.error);
  const onPaid = paid;
  paid = null;
  dialog.close();
  onPaid(count.received);
}

/** Wire the dialog; ``onClose()`` gives the keyboard back to the scanner's input. */
export function wireCash({ onClick, onClose }) {
  const input = $("cash-received");
  $("cash-form").addEventListener("submit", take);
  input.addEventListener("input", () => {
    fieldError(input, "");
    showChange(input, $("cash-change"), due());
  });
  onClick("#cash-quick .quick-amount", (b) => {
    input.value = b.dataset.yuan;
    fieldError(input, "");
    showChange(input, $("cash-change"), due());
    input.focus();
  });
  onClick("#cash-close", () => dialog.close());
  dialog.addEventListener("close", () => {
    paid = null;
    onClose();
  });
}
