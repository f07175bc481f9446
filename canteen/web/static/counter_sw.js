/* The counter's service worker, served at /counter/sw.js with the scope /counter: it keeps the
 * counter page (/counter) and the files it loads, so a till whose server is away opens the page
 * again and sells from its snapshot (counter/offline.js). The deliverer's page has its own
 * worker; this one touches nothing outside the counter.
 *
 * The page and its files come from the network first (an online till always runs the newest
 * page) and the copy kept is refreshed each time; with no answer in PAGE_WAIT_MS, or none at
 * all, the kept copy is served. The API is never answered from here: the offline sales are
 * queued and sent by the page itself. Logging out drops the kept page. */

const CACHE = "canteen-counter-v1";
const PAGE = "/counter";
const FILES = [
  "/static/site.css", "/static/counter.css", "/static/counter_menu.css", "/static/page.js",
  "/static/counter.js", "/static/counter/api.js", "/static/counter/camera.js",
  "/static/counter/cash.js", "/static/counter/engine.js", "/static/counter/find.js",
  "/static/counter/offline.js", "/static/counter/render.js", "/static/counter/sales.js",
  "/static/counter/state.js", "/static/counter/topup.js",
];
const PAGE_WAIT_MS = 4000;

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
      if (name.startsWith("canteen-counter-") && name !== CACHE) await caches.delete(name);
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
  } catch (_) { /* no server: the kept copy below */ }
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
