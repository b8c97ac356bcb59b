// Shared by both inbox pages: the JSON client, safe DOM building, formatting, the clock bar, polling.
// The page reads through the inbox's own read-only views (api) and changes state only through the
// control API (control), so one validation, one error format and one guard cover both.
// Everything user-controlled reaches the page through textContent or setAttribute, never innerHTML.
"use strict";

window.Inbox = (function () {
  const body = document.body;
  const API = body.dataset.api;
  const CONTROL = body.dataset.control.replace(/\/$/, "");
  const INBOX = body.dataset.inbox;
  const NAMESPACE = body.dataset.namespace || "default";
  const POLL_MS = 2000;

  // A URL on this server, carrying the namespace unless it is the default one.
  function withNamespace(path, params) {
    const url = new URL(path, location.href);
    for (const [name, value] of new URLSearchParams(params || "")) url.searchParams.set(name, value);
    if (NAMESPACE !== "default") url.searchParams.set("namespace", NAMESPACE);
    return url.pathname + url.search;
  }

  class ApiError extends Error {
    constructor(status, error) {
      super(error.message);
      this.status = status;
      this.code = error.code;
      this.field = error.field;
    }
  }

  // Read the inbox's views of messages.
  function api(path, params) {
    return call(API + path, undefined, params);
  }

  // Change state: a POST to the control API.
  function control(path, payload) {
    return call(CONTROL + path, payload);
  }

  async function call(path, payload, params) {
    const init = { headers: { Accept: "application/json" } };
    if (payload !== undefined) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(payload);
    }
    const response = await fetch(withNamespace(path, params), init);
    let data = null;
    try {
      data = await response.json();
    } catch (ignored) {
      data = null; // an error page or an empty body; reported below by status
    }
    if (!response.ok) {
      const error = (data && data.error) || { code: "http_" + response.status, message: "The simulator answered " + response.status };
      throw new ApiError(response.status, error);
    }
    return data;
  }

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Only web links become clickable; anything else (javascript:, data:) stays text.
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  function badge(status, reason) {
    const name = status || "none";
    return el("span", { class: "badge status-" + name, title: reason ? name + ": " + reason : name }, name);
  }

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  function fmtTime(iso) {
    const d = new Date(iso);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  }

  // Exact and compact: 86403 s is "1d 3s", not "1d", so planned steps a few seconds apart differ.
  function fmtDuration(seconds) {
    let rest = Math.round(Math.abs(seconds));
    const parts = [];
    for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]]) {
      if (rest >= size) parts.push(Math.floor(rest / size) + unit);
      rest %= size;
    }
    return parts.join(" ") || "0s";
  }

  function agoLabel(iso, nowIso) {
    const seconds = (new Date(nowIso) - new Date(iso)) / 1000;
    return seconds < 1 ? "just now" : fmtDuration(seconds) + " ago";
  }

  // "3m ago" on the simulated clock, inside a <time> that carries the exact instant.
  function timeAgo(iso, nowIso) {
    return el("time", { class: "ago", datetime: iso, title: fmtTime(iso) + " UTC (simulated)" }, agoLabel(iso, nowIso));
  }

  // Relative times follow the clock in place, so rows are not rebuilt (and selections not lost) every poll.
  function refreshAgo(nowIso) {
    for (const node of document.querySelectorAll("time.ago")) {
      const label = agoLabel(node.getAttribute("datetime"), nowIso);
      if (node.textContent !== label) node.textContent = label;
    }
  }

  function fmtBytes(size) {
    if (size < 1024) return size + " B";
    if (size < 1024 * 1024) return (size / 1024).toFixed(1) + " KB";
    return (size / 1024 / 1024).toFixed(1) + " MB";
  }

  let toastTimer = null;
  function toast(message, kind) {
    const box = document.getElementById("toast");
    box.textContent = message;
    box.className = "toast " + (kind || "ok");
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (box.hidden = true), kind === "error" ? 8000 : 3000);
  }

  // Redraw a part of the page only when its data changed: keeps open <details> and avoids flicker.
  const drawn = new WeakMap();
  function draw(node, data, render) {
    const signature = JSON.stringify(data);
    if (drawn.get(node) === signature) return;
    drawn.set(node, signature);
    render(node, data);
  }

  function setClock(clock) {
    refreshAgo(clock.now);
    document.getElementById("clock-now").textContent = fmtTime(clock.now) + " UTC";
    const state = document.getElementById("clock-state");
    state.textContent = clock.frozen ? "frozen" : "running";
    state.className = "pill " + (clock.frozen ? "frozen" : "running");
    const toggle = document.getElementById("clock-toggle");
    toggle.textContent = clock.frozen ? "Unfreeze" : "Freeze";
    toggle.dataset.action = clock.frozen ? "unfreeze" : "freeze";
  }

  // Polling: one refresh at a time, every POLL_MS while the tab is visible, at once on demand.
  let refresher = async () => {};
  let timer = null;
  let running = Promise.resolve();
  let offline = false;

  function refresh() {
    running = running.then(async () => {
      try {
        await refresher();
        if (offline) toast("Connected again.");
        offline = false;
      } catch (error) {
        if (!offline) toast("Cannot reach the simulator (" + error.message + "); retrying…", "error");
        offline = true;
      }
    });
    return running;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!document.hidden) await refresh();
      schedule();
    }, POLL_MS);
  }

  function start(refreshPage) {
    refresher = refreshPage;
    schedule();
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) refresh();
    });
  }

  async function changeClock(payload, done) {
    try {
      setClock(await control("/clock", payload));
      await refresh();
      toast(done);
    } catch (error) {
      toast(error.message, "error");
    }
  }

  function wireHeader() {
    const select = document.getElementById("namespace-select");
    if (!select) return;
    select.addEventListener("change", () => document.getElementById("namespace-form").submit());
    document.getElementById("clock-steps").addEventListener("submit", (event) => {
      event.preventDefault();
      const step = event.submitter.value;
      changeClock({ advance: step }, "Clock advanced by " + step + ".");
    });
    document.getElementById("clock-custom").addEventListener("submit", (event) => {
      event.preventDefault();
      const input = document.getElementById("clock-duration");
      const step = input.value.trim();
      changeClock({ advance: step }, "Clock advanced by " + step + ".").then(() => (input.value = ""));
    });
    document.getElementById("clock-toggle").addEventListener("click", (event) => {
      const action = event.currentTarget.dataset.action || "freeze";
      changeClock({ [action]: true }, action === "freeze" ? "Clock frozen." : "Clock running.");
    });
    document.getElementById("reset-button").addEventListener("click", async () => {
      if (!window.confirm(`Reset namespace "${NAMESPACE}"? Every message, the journal and clock changes are forgotten.`)) return;
      try {
        await control("/reset", {});
        await refresh();
        toast(`Namespace "${NAMESPACE}" reset.`);
      } catch (error) {
        toast(error.message, "error");
      }
    });
  }

  function initialData() {
    return JSON.parse(document.getElementById("initial-data").textContent);
  }

  wireHeader();

  return {
    INBOX, NAMESPACE, ApiError, api, control, el, safeUrl, badge, fmtTime, fmtDuration, timeAgo, fmtBytes,
    toast, draw, setClock, refresh, start, withNamespace, initialData,
  };
})();
