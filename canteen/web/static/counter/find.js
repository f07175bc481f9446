/* Finding a person by hand, when the card will not scan: an exact name or phone and the person
 * picked, or the serial printed on the card typed in; then a reason, and the 4 characters the
 * elder says. The sale itself then joins the queue like a scan; the server checks the serial
 * and the answer (a serial is printed in plain sight: it names the card, it proves nothing). */
import * as counterApi from "./api.js";
import { $, S, el, fill, tr } from "./render.js";

const dialog = $("find");
const found = { diner: null, serial: null, reason: null };

export function openFind() {
  found.diner = found.serial = found.reason = null;
  $("find-q").value = "";
  $("find-serial").value = "";
  $("find-answer").value = "";
  $("find-results").replaceChildren();
  document.querySelectorAll(".reason").forEach((b) => b.setAttribute("aria-pressed", "false"));
  $("find-sell").disabled = true;
  dialog.showModal();
  $("find-q").focus();
}

export function closeFind() {
  if (dialog.open) dialog.close();
}

function renderFound(diners) {
  if (!diners.length) {
    $("find-results").replaceChildren(el("li", S.search_none, "none"));
    return;
  }
  fill($("find-results"), diners, (d) => {
    const button = el("button", undefined, "person");
    button.type = "button";
    button.dataset.id = d.id;
    button.dataset.name = d.name;
    button.setAttribute("aria-pressed", "false");
    button.append(
      el("span", d.name, "person-name"),
      el("span", tr("age", { n: d.age }), "person-id"),
    );
    const li = el("li");
    li.append(button);
    return li;
  });
  updateSell();
}

function pickIn(selector, button) {
  document.querySelectorAll(selector).forEach((b) => {
    b.setAttribute("aria-pressed", String(b === button));
  });
}

function answer() {
  return $("find-answer").value.trim();
}

/** The card's serial typed in, shown as the one choice, already picked. */
function renderSerial(serial) {
  const button = el("button", tr("serial_picked", { serial }), "person");
  button.type = "button";
  button.dataset.serial = serial;
  button.setAttribute("aria-pressed", "true");
  const li = el("li");
  li.append(button);
  $("find-results").replaceChildren(li);
  updateSell();
}

/** Someone (found, or a serial), a reason, and the 4 characters the elder said: then the
 * quote asks the server. */
function ready() {
  return Boolean((found.diner || found.serial) && found.reason && answer().length === 4);
}

function updateSell() {
  $("find-sell").disabled = !ready();
}

/**
 * Wire the dialog. ``enqueue(who)`` takes the person to sell to, ``showError(error)`` a failed
 * look-up, ``onClose()`` gives the focus back to the scanner's input.
 */
export function wireFind({ onClick, enqueue, showError, onClose }) {
  async function search(event) {
    event.preventDefault();
    const q = $("find-q").value.trim();
    if (!q) return;
    let page;
    try {
      page = await counterApi.lookup(q);
    } catch (error) {
      closeFind();
      showError(error);
      return;
    }
    found.diner = found.serial = null;
    renderFound(page.items);
  }

  function useSerial(event) {
    event.preventDefault();
    const serial = $("find-serial").value.replace(/\s+/g, "").toUpperCase();
    if (!serial) return;
    found.diner = null;
    found.serial = serial;
    renderSerial(serial);
  }

  function sellFound() {
    if (!ready()) return;
    const unscanned = { manual_reason: found.reason, answer: answer() };
    const who = found.serial
      ? { ...unscanned, card_serial: found.serial }
      : { ...unscanned, diner_id: found.diner.id };
    closeFind();
    enqueue(who);
  }

  onClick("#find-open", openFind);
  onClick("#find-close", closeFind);
  onClick("#find-sell", sellFound);
  onClick(".person", (b) => {
    if (b.dataset.serial) return;
    found.serial = null;
    found.diner = { id: Number(b.dataset.id), name: b.dataset.name };
    pickIn(".person", b);
    updateSell();
  });
  onClick(".reason", (b) => {
    found.reason = b.dataset.reason;
    pickIn(".reason", b);
    updateSell();
  });
  $("find-form").addEventListener("submit", search);
  $("serial-form").addEventListener("submit", useSerial);
  $("find-answer").addEventListener("input", updateSell);
  dialog.addEventListener("close", onClose);
}
