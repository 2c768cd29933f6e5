// Stars on the public program pages. Every star button is a form that works without this file;
// with it, starring needs no page load, and visitors who are not logged in keep their stars in
// this browser (localStorage) until they log in, when the stars are merged into their account.
// A page rendered for anyone (the release's files: the same page for every visitor) names
// `data-me-url`: the visitor's stars, links and CSRF token come from there, in one request.
(() => {
  const root = document.querySelector("[data-stars-event]");
  if (!root) return;
  const key = "podium:stars:" + root.dataset.starsEvent;
  let loggedIn = root.dataset.loggedIn === "1";
  let token = "";
  const status = root.querySelector("[data-stars-status]");
  // The words shown, in the page's language (its "stars-messages" data); English without it.
  const TEXT = window.podiumMessages("stars", {
    cannot_keep: "This browser cannot keep stars. Log in to keep them in your account.",
    starred_here: "Starred in this browser. Log in to keep your stars on every device.",
    removed: "Star removed.",
    starred: "Starred.",
    not_saved: "The star could not be saved. Try again.",
    merged: "The stars you kept in this browser are now in your account.",
  });

  function say(text) {
    if (status) status.textContent = text;
  }

  function readLocal() {
    try {
      const codes = JSON.parse(window.localStorage.getItem(key) || "[]");
      return Array.isArray(codes) ? codes.filter((code) => typeof code === "string") : [];
    } catch (error) {
      return [];
    }
  }

  function writeLocal(codes) {
    try {
      window.localStorage.setItem(key, JSON.stringify(Array.from(new Set(codes))));
      return true;
    } catch (error) {
      return false; // storage full or disabled (private mode): the star is not kept
    }
  }

  function buttonsFor(code) {
    return Array.from(document.querySelectorAll("button.star[data-star]")).filter((b) => b.dataset.star === code);
  }

  function mark(code, on) {
    for (const button of buttonsFor(code)) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "★" : "☆";
      const input = button.form && button.form.querySelector("input[name=starred]");
      if (input) input.value = on ? "0" : "1";
    }
    document.querySelectorAll("[data-session]").forEach((item) => {
      if (item.dataset.session === code) item.classList.toggle("starred", on);
    });
  }

  // Only the starred sessions, for visitors whose stars live in this browser (the server filters
  // for logged-in visitors). Grid cells keep their place in the table and are only blanked.
  function applyFilter() {
    if (root.dataset.starredFilter !== "1") return;
    const starred = new Set(readLocal());
    document.querySelectorAll("[data-session]").forEach((item) => {
      const keep = starred.has(item.dataset.session);
      if (item.tagName === "TD") item.classList.toggle("filtered-out", !keep);
      else item.hidden = !keep;
    });
  }

  function csrfToken() {
    if (token) return token;
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function saveOnServer(form, code, on) {
    const body = new FormData(form);
    body.set("starred", on ? "1" : "0");
    const response = await fetch(form.action, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", Accept: "application/json", "X-CSRFToken": csrfToken() },
    });
    if (!response.ok) throw new Error("star refused: " + response.status);
    const answer = await response.json();
    mark(answer.code, answer.starred);
    return answer.starred;
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.classList || !form.classList.contains("star-form")) return;
    event.preventDefault();
    const button = form.querySelector("button.star");
    const code = button.dataset.star;
    const on = button.getAttribute("aria-pressed") !== "true";
    if (!loggedIn) {
      const codes = new Set(readLocal());
      if (on) codes.add(code);
      else codes.delete(code);
      if (!writeLocal(Array.from(codes))) {
        say(TEXT.cannot_keep);
        return;
      }
      mark(code, on);
      applyFilter();
      say(on ? TEXT.starred_here : TEXT.removed);
      return;
    }
    button.disabled = true;
    try {
      const starred = await saveOnServer(form, code, on);
      say(starred ? TEXT.starred : TEXT.removed);
    } catch (error) {
      say(TEXT.not_saved);
    } finally {
      button.disabled = false;
    }
  });

  async function mergeBrowserStars() {
    const codes = readLocal();
    if (!codes.length) return;
    try {
      const response = await fetch(root.dataset.mergeUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-Requested-With": "fetch",
          "X-CSRFToken": csrfToken(),
        },
        body: JSON.stringify({ codes }),
      });
      if (!response.ok) return; // keep them in the browser and try again on the next page
      const answer = await response.json();
      window.localStorage.removeItem(key);
      const starred = new Set(answer.codes);
      document.querySelectorAll("button.star[data-star]").forEach((button) => {
        mark(button.dataset.star, starred.has(button.dataset.star));
      });
      say(TEXT.merged);
    } catch (error) {
      // offline: keep them for later
    }
  }

  // The visitor's own parts of a page that is the same for everyone.
  function showMember(me) {
    loggedIn = true;
    token = me.csrf_token || "";
    root.dataset.loggedIn = "1";
    document.querySelectorAll("[data-signed-out]").forEach((item) => {
      item.hidden = true;
    });
    document.querySelectorAll("[data-signed-in]").forEach((item) => {
      item.hidden = false;
    });
    document.querySelectorAll("[data-my-tickets]").forEach((item) => {
      item.hidden = !me.tickets;
    });
    document.querySelectorAll("input[data-csrf]").forEach((input) => {
      input.name = "csrfmiddlewaretoken";
      input.value = token;
    });
    // Addresses and names only a member's page shows (an anonymous page does not even name them).
    const links = me.links || {};
    document.querySelectorAll("a[data-me-link]").forEach((link) => {
      const target = links[link.dataset.meLink];
      if (!target) return;
      link.href = target.href;
      if (!link.textContent) link.textContent = target.text;
    });
    const starred = new Set(me.stars || []);
    document.querySelectorAll("button.star[data-star]").forEach((button) => {
      mark(button.dataset.star, starred.has(button.dataset.star));
    });
  }

  function start() {
    if (loggedIn) {
      mergeBrowserStars();
    } else {
      readLocal().forEach((code) => mark(code, true));
      applyFilter();
    }
  }

  async function askWhoIsHere() {
    try {
      const response = await fetch(root.dataset.meUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.ok) {
        const me = await response.json();
        if (me.logged_in) showMember(me);
      }
    } catch (error) {
      // offline: the page stays as an anonymous visitor's
    }
    start();
  }

  if (root.dataset.meUrl) {
    askWhoIsHere();
  } else {
    start();
  }
})();
