/*
 * opsbook: the plan builder (builder/ and en/builder/), loaded only by that page.
 *
 * The plan is made in this browser by the opsbook package itself, run by Pyodide: the
 * interview's checks read the form, the pure-Python rules engine and the planner make the
 * plan, and the CLI's own writers make the downloads, so they are the bytes `opsbook plan`
 * writes. Pyodide, the package and the playbook are files of this site (assets/builder/):
 * nothing is asked of any other host. Python is not started here: its memory, saved by the
 * site build with opsbook imported and the playbook loaded (builder_snapshot.py), is restored.
 *
 * Testing hook (a contract): `#facts=<base64url, no padding, of the facts as UTF-8 JSON>`
 * computes and shows the plan of those facts; `window.opsbookPlan` is null while it is
 * computed, then the opsbook-plan/1 object, or `{error: "..."}` when the facts are refused.
 * The link to share is the page's address with that fragment.
 *
 * `window.opsbookBuilderReady` turns true once the engine has loaded.
 *
 * The engine runs in a Web Worker started from this same file, as soon as the script runs:
 * Pyodide loads on another core while the page draws itself, and the page stays responsive
 * while a plan is made. Each stage is marked on the page's timeline for bench/builder.py
 * (`performance.mark("opsbook-builder:<stage>")`).
 *
 * Ticks are kept in localStorage under `opsbook-builder:<facts fragment>:<item id>`.
 */
const FRAGMENT = "#facts=";
const STAGE = "opsbook-builder:";

if (globalThis.document === undefined) engineWorker();
else builderPage();

// ---------------------------------------------------------------- the engine (in the worker)
function engineWorker() {
  const stage = (name) => postMessage({ stage: name, at: performance.timeOrigin + performance.now() });
  const pending = [];
  let planned = false;
  let serve = (message) => pending.push(message);
  onmessage = (event) => serve(event.data);

  async function fetchBytes(assets, name) {
    const response = await fetch(new URL(name, assets));
    if (!response.ok) throw new Error(`${name}: ${response.status}`);
    const body = name.endsWith(".gz") ? response.body.pipeThrough(new DecompressionStream("gzip")) : response.body;
    return new Uint8Array(await new Response(body).arrayBuffer());
  }

  // The snapshot's pages put back in place, the pages of zeros left out of the file between
  // them (builder_snapshot.packed): the image's length, the page size, the count of pages,
  // their numbers, then their bytes.
  function unpacked(file) {
    const [length, size, count] = new Uint32Array(file.buffer, file.byteOffset, 3);
    const image = new Uint8Array(length);
    let at = 12 + 4 * count;
    for (const page of new Uint32Array(file.buffer, file.byteOffset + 12, count)) {
      const end = Math.min(at + size, at + length - page * size);
      image.set(file.subarray(at, end), page * size);
      at = end;
    }
    return image;
  }

  // The files of a zip (name -> bytes), unzipped by the browser as the zip arrives, so
  // Python's files are ready to write the moment Python's memory is back.
  async function unzipped(zip) {
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    let end = zip.length - 22;
    while (view.getUint32(end, true) !== 0x06054b50) end--;  // the central directory's end
    const names = new TextDecoder();
    const files = [];
    for (let n = 0, at = view.getUint32(end + 16, true); n < view.getUint16(end + 10, true); n++) {
      const [method, size, nameLength] = [view.getUint16(at + 10, true), view.getUint32(at + 20, true),
                                          view.getUint16(at + 28, true)];
      const name = names.decode(zip.subarray(at + 46, at + 46 + nameLength));
      const local = view.getUint32(at + 42, true);
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      const data = zip.subarray(start, start + size);
      at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
      if (name.endsWith("/")) continue;
      const body = method === 8 ? new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw")) : null;
      files.push((body ? new Response(body).arrayBuffer() : Promise.resolve(data)).then((bytes) => [name, bytes]));
    }
    return Promise.all(files);
  }

  // Pyodide compiles its WebAssembly only once the snapshot is in (loadPyodide waits for it
  // first): compiled here meanwhile, on the file's own fetch, and given to Pyodide's
  // instantiation, whose second fetch of the file is not read.
  function compiledEarly(url) {
    const compiled = WebAssembly.compileStreaming(fetch(url));
    const instantiate = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async (source, imports) => {
      const response = await source;
      if (response.url !== url) return instantiate(response, imports);
      response.body?.cancel();
      const module = await compiled;
      return { module, instance: await WebAssembly.instantiate(module, imports) };
    };
  }

  // Python's memory as the site build left it (opsbook imported, the playbook unpickled into
  // `builder`): restored, not started; Python's files go back in place for later imports.
  async function start(assets) {
    const index = new URL("pyodide/", assets).href;
    const memory = fetchBytes(assets, "snapshot.bin.gz").then((file) => {
      stage("fetched");
      return unpacked(file);
    });
    compiledEarly(`${index}pyodide.asm.wasm`);
    const files = Promise.all([fetchBytes(assets, "opsbook.zip").then(unzipped), fetchBytes(assets, "calendar.zip")]);
    const createModule = import(`${index}pyodide.asm.mjs`).then((module) => module.default);
    const { loadPyodide } = await import(`${index}pyodide.mjs`);
    const pyodide = await loadPyodide({
      indexURL: index, _loadSnapshot: memory,
      // the memory to restore is larger than a new Python's: grown before it is copied in
      createPyodideModule: async (settings) => {
        const module = await (await createModule)(settings);
        module.growMemory((await memory).length);
        return module;
      },
    });
    stage("pyodide");
    const [code, calendar] = await files;
    for (const [name, bytes] of code) {
      const path = `/opsbook/${name}`;
      pyodide.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
      pyodide.FS.writeFile(path, new Uint8Array(bytes));
    }
    pyodide.FS.writeFile("/opsbook/calendar.zip", calendar);
    stage("unpacked");
    pyodide.runPython("import random; random.seed()");  // this browser's own, not the build's
    stage("ready");
    return pyodide.globals.get("builder");
  }

  function answer(builder, { id, method, args }) {
    try {
      if (method === "plan") {  // the plan and, when there is one, its view: one answer, never another's
        const plan = builder.plan(...args);
        const view = plan.startsWith('{"error"') ? null : builder.view();
        if (view !== null && !planned) stage("planned");  // the first plan made, before the page shows it
        planned = planned || view !== null;
        postMessage({ id, result: { plan, view } });
      } else if (method === "download") {
        const proxy = builder.download(...args);
        const bytes = proxy.toJs();
        proxy.destroy();
        postMessage({ id, result: bytes }, [bytes.buffer]);
      } else {
        postMessage({ id, result: builder[method](...args) });
      }
    } catch (error) {
      postMessage({ id, error: error.message });
    }
  }

  serve = (message) => {
    serve = (next) => pending.push(next);
    start(message.assets).then((builder) => {
      postMessage({ ready: true });
      serve = (next) => answer(builder, next);
      pending.splice(0).forEach(serve);
    }, (error) => {
      postMessage({ failed: error.message });
      serve = ({ id }) => postMessage({ id, error: error.message });
      pending.splice(0).forEach(serve);
    });
  };
}

// ---------------------------------------------------------------- the page
function builderPage() {
  performance.mark(`${STAGE}start`);
  const root = document.querySelector(".opsbook-builder");
  const WORDS = JSON.parse(root.dataset.words);
  const ASSETS = new URL(root.dataset.assets, document.baseURI).href;
  const form = root.querySelector(".opsbook-builder-form");
  const status = document.getElementById("opsbook-builder-status");
  const result = root.querySelector(".opsbook-builder-result");

  window.opsbookPlan = null;
  let fragment = "";

  // ---------------------------------------------------------------- encoding
  function encode(text) {
    const bytes = new TextEncoder().encode(text);
    let binary = "";
    bytes.forEach((b) => { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function decode(data) {
    const base64 = data.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  }

  // ---------------------------------------------------------------- the engine, from the page
  const worker = new Worker(import.meta.url, { type: "module" });
  const calls = new Map();
  let nextCall = 0;
  let ready;
  const engine = new Promise((resolve, reject) => { ready = { resolve, reject }; });

  worker.onmessage = ({ data }) => {
    if (data.stage) performance.mark(STAGE + data.stage, { startTime: data.at - performance.timeOrigin });
    else if (data.ready) ready.resolve();
    else if (data.failed) ready.reject(new Error(data.failed));
    else {
      const call = calls.get(data.id);
      calls.delete(data.id);
      if (data.error !== undefined) call.reject(new Error(data.error));
      else call.resolve(data.result);
    }
  };
  worker.onerror = (event) => ready.reject(new Error(event.message || "worker"));
  worker.postMessage({ assets: ASSETS });

  function ask(method, ...args) {  // the engine's answer, once it has loaded
    return engine.then(() => new Promise((resolve, reject) => {
      const id = nextCall++;
      calls.set(id, { resolve, reject });
      worker.postMessage({ id, method, args });
    }));
  }

  engine.then(() => { window.opsbookBuilderReady = true; }, (error) => say(`${WORDS.failed} ${error.message}`));

  function say(text) {
    status.textContent = text;
  }

  // ---------------------------------------------------------------- the form
  function fields() {
    return [...form.querySelectorAll("[data-fact]")];
  }

  function answer(field) {
    const kind = field.dataset.kind;
    if (kind === "text" ) return field.querySelector("input").value;
    if (kind === "hidden") return field.value;
    const ticked = [...field.querySelectorAll("input:checked")].map((box) => box.value);
    if (kind === "list") return ticked;
    if (kind === "bool") return ticked.length ? ticked[0] === "true" : null;
    return ticked.length ? ticked[0] : "";
  }

  function control(field) {
    return field.querySelector("input") || field;
  }

  function showProblems(problems) {
    let first = null;
    for (const field of fields()) {
      if (field.dataset.kind === "hidden") continue;
      const message = problems[field.dataset.fact];
      const error = document.getElementById(`${field.id || control(field).id.replace(/-input$/, "")}-error`);
      const target = field.tagName === "FIELDSET" ? field : control(field);
      if (message) {
        error.textContent = message;
        error.hidden = false;
        target.setAttribute("aria-invalid", "true");
        first = first || control(field);
      } else {
        error.textContent = "";
        error.hidden = true;
        target.removeAttribute("aria-invalid");
      }
    }
    const summary = form.querySelector(".opsbook-builder-summary");
    const count = Object.keys(problems).length;
    summary.hidden = count === 0;
    summary.textContent = count ? WORDS.fix.replace("{count}", count) : "";
    if (first) first.focus();
  }

  async function submit(event) {
    event.preventDefault();
    say(WORDS.loading);
    const answers = {};
    fields().forEach((field) => { answers[field.dataset.fact] = answer(field); });
    let checked;
    try {
      checked = JSON.parse(await ask("check", JSON.stringify(answers), WORDS.lang));
    } catch (error) {
      say(`${WORDS.failed} ${error.message}`);
      return;
    }
    if (checked.problems) {
      showProblems(checked.problems);
      say("");
      return;
    }
    showProblems({});
    const target = FRAGMENT + encode(JSON.stringify(checked.facts));
    if (location.hash === target) compute();
    else location.hash = target;  // the hashchange computes it
  }

  function nextWorkingDay() {
    const day = new Date();
    do day.setDate(day.getDate() + 1); while (day.getDay() === 0 || day.getDay() === 6);
    const pad = (n) => String(n).padStart(2, "0");
    return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
  }

  function fill(facts) {
    const flat = {};
    const walk = (value, prefix) => {
      if (value && typeof value === "object" && !Array.isArray(value)) {
        Object.entries(value).forEach(([k, v]) => walk(v, prefix ? `${prefix}.${k}` : k));
      } else flat[prefix] = value;
    };
    walk(facts, "");
    for (const field of fields()) {
      const value = flat[field.dataset.fact];
      if (value === undefined || field.dataset.kind === "hidden") continue;
      if (field.dataset.kind === "text") {
        field.querySelector("input").value = String(value);
        continue;
      }
      const wanted = new Set((Array.isArray(value) ? value : [value]).map(String));
      field.querySelectorAll("input").forEach((box) => { box.checked = wanted.has(box.value); });
    }
  }

  // ---------------------------------------------------------------- the plan
  const storeKey = (item) => `opsbook-builder:${fragment}:${item}`;

  function remember(item, done) {
    try {
      if (done) localStorage.setItem(storeKey(item), "1");
      else localStorage.removeItem(storeKey(item));
    } catch (error) { /* storage refused: ticks last for the page only */ }
  }

  function ticked(item) {
    try {
      return localStorage.getItem(storeKey(item)) === "1";
    } catch (error) {
      return false;
    }
  }

  function tasks(view) {
    for (const li of view.querySelectorAll("li")) {
      const first = li.firstElementChild && li.firstElementChild.tagName === "P" ? li.firstElementChild : li;
      const text = first.firstChild;
      if (!text || text.nodeType !== Node.TEXT_NODE || !/^\[[ x]\] /.test(text.data)) continue;
      const code = li.querySelector("code");
      const title = li.querySelector("strong");
      if (!code) continue;
      text.data = text.data.slice(4);
      const box = document.createElement("input");
      box.type = "checkbox";
      box.dataset.builderItem = code.textContent;
      box.checked = ticked(code.textContent);
      box.setAttribute("aria-label", title ? title.textContent : code.textContent);
      box.addEventListener("change", () => remember(box.dataset.builderItem, box.checked));
      first.prepend(box, " ");
      li.classList.add("opsbook-builder-task");
    }
  }

  function show(html, plan) {
    const view = root.querySelector(".opsbook-builder-plan");
    view.innerHTML = html;
    tasks(view);
    root.querySelector("#opsbook-builder-share").value = location.href;
    result.hidden = false;
    say(WORDS.ready.replace("{count}", plan.items.length));
  }

  let computing = 0;  // the latest computation: an earlier one still running gives way to it

  async function compute() {
    const mine = ++computing;
    window.opsbookPlan = null;
    fragment = location.hash.slice(FRAGMENT.length);
    say(WORDS.computing);
    let text;
    try {
      text = decode(fragment);
      JSON.parse(text);
    } catch (error) {
      window.opsbookPlan = { error: `#facts=: ${error.message}` };
      say(`${WORDS.refused} ${window.opsbookPlan.error}`);
      return;
    }
    let plan, view;
    try {
      const made = await ask("plan", text);
      plan = JSON.parse(made.plan);
      view = made.view;
    } catch (error) {  // the engine did not load, or broke: say so rather than wait for ever
      plan = { error: `${WORDS.failed} ${error.message}` };
    }
    if (mine !== computing) return;
    if (plan.error) {
      result.hidden = true;
      say(`${WORDS.refused} ${plan.error}`);
    } else {
      fill(JSON.parse(text));
      show(view, plan);
      if (!performance.getEntriesByName(`${STAGE}shown`).length) performance.mark(`${STAGE}shown`);
    }
    window.opsbookPlan = plan;
  }

  // ---------------------------------------------------------------- downloads and the link
  const TYPES = { yaml: "application/yaml", json: "application/json", md: "text/markdown", csv: "text/csv",
                  ics: "text/calendar" };

  async function download(button) {
    let bytes;
    try {
      bytes = await ask("download", button.dataset.download);
    } catch (error) {
      say(`${WORDS.failed} ${error.message}`);
      return;
    }
    const url = URL.createObjectURL(new Blob([bytes], { type: TYPES[button.dataset.download] }));
    const link = document.createElement("a");
    link.href = url;
    link.download = button.dataset.filename;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  root.querySelectorAll("[data-download]").forEach((button) => {
    button.addEventListener("click", () => download(button));
  });
  root.querySelector("[data-copy]").addEventListener("click", async () => {
    const share = root.querySelector("#opsbook-builder-share");
    try {
      await navigator.clipboard.writeText(share.value);
    } catch (error) {
      share.select();
    }
    say(WORDS.copied);
  });

  const start = form.querySelector('[data-fact="start_date"] input');
  if (start) start.value = nextWorkingDay();
  form.addEventListener("submit", submit);
  window.addEventListener("hashchange", () => {
    if (location.hash.startsWith(FRAGMENT)) compute();
  });
  if (location.hash.startsWith(FRAGMENT)) compute();
  else engine.then(() => say(""), () => {});
}
