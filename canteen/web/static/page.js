/* What every page script shares: the page's words, its CSRF token, and money as integer fen.
 * Loaded (deferred) before the page's own script, which reads it from window.canteenPage. */
"use strict";

window.canteenPage = (() => {
  const CSRF = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  /** A translator over the words the server put in ``root.dataset.strings``. */
  function words(root) {
    const S = JSON.parse(root.dataset.strings || "{}");
    const tr = (key, values) => (S[key] || key).replace(
      /\{(\w+)\}/g, (_, name) => (values && name in values ? values[name] : ""));
    tr.has = (key) => key in S;
    return tr;
  }

  /** Yuan as typed ("12", "12.5", "1200.50") -> fen, by string arithmetic; else null. */
  function fen(text) {
    const m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text || "");
    if (!m) return null;
    return Number(m[1]) * 100 + Number((m[2] || "0").padEnd(2, "0"));
  }

  /** Fen as yuan with two decimals, in integers only (no float rounding on money). */
  function yuan(amount) {
    const sign = amount < 0 ? "-" : "";
    const abs = Math.abs(amount);
    return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
  }

  return { CSRF, words, fen, yuan };
})();
