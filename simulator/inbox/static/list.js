// The inbox list: filters (provider, status, text, recipient), status chips counting within the other
// filters, and the table, redrawn from /api/messages every poll with the filters the form holds.
"use strict";

(function () {
  const { api, el, badge, timeAgo, draw, setClock, withNamespace, INBOX } = window.Inbox;
  const form = document.getElementById("filters");
  const rows = document.getElementById("message-rows");
  const providerSelect = document.getElementById("filter-provider");
  let latest = 0; // answers to older requests are dropped when filters changed meanwhile

  function filterParams() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value && name !== "namespace") params.set(name, value);
    return params;
  }

  function messageUrl(key) {
    return withNamespace(INBOX + "messages/" + encodeURIComponent(key));
  }

  function row(m, now) {
    const link = el("a", { href: messageUrl(m.key), class: "row-link" }, m.recipient);
    const extras = [];
    if (m.fallback_status) extras.push(el("span", { class: "tag", title: "SMS fallback leg: " + m.fallback_status }, "fallback " + m.fallback_status));
    if (m.replies) extras.push(el("span", { class: "tag reply-tag", title: m.replies + " replies" }, "↩ " + m.replies));
    return el(
      "tr",
      { "data-key": m.key },
      el("td", { class: "status-cell" }, badge(m.status, m.reason), m.reason ? el("small", { class: "reason" }, m.reason) : null),
      el("td", { class: "recipient" }, link),
      el("td", { class: "wide" }, m.sender || el("span", { class: "muted" }, "—")),
      el("td", { class: "text-cell" }, el("span", { class: "preview" }, m.text || el("em", { class: "muted" }, "no text")), extras),
      el("td", { class: "provider-cell" }, el("span", { class: "provider" }, m.provider), el("small", { class: "channel channel-" + m.channel }, m.channel)),
      el("td", { class: "wide", title: m.matched_by }, el("span", { class: "scenario" }, m.scenario), el("small", { class: "muted why" }, m.matched_by)),
      el("td", { class: "wide num cost", title: String(m.cost) }, m.cost_text),
      el("td", { class: "created" }, timeAgo(m.created_at, now)),
    );
  }

  // One chip per status some matching message is in, counted within the other filters; the chosen
  // status keeps its chip (at 0) so it can be let go of where it was picked.
  function renderChips(node, data) {
    const active = new URLSearchParams(location.search).get("status");
    const counts = { ...data.counts };
    if (active && !(active in counts)) counts[active] = 0;
    node.replaceChildren(
      ...Object.entries(counts)
        .sort()
        .map(([status, count]) =>
          el(
            "li",
            {},
            el(
              "button",
              { type: "button", class: "chip status-" + status, "data-status": status, "aria-pressed": String(status === active) },
              status,
              el("span", { class: "n" }, count),
            ),
          ),
        ),
    );
  }

  function render(data) {
    document.getElementById("message-count").textContent =
      data.matching === data.total ? String(data.total) : `${data.matching} of ${data.total}`;
    draw(document.getElementById("status-counts"), { counts: data.counts, search: location.search }, renderChips);
    for (const name of data.providers) {
      if (![...providerSelect.options].some((option) => option.value === name)) providerSelect.append(el("option", { value: name }, name));
    }
    draw(rows, data.messages, (node, messages) => node.replaceChildren(...messages.map((m) => row(m, data.clock.now))));
    document.getElementById("empty").hidden = data.total !== 0;
    document.getElementById("no-match").hidden = data.total === 0 || data.matching !== 0;
    document.getElementById("messages").hidden = data.matching === 0;
    setClock(data.clock);
  }

  async function refresh() {
    const ticket = ++latest;
    const data = await api("/messages", filterParams());
    if (ticket === latest) render(data);
  }

  function applyFilters() {
    const params = filterParams();
    history.replaceState(null, "", withNamespace(location.pathname, params));
    window.Inbox.refresh();
  }

  let typing = null;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    applyFilters();
  });
  form.addEventListener("change", applyFilters);
  // The search boxes apply as one types, once typing pauses.
  for (const box of form.querySelectorAll('input[type="search"]')) {
    box.addEventListener("input", () => {
      clearTimeout(typing);
      typing = setTimeout(applyFilters, 250);
    });
  }
  document.getElementById("status-counts").addEventListener("click", (event) => {
    const chip = event.target.closest("button[data-status]");
    if (!chip) return;
    const select = document.getElementById("filter-status");
    select.value = chip.getAttribute("aria-pressed") === "true" ? "" : chip.dataset.status;
    applyFilters();
  });
  // The whole row opens the message; the recipient link stays the keyboard and middle-click path.
  rows.addEventListener("click", (event) => {
    const tr = event.target.closest("tr[data-key]");
    if (!tr || event.target.closest("a") || window.getSelection().toString()) return;
    location.href = messageUrl(tr.dataset.key);
  });

  render(window.Inbox.initialData());
  window.Inbox.start(refresh);
})();
