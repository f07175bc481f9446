/* The deliverer's service worker, served at /deliver/sw.js with the scope /deliver: it keeps the
 * phone page (/deliver) and what it loads, so the page opens again where there is no signal.
 * Outcomes are queued and sent by the page (deliver.js), never replayed by the worker; logging
 * out drops the kept page, names and addresses with it. How it keeps them: page_keeper.js. */
importScripts("/static/page_keeper.js");

keepPage({
  name: "deliver",
  page: "/deliver",
  files: ["/static/site.css", "/static/deliver.css", "/static/deliver.js", "/static/page.js"],
  waitMs: 6000, // a stairwell's one bar
});
