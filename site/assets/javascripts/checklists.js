/*
 * opsbook: checklists that remember their ticks.
 *
 * Every checkbox of a generated checklist carries its item's ID (`data-item`). A tick is kept
 * in this browser's localStorage under `opsbook:<site>:<client>:<item>`: <site> is the path
 * the site is published at, <client> the client whose plan the page shows (`playbook` on the
 * playbook's own step and role pages). Chinese and English pages share their ticks.
 *
 * A client plan page has a `.opsbook-progress` block: it shows how many items are ticked and
 * exports the ticks as a Markdown checklist, the format `opsbook plan FACTS -o FILE --update`
 * reads back (`- [x] **title** `item-id``, generator/render/read_md.py).
 *
 * Printing opens every closed block (a plan's time windows), so that nothing is left out.
 */
(() => {
  "use strict";

  const SCRIPT = document.currentScript && document.currentScript.src;
  const SITE = SCRIPT ? new URL("../../", SCRIPT).pathname : "/";
  const EN = document.documentElement.lang === "en";
  const WORDS = EN
    ? { ticked: (n, all) => `${n} of ${all} items ticked`, export: "Export ticks (Markdown)",
        title: "Operations action plan" }
    : { ticked: (n, all) => `已勾选 ${n} / ${all} 项`, export: "导出勾选（Markdown）", title: "运营行动计划" };

  const tools = () => document.querySelector(".opsbook-progress[data-client]");
  const client = () => (tools() ? tools().dataset.client : "playbook");
  const key = (item) => `opsbook:${SITE}:${client()}:${item}`;
  const boxes = () => [...document.querySelectorAll("article input[type=checkbox][data-item]")];

  function read(item) {
    try {
      return localStorage.getItem(key(item));
    } catch (error) {  // storage refused (private mode, a policy): ticks last for the page only
      return null;
    }
  }

  function write(item, done) {
    try {
      localStorage.setItem(key(item), done ? "x" : " ");
    } catch (error) {
      console.warn("opsbook: this browser does not keep ticks", error);
    }
  }

  function title(box) {
    const label = document.getElementById(box.getAttribute("aria-labelledby"));
    return (label ? label.textContent : box.dataset.item).replace(/\s+/g, " ").trim();
  }

  /* The ticks as a Markdown plan that `opsbook plan --update` reads. */
  function markdown() {
    const name = document.querySelector("article h1");
    const head = `# ${WORDS.title}: ${name ? name.textContent.replace(/¶$/, "").trim() : client()}`;
    const lines = boxes().map((box) => {
      const text = title(box).replace(/[\\`*_[\]]/g, (c) => `\\${c}`);
      return `- [${box.checked ? "x" : " "}] **${text}** \`${box.dataset.item}\``;
    });
    return `${head}\n\n${lines.join("\n")}\n`;
  }

  function download() {
    const blob = new Blob([markdown()], { type: "text/markdown;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = tools().dataset.file || `${client()}-ticks.md`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  function showTools() {
    const block = tools();
    if (!block) return () => {};
    const count = document.createElement("span");
    count.className = "opsbook-progress__count";
    count.setAttribute("role", "status");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button md-button--primary";
    button.textContent = WORDS.export;
    button.addEventListener("click", download);
    block.append(count, button);
    const update = () => {
      const all = boxes();
      count.textContent = WORDS.ticked(all.filter((b) => b.checked).length, all.length);
    };
    update();
    return update;
  }

  function start() {
    for (const box of boxes()) {
      const kept = read(box.dataset.item);
      if (kept !== null) box.checked = kept === "x";
      box.disabled = false;
    }
    const update = showTools();
    document.addEventListener("change", (event) => {
      const box = event.target;
      if (!(box instanceof HTMLInputElement) || !box.dataset.item) return;
      write(box.dataset.item, box.checked);
      update();
    });
    document.documentElement.dataset.checklists = "ready";
  }

  let closed = [];
  window.addEventListener("beforeprint", () => {
    closed = [...document.querySelectorAll("article details:not([open])")];
    closed.forEach((d) => { d.open = true; });
  });
  window.addEventListener("afterprint", () => closed.forEach((d) => { d.open = false; }));

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
