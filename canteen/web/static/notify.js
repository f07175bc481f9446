/* The family portal's choice of phone channels (/family): the ticked channels and the SMS
 * number go to PUT /me/notification-channels; the answer (the number masked) is shown. */
import { ApiError, api, words } from "/static/page.js";

(() => {
  const root = document.getElementById("channels");
  const form = document.getElementById("channels-form");
  if (!root || !form) return;
  const tr = words(root);
  const status = form.querySelector(".status");

  function say(text, bad) {
    status.hidden = !text;
    status.textContent = text || "";
    status.classList.toggle("bad", Boolean(bad));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const channels = Array.from(form.querySelectorAll("input[name=channels]:checked"), (i) => i.value);
    const body = { channels };
    const phone = form.querySelector("input[name=sms_phone]");
    if (phone && phone.value.trim()) {
      if (!/^1\d{10}$/.test(phone.value.trim())) { say(tr("bad_phone"), true); phone.focus(); return; }
      body.sms_phone = phone.value.trim();
    }
    say(tr("working"));
    try {
      const saved = await api("PUT", "/me/notification-channels", { body });
      say(`${tr("saved")}${saved.channels.includes("sms") && saved.sms_phone ? ` · ${saved.sms_phone}` : ""}`);
      if (phone) phone.value = "";
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const field = ((error.problem.errors || [])[0] || {}).field;
      if (field === "sms_phone") say(tr("need_phone"), true);
      else if (error.status === 0) say(tr("network"), true);
      else say(tr("failed", { detail: error.detail || error.code }), true);
    }
  });
})();
