/* What a page's service worker does, once for every page kept on the device (the counter's,
 * the deliverer's): keep the page and the files it loads, serve them from the network first
 * (an online device always runs the newest page) and refresh the kept copy each time; with no
 * answer in `waitMs`, or none at all, serve the kept copy. The API is never answered from
 * here: what a page does offline it queues and sends itself. Logging out drops the kept page.
 *
 * A worker imports this file (importScripts) and calls keepPage({...}) once. */

/* exported keepPage */
function keepPage({ name, page, files, waitMs }) {
  const cache = `canteen-${name}-v1`;

  /** Keep a response only if it is the page itself (not the log-in page a lapsed session gets). */
  async function keep(kept, key, response) {
    if (response.ok && !response.redirected && response.type === "basic") {
      await kept.put(key, response.clone());
    }
    return response;
  }

  self.addEventListener("install", (event) => {
    event.waitUntil((async () => {
      const kept = await caches.open(cache);
      await Promise.all([page, ...files].map(async (url) => {
        try {
          await keep(kept, url, await fetch(url, { credentials: "same-origin" }));
        } catch (_) { /* kept at the next visit */ }
      }));
      await self.skipWaiting();
    })());
  });

  self.addEventListener("activate", (event) => {
    event.waitUntil((async () => {
      for (const old of await caches.keys()) {
        if (old.startsWith(`canteen-${name}-`) && old !== cache) await caches.delete(old);
      }
      await self.clients.claim();
    })());
  });

  /** The network's answer, kept; else (no answer, or none in `wait` ms) the kept copy. */
  async function networkFirst(request, key, wait) {
    const kept = await caches.open(cache);
    const fromNetwork = fetch(request).then((response) => keep(kept, key, response));
    fromNetwork.catch(() => {}); // answered below, or given up for the kept copy
    const late = new Promise((resolve) => { if (wait) setTimeout(resolve, wait, null); });
    try {
      const first = await Promise.race([fromNetwork, late]);
      if (first) return first;
    } catch (_) { /* no server or no signal: the kept copy below */ }
    const copy = await kept.match(key, { ignoreSearch: true });
    if (copy) return copy;
    return fromNetwork;
  }

  self.addEventListener("fetch", (event) => {
    const url = new URL(event.request.url);
    if (url.origin !== self.location.origin) return;
    if (event.request.method === "POST" && url.pathname === "/logout") {
      event.waitUntil(caches.delete(cache));
      return;
    }
    if (event.request.method !== "GET") return;
    if (event.request.mode === "navigate" && url.pathname === page) {
      event.respondWith(networkFirst(event.request, page, waitMs));
    } else if (files.includes(url.pathname)) {
      event.respondWith(networkFirst(event.request, url.pathname, 0));
    }
  });
}
