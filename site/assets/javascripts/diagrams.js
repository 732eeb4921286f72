/*
 * opsbook: draws the page's Mermaid diagrams (`pre.opsbook-diagram`, from ```mermaid fences)
 * so that their text can be read.
 *
 * A diagram is drawn at its natural size, shrunk to the column only as long as its smallest
 * text stays at MIN_TEXT pixels or more on screen; a diagram wider than that scrolls sideways
 * (on a phone) and has a "full screen" button that opens it in a dialog with zoom buttons.
 * Colours come from the theme's CSS variables, so diagrams follow light and dark mode.
 *
 * mermaid.min.js is loaded only on pages that have a diagram (the site's main.html adds it
 * there, before this script runs).
 */
(() => {
  "use strict";

  const MIN_TEXT = 12;
  const WORDS = {
    zh: { zoom: "全屏查看", zoomIn: "放大", zoomOut: "缩小", close: "关闭", diagram: "图表", scroll: "图表（可左右滚动）" },
    en: { zoom: "Full screen", zoomIn: "Zoom in", zoomOut: "Zoom out", close: "Close", diagram: "Diagram",
          scroll: "Diagram (scrolls sideways)" },
  };
  const words = WORDS[document.documentElement.lang === "en" ? "en" : "zh"];

  // Mermaid's own colours are fixed values; these rules replace them with the theme's variables.
  const THEME_CSS = `
    .node rect, .node polygon, .node circle, .node path { fill: var(--md-mermaid-node-bg-color);
      stroke: var(--md-mermaid-node-fg-color); stroke-width: 1.5px; }
    .node text, .nodeLabel, .label text { fill: var(--md-default-fg-color); }
    .outside rect, .outside polygon { fill: var(--md-default-bg-color); }
    .flowchart-link { stroke: var(--md-mermaid-edge-color); }
    marker path, .marker { fill: var(--md-mermaid-edge-color); stroke: var(--md-mermaid-edge-color); }
    .grid .tick line { stroke: var(--md-default-fg-color--lightest); }
    .grid path { stroke-width: 0; }
    .tick text, .grid .tick text { fill: var(--md-default-fg-color); font-size: 14px; }
    .task { fill: var(--md-primary-fg-color); stroke: var(--md-primary-fg-color--dark); }
    .taskText { fill: var(--md-primary-bg-color); font-size: 14px; }
    .taskTextOutsideRight, .taskTextOutsideLeft { fill: var(--md-default-fg-color); font-size: 14px; }
    .section0, .section2 { fill: var(--md-default-fg-color--lightest); opacity: 0.5; }
    .section1, .section3 { fill: transparent; }
    .sectionTitle, .sectionTitle0, .sectionTitle1, .sectionTitle2, .sectionTitle3 {
      fill: var(--md-default-fg-color); font-size: 14px; }
    .titleText { fill: var(--md-default-fg-color); font-size: 16px; }
    .today { display: none; }
  `;

  function font() {
    return getComputedStyle(document.body).getPropertyValue("--md-text-font-family") || "sans-serif";
  }

  /* Mermaid's settings; `ganttWidth` is the width a Gantt chart is drawn at (initialize
     replaces every earlier setting, so each call gives them all). */
  function setup(ganttWidth) {
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: "base",
      fontFamily: font(),
      htmlLabels: false,
      themeVariables: { fontSize: "16px", fontFamily: font() },
      themeCSS: THEME_CSS,
      flowchart: { htmlLabels: false, useMaxWidth: false, nodeSpacing: 28, rankSpacing: 36, padding: 10,
                   diagramPadding: 8, wrappingWidth: 400 },
      gantt: { useMaxWidth: false, fontSize: 14, sectionFontSize: 14, barHeight: 24, barGap: 6,
               topPadding: 40, leftPadding: 16, rightPadding: 16, gridLineStartPadding: 30,
               numberSectionStyles: 2, useWidth: ganttWidth },
    });
  }

  /* The scale that fits `svg` into `width` pixels without its smallest text going below
     MIN_TEXT (and never larger than its natural size). */
  function scaleFor(svg, width) {
    const natural = svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll("text")]
      .filter((t) => t.textContent.trim())
      .map((t) => parseFloat(getComputedStyle(t).fontSize))
      .filter((s) => s > 0);
    const smallest = sizes.length ? Math.min(...sizes) : 16;
    return Math.max(Math.min(1, width / natural), MIN_TEXT / smallest);
  }

  function size(svg, scale) {
    const box = svg.viewBox.baseVal;
    svg.setAttribute("width", `${Math.ceil(box.width * scale)}`);
    svg.setAttribute("height", `${Math.ceil(box.height * scale)}`);
    svg.style.maxWidth = "none";
  }

  function button(label, onClick, cls) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `md-button ${cls || ""}`.trim();
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  /* The full-screen view: the diagram in a modal dialog, with zoom buttons. */
  function zoomed(svgText, title) {
    const dialog = document.createElement("dialog");
    dialog.className = "opsbook-zoom";
    dialog.setAttribute("aria-label", title || words.diagram);
    const bar = document.createElement("div");
    bar.className = "opsbook-zoom__bar";
    const view = document.createElement("div");
    view.className = "opsbook-zoom__view";
    view.tabIndex = 0;
    const host = document.createElement("div");
    const root = host.attachShadow({ mode: "open" });
    root.innerHTML = svgText;
    view.append(host);
    const svg = root.querySelector("svg");
    let scale = 1;
    const apply = () => size(svg, scale);
    bar.append(
      button(words.zoomIn, () => { scale *= 1.25; apply(); }),
      button(words.zoomOut, () => { scale = Math.max(0.25, scale / 1.25); apply(); }),
      button(words.close, () => dialog.close(), "md-button--primary"),
    );
    dialog.append(bar, view);
    dialog.addEventListener("close", () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
    scale = scaleFor(svg, view.clientWidth - 16);
    apply();
  }

  async function draw(pre, n) {
    const text = pre.textContent;
    const figure = document.createElement("div");
    figure.className = "opsbook-diagram";
    const scroller = document.createElement("div");
    scroller.className = "opsbook-diagram__scroll";
    const host = document.createElement("div");
    host.className = "opsbook-diagram__svg";
    scroller.append(host);
    figure.append(scroller);
    pre.replaceWith(figure);
    const gantt = /^\s*gantt\b/m.test(text);
    // A Gantt chart takes the column's width, but no less than its axis needs (it scrolls).
    setup(gantt ? Math.max(scroller.clientWidth, 640) : undefined);
    const { svg } = await mermaid.render(`opsbook-diagram-${n}`, text);
    const root = host.attachShadow({ mode: "open" });
    root.innerHTML = svg;
    const drawn = root.querySelector("svg");
    const heading = figure.previousElementSibling;
    const title = heading && /^H[2-4]$/.test(heading.tagName) ? heading.textContent.replace(/¶$/, "").trim() : "";
    const fit = () => {
      size(drawn, scaleFor(drawn, scroller.clientWidth));
      const scrolls = scroller.scrollWidth > scroller.clientWidth + 1;
      scroller.classList.toggle("opsbook-diagram__scroll--wide", scrolls);
      if (scrolls) {  // a scrolling region is reachable and named for keyboard users
        scroller.tabIndex = 0;
        scroller.setAttribute("role", "group");
        scroller.setAttribute("aria-label", words.scroll);
      } else {
        scroller.removeAttribute("tabindex");
        scroller.removeAttribute("role");
        scroller.removeAttribute("aria-label");
      }
    };
    fit();
    new ResizeObserver(fit).observe(scroller);
    figure.append(button(words.zoom, () => zoomed(svg, title), "opsbook-diagram__zoom"));
    figure.dataset.drawn = "true";
  }

  async function drawAll() {
    const blocks = [...document.querySelectorAll("pre.opsbook-diagram")];
    if (!blocks.length || typeof mermaid === "undefined") return;
    for (const [n, pre] of blocks.entries()) {
      try {
        await draw(pre, n);
      } catch (error) {
        console.error("opsbook: a diagram could not be drawn", error);
      }
    }
    document.documentElement.dataset.diagrams = "drawn";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
