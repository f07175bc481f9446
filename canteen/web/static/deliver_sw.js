/* The deliverer's service worker, served at /deliver/sw.js with the scope /deliver: it keeps the
 * phone page (/deliver) and what it loads on the phone, so the page opens again where there is
 * no signal. The counter has its own worker; this one touches nothing outside its page.
 *
 * The page and its files are fetched from the network first (so an online phone always shows
 * the run as it is now) and the copy kept is refreshed each time; without an answer in
 * PAGE_WAIT_MS (a stairwell's one bar) or at all, the kept copy is served. The API is never
 * answered from here: outcomes are queued and sent by the page (deliver.js), not replayed by
 * the worker. Logging out drops the kept page, names and addresses with it. */

const CACHE = "canteen-deliver-v1";
const PAGE = "/deliver";
const FILES = ["/static/site.css", "/static/deliver.css", "/static/deliver.js", "/static/page.js"];
const PAGE_WAIT_MS = 6000;

/** Keep a response only if it is the page itself (not the log-in page a lapsed session gets). */
async function keep(cache, key, response) {
  if (response.ok && !response.redirected && response.type === "basic") {
    await cache.put(key, response.clone());
  }
  return response;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all([PAGE, ...FILES].map(async (url) => {
      try {
        await keep(cache, url, await fetch(url, { credentials: "same-origin" }));
      } catch (_) { /* kept at the next visit */ }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("canteen-deliver-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

/** The network's answer, kept; else (no answer, or none in ``wait`` ms) the kept copy. */
async function networkFirst(request, key, wait) {
  const cache = await caches.open(CACHE);
  const fromNetwork = fetch(request).then((response) => keep(cache, key, response));
  fromNetwork.catch(() => {}); // answered below, or given up for the kept copy
  const late = new Promise((resolve) => { if (wait) setTimeout(resolve, wait, null); });
  try {
    const first = await Promise.race([fromNetwork, late]);
    if (first) return first;
  } catch (_) { /* no signal: the kept copy below */ }
  const kept = await cache.match(key, { ignoreSearch: true });
  if (kept) return kept;
  return fromNetwork;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  if (event.request.method === "POST" && url.pathname === "/logout") {
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  if (event.request.method !== "GET") return;
  if (event.request.mode === "navigate" && url.pathname === PAGE) {
    event.respondWith(networkFirst(event.request, PAGE, PAGE_WAIT_MS));
  } else if (FILES.includes(url.pathname)) {
    event.respondWith(networkFirst(event.request, url.pathname, 0));
  }
});
