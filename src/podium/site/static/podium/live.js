// Live program: every public program page listens to the event's release stream (Server-Sent
// Events) and, when a new release is published, swaps in the page's fresh content without a reload,
// keeping the scroll position and the stars, says what changed in a status banner and highlights the
// changed sessions. The page works without this file; it is only never stale with it.
(() => {
  const root = document.querySelector("[data-live-url]");
  if (!root || !window.EventSource || !window.fetch) return;
  let version = parseInt(root.dataset.liveVersion || "", 10);
  let banner = document.querySelector("[data-live-banner]");
  if (!banner) {
    banner = document.createElement("p");
    banner.className = "live-banner";
    banner.setAttribute("role", "status");
    banner.setAttribute("aria-live", "polite");
    banner.dataset.liveBanner = "";
    document.body.appendChild(banner);
  }
  // The words shown, in the page's language (its "live-messages" data); English without it. A text
  // with a count has both forms, chosen by the language's plural rules.
  const TEXT = {
    updated: "Program updated to v%(version)s",
    updated_with: "Program updated to v%(version)s: %(changes)s",
    new: { one: "%(count)s new", other: "%(count)s new" },
    moved: { one: "%(count)s moved", other: "%(count)s moved" },
    changed: { one: "%(count)s changed", other: "%(count)s changed" },
    cancelled: { one: "%(count)s cancelled", other: "%(count)s cancelled" },
  };
  try {
    Object.assign(TEXT, JSON.parse(document.getElementById("live-messages").textContent));
  } catch (error) {
    // no data on this page: English
  }
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
  const plural = (forms, count) => {
    if (typeof forms === "string") return forms;
    let form = "other";
    try {
      form = new Intl.PluralRules(document.documentElement.lang || "en").select(count);
    } catch (error) {
      form = count === 1 ? "one" : "other";
    }
    return forms[form] || forms.other;
  };

  function summary(message) {
    const counts = message.counts || {};
    const kinds = [["new", TEXT.new], ["moved", TEXT.moved], ["changed", TEXT.changed], ["cancelled", TEXT.cancelled]];
    const parts = kinds.filter(([kind]) => counts[kind]).map(([kind, forms]) => fill(plural(forms, counts[kind]), { count: counts[kind] }));
    if (!parts.length) return fill(TEXT.updated, { version: message.version });
    return fill(TEXT.updated_with, { version: message.version, changes: parts.join(", ") });
  }

  function starredNow() {
    const codes = new Set();
    document.querySelectorAll("button.star[data-star][aria-pressed=true]").forEach((b) => codes.add(b.dataset.star));
    return codes;
  }

  function restoreStars(codes) {
    document.querySelectorAll("button.star[data-star]").forEach((button) => {
      const on = codes.has(button.dataset.star);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "★" : "☆";
      const input = button.form && button.form.querySelector("input[name=starred]");
      if (input) input.value = on ? "0" : "1";
    });
    const filtering = document.querySelector("[data-starred-filter='1']");
    document.querySelectorAll("[data-session]").forEach((item) => {
      const on = codes.has(item.dataset.session);
      item.classList.toggle("starred", on);
      if (filtering && item.tagName === "TD") item.classList.toggle("filtered-out", !on);
      else if (filtering) item.hidden = !on;
    });
  }

  function highlight(message) {
    const codes = new Set((message.changes || []).map((change) => change.code));
    document.querySelectorAll("[data-session]").forEach((item) => {
      if (codes.has(item.dataset.session)) item.classList.add("live-changed");
    });
    window.setTimeout(() => {
      document.querySelectorAll(".live-changed").forEach((item) => item.classList.remove("live-changed"));
    }, 30000);
  }

  async function refresh(message) {
    const response = await fetch(window.location.href, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "X-Requested-With": "fetch" },
    });
    if (!response.ok) return false; // e.g. the talk was cancelled (410): keep what is shown
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const incoming = fresh.querySelector("[data-live-region]");
    const region = document.querySelector("[data-live-region]");
    if (!incoming || !region) return false;
    const stars = starredNow();
    const x = window.scrollX;
    const y = window.scrollY;
    region.innerHTML = incoming.innerHTML;
    restoreStars(stars);
    window.scrollTo(x, y);
    highlight(message);
    document.dispatchEvent(new CustomEvent("podium:live-updated", { detail: message }));
    return true;
  }

  let pending = Promise.resolve();
  const url = root.dataset.liveUrl + (Number.isInteger(version) ? "?last=" + version : "");
  const source = new EventSource(url);
  source.addEventListener("release", (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    if (Number.isInteger(version) && message.version <= version) return;
    version = message.version;
    root.dataset.liveVersion = String(version);
    // After a reconnection the stream replays every release missed, oldest first: only the newest is
    // shown, so a page (a room screen) never highlights or announces what an older release changed.
    pending = pending
      .then(() => (message.version === version ? refresh(message) : false))
      .catch(() => false)
      .then(() => {
        if (message.version === version) banner.textContent = summary(message);
      });
  });
})();
