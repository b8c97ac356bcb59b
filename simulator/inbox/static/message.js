// One message: its details, history, fallback, replies, webhooks and requests, plus the steering forms.
"use strict";

(function () {
  const { api, control, el, safeUrl, badge, fmtTime, fmtDuration, timeAgo, fmtBytes, toast, draw, setClock } = window.Inbox;
  const key = document.getElementById("message").dataset.key;
  const path = "/messages/" + encodeURIComponent(key); // the same under the inbox's views and the control API
  const $ = (id) => document.getElementById(id);

  function timeline(node, leg) {
    const past = leg.history.map((step) =>
      el(
        "li",
        { class: "done" },
        badge(step.status, step.reason),
        step.reason ? el("span", { class: "reason" }, step.reason) : null,
        el("time", { datetime: step.at }, fmtTime(step.at)),
        el("span", { class: "offset" }, "+" + fmtDuration(step.after)),
      ),
    );
    const next = leg.upcoming.map((step) =>
      el(
        "li",
        { class: "upcoming", title: "Planned by the scenario; happens when the clock gets there" },
        badge(step.status, step.reason),
        step.reason ? el("span", { class: "reason" }, step.reason) : null,
        el("time", { datetime: step.at }, fmtTime(step.at)),
        el("span", { class: "offset" }, "planned +" + fmtDuration(step.after)),
      ),
    );
    node.replaceChildren(...past, ...next);
    if (!past.length && !next.length) node.append(el("li", { class: "muted" }, "No status yet."));
  }

  function meta(node, m) {
    const rows = [
      ["Provider", m.provider],
      ["Channel", m.channel],
      ["Message id", el("code", {}, m.id)],
      ["Account", m.account],
      ["Sender", m.sender || "—"],
      ["Scenario", [el("strong", {}, m.scenario), " ", el("span", { class: "muted" }, "(" + m.matched_by + ")")]],
      ["Cost", m.cost_text],
      ["Created", el("time", { datetime: m.created_at }, fmtTime(m.created_at) + " UTC")],
    ];
    if (m.group) rows.push(["Group", el("code", {}, m.group)]);
    if (Object.keys(m.attrs).length) rows.push(["Attributes", el("pre", { class: "code" }, JSON.stringify(m.attrs, null, 2))]);
    node.replaceChildren(...rows.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
  }

  function replies(node, list) {
    $("replies-count").textContent = list.length ? String(list.length) : "";
    if (!list.length) {
      node.replaceChildren(el("li", { class: "muted" }, "No replies yet."));
      return;
    }
    node.replaceChildren(
      ...list.map((reply) => {
        const media = reply.media;
        const url = media && safeUrl(media.url);
        return el(
          "li",
          { class: "reply" },
          el("time", { datetime: reply.at }, fmtTime(reply.at)),
          reply.text !== null ? el("p", { class: "bubble incoming" }, reply.text) : null,
          media
            ? el(
                "p",
                { class: "media" },
                el("span", { class: "media-label" }, "Media "),
                url ? el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, media.filename) : media.filename,
                el("span", { class: "muted" }, " · " + fmtBytes(media.filesize) + " · "),
                el("code", { class: "url" }, media.url),
              )
            : null,
        );
      }),
    );
  }

  function webhooks(node, list) {
    $("webhooks-count").textContent = list.length ? String(list.length) : "";
    if (!list.length) {
      node.replaceChildren(el("tr", {}, el("td", { colspan: 6, class: "muted" }, "No webhook attempts for this message.")));
      return;
    }
    node.replaceChildren(
      ...list.map((hook) => {
        const ok = hook.status !== null && hook.status >= 200 && hook.status < 300;
        return el(
          "tr",
          { title: hook.body },
          el("td", {}, el("time", { datetime: hook.at }, fmtTime(hook.at))),
          el("td", {}, hook.attempt),
          el("td", { class: "url" }, hook.url),
          el("td", {}, el("span", { class: "http " + (ok ? "ok" : "bad") }, hook.status === null ? "—" : hook.status)),
          el("td", { class: "num" }, hook.latency_ms + " ms"),
          el("td", { class: "error" }, hook.error || ""),
        );
      }),
    );
  }

  function requests(node, list) {
    $("requests-count").textContent = list.length ? String(list.length) : "";
    if (!list.length) {
      node.replaceChildren(el("p", { class: "muted" }, "No journalled request names this message."));
      return;
    }
    node.replaceChildren(
      ...list.map((req) => {
        const headers = Object.entries(req.headers).map(([name, value]) => name + ": " + value).join("\n");
        const ok = req.status < 400;
        return el(
          "details",
          { class: "request" },
          el(
            "summary",
            {},
            el("span", { class: "method" }, req.method),
            " ",
            el("code", {}, req.path + (req.query ? "?" + req.query : "")),
            " ",
            el("span", { class: "http " + (ok ? "ok" : "bad") }, req.status),
            " ",
            el("time", { class: "muted", datetime: req.at }, fmtTime(req.at)),
          ),
          el("h3", {}, "Request headers"),
          el("pre", { class: "code" }, headers),
          el("h3", {}, "Request body"),
          el("pre", { class: "code" }, req.body || "(empty)"),
          el("h3", {}, "Response body"),
          el("pre", { class: "code" }, req.response || "(empty)"),
        );
      }),
    );
  }

  function forceOptions(node, m) {
    const select = $("force-status");
    const previous = select.value;
    select.replaceChildren(...m.legal_targets.map((status) => el("option", { value: status }, status)));
    if (m.legal_targets.includes(previous)) select.value = previous;
    const final = m.legal_targets.length === 0;
    select.disabled = final;
    $("force-submit").disabled = final;
    $("force-help").textContent = final
      ? `“${m.status}” is final: no transition is legal.`
      : `From “${m.status || "start"}” the lifecycle allows: ${m.legal_targets.join(", ")}.`;
  }

  function render(data) {
    const m = data.message;
    document.title = m.recipient + " · Message · Provider Simulator";
    $("m-recipient").textContent = m.recipient;
    $("m-subtitle").textContent = `${m.channel} via ${m.provider}`;
    draw($("m-status"), [m.status, m.reason], (node) =>
      node.replaceChildren(badge(m.status, m.reason), m.reason ? el("span", { class: "reason" }, m.reason) : ""),
    );
    const since = m.history.length ? m.history[m.history.length - 1].at : null;
    draw($("m-since"), since, (node) => node.replaceChildren(since ? timeAgo(since, data.clock.now) : ""));
    $("m-text").textContent = m.text === null ? "(no text)" : m.text;
    draw($("m-meta"), m, meta);
    draw($("m-history"), { history: m.history, upcoming: m.upcoming }, timeline);
    $("fallback-section").hidden = !m.fallback;
    if (m.fallback) {
      $("fallback-title").textContent = `Fallback leg (${m.fallback.channel || "sms"})`;
      draw($("m-fallback"), m.fallback, timeline);
    }
    draw($("m-replies"), m.reply_list, replies);
    draw($("m-webhooks"), m.webhooks, webhooks);
    draw($("m-requests"), m.requests, requests);
    draw($("force-form"), { status: m.status, legal_targets: m.legal_targets }, forceOptions);
    setClock(data.clock);
  }

  async function refresh() {
    try {
      render(await api(path));
    } catch (error) {
      if (error.status !== 404) throw error;
      $("message").hidden = true;
      $("gone").hidden = false;
    }
  }

  function showError(id, error) {
    const box = $(id);
    box.textContent = error ? error.message : "";
    box.hidden = !error;
  }

  function replyPayload(form) {
    const fields = new FormData(form);
    const payload = { text: fields.get("text") || null };
    const media = ["url", "filename", "filesize"].map((name) => (fields.get(name) || "").trim());
    if (media.some(Boolean)) {
      const [url, filename, size] = media;
      // Sizes that are not whole numbers go as typed, so the server names the problem.
      payload.media = { url, filename, filesize: /^\d+$/.test(size) ? Number(size) : size };
    }
    return payload;
  }

  $("reply-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    try {
      await control(path + "/reply", replyPayload(form));
      render(await api(path));
      form.reset();
      $("reply-media").open = false;
      showError("reply-error", null);
      toast("Reply injected.");
    } catch (error) {
      showError("reply-error", error);
    }
  });

  $("force-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget);
    try {
      await control(path + "/status", { status: fields.get("status"), reason: fields.get("reason") || null });
      render(await api(path));
      showError("force-error", null);
      toast("Status forced to " + fields.get("status") + ".");
    } catch (error) {
      showError("force-error", error);
      window.Inbox.refresh();
    }
  });

  render(window.Inbox.initialData());
  window.Inbox.start(refresh);
})();
