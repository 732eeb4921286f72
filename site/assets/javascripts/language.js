/*
 * opsbook: the language menu keeps the reader's place. Generated pages have the same
 * headings in both languages, in the same order, but a heading's id is made from its words;
 * so the switch carries the position of the heading the reader is at, and the other page
 * scrolls to its heading at that position. Ids that are the same in both languages (KPIs,
 * terms, rules, ...: `kpi-retention_7d`) are kept as they are.
 */
(() => {
  "use strict";

  const KEY = "opsbook.language.heading";
  const headings = () => [...document.querySelectorAll("article [id]")]
    .filter((e) => /^H[1-6]$/.test(e.tagName));

  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-opsbook=language] a[hreflang]");
    if (!link || !location.hash) return;
    const id = decodeURIComponent(location.hash.slice(1));
    const at = headings().findIndex((h) => h.id === id);
    if (at >= 0) sessionStorage.setItem(KEY, String(at));
    link.href = link.href.split("#")[0] + location.hash;
  });

  function restore() {
    const at = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    if (!location.hash) return;
    const id = decodeURIComponent(location.hash.slice(1));
    if (document.getElementById(id) || at === null) return;
    const target = headings()[Number(at)];
    if (!target) return;
    history.replaceState(null, "", `#${encodeURIComponent(target.id)}`);
    target.scrollIntoView();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restore);
  } else {
    restore();
  }
})();
