/* A cash top-up for the person on screen: the amount to pay in, the cash counted, the change,
 * then the new balance.
 *
 * A top-up gets its Idempotency-Key when it is first sent and keeps it for every resend, so a
 * double tap or a retry after a lost answer credits once. While it is on its way nothing can be
 * sent again. A top-up whose answer was lost stays with its person, fields locked, until a
 * resend is answered: closed and reopened, the dialog offers only that resend, never a second
 * top-up that might credit twice. A refusal changed nothing: its key is dropped and the fields
 * can be corrected. */
import { fen, uuid, yuan } from "/static/page.js";
import * as counterApi from "./api.js";
import { counted, fieldError, showChange } from "./cash.js";
import { $, S, errorText, money, tr } from "./render.js";

const dialog = $("topup");
const amountInput = $("topup-amount");
const receivedInput = $("topup-received");
const open = { diner: null, onDone: null, sending: false, done: false };
const unsettled = new Map(); // diner id -> {key, amountFen, receivedFen}: sent, answer lost

function say(text, bad) {
  const line = $("topup-status");
  line.textContent = text || "";
  line.hidden = !text;
  line.classList.toggle("bad", Boolean(bad));
}

function lock(locked) {
  amountInput.readOnly = locked;
  receivedInput.readOnly = locked;
  document.querySelectorAll("#topup-quick button").forEach((b) => { b.disabled = locked; });
}

function updateChange() {
  const amount = fen(amountInput.value);
  const received = receivedInput.value.trim() ? receivedInput : amountInput;
  if (amount === null) $("topup-change").textContent = "–";
  else showChange(received, $("topup-change"), amount);
}

/** Top up ``diner`` ({id, name}) whose balance is ``balanceFen``; ``onDone(topup)`` after. */
export function openTopup(diner, balanceFen, onDone) {
  Object.assign(open, { diner, onDone, sending: false, done: false });
  $("topup-title").textContent = tr("topup_title", { name: diner.name });
  $("topup-balance").textContent = tr("balance_now", { amount: money(balanceFen) });
  $("topup-done").hidden = true;
  $("topup-send").hidden = false;
  $("topup-send").disabled = false;
  $("topup-close").textContent = S.close;
  $("topup-close").className = "ghost";
  fieldError(amountInput, "");
  fieldError(receivedInput, "");
  const lost = unsettled.get(diner.id);
  amountInput.value = lost ? yuan(lost.amountFen) : "";
  receivedInput.value = lost ? yuan(lost.receivedFen) : "";
  lock(Boolean(lost));
  $("topup-send").textContent = lost ? S.retry : S.topup_confirm;
  say(lost ? S.topup_unsettled : "", Boolean(lost));
  updateChange();
  dialog.showModal();
  (lost ? $("topup-send") : amountInput).focus();
}

/** The form as typed: ``{amountFen, receivedFen}``, or an error shown beside its field. */
function typed() {
  const amountFen = fen(amountInput.value);
  if (!amountFen) return fieldError(amountInput, S.bad_amount);
  const text = receivedInput.value.trim() || amountInput.value;
  const count = counted(text, amountFen);
  if (count.error) return fieldError(receivedInput, count.error);
  return { amountFen, receivedFen: count.received };
}

async function send(event) {
  event.preventDefault();
  if (open.done) return dialog.close();
  if (open.sending) return; // a double tap: the first is on its way with the key
  const diner = open.diner;
  const attempt = unsettled.get(diner.id) || { key: uuid(), ...typed() };
  if (!attempt.amountFen) return;
  open.sending = true;
  $("topup-send").disabled = true;
  lock(true);
  say(S.topup_sending);
  let topup;
  try {
    topup = await counterApi.topUp(diner.id, attempt.amountFen, attempt.key);
  } catch (error) {
    refused(error, diner, attempt);
    return;
  } finally {
    open.sending = false;
    $("topup-send").disabled = false;
  }
  unsettled.delete(diner.id);
  credited(topup, attempt);
}

/** A lost answer keeps the top-up and its key for a resend; a refusal lets the form be fixed. */
function refused(error, diner, attempt) {
  if (error.retryable) {
    unsettled.set(diner.id, attempt);
    $("topup-send").textContent = S.retry;
    say(S.topup_lost, true);
    $("topup-send").focus();
    return;
  }
  unsettled.delete(diner.id);
  lock(false);
  say("");
  // amount_fen is the one field sent: whatever the server says of it is its range
  const onAmount = (error.problem.errors || []).some((e) => e.field === "amount_fen");
  if (onAmount || error.code === "invalid_amount") fieldError(amountInput, S.err_invalid_amount);
  else say(errorText(error), true);
}

function credited(topup, attempt) {
  open.done = true;
  say("");
  $("topup-balance").textContent = tr("balance_now", { amount: money(topup.balance_fen) });
  $("topup-done").textContent = tr("topup_done", {
    amount: money(topup.amount_fen), change: money(attempt.receivedFen - attempt.amountFen),
  });
  $("topup-done").hidden = false;
  $("topup-send").hidden = true;
  $("topup-close").textContent = S.done;
  $("topup-close").className = "go";
  $("topup-close").focus();
  open.onDone(topup);
}

/** Wire the dialog; ``onClose()`` gives the keyboard back to the scanner's input. */
export function wireTopup({ onClick, onClose }) {
  $("topup-form").addEventListener("submit", send);
  for (const input of [amountInput, receivedInput]) {
    input.addEventListener("input", () => {
      fieldError(input, "");
      updateChange();
    });
  }
  onClick("#topup-quick .quick-amount", (b) => {
    if (amountInput.readOnly) return;
    amountInput.value = b.dataset.yuan;
    fieldError(amountInput, "");
    updateChange();
    amountInput.focus();
  });
  onClick("#topup-close", () => dialog.close());
  dialog.addEventListener("close", onClose);
}
