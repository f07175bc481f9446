/* The found-elder page (/q/<qr_payload>): with the finder's leave, the browser's location goes
 * into the form's lat and lon (the page's Permissions-Policy allows geolocation here only).
 * The form works without this script; it only adds the location and a busy state. */
import { words } from "/static/page.js";

(() => {
  const root = document.getElementById("found");
  const form = document.getElementById("found-form");
  if (!root || !form) return;
  const tr = words(root);
  const locate = document.getElementById("locate");
  const status = document.getElementById("locate-status");
  const say = (text, bad) => {
    status.hidden = false;
    status.textContent = text;
    status.classList.toggle("bad", Boolean(bad));
  };

  if ("geolocation" in navigator) {
    locate.hidden = false;
    locate.addEventListener("click", () => {
      locate.disabled = true;
      say(tr("locating"));
      navigator.geolocation.getCurrentPosition(
        (where) => {
          document.getElementById("lat").value = where.coords.latitude.toFixed(5);
          document.getElementById("lon").value = where.coords.longitude.toFixed(5);
          say(tr("located"));
        },
        () => {
          locate.disabled = false;
          say(tr("locate_failed"), true);
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
      );
    });
  }

  form.addEventListener("submit", () => {
    const send = document.getElementById("send");
    send.disabled = true;
    send.textContent = tr("sending");
  });
})();
