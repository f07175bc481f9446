/* The counter's service worker, served at /counter/sw.js with the scope /counter: it keeps the
 * counter page (/counter) and the files it loads, so a till whose server is away opens the page
 * again and sells from its snapshot (counter/offline.js). How it keeps them: page_keeper.js. */
importScripts("/static/page_keeper.js");

keepPage({
  name: "counter",
  page: "/counter",
  files: [
    "/static/site.css", "/static/counter.css", "/static/counter_menu.css", "/static/page.js",
    "/static/counter.js", "/static/counter/api.js", "/static/counter/camera.js",
    "/static/counter/cash.js", "/static/counter/engine.js", "/static/counter/find.js",
    "/static/counter/offline.js", "/static/counter/render.js", "/static/counter/sales.js",
    "/static/counter/state.js", "/static/counter/topup.js",
  ],
  waitMs: 4000,
});
