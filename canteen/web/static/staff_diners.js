/* Finding an elder as the clerk types (/staff/diners): each pause in typing asks
 * GET /api/v1/diners?q= (name, phone, or the last 4 of the ID number) and redraws the table;
 * an answer that arrives after a newer question is dropped. The page works without this
 * script too: the search box is a plain GET form. */
import { ApiError, api, yuan } from "/static/page.js";

(() => {
  const table = document.getElementById("diners");
  const box = document.getElementById("diner-q");
  if (!table || !box) return;
  const status = document.getElementById("diner-status");
  const count = document.getElementById("diner-count");
  const L = JSON.parse(table.dataset.labels);
  const n = (key, value) => L[key].replace("{n}", value);
  const money = (fen) => `${fen < 0 ? "-" : ""}¥${yuan(Math.abs(fen)).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`;
  let asked = 0;
  let timer = null;

  function cell(row, text, className) {
    const td = row.insertCell();
    if (className) td.className = className;
    td.textContent = text;
    return td;
  }

  function draw(items, more) {
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const d of items) {
      const row = body.insertRow();
      row.className = `status-${d.status}`;
      const who = row.insertCell();
      const link = document.createElement("a");
      link.href = `/staff/diners/${d.id}`;
      link.textContent = d.name;
      const small = document.createElement("small");
      small.textContent = `${L[`gender_${d.gender}`]} · ${n("age", d.age)}`;
      who.append(link, small);
      cell(row, d.id_number_masked || "–", "mono");
      cell(row, d.phone || "–");
      cell(row, `${d.district || ""}${d.street || ""}`);
      const kinds = row.insertCell();
      for (const c of d.categories || []) {
        const tag = document.createElement("span");
        tag.className = "tag";
        tag.textContent = L[`cat_${c}`] || c;
        kinds.append(tag);
      }
      const state = document.createElement("span");
      state.className = "badge";
      state.textContent = L[`status_${d.status}`];
      row.insertCell().append(state);
      cell(row, money(d.balance_fen), "num");
    }
    if (!items.length) {
      const td = cell(body.insertRow(), L.none, "empty");
      td.colSpan = 7;
    }
    count.textContent = n("found", items.length) + (more ? ` · ${n("more", items.length)}` : "");
  }

  async function search() {
    const params = new URLSearchParams();
    if (box.value.trim()) params.set("q", box.value.trim());
    if (status.value) params.set("status", status.value);
    const mine = ++asked;
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
    try {
      const page = await api("GET", `/diners?${query}${query ? "&" : ""}limit=50`);
      if (mine === asked) draw(page.items, Boolean(page.next_cursor));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (mine === asked) count.textContent = error.detail || error.code;
    }
  }

  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  status.addEventListener("change", search);
})();
